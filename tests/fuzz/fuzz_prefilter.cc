// libFuzzer target: the prefilter's reading of a regex (byte_pattern.h) and
// what is built from it must be sound. Input: a regex on the first line
// (caseless when it starts with "i "), then subject lines. For every line
// PCRE2 matches, the line-head automaton (when the regex suits one) and the
// Hyperscan pattern of its rare part must both report the line, the reading
// must not claim that nothing can match, and a whole-line pattern's bytes
// (LineAlphabet) must hold every byte of the line.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cleaner/match/prefilter/byte_pattern.h"
#include "cleaner/match/prefilter/prefilter_choice.h"
#include "cleaner/match/prefilter/line_head.h"
#include "cleaner/match/prefilter/multi_regex.h"
#include "cleaner/match/regex.h"
#include "cleaner/base/text_util.h"
#include "tests/fuzz/fuzz_support.h"

using namespace clean;

namespace {

bool ValidUtf8(std::string_view s) {
  std::string repaired;
  return AppendRepaired(s, &repaired) == 0;
}

void Sink(void* ctx, uint32_t, size_t) { *static_cast<bool*>(ctx) = true; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nl = in.find('\n');
  if (nl == std::string_view::npos) return 0;
  std::string_view regex = in.substr(0, nl), rest = in.substr(nl + 1);
  bool caseless = regex.substr(0, 2) == "i ";
  if (caseless) regex.remove_prefix(2);
  if (!ValidUtf8(regex)) return 0;
  std::string err;
  size_t off = 0;
  auto re = Regex::Compile(regex, caseless, &err, &off);
  if (!re) return 0;
  auto p = BytePattern::Parse(regex, caseless);
  if (!p) return 0;
  std::string shown = std::string(regex) + (caseless ? " (caseless)" : "");

  // As plan_prefilter.h does: a reading that matches the empty string is
  // left to PCRE2 alone. A small cap keeps each run quick; a larger
  // automaton is not checked.
  bool prefilter = !p->Nullable();
  std::unique_ptr<LineHeadDfa> head;
  if (prefilter && SuitsLineHead(*p)) head = LineHeadDfa::Build({&*p}, 5000);
  std::unique_ptr<MultiRegex> db;
  std::string part_expr;
  if (auto part = prefilter ? RarePart(*p) : std::nullopt; part && !part->Nullable()) {
    part_expr = ToHyperscan(*part);
    std::vector<bool> accepted;
    db = MultiRegex::Build({{part_expr, false, true}}, &accepted);
  }
  std::optional<ByteSet> alphabet = LineAlphabet(*p);
  MultiScratch hs;
  if (db) hs.Fit(*db);

  MatchScratch scratch(100000, 10000);
  while (!rest.empty()) {
    size_t e = rest.find('\n');
    std::string_view line = rest.substr(0, e);
    rest = e == std::string_view::npos ? std::string_view() : rest.substr(e + 1);
    if (line.empty() || !ValidUtf8(line)) continue;
    size_t b = 0, end = 0;
    if (re->Find(scratch, line, 0, &b, &end) != Regex::Result::kMatch) continue;
    std::string what = shown + " on \"" + std::string(line) + "\"";
    if (p->Never()) fuzz::Fail("a matching regex is not read as matching nothing", what);
    if (head && (head->Candidates(line) & 1) == 0)
      fuzz::Fail("the line-head automaton reports every line the regex matches", what);
    if (alphabet)
      for (unsigned char c : line)
        if (!(*alphabet)[c]) fuzz::Fail("a whole-line pattern's matches hold only its bytes", what);
    if (db) {
      bool reported = false;
      if (db->Scan(hs, line, &Sink, &reported) && !reported)
        fuzz::Fail("the rare part matches every line the regex matches",
                   what + " part " + part_expr);
    }
  }
  return 0;
}

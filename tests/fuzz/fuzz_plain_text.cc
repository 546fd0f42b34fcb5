// libFuzzer target: the whole plain-text path (reader, rule matching,
// features, classifier, context, the three writers) on arbitrary bytes, with
// the project's rules and source auto-detection. Aborts when
//   - a non-blank line is lost, duplicated or altered between the input and
//     the clean text + report (conservation),
//   - a kept line is not an input line, trimmed and byte-identical,
//   - cleaning the same bytes again, after another page, gives other bytes.
// Input the cleaner refuses (binary, over a budget) is a defined outcome.
// Odd-sized inputs are cleaned with a tiny regex match limit.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "cleaner/cleaner.h"
#include "cleaner/report/explain.h"
#include "cleaner/report/report.h"
#include "tests/conservation.h"
#include "tests/fuzz/fuzz_support.h"

using namespace clean;

namespace {

const char kOtherPage[] =
    "Home\nWorld\n\nThe minister said on Thursday that the talks had been useful, but that no "
    "agreement was reached.\nRelated\nShare with X\n";

struct Outputs {
  std::string text, report, explain;
  bool operator==(const Outputs& o) const {
    return text == o.text && report == o.report && explain == o.explain;
  }
};

bool Run(Cleaner& c, std::string_view bytes, Outputs* out, CleanResult* r) {
  std::string error;
  if (!c.Clean("fuzz", bytes, r, &error)) return false;
  KeepSet keep;
  WriteCleanText(*r, keep, &out->text);
  WriteReport(*r, keep, &out->report);
  WriteExplain(*r, keep, &out->explain);
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Odd-sized inputs run with a tiny PCRE2 match limit, so that rules give
  // up on many lines and the limit paths (line-by-line rescans, the report's
  // regex_limits) are fuzzed too; still deterministic, unlike a time budget.
  static Options low = [] {
    Options o;
    o.regex_match_limit = 200;
    return o;
  }();
  static auto rules = clean::fuzz::LoadProjectRules(Options());
  static auto low_rules = clean::fuzz::LoadProjectRules(low);
  static Cleaner normal(*rules, Options(), nullptr), limited(*low_rules, low, nullptr);
  Cleaner& cleaner = size % 2 ? limited : normal;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);

  Outputs first;
  CleanResult r;
  if (!Run(cleaner, bytes, &first, &r)) return 0;
  std::string problem = clean::testing::ConservationProblem(*r.page, first.text, first.report);
  if (!problem.empty()) clean::fuzz::Fail("conservation", problem);
  if (r.page->invalid_utf8 == 0) {
    problem = clean::testing::KeptLinesProblem(bytes, first.text);
    if (!problem.empty()) clean::fuzz::Fail("kept lines", problem);
  }

  Outputs other, again;
  Run(cleaner, kOtherPage, &other, &r);
  Run(cleaner, bytes, &again, &r);
  if (!(again == first)) clean::fuzz::Fail("determinism", "the same bytes cleaned twice differ");
  return 0;
}

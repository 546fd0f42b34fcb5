// The plan behind the prefilter (prefilter.h, its only user): for each
// regex, how the lines it may match are found before PCRE2 confirms them
// one by one.
//   head       regexes anchored at the line start with a selective head
//              (prefilter_choice.h SuitsLineHead): one automaton run from
//              the start of each line (line_head.h) for all of them, when
//              there are enough of them to pay for reading every line;
//   db         the others, in one Hyperscan pass over the page: each by a
//              rare part of its byte reading (prefilter_choice.h RarePart),
//              or, when byte_pattern cannot read it, loosened in UTF-8 mode;
//   short      those whose rare part may match fewer than 3 bytes ("/",
//              "»"), kept out of the database: a literal of a byte or two
//              slows Hyperscan's literal matcher down for the whole
//              database it is in (with the rules' breadcrumb separators
//              [/>»›], one pass took 48 instructions a kilobyte, two
//              passes 31 + 10). When the rare part is a small set of
//              short literals (ShortLiterals::LiteralsOf), a literal scan
//              of the page (short_literals.h) finds them; otherwise a
//              second Hyperscan pass ("short db");
//   pcre_only  regexes neither can take (no rare part; Hyperscan refuses
//              it): PCRE2 scans the page for them.
// A regex that cannot match any line (it needs a '\n') is in none of them.
#pragma once
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cleaner/match/prefilter/byte_pattern.h"
#include "cleaner/match/prefilter/line_head.h"
#include "cleaner/match/prefilter/multi_regex.h"
#include "cleaner/match/prefilter/prefilter.h"
#include "cleaner/match/prefilter/short_literals.h"

namespace clean {

// What one regex's byte reading says about its route.
struct RegexReading {
  std::optional<BytePattern> pattern;  // nothing: byte_pattern cannot read it
  bool never = false;                  // needs a '\n': no line can match
  bool nullable = false;               // matches the empty string: any line
  bool suits_head = false;             // SuitsLineHead
  std::string rare;                    // ToHyperscan(RarePart); "" when none
  bool short_rare = false;             // the rare part may match < kMinDbBytes bytes
  // A short rare part's literals (ShortLiterals::LiteralsOf); empty when it
  // is not a small set of them.
  std::vector<std::string> short_literals;
  std::optional<ByteSet> alphabet;  // LineAlphabet
  static RegexReading Of(std::string_view regex, bool caseless);
};

struct PrefilterPlan {
  static PrefilterPlan Build(const std::vector<Prefilter::Regex>& regexes,
                             const std::string& cache_dir);

  using Route = Prefilter::Route;
  // A rare part that may match fewer bytes takes a short route (the
  // literal scanner, else the short database).
  static constexpr size_t kMinDbBytes = 3;
  Route RouteOf(int matcher) const;

  // False when `line` cannot match database regex `matcher`: it holds a
  // byte no match of a whole-line regex (/^...$/) holds (LineAlphabet in
  // prefilter_choice.h). Checked before PCRE2 confirms a candidate.
  bool MayMatch(int matcher, std::string_view line) const {
    if (static_cast<size_t>(matcher) >= alphabet_of.size() || alphabet_of[matcher] < 0) return true;
    const auto& allowed = alphabets[alphabet_of[matcher]].allowed;
    for (unsigned char c : line)
      if (!allowed[c]) return false;
    return true;
  }
  struct Alphabet {
    int matcher = -1;
    std::array<bool, 256> allowed{};
  };
  std::vector<Alphabet> alphabets;
  std::vector<int> alphabet_of;  // matcher id -> its index in alphabets, or -1

  std::unique_ptr<LineHeadDfa> head;
  std::vector<int> head_matchers;  // automaton pattern i -> matcher id
  std::unique_ptr<MultiRegex> db;
  std::vector<int> db_matchers;  // database pattern i -> matcher id
  std::unique_ptr<MultiRegex> short_db;
  std::vector<int> short_db_matchers;
  std::unique_ptr<ShortLiterals> short_literals;
  std::vector<int> short_literal_matchers;  // scanner pattern i -> matcher id
  std::vector<int> pcre_only;
};

}  // namespace clean

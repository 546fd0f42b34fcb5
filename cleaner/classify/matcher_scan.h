// Runs every matcher of a plan over a page: exact texts by one hash lookup
// per line; regexes through the rule set's prefilter (prefilter.h): one
// automaton run over the head of each line, one Hyperscan pass over the
// whole page text and a literal scan for the shortest rare parts name
// candidate lines (of every plan: a second plan on the same page confirms
// from them), each then confirmed by PCRE2 on that line alone; a source's
// own regexes have a small prefilter of their own.
// Regexes a prefilter cannot take (and all of them with the prefilter off)
// are run by PCRE2 once over the whole page text (multiline). Either way
// the hits are the lines each regex matches on its own.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "cleaner/text/page.h"
#include "cleaner/match/regex.h"
#include "cleaner/ruleset/rule_set.h"

namespace clean {

struct Hit {
  uint32_t line;
  int32_t matcher;
  bool operator<(const Hit& o) const {
    return line != o.line ? line < o.line : matcher < o.matcher;
  }
};

struct ScanResult {
  std::vector<Hit> hits;     // sorted by line, then matcher
  std::vector<Hit> limits;   // regexes that gave up on a line (PCRE2 limits)
  bool out_of_time = false;  // the page's time budget stopped the regex scan
  void Clear() {
    hits.clear();
    limits.clear();
    out_of_time = false;
  }
};

class MatcherScanner {
 public:
  MatcherScanner(const RuleSet& rules, MatchScratch& scratch);
  // `again`: `page` is the page of the previous Scan, unchanged: the
  // prefilter's candidates of that scan serve this plan too (the rule
  // set's prefilter names the candidates of every plan's regexes).
  void Scan(const MatchPlan& plan, const Page& page, ScanResult* out, bool again = false);
  // Off: PCRE2 scans every regex (slower, same hits); for checks and benchmarks.
  void set_prefilter(bool on) { prefilter_ = on; }

 private:
  // Confirms the plan's regexes among `found` (from `pf`; !ok: PCRE2
  // alone), then runs the ones pf leaves to PCRE2.
  void Confirm(const Prefilter& pf, bool ok, const std::vector<Prefilter::Candidate>& found,
               const MatchPlan& plan, const Page& page, ScanResult* out);
  void Confirm(int matcher, const Page& page, uint32_t line, ScanResult* out);
  void ScanRegex(int matcher, const Page& page, ScanResult* out);
  void ScanRegexByLine(int matcher, const Page& page, size_t from_line, ScanResult* out);
  const RuleSet& rules_;
  MatchScratch& scratch_;
  Prefilter::Scratch prefilter_scratch_;
  bool prefilter_ = true;
  std::string lower_;
  // (line, matcher) for PCRE2 to confirm: of the rule set's prefilter (every
  // plan's), and of a plan's own.
  std::vector<Prefilter::Candidate> candidates_, own_candidates_;
  bool candidates_ok_ = false;  // Hyperscan did not fail on the page of candidates_
};

// A cursor over sorted hits, for the classifier's walk in line order.
class HitCursor {
 public:
  explicit HitCursor(const std::vector<Hit>& hits) : hits_(hits) {}
  // Moves to `line` (lines must be asked in increasing order).
  void Seek(uint32_t line) {
    while (pos_ < hits_.size() && hits_[pos_].line < line) ++pos_;
    end_ = pos_;
    while (end_ < hits_.size() && hits_[end_].line == line) ++end_;
  }
  bool Any() const { return end_ > pos_; }
  // The hits of the line sought last.
  const Hit* begin() const { return hits_.data() + pos_; }
  const Hit* end() const { return hits_.data() + end_; }
  // The first line after the one sought last with a hit (UINT32_MAX: none).
  uint32_t Upcoming() const { return end_ < hits_.size() ? hits_[end_].line : UINT32_MAX; }
  bool Has(int matcher) const {
    for (size_t i = pos_; i < end_; ++i)
      if (hits_[i].matcher == matcher) return true;
    return false;
  }

 private:
  const std::vector<Hit>& hits_;
  size_t pos_ = 0, end_ = 0;
};

}  // namespace clean

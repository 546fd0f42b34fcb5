// Runs every matcher of a plan over a page: exact texts by one hash lookup
// per line, regexes once over the whole page text (multiline), so a page
// costs one pass per regex rather than one match call per line and regex.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "cleaner/page.h"
#include "cleaner/regex.h"
#include "cleaner/rule_set.h"

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
  MatcherScanner(const RuleSet& rules, MatchScratch& scratch) : rules_(rules), scratch_(scratch) {}
  void Scan(const MatchPlan& plan, const Page& page, ScanResult* out);

 private:
  void ScanRegex(int matcher, const Page& page, ScanResult* out);
  void ScanRegexByLine(int matcher, const Page& page, size_t from_line, ScanResult* out);
  const RuleSet& rules_;
  MatchScratch& scratch_;
  std::string lower_;
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

#include "cleaner/classify/matcher_scan.h"

#include <algorithm>

#include "cleaner/base/text_util.h"

namespace clean {

MatcherScanner::MatcherScanner(const RuleSet& rules, MatchScratch& scratch)
    : rules_(rules), scratch_(scratch) {}

void MatcherScanner::Scan(const MatchPlan& plan, const Page& page, ScanResult* out, bool again) {
  out->Clear();
  if (!plan.exact.empty()) {
    for (size_t i = 0; i < page.lines.size(); ++i) {
      const LineSpan& l = page.lines[i];
      size_t len = l.end - l.begin;
      if (len == 0 || len > plan.max_exact_bytes || !plan.exact_length[len]) continue;
      std::string_view text = page.line(i);
      auto it = plan.exact.find(text);
      if (it != plan.exact.end())
        for (int m : it->second) out->hits.push_back({static_cast<uint32_t>(i), m});
      Utf8Lower(text, &lower_);
      if (lower_ != text) {
        it = plan.exact.find(lower_);
        if (it != plan.exact.end())
          for (int m : it->second)
            if (rules_.matcher(m).caseless) out->hits.push_back({static_cast<uint32_t>(i), m});
      }
    }
  }
  if (prefilter_ && !plan.regexes.empty()) {
    const Prefilter& pf = rules_.prefilter();
    if (!again) candidates_ok_ = pf.FindCandidates(page, prefilter_scratch_, &candidates_);
    Confirm(pf, candidates_ok_, candidates_, plan, page, out);
    if (const Prefilter* own = rules_.own_prefilter(plan)) {
      bool ok = own->FindCandidates(page, prefilter_scratch_, &own_candidates_);
      Confirm(*own, ok, own_candidates_, plan, page, out);
    }
  } else {
    for (int m : plan.regexes) {
      if (out->out_of_time) break;
      ScanRegex(m, page, out);
    }
  }
  std::sort(out->hits.begin(), out->hits.end());
  std::sort(out->limits.begin(), out->limits.end());
}

void MatcherScanner::Confirm(const Prefilter& pf, bool ok,
                             const std::vector<Prefilter::Candidate>& found, const MatchPlan& plan,
                             const Page& page, ScanResult* out) {
  if (!ok) {
    // Hyperscan failed: PCRE2 alone.
    for (int m : pf.Prefiltered())
      if (plan.has[m]) ScanRegex(m, page, out);
  } else {
    for (const Prefilter::Candidate& c : found) {
      if (out->out_of_time) break;
      if (plan.has[c.matcher] && pf.MayMatch(c.matcher, page.line(c.line)))
        Confirm(c.matcher, page, c.line, out);
    }
  }
  for (int m : pf.pcre_only()) {
    if (out->out_of_time) break;  // the page's time budget is spent
    if (plan.has[m]) ScanRegex(m, page, out);
  }
}

void MatcherScanner::Confirm(int m, const Page& page, uint32_t line, ScanResult* out) {
  const Regex& re = *rules_.matcher(m).regex;
  size_t b = 0, e = 0;
  Regex::Result r = re.Find(scratch_, page.line(line), 0, &b, &e);
  if (r == Regex::Result::kMatch)
    out->hits.push_back({line, m});
  else if (r == Regex::Result::kLimit)
    out->limits.push_back({line, m});
  else if (r == Regex::Result::kBudget)
    out->out_of_time = true;
}

void MatcherScanner::ScanRegex(int m, const Page& page, ScanResult* out) {
  const Regex& re = *rules_.matcher(m).regex;
  std::string_view text = page.text;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t b = 0, e = 0;
    Regex::Result r = re.Find(scratch_, text, pos, &b, &e);
    if (r == Regex::Result::kNoMatch) return;
    if (r == Regex::Result::kBudget) {
      out->out_of_time = true;
      return;
    }
    if (r == Regex::Result::kLimit) {
      // The whole-page call gave up: finish line by line, so the limit is
      // charged to the lines that cause it and the others still match.
      ScanRegexByLine(m, page, page.LineAt(pos), out);
      return;
    }
    size_t line = page.LineAt(b);
    const LineSpan& l = page.lines[line];
    if (e <= l.end && b < l.end) {
      out->hits.push_back({static_cast<uint32_t>(line), m});
    } else {
      // The match ran across a line break: see whether the line alone matches.
      Confirm(m, page, static_cast<uint32_t>(line), out);
    }
    pos = l.end + 1;  // on to the next line
  }
}

void MatcherScanner::ScanRegexByLine(int m, const Page& page, size_t from, ScanResult* out) {
  for (size_t i = from; i < page.lines.size() && !out->out_of_time; ++i)
    if (!page.lines[i].blank()) Confirm(m, page, static_cast<uint32_t>(i), out);
}

}  // namespace clean

#include "cleaner/classify/matcher_scan.h"

#include <algorithm>
#include <bit>

#include "cleaner/base/text_util.h"

namespace clean {

namespace {
// The line holding byte `pos` of the page text ('\n' belongs to its line).
size_t LineOf(const Page& page, size_t pos) {
  auto it = std::upper_bound(page.lines.begin(), page.lines.end(), pos,
                             [](size_t p, const LineSpan& l) { return p < l.begin; });
  return static_cast<size_t>(it - page.lines.begin()) - 1;
}
}  // namespace

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
    if (!again) candidates_ok_ = FindCandidates(pf, page, &candidates_);
    Confirm(pf, candidates_ok_, candidates_, plan, page, out);
    if (const Prefilter* own = rules_.own_prefilter(plan)) {
      bool ok = FindCandidates(*own, page, &own_candidates_);
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

void MatcherScanner::OnCandidate(void* ctx, uint32_t pattern, size_t end) {
  auto* self = static_cast<MatcherScanner*>(ctx);
  const Page& page = *self->scan_page_;
  // The line of the match's last byte ('\n' belongs to its line). Ends
  // come in increasing order, so the line only moves forward.
  size_t last = end - 1;
  size_t& li = self->scan_line_;
  if (last < page.lines[li].begin) li = LineOf(page, last);
  while (li + 1 < page.lines.size() && page.lines[li + 1].begin <= last) ++li;
  uint32_t line = static_cast<uint32_t>(li);
  if (self->last_line_[pattern] == line + 1) return;
  self->last_line_[pattern] = line + 1;
  self->scan_found_->push_back({line, (*self->scan_matchers_)[pattern]});
}

bool MatcherScanner::FindCandidates(const Prefilter& pf, const Page& page,
                                    std::vector<Hit>* found) {
  found->clear();
  if (page.lines.empty()) return true;
  for (auto [db, matchers] : {std::pair{pf.db.get(), &pf.db_matchers},
                              std::pair{pf.short_db.get(), &pf.short_db_matchers}}) {
    if (db == nullptr) continue;
    if (std::find(fitted_.begin(), fitted_.end(), db) == fitted_.end()) {
      multi_scratch_.Fit(*db);
      fitted_.push_back(db);
    }
    scan_page_ = &page;
    scan_line_ = 0;
    scan_matchers_ = matchers;
    scan_found_ = found;
    last_line_.assign(matchers->size(), 0);
    if (!db->Scan(multi_scratch_, page.text, &OnCandidate, this)) {
      found->clear();
      return false;
    }
  }
  // After the short database's, as when the literal scanner's patterns
  // were in it: the confirmations see the candidates in the same order
  // (which the page's time budget could make matter).
  if (pf.short_literals) {
    short_found_.clear();
    pf.short_literals->Scan(page.text, page.lines.data(), page.lines.size(), &short_found_);
    for (const ShortLiterals::Found& f : short_found_)
      found->push_back({f.line, pf.short_literal_matchers[f.pattern]});
  }
  if (pf.head) {
    const std::vector<int>& matchers = pf.head_matchers;
    pf.head->EachLine(page.text.data(), page.lines.data(), page.lines.size(),
                      [found, &matchers](size_t i, uint64_t bits) {
                        for (; bits != 0; bits &= bits - 1)
                          found->push_back({static_cast<uint32_t>(i), matchers[std::countr_zero(bits)]});
                      });
  }
  return true;
}

void MatcherScanner::Confirm(const Prefilter& pf, bool ok, const std::vector<Hit>& found,
                             const MatchPlan& plan, const Page& page, ScanResult* out) {
  if (!ok) {
    // Hyperscan failed: PCRE2 alone.
    for (const auto* ms :
         {&pf.db_matchers, &pf.short_db_matchers, &pf.short_literal_matchers, &pf.head_matchers})
      for (int m : *ms)
        if (plan.has[m] &&
            std::find(pf.pcre_only.begin(), pf.pcre_only.end(), m) == pf.pcre_only.end())
          ScanRegex(m, page, out);
  } else {
    for (const Hit& c : found) {
      if (out->out_of_time) break;
      if (plan.has[c.matcher] && pf.MayMatch(c.matcher, page.line(c.line)))
        Confirm(c.matcher, page, c.line, out);
    }
  }
  for (int m : pf.pcre_only) {
    if (out->out_of_time) break;  // the page's time budget is spent
    if (plan.has[m]) ScanRegex(m, page, out);
  }
}

void MatcherScanner::Confirm(int m, const Page& page, uint32_t line, ScanResult* out) {
  const Regex& re = *rules_.matcher(m).regex;
  size_t b = 0, e = 0;
  Regex::Result r = re.Find(scratch_, page.line(line), 0, &b, &e);
  if (r == Regex::Result::kMatch) out->hits.push_back({line, m});
  else if (r == Regex::Result::kLimit) out->limits.push_back({line, m});
  else if (r == Regex::Result::kBudget) out->out_of_time = true;
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
      ScanRegexByLine(m, page, LineOf(page, pos), out);
      return;
    }
    size_t line = LineOf(page, b);
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

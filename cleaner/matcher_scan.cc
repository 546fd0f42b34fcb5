#include "cleaner/matcher_scan.h"

#include <algorithm>

#include "cleaner/text_util.h"

namespace clean {

namespace {
// The line holding byte `pos` of the page text ('\n' belongs to its line).
size_t LineOf(const Page& page, size_t pos) {
  auto it = std::upper_bound(page.lines.begin(), page.lines.end(), pos,
                             [](size_t p, const LineSpan& l) { return p < l.begin; });
  return static_cast<size_t>(it - page.lines.begin()) - 1;
}
}  // namespace

void MatcherScanner::Scan(const MatchPlan& plan, const Page& page, ScanResult* out) {
  out->Clear();
  if (!plan.exact.empty()) {
    for (size_t i = 0; i < page.lines.size(); ++i) {
      const LineSpan& l = page.lines[i];
      size_t len = l.end - l.begin;
      if (len == 0 || len > plan.max_exact_bytes) continue;
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
  for (int m : plan.regexes) {
    if (out->out_of_time) break;  // the page's time budget is spent
    ScanRegex(m, page, out);
  }
  std::sort(out->hits.begin(), out->hits.end());
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
      size_t lb = 0, le = 0;
      Regex::Result lr = re.Find(scratch_, page.line(line), 0, &lb, &le);
      if (lr == Regex::Result::kMatch) out->hits.push_back({static_cast<uint32_t>(line), m});
      else if (lr == Regex::Result::kLimit) out->limits.push_back({static_cast<uint32_t>(line), m});
      else if (lr == Regex::Result::kBudget) out->out_of_time = true;
    }
    pos = l.end + 1;  // on to the next line
  }
}

void MatcherScanner::ScanRegexByLine(int m, const Page& page, size_t from, ScanResult* out) {
  const Regex& re = *rules_.matcher(m).regex;
  for (size_t i = from; i < page.lines.size(); ++i) {
    if (page.lines[i].blank()) continue;
    size_t b = 0, e = 0;
    Regex::Result r = re.Find(scratch_, page.line(i), 0, &b, &e);
    if (r == Regex::Result::kMatch) out->hits.push_back({static_cast<uint32_t>(i), m});
    else if (r == Regex::Result::kLimit) out->limits.push_back({static_cast<uint32_t>(i), m});
    else if (r == Regex::Result::kBudget) {
      out->out_of_time = true;
      return;
    }
  }
}

}  // namespace clean

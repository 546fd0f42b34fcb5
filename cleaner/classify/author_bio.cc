#include "cleaner/classify/author_bio.h"

#include <algorithm>

#include "cleaner/base/heuristics.h"

namespace clean {

namespace {

bool Capitalised(std::string_view word) {
  const auto c = static_cast<unsigned char>(word[0]);
  return (c >= 'A' && c <= 'Z') || c >= 0x80;
}

bool Space(char c) { return c == ' ' || c == '\t'; }

// True when `text` starts with the subject, or with its first word, then a
// space and a lower-case ASCII letter.
bool StartsWithSubject(std::string_view text, std::string_view subject) {
  auto word_end = [](std::string_view s) {
    size_t e = 0;
    while (e < s.size() && !Space(s[e])) ++e;
    return e;
  };
  if (text.size() > subject.size() && text.substr(0, subject.size()) == subject &&
      Space(text[subject.size()]))
    return true;
  const size_t first = word_end(subject);
  if (first == subject.size() || text.size() <= first + 1) return false;
  return text.substr(0, first) == subject.substr(0, first) && Space(text[first]) &&
         text[first + 1] >= 'a' && text[first + 1] <= 'z';
}

}  // namespace

std::string_view BlurbSubject(std::string_view line) {
  // The label ends at the line's last ':', else with its first word.
  size_t i = line.rfind(':');
  if (i == std::string_view::npos) {
    i = 0;
    while (i < line.size() && !Space(line[i])) ++i;
  } else {
    ++i;
  }
  while (i < line.size() && Space(line[i])) ++i;
  const size_t begin = i;
  size_t end = begin;
  for (int words = 0; words < 4 && i < line.size(); ++words) {
    size_t e = i;
    while (e < line.size() && !Space(line[e])) ++e;
    if (!Capitalised(line.substr(i, e - i))) break;
    const char last = line[e - 1];
    const bool stop = last == ',' || last == ';' || last == '|';
    end = stop ? e - 1 : e;
    if (stop) break;
    i = e;
    while (i < line.size() && Space(line[i])) ++i;
  }
  return line.substr(begin, end - begin);
}

void RemoveAuthorBios(const Page& page, const Options& o, const std::vector<Decider>& deciders,
                      PageWork* work) {
  PageWork& w = *work;
  const size_t n = w.decisions.size();
  const auto min_article = static_cast<uint64_t>(std::max(o.bio_min_article_chars, 0));
  uint64_t body = 0;
  for (size_t i = 0; i < n; ++i) {
    const Decision& d = w.decisions[i];
    if (d.blank) continue;
    if (w.context[i] & PageWork::kCtxBody) {
      body += w.features.lines[i].chars;
      continue;
    }
    if (!w.by_rule[i] || body < min_article || d.decider >= deciders.size()) continue;
    const std::string& field = deciders[d.decider].field;
    if (field != "about" && field != "byline") continue;
    // A person's name has two words at least ("About Logitech" heads a
    // press release's company note, which some sites count as its text).
    const std::string_view subject = BlurbSubject(page.line(i));
    if (subject.find(' ') == std::string_view::npos) continue;
    int seen = 0;
    for (size_t j = i + 1; j < n && seen < o.context_max_gap; ++j) {
      if (w.decisions[j].blank) continue;
      ++seen;
      const bool text = w.kinds[j] == LineKind::kProse || w.kinds[j] == LineKind::kMedium;
      if (w.by_rule[j] || !(w.context[j] & PageWork::kCtxBody) || !text) continue;
      if (!StartsWithSubject(page.line(j), subject)) continue;
      w.decisions[j].cls = LineClass::kNavigation;
      w.decisions[j].decider = DeciderOf(Heuristic::kAuthorBio);
      w.context[j] = 0;
    }
  }
}

}  // namespace clean

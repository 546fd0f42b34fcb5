#include "cleaner/classify/card_list.h"

#include <algorithm>
#include <vector>

#include "cleaner/base/heuristics.h"

namespace clean {

namespace {

bool BodyLine(const PageWork& w, uint32_t i) {
  const Decision& d = w.decisions[i];
  return !d.blank && d.cls == LineClass::kBody;
}

// A heuristic body line (a rule's body line is never a card's).
bool Revisable(const PageWork& w, uint32_t i) { return BodyLine(w, i) && !w.by_rule[i]; }

// A card's headline: a short line with no sentence end, kept by the
// heuristics or removed (a headline list's last item often heads the first
// card), but never a rule's body line.
bool Headline(const Options& o, const PageWork& w, uint32_t i) {
  const LineFeatures& f = w.features.lines[i];
  const Decision& d = w.decisions[i];
  return !d.blank && !(w.by_rule[i] && d.cls == LineClass::kBody) && !f.terminal &&
         !f.list_marker && f.words >= 2 &&
         f.chars <= static_cast<uint32_t>(o.card_headline_max_chars);
}

bool Summary(const Options& o, const PageWork& w, uint32_t i) {
  const LineFeatures& f = w.features.lines[i];
  return Revisable(w, i) && !f.list_marker &&
         f.chars > static_cast<uint32_t>(o.card_headline_max_chars) &&
         f.chars <= static_cast<uint32_t>(o.card_summary_max_chars);
}

void Remove(PageWork& w, uint32_t i) {
  w.decisions[i].cls = LineClass::kHeadlineList;
  w.decisions[i].decider = DeciderOf(Heuristic::kCardList);
  w.context[i] = 0;
}

}  // namespace

void RemoveCardLists(const Options& o, PageWork* work) {
  PageWork& w = *work;
  std::vector<uint32_t> lines;  // the non-blank lines, in order
  for (uint32_t i = 0; i < w.decisions.size(); ++i)
    if (!w.decisions[i].blank) lines.push_back(i);
  const auto min_cards = static_cast<size_t>(std::max(o.card_list_min, 1));
  const auto min_article = static_cast<uint64_t>(std::max(o.card_min_article_chars, 0));
  uint64_t article = 0;  // body characters above line j
  size_t j = 0;
  while (j < lines.size()) {
    // A run of (headline, summary) pairs from line j.
    size_t k = j, cards = 0;
    while (k + 1 < lines.size() && Headline(o, w, lines[k]) && Summary(o, w, lines[k + 1])) {
      k += 2;
      ++cards;
    }
    if (cards < min_cards || article < min_article) {
      if (BodyLine(w, lines[j])) article += w.features.lines[lines[j]].chars;
      ++j;
      continue;
    }
    // A run set apart from the article's text (the line above it is not
    // body) is a teaser list below the article: the heuristics' body lines
    // below it are not the article's either.
    const bool apart = j == 0 || !BodyLine(w, lines[j - 1]);
    const size_t end = apart ? lines.size() : k;
    for (size_t m = j; m < end; ++m)
      if (Revisable(w, lines[m])) Remove(w, lines[m]);
    j = end;
  }
}

}  // namespace clean

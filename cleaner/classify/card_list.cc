#include "cleaner/classify/card_list.h"

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

bool Headline(const Options& o, const PageWork& w, uint32_t i) {
  const LineFeatures& f = w.features.lines[i];
  return Revisable(w, i) && !f.terminal && !f.list_marker && f.words >= 2 &&
         f.chars <= static_cast<uint32_t>(o.card_headline_max_chars);
}

bool Summary(const Options& o, const PageWork& w, uint32_t i) {
  const LineFeatures& f = w.features.lines[i];
  return Revisable(w, i) && !f.list_marker &&
         f.chars > static_cast<uint32_t>(o.card_headline_max_chars) &&
         f.chars <= static_cast<uint32_t>(o.card_summary_max_chars);
}

}  // namespace

void RemoveCardLists(const Options& o, PageWork* work) {
  PageWork& w = *work;
  std::vector<uint32_t> body;  // the body lines, in order
  for (uint32_t i = 0; i < w.decisions.size(); ++i)
    if (BodyLine(w, i)) body.push_back(i);
  // Cards from the end: (headline, summary) pairs.
  size_t k = body.size(), cards = 0;
  while (k >= 2 && Summary(o, w, body[k - 1]) && Headline(o, w, body[k - 2])) {
    k -= 2;
    ++cards;
  }
  if (cards < static_cast<size_t>(o.card_list_min)) return;
  uint64_t article = 0;
  for (size_t j = 0; j < k; ++j) article += w.features.lines[body[j]].chars;
  if (article < static_cast<uint64_t>(o.card_min_article_chars)) return;
  for (size_t j = k; j < body.size(); ++j) {
    w.decisions[body[j]].cls = LineClass::kHeadlineList;
    w.decisions[body[j]].decider = DeciderOf(Heuristic::kCardList);
    w.context[body[j]] = 0;
  }
}

}  // namespace clean

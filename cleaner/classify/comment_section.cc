#include "cleaner/classify/comment_section.h"

#include "cleaner/base/heuristics.h"

namespace clean {

void RemoveCommentSection(const Options& o, const std::vector<Decider>& deciders, PageWork* work) {
  PageWork& w = *work;
  const size_t n = w.decisions.size();
  const uint64_t min_article = static_cast<uint64_t>(o.comment_section_min_article_chars);
  uint64_t body = 0;
  size_t head = n;
  for (size_t i = 0; i < n && head == n; ++i) {
    const Decision& d = w.decisions[i];
    if (d.blank) continue;
    if (w.context[i] & PageWork::kCtxBody) {
      body += w.features.lines[i].chars;
    } else if (w.by_rule[i] && body >= min_article && i >= w.region_begin &&
               d.decider < deciders.size() && deciders[d.decider].field == "comments") {
      head = i;
    }
  }
  for (size_t i = head + 1; i < n; ++i) {
    Decision& d = w.decisions[i];
    if (d.blank || w.by_rule[i] || !(w.context[i] & PageWork::kCtxBody)) continue;
    d.cls = LineClass::kNavigation;
    d.decider = DeciderOf(Heuristic::kCommentSection);
    w.context[i] = 0;
  }
}

}  // namespace clean

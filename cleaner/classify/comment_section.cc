#include "cleaner/classify/comment_section.h"

#include <algorithm>

#include "cleaner/base/heuristics.h"

namespace clean {

namespace {

// A comment's signature, a rule's byline or date line, or a rule's record
// line (a comment's "Reply").
bool RecordMarker(const PageWork& w, const std::vector<Decider>& deciders,
                  const std::vector<uint8_t>& signature, size_t i) {
  const Decision& d = w.decisions[i];
  if (d.blank) return false;
  if (signature[i]) return true;
  if (!w.by_rule[i]) return false;
  if (d.decider < deciders.size() && deciders[d.decider].field == "record") return true;
  return d.cls == LineClass::kMeta && w.kinds[i] != LineKind::kProse;
}

}  // namespace

void RemoveCommentSection(const Options& o, const std::vector<Decider>& deciders,
                          const std::vector<uint8_t>& signature, PageWork* work) {
  PageWork& w = *work;
  const size_t n = w.decisions.size();
  const uint64_t min_article = static_cast<uint64_t>(o.comment_section_min_article_chars);
  // A thread below a label: its first record marker comes after at most
  // context_max_gap body lines (a comment may come before its signature),
  // and record_list_min markers follow.
  auto thread_below = [&](size_t head) {
    size_t i = head + 1;
    for (int body_lines = 0; i < n && !RecordMarker(w, deciders, signature, i); ++i)
      if ((w.context[i] & PageWork::kCtxBody) && ++body_lines > o.context_max_gap) return false;
    int markers = 0;
    for (; i < n && markers < o.record_list_min; ++i)
      markers += RecordMarker(w, deciders, signature, i);
    return markers >= std::max(o.record_list_min, 1);
  };
  uint64_t body = 0;
  size_t head = n;
  for (size_t i = 0; i < n && head == n; ++i) {
    const Decision& d = w.decisions[i];
    if (d.blank) continue;
    if (w.context[i] & PageWork::kCtxBody) {
      body += w.features.lines[i].chars;
    } else if (w.by_rule[i] && body > 0 && d.decider < deciders.size()) {
      // Below a short article (a photo post), or above the best text block
      // (a long thread outweighs the post), a count heading needs the thread.
      const bool after_article = body >= min_article && i >= w.region_begin;
      const std::string& field = deciders[d.decider].field;
      if ((field == "comments" && (after_article || thread_below(i))) ||
          (field == "comments-label" && after_article && thread_below(i)))
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

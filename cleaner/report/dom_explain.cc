#include "cleaner/report/dom_explain.h"

#include "cleaner/base/heuristics.h"
#include "cleaner/classify/dom_match.h"
#include "cleaner/cleaner.h"

namespace clean {

bool ExplainDom(const CleanResult& r, size_t line, DomExplained* out) {
  if (!r.html || !r.dom || line >= r.dom->lines.size()) return false;
  const DomTree& t = r.html->tree;
  uint32_t d = r.decisions()[line].decider;
  out->where.clear();
  out->value.clear();
  if (d == DeciderOf(Heuristic::kDomBoilerplate) || d == DeciderOf(Heuristic::kDomStructure) ||
      d == DeciderOf(Heuristic::kDomCaption)) {
    const DomMatch& m = r.dom->lines[line];
    if (m.via == DomMatch::Via::kNone) return false;
    if (m.vocab_line > 0)
      out->where = r.rules->dom_vocab().shown() + ":" + std::to_string(m.vocab_line);
    out->key = "matched";
    AppendMatched(t, m, &out->value);
    return true;
  }
  if ((d == DeciderOf(Heuristic::kDomInMain) || d == DeciderOf(Heuristic::kDomOutsideMain)) &&
      r.dom->main != kNoNode) {
    out->key = "main";
    AppendElement(t, r.dom->main, &out->value);
    return true;
  }
  return false;
}

}  // namespace clean

#include "cleaner/classify/line_heuristics.h"

#include <cstdint>

#include "cleaner/base/heuristics.h"

namespace clean {

void ApplyHeuristics(const Options& o, PageWork* w) {
  // Local copies of the arrays' addresses and of the one option read: the
  // decisions' stores would otherwise reload them on every line.
  const size_t n = w->decisions.size();
  Decision* const decisions = w->decisions.data();
  const uint8_t* const by_rule = w->by_rule.data();
  const uint8_t* const in_region = w->in_region.data();
  const uint8_t* const list_item = w->list_item.data();
  const uint8_t* const facts = w->facts.data();
  const LineKind* const kinds = w->kinds.data();
  const LineFeatures* const features = w->features.lines.data();
  // Describe set what the context pass may do with each line; a line
  // decided body here or by a rule is body to it, a rule's removal nothing.
  uint8_t* const context = w->context.data();
  const uint32_t keep_chars = static_cast<uint32_t>(o.region_outside_keep_chars);
  for (uint32_t i = 0; i < n; ++i) {
    Decision& d = decisions[i];
    if (d.blank) continue;
    if (by_rule[i]) {
      context[i] = d.cls == LineClass::kBody ? PageWork::kCtxBody : 0;
      continue;
    }
    bool inside = in_region[i];
    LineKind k = kinds[i];
    auto set = [&](LineClass c, Heuristic h) {
      d.cls = c;
      d.decider = DeciderOf(h);
    };
    auto body = [&](Heuristic h) {
      set(LineClass::kBody, h);
      context[i] = PageWork::kCtxBody;
    };
    if (k == LineKind::kNoWords) {
      set(LineClass::kNavigation, Heuristic::kNoWords);
    } else if ((facts[i] & PageWork::kRepeated) && k != LineKind::kProse) {
      set(LineClass::kNavigation, Heuristic::kRepeated);
    } else if (inside && list_item[i]) {
      body(Heuristic::kLeadInList);
    } else if (inside) {
      if (k == LineKind::kProse)
        body(Heuristic::kProse);
      else if (k == LineKind::kMedium)
        body(Heuristic::kMainRegion);
      else
        set(LineClass::kNavigation, Heuristic::kShortLabel);
    } else if (k == LineKind::kProse && features[i].chars >= keep_chars) {
      body(Heuristic::kProse);
    } else {
      set(LineClass::kNavigation, Heuristic::kOutsideRegion);
    }
  }
}

}  // namespace clean

#include "cleaner/classify/lead_in_lists.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>

namespace clean {

void MarkLeadInLists(const Page& page, const Options& o, PageWork* w) {
  // "... the draft includes:" followed by short lines: the lines are the
  // list the sentence announces, up to the next prose line, rule-decided
  // line or repeated line (menus repeat; list items do not).
  size_t n = w->decisions.size();
  w->list_item.assign(n, 0);
  // Local copies of the arrays' addresses: the byte stores to list_item
  // could alias PageWork's vectors, and would reload them on every line.
  const Decision* const decisions = w->decisions.data();
  const uint8_t* const by_rule = w->by_rule.data();
  const uint8_t* const facts = w->facts.data();
  const LineKind* const kinds = w->kinds.data();
  uint8_t* const list_item = w->list_item.data();
  const LineSpan* const spans = page.lines.data();
  const char* const text = page.text.data();
  const uint32_t list_max = static_cast<uint32_t>(o.lead_in_list_max);
  const uint32_t list_min = static_cast<uint32_t>(std::max(o.lead_in_list_min, 0));
  // The last byte of a line that is not blank.
  auto last = [&](uint32_t k) { return text[spans[k].end - 1]; };
  auto item = [&](uint32_t k) {
    return !by_rule[k] && !(facts[k] & PageWork::kRepeated) &&
           (kinds[k] == LineKind::kShort || kinds[k] == LineKind::kMedium);
  };
  // A lead-in is a rule's line or a prose or medium one: the next of them,
  // eight lines at a time where the bytes are read as one little-endian
  // word (most lines are none).
  const uint8_t* const context = w->context.data();
  auto next_lead_in = [&](uint32_t i) {
    if constexpr (std::endian::native == std::endian::little) {
      for (; i + 8 <= n; i += 8) {
        uint64_t rules, ctx;
        std::memcpy(&rules, by_rule + i, 8);
        std::memcpy(&ctx, context + i, 8);
        const uint64_t any = rules | (ctx & (PageWork::kCtxSentence * 0x0101010101010101ull));
        if (any) return i + static_cast<uint32_t>(std::countr_zero(any) / 8);
      }
    }
    while (i < n && !by_rule[i] && !(context[i] & PageWork::kCtxSentence)) ++i;
    return i;
  };
  for (uint32_t i = next_lead_in(0); i < n; i = next_lead_in(i + 1)) {
    LineKind k = kinds[i];
    bool sentence = by_rule[i] ? decisions[i].cls == LineClass::kBody
                               : (k == LineKind::kProse || k == LineKind::kMedium);
    if (!sentence || spans[i].blank() || last(i) != ':') continue;
    uint32_t e = i + 1, items = 0;
    while (e < n && items < list_max && (decisions[e].blank || item(e))) {
      if (!decisions[e].blank) ++items;
      if (!decisions[e].blank && last(e) == ':') break;  // the next lead-in
      ++e;
    }
    if (items < list_min) continue;
    // A list proves itself by its shape (every item marked, or items closed
    // by ';' or ',' as enumerations are) or by the text going on after it;
    // a lead-in followed by the page's tail (links, contact lines) is not one.
    uint32_t marked = 0, enumerated = 0;
    for (uint32_t j = i + 1; j < e; ++j) {
      if (decisions[j].blank) continue;
      marked += (facts[j] & PageWork::kListMarker) != 0;
      char c = last(j);
      enumerated += c == ';' || c == ',';
    }
    uint32_t next = e;
    while (next < n && decisions[next].blank) ++next;
    bool goes_on = next < n && (by_rule[next] ? decisions[next].cls == LineClass::kBody
                                              : kinds[next] == LineKind::kProse ||
                                                    kinds[next] == LineKind::kMedium);
    if (marked < items && 2 * enumerated < items && !goes_on) continue;
    for (uint32_t j = i + 1; j < e; ++j)
      if (!decisions[j].blank) list_item[j] = 1;
    i = e - 1;
  }
}

}  // namespace clean

#include "cleaner/classify/section_box.h"

namespace clean {

uint32_t BlockContainer(const DomTree& t, uint32_t block, uint32_t stop) {
  uint32_t n = block;
  while (n != stop && t.node(n).parent != kNoNode) {
    uint32_t parent = t.node(n).parent;
    uint32_t elements = 0;
    for (uint32_t c = t.node(parent).first_child; c != kNoNode && elements < 2;
         c = t.node(c).next_sibling)
      elements += t.is_element(c);
    if (elements > 1 || parent == stop) return parent;
    n = parent;
  }
  return n;
}

uint32_t SectionBoxes::BoxOf(uint32_t header) const {
  return BlockContainer(html_.tree, html_.lines[header].block, kNoNode);
}

bool SectionBoxes::Holds(uint32_t box, uint32_t line) const {
  const DomTree& t = html_.tree;
  if (box == kNoNode) return true;
  uint32_t depth = t.node(box).depth;
  uint32_t n = html_.lines[line].owner;
  while (n != kNoNode && t.node(n).depth > depth) n = t.node(n).parent;
  return n == box;
}

bool SectionBoxes::InNamedBox(uint32_t line, const DomVocabulary& vocab) const {
  const DomTree& t = html_.tree;
  for (uint32_t n = html_.lines[line].owner; n != kNoNode; n = t.node(n).parent) {
    std::string_view tag = t.tag(n);
    if (tag == "nav" || tag == "aside" || tag == "footer" || tag == "form" || tag == "menu")
      return true;
    for (std::string_view a : {"class", "id", "role"}) {
      std::string_view v = t.attr(n, a);
      if (!v.empty() && vocab.Match(v)) return true;
    }
  }
  return false;
}

}  // namespace clean

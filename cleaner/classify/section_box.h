// The box of a section's header on an HTML page. A generic `section` rule
// opened by a header line ("Related", "More Stories") ends, on an HTML page,
// with the element that holds the header and its list: the header's block,
// or above a chain of wrappers that each hold it alone, its parent (the
// nearest ancestor with another child element). The first line of a
// sentence or two (LineKind::kMedium; kProse ends any section) outside that
// box and outside any box named as boilerplate ends the section: the text
// resumes there, and a box's header does not take it.
#pragma once
#include <cstdint>

#include "cleaner/html/html_page.h"
#include "cleaner/ruleset/dom_vocab.h"

namespace clean {

// The element whose children a block is one of: its parent, or above a
// chain of wrappers that each hold it alone (a paragraph per <div>); not
// above `stop` (kNoNode: the root).
uint32_t BlockContainer(const DomTree& t, uint32_t block, uint32_t stop);

class SectionBoxes {
 public:
  explicit SectionBoxes(const HtmlPage& html) : html_(html) {}
  // The box of a section whose header is line `header`.
  uint32_t BoxOf(uint32_t header) const;
  // Whether line `line` lies inside `box`.
  bool Holds(uint32_t box, uint32_t line) const;
  // Whether line `line` lies in a box named as boilerplate: an element whose
  // class, id or role is in `vocab`, or a nav, aside, footer, form or menu.
  bool InNamedBox(uint32_t line, const DomVocabulary& vocab) const;

 private:
  const HtmlPage& html_;
};

}  // namespace clean

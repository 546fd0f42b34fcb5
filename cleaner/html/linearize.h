// DOM to lines, in the convention of ../shared/datasets/render_text.py (the
// datasets' text/ files are that rendering of html/): every block-level
// element starts and ends a line, <br> ends one, inline text is joined as in
// the source, runs of ASCII whitespace become one space, <pre> keeps its
// line breaks, lines are trimmed and empty ones dropped. So the text path
// and the HTML path see the same lines, and the same rules apply to both.
#pragma once
#include <cstdint>
#include <vector>

#include "cleaner/html/dom_tree.h"
#include "cleaner/text/page.h"

namespace clean {

// Where a line came from in the DOM.
struct DomLine {
  uint32_t block = kNoNode;  // the innermost block element holding the line's first text
  uint32_t owner = kNoNode;  // the element holding that text itself (may be inline)
  uint32_t chars = 0;        // non-space bytes of the line
  uint32_t link_chars = 0;   // of them, inside <a href>
  double link_density() const { return chars ? double(link_chars) / chars : 0.0; }
};

// True for the block-level tags of the rendering convention.
bool IsBlockTag(std::string_view tag);

class Linearizer {
 public:
  // Appends the lines of tree's <body> to *page (its text and lines) and
  // one DomLine per line to *lines. <noscript> elements are rendered only
  // with `noscript` (as a browser without JavaScript shows them).
  void Run(const DomTree& tree, Page* page, std::vector<DomLine>* lines, bool noscript = false);

 private:
  void Break(Page* page, std::vector<DomLine>* lines);
  void AddText(std::string_view t, uint32_t owner, bool in_link);
  std::string cur_;  // the current line, raw
  DomLine cur_line_;
  std::vector<uint32_t> blocks_;  // open block elements
  struct Frame {
    uint32_t node;
    bool entered;
  };
  std::vector<Frame> stack_;
};

}  // namespace clean

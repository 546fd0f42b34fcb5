// What a DOM decision of the HTML path matched, kept per line for
// --explain and the report: the element whose class, id, role or tag
// decided the line (dom.boilerplate, dom.structure, dom.caption) and the
// vocabulary entry that named it, or the main element a line was judged
// against (dom.in-main, dom.outside-main).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cleaner/html/dom_tree.h"

namespace clean {

struct DomMatch {
  enum class Via : uint8_t { kNone, kClass, kId, kRole, kTag };
  Via via = Via::kNone;
  uint32_t node = kNoNode;                // the element that matched
  int vocab_line = 0;                     // its entry in the vocabulary file (class, id, role)
  uint32_t word_begin = 0, word_len = 0;  // the matched word in the attribute's value
};

// Per line of one page: the match, and the page's main element.
struct DomMatches {
  std::vector<DomMatch> lines;
  uint32_t main = kNoNode;
};

// The element as a selector naming what matched: "div.comment-list",
// "section#comments", "div[role=navigation]", "nav".
void AppendMatched(const DomTree& t, const DomMatch& m, std::string* out);
// The main element as a selector: its tag and its id or first class word
// ("article.story-body", "div#content", "main").
void AppendElement(const DomTree& t, uint32_t node, std::string* out);

}  // namespace clean

// The DOM side of a line's explanation (--explain and the report): what a
// DOM decision of the HTML path matched, from the page's DomMatches.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace clean {

struct CleanResult;

// What --explain and the report add to a line of an HTML page that a DOM
// decision decided: `where` is the vocabulary entry for a vocabulary match
// ("rules/dom/boilerplate.txt:12", else empty: the decider's own), `key`
// and `value` name the element ("matched": "div.comment-list" for
// dom.boilerplate, dom.structure and dom.caption; "main": "article.story"
// for dom.in-main and dom.outside-main). False when there is nothing to add.
struct DomExplained {
  std::string where;
  std::string_view key;
  std::string value;
};
bool ExplainDom(const CleanResult& r, size_t line, DomExplained* out);

}  // namespace clean

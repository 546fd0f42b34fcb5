// The attributes nobody reads, cut from start tags before gumbo parses a
// page (Options::html_cut_attributes; the pre-scan in html_parse.h calls
// it). Read are: class, id, role, itemprop and itemscope (the DOM
// heuristics and vocabulary), datetime, rel and lang (metadata), hidden,
// type and style (hidden elements), name, property, http-equiv and content
// of <meta>, href of <link> (the head), and what gumbo's tree construction
// looks at: type of <input>, encoding of <annotation-xml>. Everything else
// (src, srcset, href of <a>, alt, title, data-*, on*...) goes, which
// changes no element, text or read attribute of the parsed tree:
// - elements whose attributes gumbo compares whole (the formatting
//   elements of the "Noah's Ark" clause, <a> aside: a new <a> first closes
//   the one open, so three never pile up) and <isindex> (its attributes make
//   elements) keep all of theirs;
// - an XPath rule may read any attribute: a rule set with one keeps them
//   all (the Cleaner turns the cut off).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace clean {

// Whether attribute `name` (lower case) of element `tag` (lower case) is
// read: kept by the cut and copied into the DomTree.
bool AttributeRead(std::string_view tag, std::string_view name);

struct AttributeCut {
  bool rewritten = false;   // the tag was appended without unread attributes
  bool open_quote = false;  // the tag ends inside a quoted value: its '>' is not the tag's end
  size_t bytes = 0;         // bytes of the attributes cut
};

// Appends to *out the start tag `tag` ("<name ...>", up to the '>' that
// ends it) without its unread attributes, as the tokenizer would read the
// rest (the kept attributes' bytes as they are, each after a space). Only
// when some attribute goes, the tag is closed by its last byte and its
// element keeps no attribute whole; otherwise appends nothing
// (rewritten false).
AttributeCut AppendReadAttributes(std::string_view tag, std::string* out);

}  // namespace clean

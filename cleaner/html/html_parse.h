// The gumbo adapter: the only file that includes gumbo.h. HTML bytes (UTF-8)
// in, a DomTree of the <body> out, plus what the page says about itself
// (<title>, <meta>, canonical link, JSON-LD) and what was left out.
//
// Before gumbo sees the bytes, a linear pre-scan removes what the parser
// need not see: comments and the bodies of <script> (JSON-LD is kept) and
// <style>. It also guards gumbo, which crawls on deep nesting: start tags
// nested deeper than Options::html_max_depth are dropped (their text stays),
// and input past Options::html_max_bytes is cut at a tag boundary. Both are
// recorded in HtmlParseStats and named in the report. Gumbo's tokenizer is
// also quadratic in the attributes of one tag: a tag keeps its first
// Options::html_max_attributes attributes, and those that end within
// Options::html_max_tag_bytes of its '<'; the rest are dropped (tokenized as
// the HTML standard does, quoted values and all), and counted.
//
// Elements that never render (script, style, noscript, template, iframe,
// svg, video, ... — the convention of ../shared/datasets/render_text.py) and
// hidden ones (`hidden`, inline display:none / visibility:hidden, input
// type=hidden) are not copied; each is counted by tag. <noscript> is the
// exception: counted, but copied (the linearizer leaves it out unless asked).
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "cleaner/html/dom_tree.h"
#include "cleaner/base/options.h"

namespace clean {

struct HtmlHead {
  std::string title;  // <title>
  // <meta name|property|itemprop|http-equiv=KEY content=VALUE>, key lower-cased
  std::vector<std::pair<std::string, std::string>> metas;
  std::string canonical;  // <link rel=canonical href>
  std::vector<std::string> json_ld;  // bodies of <script type=application/ld+json>
  void Clear();
};

struct HtmlParseStats {
  size_t comments = 0;          // comments removed before parsing
  size_t script_bytes = 0;      // script and style bodies removed before parsing
  size_t depth_cut_tags = 0;    // start tags dropped by the depth guard
  size_t size_cut_bytes = 0;    // bytes cut by the size guard
  size_t unclosed_closed = 0;   // raw-text elements (title, textarea...) with no end
                                // tag, closed at the next tag
  size_t capped_tags = 0;       // tags whose attributes the attribute/tag-size caps cut
  size_t capped_attributes = 0; // attributes they dropped
  size_t capped_bytes = 0;      // bytes of those tags dropped with them
  int max_attributes = 0;       // the caps that applied (Options::html_max_attributes,
  int max_tag_bytes = 0;        // Options::html_max_tag_bytes)
  size_t hidden = 0;            // hidden elements not copied
  std::vector<std::pair<std::string, uint32_t>> skipped;  // non-rendering tag -> count
  void Clear();
};

class HtmlParser {
 public:
  // Parses `utf8` into *tree (root <html>, one <body> child holding the
  // body), *head and *stats (all cleared first).
  void Parse(std::string_view utf8, const Options& o, DomTree* tree, HtmlHead* head,
             HtmlParseStats* stats);

 private:
  void Prescan(std::string_view in, const Options& o, HtmlParseStats* stats);
  // The tag at in[p..] (name at name_at) as gumbo may see it: itself, or,
  // over html_max_attributes or html_max_tag_bytes, rewritten without the
  // excess attributes (into capped_). *end: one past the tag as the prescan
  // goes on after it (the first '>' unless the tag was rewritten).
  std::string_view CapTag(std::string_view in, size_t p, size_t name_at, const Options& o,
                          HtmlParseStats* stats, size_t* end);
  std::string prepared_;
  std::string capped_;
};

}  // namespace clean

// The HTML reader: bytes -> charset decoding -> gumbo parse (with its
// guards) -> DOM tree -> lines. It fills the same Page the text reader
// fills, so the rules and heuristics run unchanged, plus an HtmlPage with
// what only HTML has: the tree, each line's element, metadata, what was
// skipped or cut, and the time each stage took.
#pragma once
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "cleaner/html/charset.h"
#include "cleaner/html/dom_tree.h"
#include "cleaner/html/html_meta.h"
#include "cleaner/html/html_parse.h"
#include "cleaner/html/linearize.h"
#include "cleaner/base/options.h"
#include "cleaner/text/page.h"

namespace clean {

// Seconds spent per stage, summed over the pages a Cleaner has seen.
// prescan and gumbo are parts of parse (the rest of it: the copy into the
// DomTree); a page parsed again with its articleBody counts in linearize.
struct StageTimes {
  double decode = 0, parse = 0, copy = 0, xpath = 0, linearize = 0, classify = 0;
  double prescan = 0, gumbo = 0;
};

struct HtmlPage {
  CharsetInfo charset;
  DomTree tree;
  HtmlHead head;
  HtmlParseStats stats;
  HtmlMeta meta;
  std::vector<DomLine> lines;      // one per Page line
  bool noscript_rendered = false;  // the rendering was nearly empty: <noscript> content is in it
  bool article_body_rendered = false;  // a teaser page: its JSON-LD articleBody is rendered too
  bool late = false;  // the reading went past its deadline: second renderings skipped
  // Read failed over this limit: "html_max_bytes", "time_budget" (past the
  // stop time); empty otherwise.
  std::string_view over_limit;
  void Clear();
};

// When the reading of a page must end: past `deadline`, the optional
// second rendering (<noscript> content, a JSON-LD articleBody) is skipped;
// past `stop`, the reading ends at the next stage boundary (decode, parse,
// linearize) and Read fails. time_point::max(): never.
struct ReadDeadlines {
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  std::chrono::steady_clock::time_point stop = std::chrono::steady_clock::time_point::max();
};

class HtmlReader {
 public:
  // Builds *page and *html from the bytes of an HTML page. False with
  // *error set for binary input (a NUL byte in the first
  // options.binary_sniff_bytes), input too large for 32-bit offsets or
  // over options.html_max_bytes once decoded, or a reading past
  // `when.stop` (the last two set html->over_limit).
  bool Read(std::string_view bytes, const Options& options, Page* page, HtmlPage* html,
            StageTimes* times, std::string* error, const ReadDeadlines& when = {});
  // A charset every page is decoded from (--encoding); empty: found per page.
  void set_encoding(const std::string& name) { charset_.forced = name; }
  // Keep every attribute and whitespace run (a rule set with XPath rules):
  // HtmlParser::set_keep_markup.
  void set_keep_markup(bool keep) { parser_.set_keep_markup(keep); }

 private:
  CharsetChoice charset_;
  std::string decoded_;
  HtmlParser parser_;
  Linearizer linearizer_;
};

// Whether an input is HTML: by its name's extension (.html, .htm, .xhtml,
// .shtml), else by sniffing its first bytes for a doctype or an <html>,
// <head> or <body> tag.
bool LooksLikeHtml(std::string_view name, std::string_view bytes);

}  // namespace clean

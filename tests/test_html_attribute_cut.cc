// The pre-scan's cuts of what nobody reads (html_parse.h,
// Options::html_cut_attributes and html_collapse_space, attribute_cut.h):
// unread attributes and whitespace runs go before parsing only where the
// parsed tree keeps the same elements, lines, head facts, counts and read
// attributes as the page parsed whole.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "cleaner/html/attribute_cut.h"
#include "cleaner/html/html_parse.h"
#include "cleaner/html/linearize.h"

using namespace clean;

namespace {

struct Parsed {
  std::vector<std::string> lines;
  std::string tree;  // every node: depth, tag and read attributes, or text collapsed
  HtmlHead head;
  HtmlParseStats stats;
};

std::string Collapsed(std::string_view t) {
  std::string out;
  bool space = false;
  for (char c : t) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
      space = true;
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string Dump(const DomTree& t) {
  static constexpr std::string_view kRead[] = {
      "class", "id",     "role", "itemprop", "itemscope", "datetime",   "rel",
      "lang",  "hidden", "type", "style",    "name",      "http-equiv", "content"};
  std::string out;
  for (uint32_t i = 0; i < t.size(); ++i) {
    out += std::to_string(t.node(i).depth) + " ";
    if (!t.is_element(i)) {
      out += "'" + Collapsed(t.text(i)) + "'\n";
      continue;
    }
    out += std::string(t.tag(i));
    for (std::string_view a : kRead) {
      bool found = false;
      std::string_view v = t.attr(i, a, &found);
      if (found) out += " " + std::string(a) + "=" + std::string(v);
    }
    out += "\n";
  }
  return out;
}

Parsed ParseWith(const std::string& html, int cut) {
  Options o;
  o.html_cut_attributes = cut;
  o.html_collapse_space = cut;
  HtmlParser parser;
  DomTree tree;
  Parsed p;
  parser.Parse(html, o, &tree, &p.head, &p.stats);
  p.tree = Dump(tree);
  Page page;
  std::vector<DomLine> dom;
  Linearizer().Run(tree, &page, &dom);
  for (size_t i = 0; i < page.lines.size(); ++i) p.lines.emplace_back(page.line(i));
  return p;
}

// Parsed with and without the cuts: the same tree, lines, head and counts.
void CheckSame(const Parsed& cut, const Parsed& whole) {
  CHECK(cut.tree == whole.tree);
  CHECK(cut.lines == whole.lines);
  CHECK(cut.head.title == whole.head.title);
  CHECK(cut.head.metas == whole.head.metas);
  CHECK(cut.head.canonical == whole.head.canonical);
  CHECK(cut.head.json_ld == whole.head.json_ld);
  CHECK(cut.stats.comments == whole.stats.comments);
  CHECK(cut.stats.script_bytes == whole.stats.script_bytes);
  CHECK(cut.stats.capped_tags == whole.stats.capped_tags);
  CHECK(cut.stats.capped_bytes == whole.stats.capped_bytes);
  CHECK(cut.stats.hidden == whole.stats.hidden);
  CHECK(cut.stats.skipped == whole.stats.skipped);
  CHECK(whole.stats.attribute_bytes == 0);
  CHECK(whole.stats.space_bytes == 0);
}

}  // namespace

TEST_CASE("attribute cut: unread attributes go, read ones and the tree stay", "[html][cut]") {
  const std::string img =
      "<img src=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA\" srcset="
      "'a.jpg 1x, b.jpg 2x' alt=\"A photo\" class=wide>";
  const std::string html =
      "<!doctype html><html lang=de data-x='{\"a\":1}'><head><title>T</title>"
      "<meta property='og:title' content='Og title' data-y=1>"
      "<link rel=canonical href='https://example.com/a' media=all>"
      "<script type='application/ld+json' data-z=2>{\"@type\":\"NewsArticle\"}</script>"
      "</head><body class=page onload=\"init()\"><div id=main role=main data-props='{\"x\":[1,2]}'>"
      "<p itemprop=articleBody>Text with <a href='https://example.com/b' onclick='go()'>a link</a>"
      " and an image " +
      img +
      "</p><p style='display:none'>Hidden</p><p hidden data-q=1>Hidden too</p>"
      "<input type=hidden value=secret><time datetime=2024-01-02 title=x>Jan 2</time>"
      "<br/><img src=x.png/><span data-a=1 />After</div></body></html>";
  const Parsed cut = ParseWith(html, 1), whole = ParseWith(html, 0);
  CheckSame(cut, whole);
  CHECK(cut.stats.attribute_bytes > img.size() / 2);
  CHECK(cut.head.metas.size() == 1);
  CHECK(cut.head.canonical == "https://example.com/a");
  CHECK(cut.stats.hidden == 3);
  CHECK(cut.tree.find(" class=wide") != std::string::npos);
}

TEST_CASE("attribute cut: a rewritten tag reads as the tokenizer reads it", "[html][cut]") {
  std::string out;
  // Values quoted (a '>' in one), unquoted, a stray '/' before a name.
  AttributeCut c = AppendReadAttributes("<div a=1 class=x/ b='>' id=\"y\"/c=2>", &out);
  CHECK(c.rewritten);
  CHECK(out == "<div class=x/ id=\"y\">");
  CHECK(c.bytes == std::string("a=1b='>'c=2").size());
  out.clear();
  // The pre-scan hands a tag up to its first '>': one inside quotes is not
  // the tag's end.
  c = AppendReadAttributes("<div data-a=1 class=\"a>", &out);
  CHECK_FALSE(c.rewritten);
  CHECK(c.open_quote);
  CHECK(out.empty());
  c = AppendReadAttributes("<IMG SRC=a.png CLASS=x/>", &out);
  CHECK(c.rewritten);
  CHECK(out == "<IMG CLASS=x/>");  // the value is "x/": the tag is not self-closing
  out.clear();
  c = AppendReadAttributes("<img src=a.png class=\"x\"/>", &out);
  CHECK(out == "<img class=\"x\" />");
  out.clear();
  c = AppendReadAttributes("<p class=a data-x=\"1\"id=b>", &out);
  CHECK(out == "<p class=a id=b>");
  CHECK(c.bytes == std::string("data-x=\"1\"").size());
  out.clear();
  // Nothing to cut, a formatting element, an unclosed tag: left as they are.
  CHECK_FALSE(AppendReadAttributes("<p class=a>", &out).rewritten);
  CHECK_FALSE(AppendReadAttributes("<b data-x=1>", &out).rewritten);
  CHECK_FALSE(AppendReadAttributes("<p data-x=1", &out).rewritten);
  CHECK(out.empty());
}

TEST_CASE("attribute cut: a quoted '>' keeps the tags inside the value whole", "[html][cut]") {
  // The pre-scan takes `<div class="a>` for a tag; the tokenizer reads the
  // class value on to the second quote, tag-like text and all.
  const std::string html =
      "<body><div class=\"a> <span id=q data-y='z'> b\" data-w=1><p data-v=2>x</p></div>";
  const Parsed cut = ParseWith(html, 1), whole = ParseWith(html, 0);
  CheckSame(cut, whole);
  CHECK(cut.tree.find("class=a> <span id=q data-y='z'> b") != std::string::npos);
  CHECK(cut.stats.attribute_bytes == std::string("data-v=2").size());
}

TEST_CASE("attribute cut: formatting elements keep theirs (Noah's Ark compares them)",
          "[html][cut]") {
  // Four <b> with different attributes are all reopened in the next
  // paragraph; with the same ones, the parser keeps three.
  const std::string html =
      "<body><p><b data-a=1><b data-a=2><b data-a=3><b data-a=4>x<p>y</p></body>";
  const Parsed cut = ParseWith(html, 1), whole = ParseWith(html, 0);
  CheckSame(cut, whole);
  size_t bs = 0;
  for (size_t at = whole.tree.find(" b\n"); at != std::string::npos;
       at = whole.tree.find(" b\n", at + 1))
    ++bs;
  CHECK(bs == 8);
}

TEST_CASE("space collapse: runs go outside raw text and before any <pre>", "[html][cut]") {
  const std::string html =
      "<html><head><title>A    title\n\n with  runs</title></head><body>\n\n  <div>\n    "
      "<p>One   two\n\n three</p>\n  <textarea>keep\n\n  this</textarea>\n  "
      "<table> \n <tr>\n <td>Cell   one</td>\n </tr>\n </table></div>\n\n</body></html>";
  const Parsed cut = ParseWith(html, 1), whole = ParseWith(html, 0);
  CheckSame(cut, whole);
  CHECK(cut.stats.space_bytes > 20);
  CHECK(cut.head.title == "A    title\n\n with  runs");
}

TEST_CASE("space collapse: none from the first <pre> on, closed or not", "[html][cut]") {
  // In a table cell, </pre> does not close the <pre> around the table: the
  // runs after it are still in it, where a newline ends a line.
  const std::string html =
      "<body><p>Before   the pre</p><pre><table><tr><td>x</pre>a \n b</td></tr></table>"
      "c \n d</pre><p>After \n the pre</p></body>";
  const Parsed cut = ParseWith(html, 1), whole = ParseWith(html, 0);
  CheckSame(cut, whole);
  CHECK(cut.stats.space_bytes == 2);  // "Before   the" only
  CHECK(std::find(whole.lines.begin(), whole.lines.end(), "xa") != whole.lines.end());
  CHECK(std::find(whole.lines.begin(), whole.lines.end(), "b") != whole.lines.end());
}

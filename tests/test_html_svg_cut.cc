// The pre-scan's inline <svg> cut (html_parse.h, Options::html_cut_svg):
// the content of an svg is removed before parsing only where the parser
// would keep all of it inside the element, so the lines, the head facts and
// every reported count are the same as with the content parsed.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "cleaner/html/html_parse.h"
#include "cleaner/html/linearize.h"

using namespace clean;

namespace {

struct Parsed {
  std::vector<std::string> lines;
  HtmlHead head;
  HtmlParseStats stats;
};

Parsed ParseWith(const std::string& html, int cut_svg) {
  Options o;
  o.html_cut_svg = cut_svg;
  HtmlParser parser;
  DomTree tree;
  Parsed p;
  parser.Parse(html, o, &tree, &p.head, &p.stats);
  Page page;
  std::vector<DomLine> dom;
  Linearizer().Run(tree, &page, &dom);
  for (size_t i = 0; i < page.lines.size(); ++i) p.lines.emplace_back(page.line(i));
  return p;
}

uint32_t Skipped(const HtmlParseStats& s, std::string_view tag) {
  for (const auto& [t, n] : s.skipped)
    if (t == tag) return n;
  return 0;
}

// Parsed with and without the cut: the same lines, head and counts.
void CheckSame(const Parsed& cut, const Parsed& whole) {
  CHECK(cut.lines == whole.lines);
  CHECK(cut.head.title == whole.head.title);
  CHECK(cut.head.metas == whole.head.metas);
  CHECK(cut.stats.comments == whole.stats.comments);
  CHECK(cut.stats.script_bytes == whole.stats.script_bytes);
  CHECK(cut.stats.capped_tags == whole.stats.capped_tags);
  CHECK(cut.stats.capped_bytes == whole.stats.capped_bytes);
  CHECK(cut.stats.depth_cut_tags == whole.stats.depth_cut_tags);
  CHECK(cut.stats.hidden == whole.stats.hidden);
  CHECK(cut.stats.skipped == whole.stats.skipped);
  CHECK(whole.stats.svg_bytes == 0);
}

}  // namespace

TEST_CASE("svg cut: an inline svg's content is cut, the text around it kept", "[html][svg]") {
  const std::string svg =
      "<svg viewBox=\"0 0 24 24\"><title>Share icon</title><desc>An arrow</desc>"
      "<defs><style>.a{fill:#fff}</style><linearGradient id=\"g\"><stop offset=\"0\"/>"
      "</linearGradient></defs><!-- drawn by hand --><g><path d=\"M0 0L24 24z\"/>"
      "<text x=\"1\">Never rendered</text><svg><circle r=\"2\"></circle></svg></g></svg>";
  const std::string html = "<html><head><title>Page</title></head><body><p>Before the icon " + svg +
                           " after the icon.</p><p>Next paragraph.</p></body></html>";
  const Parsed cut = ParseWith(html, 1), whole = ParseWith(html, 0);
  CHECK(cut.lines ==
        std::vector<std::string>{"Before the icon after the icon.", "Next paragraph."});
  CheckSame(cut, whole);
  // All of the svg's content went, none of its element: the report still
  // names one skipped svg, and the comment and the style body inside it.
  CHECK(cut.stats.svg_bytes == svg.size() - std::string("<svg viewBox=\"0 0 24 24\">").size() -
                                   std::string("</svg>").size());
  CHECK(Skipped(cut.stats, "svg") == 1);
  CHECK(cut.stats.comments == 1);
  CHECK(cut.stats.script_bytes == std::string(".a{fill:#fff}").size());
}

TEST_CASE("svg cut: none where the parser would take content out of the svg", "[html][svg]") {
  const char* cases[] = {
      // A start tag that breaks out of foreign content: its text renders.
      "<p>A <svg><g><p>Broken out text</p></g></svg> B</p>",
      // An end tag that closes an HTML element around the svg.
      "<div>A <svg><g></div>After the div</g></svg></div><p>C</p>",
      // HTML inside an integration point, CDATA, a bogus comment.
      "<p>A <svg><foreignObject><p>Inside</p></foreignObject></svg> B</p>",
      "<p>A <svg><title><b>Bold</b></title></svg> B</p>",
      "<p>A <svg><![CDATA[ x ]]></svg> B</p>",
      "<p>A <svg><? x ?></svg> B</p>",
      // No end tag: the rest of the page would be inside it.
      "<p>A <svg><g>Rest of the page</g>",
      // In a select the parser ignores the svg tag and keeps its text.
      "<select><option>One<svg><text>Two</text></svg></option></select><p>B</p>",
      // In raw text an svg is text.
      "<textarea><svg><text>T</text></svg></textarea><p>B</p>",
      "<title>T <svg>x</svg></title><p>B</p>",
      // A frameset after it: the svg's text keeps the body.
      "<body><svg><text>T</text></svg><frameset><frame></frameset>",
  };
  for (const char* html : cases) {
    INFO(html);
    const Parsed cut = ParseWith(html, 1), whole = ParseWith(html, 0);
    CHECK(cut.stats.svg_bytes == 0);
    CheckSame(cut, whole);
  }
}

TEST_CASE("svg cut: counts of what the pre-scan would cut inside are kept", "[html][svg]") {
  // A tag over the attribute cap inside the svg is counted as capped still.
  std::string attrs;
  for (int i = 0; i < 300; ++i) attrs += " a" + std::to_string(i) + "=\"v\"";
  const std::string html = "<p>A <svg><g" + attrs + "><path d=\"M0\"/></g><!--c--></svg> B</p>";
  const Parsed cut = ParseWith(html, 1), whole = ParseWith(html, 0);
  CHECK(cut.stats.svg_bytes > 0);
  CHECK(cut.stats.capped_tags == 1);
  CheckSame(cut, whole);
}

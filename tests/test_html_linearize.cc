// The linearizer: DOM to lines in the convention of
// ../shared/datasets/render_text.py, one table of HTML -> lines.
#include <catch2/catch.hpp>

#include "cleaner/html/html_parse.h"
#include "cleaner/html/linearize.h"

using namespace clean;

namespace {
std::vector<std::string> Lines(const std::string& html, std::vector<DomLine>* dom = nullptr,
                               DomTree* tree_out = nullptr) {
  HtmlParser parser;
  DomTree tree;
  HtmlHead head;
  HtmlParseStats stats;
  parser.Parse(html, Options(), &tree, &head, &stats);
  Page page;
  std::vector<DomLine> lines;
  Linearizer().Run(tree, &page, &lines);
  REQUIRE(lines.size() == page.lines.size());
  std::vector<std::string> out;
  for (size_t i = 0; i < page.lines.size(); ++i) out.emplace_back(page.line(i));
  // The page text is the lines joined by '\n', as the text reader makes it.
  std::string joined;
  for (const auto& l : out) joined += l + "\n";
  CHECK(page.text == joined);
  if (dom) *dom = lines;
  if (tree_out) *tree_out = tree;
  return out;
}
using V = std::vector<std::string>;
}  // namespace

TEST_CASE("linearize: blocks, breaks, inline text and whitespace", "[html][linearize]") {
  struct Case {
    const char* html;
    V lines;
  } cases[] = {
      {"<p>One</p><p>Two</p>", {"One", "Two"}},
      {"<div>a<div>b</div>c</div>", {"a", "b", "c"}},
      {"<p>line<br>break</p>", {"line", "break"}},
      {"<p><a>USA</a><a>Russo-Ukrainian war</a></p>", {"USARusso-Ukrainian war"}},
      {"<p><b>bold</b>   \n\t <i>italic</i></p>", {"bold italic"}},
      {"<ul><li>one</li><li>two</li></ul>", {"one", "two"}},
      {"<table><tr><td>a</td><td>b</td></tr></table>", {"a", "b"}},
      {"<pre>x = 1\ny = 2</pre>", {"x = 1", "y = 2"}},
      {"<p>\xC2\xA0 kept\xC2\xA0inside \xC2\xA0</p>", {"kept\xC2\xA0inside"}},
      {"<p>  </p><p></p><div> <span> </span></div>", {}},
      {"<h1>Title</h1><span>inline</span> tail", {"Title", "inline tail"}},
  };
  for (const auto& c : cases) {
    INFO(c.html);
    CHECK(Lines(c.html) == c.lines);
  }
}

TEST_CASE("linearize: what never renders produces no lines", "[html][linearize]") {
  V got = Lines(
      "<html><head><title>T</title><style>p{}</style></head><body>"
      "<script>var x = '<p>no</p>';</script><p>yes</p><noscript>ns</noscript>"
      "<template><p>tpl</p></template><!-- comment --><div hidden>h</div>"
      "<div style='display: none'>dn</div><span style='VISIBILITY:hidden'>vh</span>"
      "<svg><text>svg</text></svg><iframe>if</iframe><textarea>ta</textarea><p>end</p>"
      "</body></html>");
  CHECK(got == V{"yes", "end"});
}

TEST_CASE("linearize: content after </body> and </html> is body, as in browsers",
          "[html][linearize]") {
  CHECK(Lines("<html><body><p>a</p></body></html><p>b</p>") == V{"a", "b"});
}

TEST_CASE("linearize: each line knows its element and its link text", "[html][linearize]") {
  std::vector<DomLine> dom;
  DomTree tree;
  V got = Lines(
      "<div><ul><li><a href='/a'>Menu item</a></li><li>Plain <a href='/b'>x</a></li></ul>"
      "<p>Body text</p></div>",
      &dom, &tree);
  REQUIRE(got == V{"Menu item", "Plain x", "Body text"});
  CHECK(dom[0].link_density() == Approx(1.0));
  CHECK(dom[1].link_density() == Approx(1.0 / 6));
  CHECK(dom[2].link_density() == 0);
  CHECK(tree.tag(dom[0].block) == "li");
  CHECK(tree.tag(dom[0].owner) == "a");
  std::string path;
  tree.AppendPath(dom[1].block, &path);
  CHECK(path == "/html/body/div/ul/li[2]");
  path.clear();
  tree.AppendPath(dom[2].block, &path);
  CHECK(path == "/html/body/div/p");
}

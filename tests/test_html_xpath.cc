// The libxml2 adapter and the XPath directives of rule files.
#include <catch2/catch.hpp>
#include <filesystem>

#include "cleaner/cleaner.h"
#include "cleaner/html/html_parse.h"
#include "cleaner/report/report.h"
#include "cleaner/match/xml_tree.h"
#include "tests/test_support.h"

using namespace clean;
namespace fs = std::filesystem;

TEST_CASE("xpath: selects elements of the copied tree as DomTree nodes", "[html][xpath]") {
  HtmlParser parser;
  DomTree tree;
  HtmlHead head;
  HtmlParseStats stats;
  parser.Parse("<div class='a related'><p>x</p></div><div id=b><p>y</p><p>z</p></div>", Options(),
               &tree, &head, &stats);
  XmlTree xml;
  xml.Build(tree);
  std::string err;
  size_t off = 0;
  auto related = XPathExpr::Compile("//div[contains(@class,'related')]", &err, &off);
  REQUIRE(related);
  std::vector<uint32_t> got;
  REQUIRE(xml.Select(*related, &got));
  REQUIRE(got.size() == 1);
  CHECK(tree.tag(got[0]) == "div");
  CHECK(tree.attr(got[0], "class") == "a related");
  auto ps = XPathExpr::Compile("//div[@id='b']/p", &err, &off);
  got.clear();
  REQUIRE(xml.Select(*ps, &got));
  CHECK(got.size() == 2);
  auto count = XPathExpr::Compile("count(//p)", &err, &off);
  got.clear();
  CHECK_FALSE(xml.Select(*count, &got));  // not a node set
}

TEST_CASE("xpath: a bad expression is rejected with its offset", "[html][xpath]") {
  std::string err;
  size_t off = 99;
  CHECK_FALSE(XPathExpr::Compile("//div[@class='x'", &err, &off));
  CHECK_FALSE(err.empty());
  CHECK(off <= 16);
}

TEST_CASE("xpath: deep trees copy and select whole (no 256-level limit)", "[html][xpath]") {
  std::string html;
  for (int i = 0; i < 400; ++i) html += "<div>";
  html += "<p class=deep>bottom</p>";
  HtmlParser parser;
  DomTree tree;
  HtmlHead head;
  HtmlParseStats stats;
  parser.Parse(html, Options(), &tree, &head, &stats);
  XmlTree xml;
  xml.Build(tree);
  std::string err;
  size_t off = 0;
  auto e = XPathExpr::Compile("//p[@class='deep']", &err, &off);
  std::vector<uint32_t> got;
  REQUIRE(xml.Select(*e, &got));
  CHECK(got.size() == 1);
}

namespace {
// A rules directory with one generic rule and `source_rules` as site.rules.
std::string RulesDir(const std::string& source_rules) {
  return clean::testing::RulesDir("line gen.x navigation \"Menu\"\n", "site.rules", source_rules);
}
}  // namespace

TEST_CASE("xpath: a bad XPath in a rule file is an error at file:line:col",
          "[html][xpath][rules]") {
  std::string dir =
      RulesDir("domain site.example\nxpath site.box headline_list \"//div[@class='x'\"\n");
  Diagnostics d;
  CHECK_FALSE(RuleSet::Load(dir, Options(), &d));
  std::string msg = d.Format();
  INFO(msg);
  CHECK(msg.find("site.rules:2:") != std::string::npos);
  CHECK(msg.find("xpath:") != std::string::npos);
  // A regex in place of the quoted expression, and an unknown class.
  dir = RulesDir("xpath site.a navigation /div/\nxpath site.b nosuch \"//div\"\n");
  Diagnostics d2;
  CHECK_FALSE(RuleSet::Load(dir, Options(), &d2));
  CHECK(d2.items.size() == 2);
}

TEST_CASE("xpath: rules strip a subtree with a class and mark the body container",
          "[html][xpath][rules]") {
  std::string dir = RulesDir(
      "domain site.example\n"
      "xpath site.related headline_list \"//div[@data-box='more']\"\n"
      "container site.body \"//div[@id='story']\"\n");
  Diagnostics d;
  auto rules = RuleSet::Load(dir, Options(), &d);
  REQUIRE(rules);
  using clean::testing::kP1;
  using clean::testing::kP2;
  std::string html =
      "<html><head><link rel=canonical href='https://www.site.example/a/1'></head><body>"
      "<div id=story><p>" +
      kP1 + "</p><p>Short line in the story</p><p>" + kP2 +
      "</p>"
      "<div data-box=more><p>" +
      kP1 + " Again.</p></div></div></body></html>";
  Cleaner c(*rules, Options(), nullptr);
  c.set_input_format(InputFormat::kHtml);
  CleanResult r;
  std::string err;
  REQUIRE(c.Clean("page.html", html, &r, &err));
  REQUIRE(r.source);
  CHECK(r.source->name == "site");
  CHECK(r.detected_by == "domain");
  KeepSet keep;
  std::string text, report;
  WriteCleanText(r, keep, &text);
  WriteReport(r, keep, &report);
  CHECK(text == kP1 + "\nShort line in the story\n" + kP2 + "\n");
  CHECK(report.find("\"rule\": \"site.related\"") != std::string::npos);
  CHECK(report.find("\"path\": \"/html/body/div/div/p\"") != std::string::npos);
  clean::testing::CheckConservation("page.html", *r.page, text, report);
}

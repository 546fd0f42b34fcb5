// Bad HTML input: each case has a defined result, never a crash.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cleaner/cleaner.h"
#include "cleaner/report/report.h"
#include "tests/test_support.h"

using namespace clean;
using clean::testing::kP1;

namespace {
struct Out {
  bool ok = false;
  std::string error, text, report;
  nlohmann::json json;
  size_t lines = 0;
};

Out CleanHtml(const std::string& html, const std::string& name = "page.html") {
  static Cleaner* c = [] {
    auto* x = new Cleaner(clean::testing::ProjectRules(), Options(), nullptr);
    x->set_input_format(InputFormat::kAuto);
    return x;
  }();
  Out o;
  CleanResult r;
  o.ok = c->Clean(name, html, &r, &o.error);
  if (!o.ok) return o;
  KeepSet keep;
  WriteCleanText(r, keep, &o.text);
  WriteReport(r, keep, &o.report);
  clean::testing::CheckConservation(name, *r.page, o.text, o.report);
  o.json = nlohmann::json::parse(o.report);
  o.lines = r.page->lines.size();
  return o;
}
}  // namespace

TEST_CASE("html bad input: malformed and unclosed markup is repaired as browsers do",
          "[html][bad]") {
  Out o = CleanHtml("<html><body><div><p>" + kP1 + "<p>" + kP1 + " Again.<table><td>cell<b>bold" +
                    "<i>both</b> italic</div></span></p></html></body><p>after");
  REQUIRE(o.ok);
  CHECK(o.text.find(kP1) != std::string::npos);
  CHECK(o.lines >= 4);
}

TEST_CASE("html bad input: 100,000 nested elements are cut at the depth guard", "[html][bad]") {
  for (std::string tag : {"div", "table", "b"}) {
    std::string html = "<html><body><p>" + kP1 + "</p>";
    for (int i = 0; i < 100000; ++i) html += "<" + tag + ">";
    html += "deep text";
    for (int i = 0; i < 100000; ++i) html += "</" + tag + ">";
    html += "<p>" + kP1 + " End.</p></body></html>";
    INFO(tag);
    Out o = CleanHtml(html);
    REQUIRE(o.ok);
    CHECK(o.json["html"]["cut"]["deep_tags"].get<int>() >= 100000 - Options().html_max_depth);
    // The text under the cut tags is still there.
    CHECK((o.text + o.report).find("deep text") != std::string::npos);
  }
}

TEST_CASE("html bad input: a 50 MB page is over html_max_bytes: not cleaned, not cut silently",
          "[html][bad][slow]") {
  std::string para = "<p>" + kP1 + "</p>\n";
  std::string html = "<html><body>";
  while (html.size() < 50u * 1000 * 1000) html += para;
  Out o = CleanHtml(html);
  CHECK_FALSE(o.ok);
  CHECK(o.error == std::to_string(html.size()) +
                       " bytes of HTML (as UTF-8) is over the HTML "
                       "size budget (html_max_bytes " +
                       std::to_string(Options().html_max_bytes) + "), not cleaned");
}

TEST_CASE("html bad input: binary garbage named .html is refused with a message", "[html][bad]") {
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage.push_back(static_cast<char>((i * 7919) % 256));
  Out o = CleanHtml(garbage, "image.html");
  CHECK_FALSE(o.ok);
  CHECK(o.error.find("binary") != std::string::npos);
}

TEST_CASE("html bad input: pages without body text give no lines", "[html][bad]") {
  for (std::string html :
       {std::string(""), std::string("<html><head><title>T</title></head><body></body></html>"),
        std::string("<html><body><script>x()</script>  \n </body>")}) {
    Out o = CleanHtml(html);
    REQUIRE(o.ok);
    CHECK(o.text.empty());
    CHECK(o.lines == 0);
  }
}

TEST_CASE("html bad input: a page whose only text is in <noscript> is rendered from it",
          "[html][bad]") {
  Out o = CleanHtml("<html><body><noscript><p>" + kP1 + "</p></noscript></body></html>");
  REQUIRE(o.ok);
  CHECK(o.text == kP1 + "\n");
  CHECK(o.json["html"]["skipped"]["noscript"].get<int>() == 1);
  CHECK(o.json["html"]["noscript_rendered"].get<bool>());
}

TEST_CASE("html: <noscript> stays unrendered when the page has its own text", "[html]") {
  Out o = CleanHtml("<html><body><article><p>" + kP1 + "</p><p>" + kP1 +
                    "</p></article><noscript><p>Please enable JavaScript to view the "
                    "comments powered by our partner.</p></noscript></body></html>");
  REQUIRE(o.ok);
  CHECK(o.text.find("enable JavaScript") == std::string::npos);
  CHECK(o.report.find("enable JavaScript") == std::string::npos);
  CHECK_FALSE(o.json["html"]["noscript_rendered"].get<bool>());
}

TEST_CASE("html bad input: entities without ';', surrogate and NUL references", "[html][bad]") {
  Out o = CleanHtml(
      "<html><body><p>Copyright &copy 2022 &amp AT&T &notit; x</p>"
      "<p>nul [&#0;] surrogate [&#xD800;] big [&#x110000;] ok [&#x41;]</p></body></html>",
      "e.html");
  REQUIRE(o.ok);
  std::string all = o.text + o.report;
  CHECK(all.find("Copyright © 2022 & AT&T ¬it; x") != std::string::npos);
  CHECK(all.find("nul [\xEF\xBF\xBD] surrogate [\xEF\xBF\xBD] big [\xEF\xBF\xBD] ok [A]") !=
        std::string::npos);
}

TEST_CASE("html bad input: invalid UTF-8 in a tag name never reaches the report (fuzz_html)",
          "[html][bad][fuzz]") {
  // Found by fuzz_html: a page declared UTF-8 with a stray byte inside a tag
  // name; gumbo keeps unknown tag names raw, so the element path carried the
  // byte and the report was not valid UTF-8 (nlohmann::json::parse throws).
  for (std::string prefix : {std::string(), std::string("\xEF\xBB\xBF")}) {
    std::string html = prefix +
                       "<html><head><meta charset=\"utf-8\"></head><body>"
                       "<nav><a href=\"/\">Home</a></nav><main\x89><article><h1>Council "
                       "approves plan</h1><p>" +
                       kP1 + "</p></article></main\x89></body></html>";
    Out o = CleanHtml(html);
    REQUIRE(o.ok);
    CHECK(o.json["html"]["charset"]["replaced"].get<int>() >= 1);
    CHECK(o.report.find("main\xEF\xBF\xBD") != std::string::npos);  // U+FFFD in the path
    CHECK(o.text.find(kP1) != std::string::npos);
  }
}

TEST_CASE("html bad input: a raw-text element left open does not swallow the page", "[html][bad]") {
  for (std::string open : {"<title>Page title", "<title>Title</titlex>", "<textarea>note",
                           "<iframe src=x>", "<xmp>x"}) {
    INFO(open);
    Out o = CleanHtml("<html><head>" + open + "<body><p>" + kP1 + "</p><p>" + kP1 +
                      " Again.</p></body></html>");
    REQUIRE(o.ok);
    CHECK(o.text.find(kP1 + " Again.") != std::string::npos);
    CHECK(o.json["html"]["cut"]["unclosed_raw_text"].get<int>() == 1);
  }
  // Closed ones, in either case and with attributes or spaces, are left alone.
  Out o = CleanHtml("<title>T</TITLE ><body><textarea>a</textarea\n><p>" + kP1 + "</p>");
  REQUIRE(o.ok);
  CHECK(o.json["html"]["cut"].count("unclosed_raw_text") == 0);
}

TEST_CASE("html bad input: 100,000 unclosed <title> tags are read in one pass", "[html][bad]") {
  std::string html = "<html><body><p>" + kP1 + "</p>";
  for (int i = 0; i < 100000; ++i) html += "<title>t";
  Out o = CleanHtml(html);
  REQUIRE(o.ok);
  CHECK(o.json["html"]["cut"]["unclosed_raw_text"].get<int>() == 100000);
}

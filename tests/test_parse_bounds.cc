// Parse bounds (issue 21): the pre-scan's caps on the attributes of one tag
// and on its bytes, HTML over html_max_bytes, the time budget over every
// stage of a page, and one summary member per JSONL record.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "cleaner/cleaner.h"
#include "cleaner/jsonl/jsonl_record.h"
#include "cleaner/report/report.h"
#include "tests/test_support.h"

using namespace clean;
using clean::testing::kP1;
using clean::testing::kP2;
using clean::testing::kP3;
using clean::testing::LoadRules;
using clean::testing::ProjectRules;
using clean::testing::RunClean;
using clean::testing::TempDir;
using clean::testing::WriteIn;
using json = nlohmann::json;

namespace {

struct Out {
  bool ok = false;
  std::string error, text, report;
  json j;
  bool over_time_budget = false;
  bool article_body_rendered = false;
};

Out CleanHtml(Cleaner& c, const std::string& html) {
  c.set_input_format(InputFormat::kHtml);
  Out o;
  CleanResult r;
  o.ok = c.Clean("page.html", html, &r, &o.error);
  if (!o.ok) return o;
  KeepSet keep;
  WriteCleanText(r, keep, &o.text);
  WriteReport(r, keep, &o.report);
  clean::testing::CheckConservation("page.html", *r.page, o.text, o.report);
  o.j = json::parse(o.report);
  o.over_time_budget = r.over_time_budget;
  o.article_body_rendered = r.html->article_body_rendered;
  return o;
}

Out CleanHtml(const std::string& html) {
  Cleaner c(ProjectRules(), Options(), nullptr);
  return CleanHtml(c, html);
}

// ` a0=1 a1=1 ...`: n attributes of distinct names.
std::string Attributes(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += " a" + std::to_string(i) + "=1";
  return s;
}

std::string Wrapped(const std::string& middle) {
  return "<!doctype html><html><head><title>T</title></head><body><article><p>" + kP1 + "</p>" +
         middle + "<p>" + kP3 + "</p></article></body></html>";
}

// How many top-level members of `record` have the key `key` (a parsed
// object keeps only one of them).
size_t TopLevelKeys(const std::string& record, const std::string& key) {
  size_t n = 0;
  json::parser_callback_t count = [&](int depth, json::parse_event_t e, json& v) {
    if (depth == 1 && e == json::parse_event_t::key && v == key) ++n;
    return true;
  };
  json parsed = json::parse(record, count);
  return n;
}

}  // namespace

TEST_CASE("parse bounds: the attributes of a tag past html_max_attributes are dropped, counted",
          "[html][parse_bounds]") {
  const int cap = Options().html_max_attributes;
  const int n = cap + 4000;
  Out capped = CleanHtml(Wrapped("<p class=x" + Attributes(n) + ">" + kP2 + "</p>"));
  REQUIRE(capped.ok);
  Out plain = CleanHtml(Wrapped("<p class=x>" + kP2 + "</p>"));
  REQUIRE(plain.ok);
  CHECK(capped.text == plain.text);  // the text is as without the attributes
  CHECK(capped.text.find(kP2) != std::string::npos);
  REQUIRE(capped.j.contains("parse_limits"));
  const json& l = capped.j["parse_limits"];
  CHECK(l["html_max_attributes"] == cap);
  CHECK(l["tags"] == 1);
  CHECK(l["attributes_dropped"] == n + 1 - cap);  // class=x is the first kept
  CHECK(l["bytes_dropped"].get<int64_t>() > 0);
  CHECK_FALSE(plain.j.contains("parse_limits"));  // ordinary pages keep their report's shape
  // End tags too (their attributes mean nothing, but gumbo reads them).
  Out end = CleanHtml(Wrapped("<p>" + kP2 + "</p" + Attributes(n) + ">"));
  REQUIRE(end.ok);
  CHECK(end.text == plain.text);
  CHECK(end.j["parse_limits"]["attributes_dropped"] == n - cap);
}

TEST_CASE("parse bounds: a quoted '>' does not hide attributes from the cap",
          "[html][parse_bounds]") {
  const int n = Options().html_max_attributes + 10;
  Out o = CleanHtml(Wrapped("<p title=\"a>b\" data-x='c>d'" + Attributes(n) + ">" + kP2 + "</p>"));
  REQUIRE(o.ok);
  CHECK(o.text.find(kP2) != std::string::npos);
  CHECK(o.text.find("a0=1") == std::string::npos);  // the tag was not cut into text
  REQUIRE(o.j.contains("parse_limits"));
  CHECK(o.j["parse_limits"]["attributes_dropped"] == n + 2 - Options().html_max_attributes);
}

TEST_CASE("parse bounds: attributes past html_max_tag_bytes are dropped, the tag kept",
          "[html][parse_bounds]") {
  const int cap = Options().html_max_tag_bytes;
  std::string big(static_cast<size_t>(cap) + 1000, 'x');
  Out o = CleanHtml(Wrapped("<p id=first title=\"" + big + "\" class=late>" + kP2 + "</p>"));
  REQUIRE(o.ok);
  Out plain = CleanHtml(Wrapped("<p>" + kP2 + "</p>"));
  CHECK(o.text == plain.text);
  REQUIRE(o.j.contains("parse_limits"));
  const json& l = o.j["parse_limits"];
  CHECK(l["html_max_tag_bytes"] == cap);
  CHECK(l["tags"] == 1);
  CHECK(l["attributes_dropped"] == 2);  // title (ends past the cap) and class
  CHECK(l["bytes_dropped"].get<int64_t>() >= static_cast<int64_t>(big.size()));
  // A self-closing tag stays self-closing; one within the caps is untouched.
  Out svg = CleanHtml(Wrapped("<p>" + kP2 + "<br title=\"" + big + "\"/>" + kP1 + " Again.</p>"));
  REQUIRE(svg.ok);
  CHECK(svg.text.find(kP1 + " Again.") != std::string::npos);
}

TEST_CASE("parse bounds: the caps are options a rule file can set", "[html][parse_bounds]") {
  auto rules = LoadRules("set html_max_attributes 3\nset html_max_tag_bytes 100000\n");
  Cleaner c(*rules, Options(), nullptr);
  Out o = CleanHtml(
      c, Wrapped("<p a=1 b=2 c=3 d=4 e=5>" + kP2 + "</p><p x=1 y=2 z=3>" + kP1 + " More.</p>"));
  REQUIRE(o.ok);
  REQUIRE(o.j.contains("parse_limits"));
  CHECK(o.j["parse_limits"]["html_max_attributes"] == 3);
  CHECK(o.j["parse_limits"]["tags"] == 1);  // three attributes are within the cap
  CHECK(o.j["parse_limits"]["attributes_dropped"] == 2);
  CHECK(o.text.find(kP2) != std::string::npos);
}

TEST_CASE("parse bounds: HTML over html_max_bytes fails with a message, nothing cut silently",
          "[html][parse_bounds]") {
  auto rules = LoadRules("set html_max_bytes 100000\n");
  Cleaner c(*rules, Options(), nullptr);
  std::string para = "<p>" + kP1 + "</p>\n";
  std::string html = "<html><body>";
  while (html.size() < 150000) html += para;
  Out o = CleanHtml(c, html + "</body></html>");
  CHECK_FALSE(o.ok);
  CHECK(o.error.find("html_max_bytes 100000") != std::string::npos);
  CHECK(c.over_limit() == "html_max_bytes");
  // Under the cap it is cleaned as usual.
  Out small = CleanHtml(c, "<html><body>" + para + para + "</body></html>");
  CHECK(small.ok);
  CHECK(c.over_limit().empty());
}

TEST_CASE("parse bounds: clean fails a page over html_max_bytes with exit 1 and a message",
          "[html][parse_bounds][cli]") {
  std::string dir = TempDir();
  std::string rules = clean::testing::RulesDir("set html_max_bytes 100000\n");
  std::string html = "<html><body>";
  while (html.size() < 150000) html += "<p>" + kP1 + "</p>\n";
  std::string big = WriteIn(dir, "big.html", html);
  std::string ok = WriteIn(dir, "ok.html", "<html><body><p>" + kP1 + "</p></body></html>");
  auto r = RunClean({"--rules", rules, "--out-dir", dir + "/out", big, ok});
  REQUIRE_EXIT(r, 1);
  CHECK(r.err.find("clean: " + big + ": ") != std::string::npos);
  CHECK(r.err.find("html_max_bytes") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir + "/out/big.txt"));
  CHECK(std::filesystem::exists(dir + "/out/ok.txt"));  // the batch goes on
  // Page mode to -o: no output for the page at all.
  auto one = RunClean({"--rules", rules, big, "-o", dir + "/one.txt"});
  REQUIRE_EXIT(one, 1);
  CHECK(one.err.find("html_max_bytes") != std::string::npos);
}

TEST_CASE("parse bounds: JSONL --over-limit applies to HTML over html_max_bytes",
          "[html][parse_bounds][jsonl]") {
  std::string rules = clean::testing::RulesDir("set html_max_bytes 100000\n");
  std::string html = "<html><body>";
  while (html.size() < 150000) html += "<p>" + kP1 + "</p>\n";
  std::string records = json{{"id", 1}, {"html", html}}.dump() + "\n" +
                        json{{"id", 2}, {"html", "<p>" + kP1 + "</p>"}}.dump() + "\n";
  auto pass = RunClean({"--jsonl", "-q", "--rules", rules, "--html-field", "html"}, records);
  REQUIRE_EXIT(pass, 0);
  auto lines = clean::testing::SplitLines(pass.out);
  REQUIRE(lines.size() == 2);
  json first = json::parse(lines[0]);
  CHECK(first["clean"]["over_limit"] == "html_max_bytes");
  CHECK(first["html"] == html);  // passed through unchanged
  CHECK(json::parse(lines[1])["text"] == kP1 + "\n");
  auto drop = RunClean(
      {"--jsonl", "-q", "--rules", rules, "--html-field", "html", "--over-limit", "drop"}, records);
  REQUIRE_EXIT(drop, 0);
  lines = clean::testing::SplitLines(drop.out);
  REQUIRE(lines.size() == 1);
  CHECK(json::parse(lines[0])["id"] == 2);
}

TEST_CASE("parse bounds: the page time budget covers the reading; late stages are skipped",
          "[html][parse_bounds]") {
  // A teaser page whose JSON-LD articleBody would be rendered by parsing the
  // page again; the page is large enough that reading it takes far longer
  // than the 1 ms budget, so the second parse is skipped and the page is
  // marked over budget.
  std::string body;
  for (int i = 0; i < 40; ++i) body += kP1 + " " + kP2 + " ";
  std::string filler;
  while (filler.size() < (4u << 20)) filler += "<div class=nav><span></span></div>\n";
  std::string page =
      "<html><head><script type=\"application/ld+json\">{\"@type\": "
      "\"NewsArticle\", \"articleBody\": \"" +
      body + "\"}</script></head><body>" + filler + "<p>Subscribe to read.</p></body></html>";
  Cleaner plain(ProjectRules(), Options(), nullptr);
  Out a = CleanHtml(plain, page);
  REQUIRE(a.ok);
  CHECK(a.article_body_rendered);  // without a budget problem: rendered
  CHECK_FALSE(a.over_time_budget);
  auto rules = LoadRules("set page_time_budget_ms 1\n");
  Cleaner budget(*rules, Options(), nullptr);
  Out b = CleanHtml(budget, page);
  REQUIRE(b.ok);
  CHECK(b.over_time_budget);
  CHECK_FALSE(b.article_body_rendered);
  REQUIRE(b.j.contains("budget_exceeded"));
  CHECK(b.j["budget_exceeded"]["limit"] == 1);
}

TEST_CASE("parse bounds: a stop budget ends the cleaning at the next stage boundary",
          "[html][parse_bounds]") {
  std::string filler;
  while (filler.size() < (4u << 20)) filler += "<div><p>" + kP1 + "</p></div>\n";
  std::string page = "<html><body>" + filler + "</body></html>";
  Cleaner c(ProjectRules(), Options(), nullptr);
  c.set_stop_budget_ms(1);
  Out o = CleanHtml(c, page);
  CHECK_FALSE(o.ok);
  CHECK(c.over_limit() == "time_budget");
  // Reading a 4 MB page takes far over 1 ms: the classification never ran.
  CHECK(c.times().classify == 0);
  c.set_stop_budget_ms(0);
  Out again = CleanHtml(c, page);
  CHECK(again.ok);
  CHECK(c.times().classify > 0);
}

TEST_CASE("parse bounds: a JSONL record over --time-budget is passed through, over limit",
          "[parse_bounds][jsonl]") {
  std::string filler;
  while (filler.size() < (4u << 20)) filler += "<div><p>" + kP1 + "</p></div>\n";
  JsonlOptions o;
  o.html_field = "html";
  o.time_budget_ms = 1;
  RecordCleaner rc(ProjectRules(), Options(), nullptr, KeepSet(), o, "fnv1a64:test");
  std::string line = json{{"id", 7}, {"html", "<html><body>" + filler + "</body></html>"}}.dump();
  std::string out, report, message;
  RunStats stats;
  REQUIRE(rc.Process(line, &out, &report, &stats, &message) == RecordOutcome::kPassed);
  CHECK(json::parse(out)["clean"]["over_limit"] == "time_budget");
  CHECK(json::parse(report)["over_limit"] == "time_budget");
  CHECK(stats.over_limit == 1);
}

TEST_CASE("parse bounds: a record with the summary key twice gets exactly one summary",
          "[parse_bounds][jsonl]") {
  JsonlOptions o;
  RecordCleaner rc(ProjectRules(), Options(), nullptr, KeepSet(), o, "fnv1a64:test");
  std::string text = json("Home\n" + kP1 + "\n" + kP2 + "\n").dump();
  for (std::string line : {R"({"clean": 1, "text": )" + text + R"(, "clean": {"a": 2}, "z": 3})",
                           R"({"text": )" + text + R"(, "clean": 1, "clean": 2, "\u0063lean": 3})",
                           R"({"clean": 1, "clean": 2, "text": )" + text + "}"}) {
    INFO(line);
    std::string out, report, message;
    RunStats stats;
    REQUIRE(rc.Process(line, &out, &report, &stats, &message) == RecordOutcome::kCleaned);
    json j = json::parse(out);
    CHECK(TopLevelKeys(out, "clean") == 1);
    CHECK(j["clean"].is_object());
    CHECK(j["clean"].contains("counts"));
    CHECK(j["text"].get<std::string>().find(kP1) != std::string::npos);
    if (line.find("\"z\"") != std::string::npos) CHECK(j["z"] == 3);
  }
  // Over a limit too.
  o.max_bytes = 10;
  RecordCleaner limited(ProjectRules(), Options(), nullptr, KeepSet(), o, "fnv1a64:test");
  std::string out, report, message;
  RunStats stats;
  std::string line = R"({"clean": 1, "text": )" + text + R"(, "clean": 2})";
  REQUIRE(limited.Process(line, &out, &report, &stats, &message) == RecordOutcome::kPassed);
  CHECK(TopLevelKeys(out, "clean") == 1);
  CHECK(json::parse(out)["clean"]["over_limit"] == "max_bytes");
  CHECK(json::parse(out)["text"] == json::parse(text));
}

// One JSONL record through RecordCleaner (jsonl_record.h): the text value
// replaced, every other byte in place, the summary added or replaced, the
// source from a field or the URL's domain, limits, and rejects.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <filesystem>
#include <string>

#include "cleaner/jsonl/jsonl_record.h"
#include "cleaner/ruleset/rules_digest.h"
#include "cleaner/report/span_report.h"
#include "cleaner/ruleset/url_source.h"
#include "tests/test_support.h"

using namespace clean;
using clean::testing::kP1;
using clean::testing::kP2;
using clean::testing::kP3;
using clean::testing::ProjectRules;
using json = nlohmann::json;

namespace {

const std::string kPage = "Home\nWorld\n" + kP1 + "\n" + kP2 + "\nShare with X\n" + kP3 + "\n";

struct Out {
  RecordOutcome kind;
  std::string out, report, message;
  RunStats stats;
};

Out Run(const std::string& line, const JsonlOptions& o = JsonlOptions(),
        const Source* forced = nullptr) {
  RecordCleaner rc(ProjectRules(), Options(), forced, KeepSet(), o, "fnv1a64:test");
  Out r;
  r.kind = rc.Process(line, &r.out, &r.report, &r.stats, &r.message);
  return r;
}

// The clean text the Cleaner gives for `text` alone.
std::string CleanAlone(const std::string& text, const Source* source = nullptr) {
  Cleaner c(ProjectRules(), Options(), source);
  CleanResult r;
  std::string error, out;
  REQUIRE(c.Clean("x", text, &r, &error));
  WriteCleanText(r, KeepSet(), &out);
  return out;
}

}  // namespace

TEST_CASE("jsonl record: text replaced, other bytes in place, summary appended", "[jsonl]") {
  std::string head = R"({"id":  "d1" , "meta": {"a": [1, 2.50, "\u00e9"]}, "text": )";
  std::string tail = R"(, "n": null }  )";
  std::string line = head + json(kPage).dump() + tail;
  Out r = Run(line);
  REQUIRE(r.kind == RecordOutcome::kCleaned);
  std::string clean = CleanAlone(kPage);
  CHECK(clean.find("Share with X") == std::string::npos);
  CHECK(clean.find(kP1) != std::string::npos);
  // Byte for byte: the head, the new text, the tail up to the brace, then
  // the summary before it.
  REQUIRE(r.out.back() == '\n');
  std::string expected_prefix = head + json(clean).dump() + R"(, "n": null ,"clean":)";
  CHECK(r.out.substr(0, expected_prefix.size()) == expected_prefix);
  CHECK(r.out.substr(r.out.size() - 4) == "}  \n");
  json j = json::parse(r.out);
  CHECK(j["text"] == clean);
  CHECK(j["meta"]["a"][1] == 2.5);
  json s = j["clean"];
  CHECK(s["rules"] == "fnv1a64:test");
  CHECK(s["version"] == CLEAN_VERSION_FOR_TESTS);
  // Counts add up to the page's non-blank lines and bytes.
  int lines = 0;
  for (auto& [cls, c] : s["counts"].items()) lines += c["lines"].get<int>();
  CHECK(lines == 6);
  CHECK(s["counts"]["body"]["lines"] == 3);
  CHECK(s["counts"]["body"]["bytes"] == kP1.size() + kP2.size() + kP3.size());
  CHECK(r.stats.cleaned == 1);
  CHECK(r.stats.text_bytes_out == clean.size());
}

TEST_CASE("jsonl record: the summary key replaces an existing member", "[jsonl]") {
  // Before and after the text field.
  for (bool before : {true, false}) {
    INFO("summary before text: " << before);
    std::string text = json(kPage).dump();
    std::string line = before ? R"({"clean": [1, {"x": 2}], "text": )" + text + "}"
                              : R"({"text": )" + text + R"(, "clean": "old", "z": 1})";
    Out r = Run(line);
    REQUIRE(r.kind == RecordOutcome::kCleaned);
    json j = json::parse(r.out);
    CHECK(j["clean"].is_object());
    CHECK(j["text"] == CleanAlone(kPage));
    CHECK(j.size() == (before ? 2u : 3u));
    std::string first_key = before ? "{\"clean\": {" : "{\"text\": \"";
    CHECK(r.out.substr(0, first_key.size()) == first_key);
  }
  JsonlOptions o;
  o.summary_key = "meta.clean";
  Out r = Run("{\"text\": " + json(kPage).dump() + "}", o);
  CHECK(json::parse(r.out).contains("meta.clean"));
}

TEST_CASE("jsonl record: other field names", "[jsonl]") {
  JsonlOptions o;
  o.text_field = "content";
  o.id_field = "doc_id";
  Out r = Run(R"({"doc_id": 42, "text": "kept as is", "content": )" + json(kPage).dump() + "}", o);
  REQUIRE(r.kind == RecordOutcome::kCleaned);
  json j = json::parse(r.out);
  CHECK(j["text"] == "kept as is");
  CHECK(j["content"] == CleanAlone(kPage));
  CHECK(json::parse(r.report)["id"] == 42);
}

TEST_CASE("jsonl record: source from a field, from the URL's domain, or forced", "[jsonl]") {
  const RuleSet& rules = ProjectRules();
  const Source* upi = rules.FindSource("upi");
  REQUIRE(upi);
  CHECK(UrlHost("https://www.upi.com/Top_News/x.html") == "www.upi.com");
  CHECK(UrlHost("http://user:pw@UPI.com:8080?q") == "UPI.com");
  CHECK(UrlHost("//upi.com/") == "upi.com");
  CHECK(UrlHost("upi.com/x") == "");
  CHECK(SourceForHost(rules, "www.upi.com") == upi);
  CHECK(SourceForHost(rules, "UPI.COM") == upi);
  CHECK(SourceForHost(rules, "notupi.com") == nullptr);
  CHECK(SourceForHost(rules, "upi.com.evil.org") == nullptr);

  JsonlOptions o;
  o.source_field = "src";
  o.url_field = "url";
  std::string text = json(kPage).dump();
  auto source_of = [&](const std::string& line, const Source* forced = nullptr) {
    Out r = Run(line, o, forced);
    REQUIRE(r.kind == RecordOutcome::kCleaned);
    json s = json::parse(r.out)["clean"];
    return s["source"].dump() + " " + s["detected_by"].get<std::string>();
  };
  CHECK(source_of(R"({"text": )" + text + R"(, "src": "upi"})") == "\"upi\" field");
  CHECK(source_of(R"({"text": )" + text + R"(, "url": "https://www.upi.com/a"})") ==
        "\"upi\" domain");
  CHECK(source_of(R"({"text": )" + text + R"(, "src": "nope", "url": "https://upi.com/"})") ==
        "\"upi\" domain");
  CHECK(source_of(R"({"text": )" + text + R"(, "url": "https://example.org/"})") == "null none");
  CHECK(source_of(R"({"text": )" + text + R"(, "url": 5})") == "null none");
  CHECK(source_of(R"({"text": )" + text + R"(, "src": "upi"})", rules.FindSource("reuters")) ==
        "\"reuters\" option");
  // A source chosen by field cleans like --source.
  Out r = Run(R"({"text": )" + text + R"(, "src": "upi"})", o);
  CHECK(json::parse(r.out)["text"] == CleanAlone(kPage, upi));
}

TEST_CASE("jsonl record: malformed records are rejected with the reason", "[jsonl]") {
  struct Case {
    std::string line;
    std::string message;
  };
  const std::vector<Case> kCases = {
      {R"({"id": 1, "text": "a")", "bad JSON: column 22: unterminated object"},
      {R"({"id": 1})", "no field 'text'"},
      {R"({"text": 5})", "field 'text' is a number, not a string"},
      {R"({"text": null})", "field 'text' is null, not a string"},
      {R"({"text": ["a"]})", "field 'text' is an array, not a string"},
      {R"({"text": "a", "text": "b"})", "field 'text' appears twice"},
      {R"([{"text": "a"}])", "bad JSON: column 1: a record must be a JSON object"},
      {R"({"text": "nul\u0000byte"})", "field 'text': binary input"},
  };
  for (const auto& c : kCases) {
    INFO(c.line);
    Out r = Run(c.line);
    CHECK(r.kind == RecordOutcome::kRejected);
    CHECK_THAT(r.message, Catch::StartsWith(c.message));
    CHECK(r.out.empty());
    CHECK(r.report.empty());
    CHECK(r.stats.rejected == 1);
  }
  // A blank line is no record.
  Out blank = Run(" \r");
  CHECK(blank.kind == RecordOutcome::kBlank);
  CHECK(blank.out.empty());
  CHECK(blank.stats.records == 0);
  CHECK(blank.stats.blank_lines == 1);
  // HTML records go through the HTML reader: the menu goes, the prose stays.
  JsonlOptions o;
  o.html_field = "html";
  std::string prose = kP1;
  Out html = Run(R"({"html": "<html><body><nav><a href='/'>Home</a></nav><article><p>)" + prose +
                     R"(</p></article></body></html>"})",
                 o);
  CHECK(html.kind == RecordOutcome::kCleaned);
  // The html field stays as it was; the clean text is added as "text".
  CHECK_THAT(html.out, Catch::StartsWith(R"({"html": "<html><body><nav><a href='/'>Home</a>)"));
  CHECK_THAT(html.out, Catch::Contains(R"(</html>","text":")" + prose + "\\n\",\"clean\":{"));
  // With a text field, its value is replaced.
  Out both = Run(R"({"text": "old", "html": "<p>)" + prose + R"(</p>"})", o);
  CHECK(both.kind == RecordOutcome::kCleaned);
  CHECK_THAT(both.out, Catch::StartsWith(R"({"text": ")" + prose + R"(\n", "html": "<p>)"));
  // ... and records without it are cleaned from the text field.
  CHECK(Run(R"({"text": "x"})", o).kind == RecordOutcome::kCleaned);
}

TEST_CASE("jsonl record: over --max-bytes passed through or dropped, and marked", "[jsonl]") {
  JsonlOptions o;
  o.max_bytes = 100;
  std::string line = R"({"id": "big", "text": )" + json(kPage).dump() + "}";
  Out r = Run(line, o);
  REQUIRE(r.kind == RecordOutcome::kPassed);
  json j = json::parse(r.out);
  CHECK(j["text"] == kPage);
  CHECK(j["clean"]["over_limit"] == "max_bytes");
  CHECK(r.out.substr(0, line.size() - 1) == line.substr(0, line.size() - 1));
  json rep = json::parse(r.report);
  CHECK(rep["id"] == "big");
  CHECK(rep["over_limit"] == "max_bytes");
  CHECK(rep["version"] == kSpanReportVersion);
  CHECK(rep["attributes"].empty());
  CHECK(r.stats.over_limit == 1);
  o.drop_over_limit = true;
  Out d = Run(line, o);
  CHECK(d.kind == RecordOutcome::kDropped);
  CHECK(d.out.empty());
  CHECK(json::parse(d.report)["dropped"] == true);
  CHECK(d.stats.dropped == 1);
  // At the limit is fine.
  o.max_bytes = kPage.size();
  CHECK(Run(line, o).kind == RecordOutcome::kCleaned);
}

TEST_CASE("jsonl record: report spans index the original text in code points", "[jsonl]") {
  // Leading spaces, a BOM, non-ASCII, CRLF, blank lines: every non-blank
  // line's span, sliced from the original as code points, is that line
  // trimmed.
  std::string original =
      "\xEF\xBB\xBF"
      "  Home  \n\nCaf\xC3\xA9 \xF0\x9F\x98\x80 news\r\n" +
      kP1 + "\n   \n" + kP2 + "  \n";
  Out r = Run(R"({"id": "s", "text": )" + json(original).dump() + "}");
  REQUIRE(r.kind == RecordOutcome::kCleaned);
  json rep = json::parse(r.report);
  CHECK(rep["id"] == "s");
  CHECK(rep["version"] == kSpanReportVersion);
  CHECK(rep["offsets"] == "text");
  // Decode the original to code points to slice it.
  std::u32string cps;
  for (size_t i = 0; i < original.size();) {
    unsigned char c = original[i];
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    uint32_t cp = len == 1 ? c : c & (0xFF >> (len + 1));
    for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (original[i + k] & 0x3F);
    cps.push_back(cp);
    i += len;
  }
  std::vector<std::u32string> got;
  size_t spans = 0;
  for (auto& [key, list] : rep["attributes"].items()) {
    CHECK_THAT(key, Catch::StartsWith("clean__"));
    if (key.rfind("clean__rule__", 0) == 0) continue;  // the same spans by rule
    for (auto& s : list) {
      ++spans;
      size_t a = s[0], b = s[1];
      REQUIRE(a <= b);
      REQUIRE(b <= cps.size());
      got.push_back(cps.substr(a, b - a));
      CHECK(s[2] == 1.0);
    }
  }
  CHECK(spans == 4);
  auto has = [&](const std::u32string& t) {
    return std::find(got.begin(), got.end(), t) != got.end();
  };
  CHECK(has(U"Home"));
  CHECK(has(U"Caf\u00e9 \U0001F600 news"));
  CHECK(has(std::u32string(kP1.begin(), kP1.end())));
  CHECK(has(std::u32string(kP2.begin(), kP2.end())));
}

TEST_CASE("jsonl record: the text written run by run equals WriteCleanText, and its size",
          "[jsonl]") {
  // The record's text is escaped from the page's kept runs straight into
  // the output, and its size for the statistics comes from the counts:
  // both against WriteCleanText, over the fixtures' pages (also with CRLF,
  // blank and space-only lines and bytes to escape) and several keep sets.
  std::vector<std::string> pages;
  for (const auto& e : std::filesystem::recursive_directory_iterator(CLEAN_FIXTURES_DIR))
    if (e.path().filename() == "input.txt") pages.push_back(testing::ReadFile(e.path().string()));
  REQUIRE(pages.size() > 10);
  for (size_t k = 0, n = pages.size(); k < n; ++k) {
    std::string v = "\"q\" \\ \t\x01\n";
    for (char c : pages[k]) v += c == '\n' ? std::string(" \r\n\n  \n\"") : std::string(1, c);
    pages.push_back(v);
  }
  KeepSet all, some;
  for (bool& b : all.keep) b = true;
  some.keep[static_cast<int>(LineClass::kTitle)] = true;
  some.keep[static_cast<int>(LineClass::kNavigation)] = true;
  for (const KeepSet& keep : {KeepSet(), all, some}) {
    Cleaner cleaner(ProjectRules(), Options(), nullptr);
    const JsonlOptions options;  // RecordCleaner holds it by reference
    RecordCleaner rc(ProjectRules(), Options(), nullptr, keep, options, "fnv1a64:test");
    for (const std::string& bytes : pages) {
      // As a JSON string holds it (invalid UTF-8 replaced).
      const std::string line =
          json{{"id", 1}, {"text", bytes}}.dump(-1, ' ', false, json::error_handler_t::replace);
      const std::string page = json::parse(line)["text"];
      CleanResult r;
      std::string error, want;
      REQUIRE(cleaner.Clean("x", page, &r, &error));
      WriteCleanText(r, keep, &want);
      std::string out, report, message;
      RunStats stats;
      const RecordOutcome outcome = rc.Process(line, &out, &report, &stats, &message);
      INFO(message);
      REQUIRE(outcome == RecordOutcome::kCleaned);
      CHECK(json::parse(out)["text"] == want);
      CHECK(stats.text_bytes_out == want.size());
    }
  }
}

TEST_CASE("jsonl record: the summary has the language, and an HTML record's metadata", "[jsonl]") {
  Out text = Run(R"({"text": )" + json(kPage).dump() + "}");
  REQUIRE(text.kind == RecordOutcome::kCleaned);
  json s = json::parse(text.out)["clean"];
  CHECK(s["language"] == "en");
  CHECK_FALSE(s.contains("metadata"));  // a text record has none
  // No language found (no words of any stop-word list): null.
  Out none = Run(R"({"text": "12345 67890\n"})");
  CHECK(json::parse(none.out)["clean"]["language"].is_null());

  JsonlOptions o;
  o.html_field = "html";
  std::string page =
      "<html><head><title>Talks end without a deal - The Daily</title>"
      "<meta name=\"author\" content=\"Jane Doe\">"
      "<meta property=\"article:published_time\" content=\"2024-03-05T10:00:00Z\">"
      "<meta property=\"og:site_name\" content=\"The Daily\">"
      "<link rel=\"canonical\" href=\"https://www.daily.example/world/talks\">"
      "</head><body><nav><a href='/'>Home</a></nav><article><h1>Talks end without a deal</h1>"
      "<p>" +
      kP1 + "</p><p>" + kP2 + "</p></article></body></html>";
  Out html = Run(R"({"id": 7, "html": )" + json(page).dump() + "}", o);
  REQUIRE(html.kind == RecordOutcome::kCleaned);
  json h = json::parse(html.out)["clean"];
  CHECK(h["language"] == "en");
  REQUIRE(h.contains("metadata"));
  // The same values as the per-page report of the same page.
  Cleaner c(ProjectRules(), Options(), nullptr);
  c.set_input_format(InputFormat::kHtml);
  CleanResult r;
  std::string error;
  REQUIRE(c.Clean("page.html", page, &r, &error));
  const HtmlMeta& m = r.html->meta;
  CHECK(h["metadata"]["author"] == "Jane Doe");
  CHECK(h["metadata"]["canonical_url"] == "https://www.daily.example/world/talks");
  CHECK(h["metadata"]["site_name"] == "The Daily");
  CHECK(h["metadata"]["title"] == m.title);
  CHECK_FALSE(m.title.empty());
  CHECK(h["metadata"]["date"] == m.date);
  CHECK_THAT(m.date, Catch::StartsWith("2024-03-05"));
  CHECK(h["metadata"]["domain"] == m.domain);
  // Keys in the report's order, every one present (null when not found).
  std::vector<std::string> keys;
  for (auto& [k, v] : h["metadata"].items()) keys.push_back(k);
  CHECK(keys.size() == 6);
  Out bare = Run(R"({"html": "<p>)" + kP1 + R"(</p>"})", o);
  json b = json::parse(bare.out)["clean"]["metadata"];
  CHECK(b["author"].is_null());
  CHECK(b["canonical_url"].is_null());
}

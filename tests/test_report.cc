// The removal report (cleaner/report/report.h) parsed back with nlohmann::json, and
// the JSON writer it is built on.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "cleaner/cleaner.h"
#include "cleaner/report/dom_explain.h"
#include "cleaner/json/json_writer.h"
#include "cleaner/report/report.h"
#include "tests/test_support.h"

namespace fs = std::filesystem;
using namespace clean;
using clean::testing::kUpiPage;
using clean::testing::LoadRules;
using clean::testing::ProjectRules;
using clean::testing::TempDir;
using clean::testing::WriteFile;
using json = nlohmann::json;

using clean::testing::kP1;
using clean::testing::kP2;
using clean::testing::kP3;
using clean::testing::kP4;

namespace {

struct Reported {
  json j;
  std::string raw;
  std::vector<std::string> lines;  // the page's lines
  std::vector<Decision> decisions;
};

Reported Report(const RuleSet& rs, const std::string& name, const std::string& bytes,
                const KeepSet& keep = KeepSet(), const Source* source = nullptr,
                bool detect = true) {
  Cleaner cleaner(rs, Options(), source, detect);
  CleanResult r;
  std::string error;
  REQUIRE(cleaner.Clean(name, bytes, &r, &error));
  Reported out;
  WriteReport(r, keep, &out.raw);
  INFO(out.raw);
  REQUIRE_NOTHROW(out.j = json::parse(out.raw));
  for (size_t i = 0; i < r.page->lines.size(); ++i) out.lines.emplace_back(r.page->line(i));
  out.decisions = r.decisions();
  return out;
}

const std::vector<std::string> kClasses = {"body",       "title",   "meta", "headline_list",
                                           "navigation", "caption", "ad"};

}  // namespace

TEST_CASE("report: header fields", "[report]") {
  Reported r = Report(ProjectRules(), "pages/upi-page.txt", kUpiPage);
  const json& j = r.j;
  CHECK(j["report_version"] == kReportVersion);
  CHECK(j["report_version"] == 1);
  CHECK(j["input"]["name"] == "pages/upi-page.txt");
  CHECK(j["input"]["bytes"] == kUpiPage.size());
  CHECK(j["input"]["lines"] == r.lines.size());
  CHECK(j["input"]["final_newline"] == true);
  CHECK(j["input"]["bom_removed"] == false);
  CHECK(j["input"]["crlf"] == false);
  CHECK(j["input"]["invalid_utf8_replaced"] == 0);
  CHECK(j["source"]["name"] == "upi");
  CHECK(j["source"]["detected_by"] == "fingerprint");
  CHECK(j["source"]["rule"] == "upi.fp-dateline");
  CHECK(j["source"]["where"] == "rules/upi.rules:4");
  CHECK(j["language"] == "en");
  CHECK(j["date"] == "2025-07-10");  // from the date header
  CHECK(j["byline"] == "By Lisa Hornung");
  CHECK(j["title"] == "Rubio meets with Russian foreign minister to push Ukraine-war talks");
  CHECK(j["kept_classes"] == json::array({"body"}));
  CHECK(j["regex_limits"] == json::array());
}

TEST_CASE("report: source detected_by option and none", "[report]") {
  std::string page = kP1 + "\n" + kP2 + "\n";
  Reported forced =
      Report(ProjectRules(), "p", page, KeepSet(), ProjectRules().FindSource("reuters"));
  CHECK(forced.j["source"]["name"] == "reuters");
  CHECK(forced.j["source"]["detected_by"] == "option");
  CHECK_FALSE(forced.j["source"].contains("rule"));

  Reported none = Report(ProjectRules(), "p", page);
  CHECK(none.j["source"]["name"].is_null());
  CHECK(none.j["source"]["detected_by"] == "none");
  CHECK_FALSE(none.j["source"].contains("rule"));
  // Nothing found: null fields.
  CHECK(none.j["date"].is_null());
  CHECK(none.j["byline"].is_null());
}

TEST_CASE("report: language is null when unknown", "[report]") {
  Reported r = Report(ProjectRules(), "p", "Menu\nHome\n");
  CHECK(r.j["language"].is_null());
}

TEST_CASE("report: the date comes from a rule tagged as date without a header", "[report]") {
  std::string page = "July 10, 2025\n" + kP1 + "\n" + kP2 + "\n" + kP3 + "\n";
  Reported r = Report(ProjectRules(), "p", page);
  CHECK(r.j["date"] == "July 10, 2025");
}

TEST_CASE("report: counts per class sum to the non-blank lines", "[report]") {
  for (const std::string* page : {&kUpiPage}) {
    Reported r = Report(ProjectRules(), "p", *page);
    const json& counts = r.j["counts"];
    REQUIRE(counts.size() == kClasses.size());
    size_t lines = 0, bytes = 0, non_blank = 0, non_blank_bytes = 0;
    for (const auto& c : kClasses) {
      INFO(c);
      REQUIRE(counts.contains(c));
      lines += counts[c]["lines"].get<size_t>();
      bytes += counts[c]["bytes"].get<size_t>();
    }
    for (const auto& l : r.lines)
      if (!l.empty()) {
        ++non_blank;
        non_blank_bytes += l.size();
      }
    CHECK(lines == non_blank);
    CHECK(bytes == non_blank_bytes);
    CHECK(r.j["input"]["blank_lines"].get<size_t>() + lines == r.lines.size());
    // Per class too.
    for (size_t c = 0; c < kClasses.size(); ++c) {
      size_t n = 0;
      for (const auto& d : r.decisions) n += !d.blank && static_cast<size_t>(d.cls) == c;
      CHECK(counts[kClasses[c]]["lines"] == n);
    }
  }
}

TEST_CASE("report: every removed entry is complete and true to the page", "[report]") {
  Reported r = Report(ProjectRules(), "p", kUpiPage);
  const json& removed = r.j["removed"];
  REQUIRE(removed.is_array());
  REQUIRE(removed.size() >= 5);
  const std::set<std::string> kinds = {"source_rule", "generic_rule", "heuristic", "context",
                                       "input"};
  std::set<int64_t> seen;
  int64_t last = 0;
  for (const json& e : removed) {
    INFO(e.dump());
    for (const char* k : {"line", "class", "rule", "kind", "where", "text"}) CHECK(e.contains(k));
    int64_t line = e["line"].get<int64_t>();
    REQUIRE(line >= 1);
    REQUIRE(line <= static_cast<int64_t>(r.lines.size()));
    CHECK(line > last);  // in page order, each once
    last = line;
    seen.insert(line);
    CHECK(e["text"] == r.lines[line - 1]);
    CHECK(e["class"] != "body");
    CHECK(e["class"] == std::string(ClassName(r.decisions[line - 1].cls)));
    CHECK(e["rule"] == ProjectRules().deciders()[r.decisions[line - 1].decider].id);
    CHECK(kinds.count(e["kind"].get<std::string>()) == 1);
    CHECK_FALSE(e["where"].get<std::string>().empty());
    if (e["kind"] == "source_rule" || e["kind"] == "generic_rule")
      CHECK_THAT(e["where"].get<std::string>(), Catch::Matches("rules/.+\\.rules:[0-9]+"));
    else
      CHECK(e["where"] == e["rule"]);
  }
  // Every non-blank, non-body line is listed.
  size_t want = 0;
  for (const auto& d : r.decisions) want += !d.blank && d.cls != LineClass::kBody;
  CHECK(removed.size() == want);
  // Some known ones.
  auto find = [&](const std::string& text) -> json {
    for (const json& e : removed)
      if (e["text"] == text) return e;
    return json();
  };
  CHECK(find("Share with X")["rule"] == "upi.share");
  CHECK(find("Share with X")["kind"] == "source_rule");
  CHECK(find("date 2025-07-10 Trending")["rule"] == "input.date-header");
  CHECK(find("date 2025-07-10 Trending")["kind"] == "input");
  CHECK(find("Latest Headlines")["class"] == "headline_list");
  CHECK(find(kP1).is_null());  // body is kept
}

TEST_CASE("report: keep semantics", "[report]") {
  KeepSet keep;
  keep.keep[static_cast<int>(LineClass::kTitle)] = true;
  Reported r = Report(ProjectRules(), "p", kUpiPage, keep);
  CHECK(r.j["kept_classes"] == json::array({"body", "title"}));
  REQUIRE(r.j["counts"]["title"]["lines"].get<int>() >= 1);  // still counted
  for (const json& e : r.j["removed"]) CHECK(e["class"] != "title");
  // The title line is kept in the clean text instead.
  Cleaner cleaner(ProjectRules(), Options(), nullptr);
  CleanResult res;
  std::string error, text, text_default;
  REQUIRE(cleaner.Clean("p", kUpiPage, &res, &error));
  WriteCleanText(res, keep, &text);
  WriteCleanText(res, KeepSet(), &text_default);
  const std::string title = "Rubio meets with Russian foreign minister to push Ukraine-war talks";
  CHECK(text.find(title + "\n") != std::string::npos);
  CHECK(text_default.find(title) == std::string::npos);

  // Keeping several classes: none of them appears in "removed".
  KeepSet many;
  for (LineClass c : {LineClass::kMeta, LineClass::kHeadlineList, LineClass::kNavigation})
    many.keep[static_cast<int>(c)] = true;
  Reported m = Report(ProjectRules(), "p", kUpiPage, many);
  CHECK(m.j["kept_classes"] == json::array({"body", "meta", "headline_list", "navigation"}));
  for (const json& e : m.j["removed"]) {
    CHECK(e["class"] != "meta");
    CHECK(e["class"] != "headline_list");
    CHECK(e["class"] != "navigation");
  }
  size_t want = 0;
  for (const auto& d : m.decisions) want += !d.blank && !many.Has(d.cls);
  CHECK(m.j["removed"].size() == want);
  CHECK(m.j["removed"].size() < r.j["removed"].size());
}

TEST_CASE("report: input flags for BOM, CRLF and invalid UTF-8", "[report]") {
  std::string page = "\xEF\xBB\xBF" + kP1 + "\r\nBad \xFF byte here\r\n" + kP2 + "\r\n" + kP3;
  Reported r = Report(ProjectRules(), "p", page);
  CHECK(r.j["input"]["bom_removed"] == true);
  CHECK(r.j["input"]["crlf"] == true);
  CHECK(r.j["input"]["final_newline"] == false);
  CHECK(r.j["input"]["invalid_utf8_replaced"] == 1);
  CHECK(r.j["input"]["bytes"] == page.size());
  CHECK(r.j["input"]["lines"] == 4);
  CHECK(r.j["input"]["blank_lines"] == 0);
}

TEST_CASE("report: JSON escaping of quotes, backslashes and control characters", "[report]") {
  auto rs = LoadRules("line t.q navigation /^Q:/\n");
  const std::vector<std::string> tricky = {
      "Q: \"double quotes\" and 'single'",
      "Q: back\\slash \\n \\\\ \\u0041",
      std::string("Q: ctl \x01 \x08 \x0c \x1b \x1f del \x7f end"),
      "Q: tab\there and\tthere",
      "Q: unicode “curly” — Київ 😀 \xE2\x80\xA8 line separator",
      "Q: </script> & <b>",
  };
  std::string page = kP1 + "\n";
  for (const auto& t : tricky) page += t + "\n";
  page += kP2 + "\n";
  std::string name = "dir/we\"ird\\name\t.txt";
  Reported r = Report(*rs, name, page, KeepSet(), nullptr, false);
  CHECK(r.j["input"]["name"] == name);
  std::vector<std::string> texts;
  for (const json& e : r.j["removed"])
    if (e["rule"] == "t.q") texts.push_back(e["text"].get<std::string>());
  CHECK(texts == tricky);
  // Control characters are escaped, never raw, in the output.
  for (unsigned char c = 0; c < 0x20; ++c) {
    if (c == '\n') continue;  // the writer's own line breaks
    INFO("control character " << int(c));
    CHECK(r.raw.find(static_cast<char>(c)) == std::string::npos);
  }
  CHECK(r.raw.find("\\u0001") != std::string::npos);
  CHECK(r.raw.find("\\u001b") != std::string::npos);
  CHECK(r.raw.find("\\t") != std::string::npos);
  CHECK(r.raw.find("\\\"double quotes\\\"") != std::string::npos);
  CHECK(r.raw.find("back\\\\slash") != std::string::npos);
}

TEST_CASE("report: regex_limits lists the lines where a rule gave up", "[report]") {
  // The lookahead is beyond the Hyperscan prefilter, so PCRE2 runs on the
  // line and gives up.
  auto rs = LoadRules("line t.bad navigation /^(?=(a+)+$)a/\n");
  std::string evil = std::string(5000, 'a') + "b";
  // Last, after the prose: outside the main text, so it is removed.
  std::string page = kP1 + "\n" + kP2 + "\n" + kP3 + "\n" + evil + "\n";
  Reported r = Report(*rs, "p", page, KeepSet(), nullptr, false);
  const json& limits = r.j["regex_limits"];
  REQUIRE(limits.size() == 1);
  CHECK(limits[0]["line"] == 4);
  CHECK(limits[0]["pattern"] == "^(?=(a+)+$)a");
  CHECK(r.decisions[3].regex_limit);
  // Its "removed" entry says so; no other entry does.
  size_t flagged = 0;
  for (const json& e : r.j["removed"]) {
    if (e["line"] == 4) {
      CHECK(e["regex_limit"] == true);
      ++flagged;
    } else {
      CHECK_FALSE(e.contains("regex_limit"));
    }
  }
  CHECK(flagged == 1);
}

TEST_CASE("report: an empty page", "[report]") {
  Reported r = Report(ProjectRules(), "empty.txt", "");
  CHECK(r.j["input"]["lines"] == 0);
  CHECK(r.j["input"]["bytes"] == 0);
  CHECK(r.j["removed"] == json::array());
  for (const auto& c : kClasses) CHECK(r.j["counts"][c]["lines"] == 0);
  CHECK(r.j["title"].is_null());
}

// The "removed" list as JsonWriter calls write it, one inline object per
// entry: the reference for the entries WriteReport writes by hand.
std::string ReferenceRemoved(const CleanResult& r, const KeepSet& keep) {
  std::string out, path;
  JsonWriter j(&out);
  j.BeginObject();
  j.Key("removed").BeginArray();
  const auto& deciders = r.rules->deciders();
  for (size_t i = 0; i < r.decisions().size(); ++i) {
    const Decision& d = r.decisions()[i];
    if (d.blank || keep.Has(d.cls)) continue;
    const Decider& who = deciders[d.decider];
    j.Inline().BeginObject();
    j.Key("line").Int(static_cast<int64_t>(i + 1));
    j.Key("class").String(ClassName(d.cls));
    j.Key("rule").String(who.id);
    j.Key("kind").String(DeciderKindName(who.kind));
    DomExplained dom;
    bool dom_match = ExplainDom(r, i, &dom);
    j.Key("where").String(dom_match && !dom.where.empty() ? dom.where : who.where());
    if (d.regex_limit) j.Key("regex_limit").Bool(true);
    if (dom_match) j.Key(dom.key).String(dom.value);
    if (r.html) {
      path.clear();
      r.html->tree.AppendPath(r.html->lines[i].block, &path);
      j.Key("path").String(path);
    }
    j.Key("text").String(r.page->line(i));
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
  return out;
}

TEST_CASE("report: removed entries are what the writer's inline objects would be",
          "[report][json]") {
  // Pages one after another in one thread, with other rule sets between
  // them (the per-report cache of class-and-decider parts must not carry
  // over), text and HTML (paths), kept classes, a regex limit, a page with
  // nothing removed.
  auto limit_rules = LoadRules("line t.bad navigation /^(?=(a+)+$)a/\nline t.q ad /^Q:/\n");
  std::string html = clean::testing::ReadFile(std::string(CLEAN_FIXTURES_DIR) +
                                              "/_behaviors/html_nav_inside_article/input.html");
  std::string limit_page = "Q: \"quoted\" \\ \x01\n" + kP1 + "\n" + kP2 + "\n" +
                           std::string(5000, 'a') + "b\nQ: again\n";
  KeepSet keep_nav;
  keep_nav.keep[static_cast<int>(LineClass::kNavigation)] = true;
  struct Case {
    const RuleSet* rules;
    std::string bytes;
    InputFormat format;
    KeepSet keep;
  };
  const std::vector<Case> cases = {
      {&ProjectRules(), kUpiPage, InputFormat::kText, KeepSet()},
      {limit_rules.get(), limit_page, InputFormat::kText, KeepSet()},
      {&ProjectRules(), html, InputFormat::kHtml, KeepSet()},
      {&ProjectRules(), kUpiPage, InputFormat::kText, keep_nav},
      {limit_rules.get(), kP1 + "\n", InputFormat::kText, KeepSet()},
      {&ProjectRules(), html, InputFormat::kHtml, keep_nav},
  };
  size_t entries = 0;
  for (int round = 0; round < 2; ++round) {
    for (size_t k = 0; k < cases.size(); ++k) {
      INFO("case " << k);
      const Case& c = cases[k];
      Cleaner cleaner(*c.rules, Options(), nullptr, c.rules == &ProjectRules());
      cleaner.set_input_format(c.format);
      CleanResult r;
      std::string error, report;
      REQUIRE(cleaner.Clean("page", c.bytes, &r, &error));
      WriteReport(r, c.keep, &report);
      std::string want = ReferenceRemoved(r, c.keep);
      size_t at = report.find("\n  \"removed\": [");
      REQUIRE(at != std::string::npos);
      CHECK(report.substr(at) == want.substr(want.find("\n  \"removed\": [")));
      entries += json::parse(report)["removed"].size();
    }
  }
  CHECK(entries > 50);
}

// --- JsonWriter ----------------------------------------------------------------

TEST_CASE("json_writer: escaping table", "[report][json]") {
  struct Case {
    std::string in, out;
  };
  const std::vector<Case> kCases = {
      {"", "\"\""},
      {"plain", "\"plain\""},
      {"a\"b", "\"a\\\"b\""},
      {"a\\b", "\"a\\\\b\""},
      {"\n\r\t", "\"\\n\\r\\t\""},
      {std::string("\0", 1), "\"\\u0000\""},
      {"\x01\x1f", "\"\\u0001\\u001f\""},
      {"\x08\x0c", "\"\\u0008\\u000c\""},
      {"\x7f", "\"\x7f\""},  // DEL needs no escape
      {"/", "\"/\""},        // nor does the slash
      {"é😀", "\"é😀\""},      // UTF-8 passes through
  };
  for (const auto& c : kCases) {
    INFO("input bytes: " << c.in);
    std::string out;
    AppendJsonEscaped(c.in, &out);
    CHECK(out == c.out);
    CHECK(json::parse(out).get<std::string>() == c.in);
  }
}

TEST_CASE("json_writer: compact and pretty documents parse back", "[report][json]") {
  for (bool pretty : {false, true}) {
    INFO("pretty " << pretty);
    std::string out;
    JsonWriter w(&out, pretty);
    w.BeginObject();
    w.Key("int").Int(-42);
    w.Key("big").Int(INT64_MAX);
    w.Key("yes").Bool(true);
    w.Key("no").Bool(false);
    w.Key("nothing").Null();
    w.Key("s").String("x\"y");
    w.Key("empty_obj").BeginObject().EndObject();
    w.Key("empty_arr").BeginArray().EndArray();
    w.Key("arr").BeginArray();
    w.Int(1).String("two").BeginObject().Key("k").Null().EndObject().BeginArray().EndArray();
    w.EndArray();
    w.Key("inline").Inline().BeginObject().Key("a").Int(1).Key("b").Int(2).EndObject();
    w.EndObject();
    INFO(out);
    json j;
    REQUIRE_NOTHROW(j = json::parse(out));
    json want = {{"int", -42},
                 {"big", INT64_MAX},
                 {"yes", true},
                 {"no", false},
                 {"nothing", nullptr},
                 {"s", "x\"y"},
                 {"empty_obj", json::object()},
                 {"empty_arr", json::array()},
                 {"arr", json::array({1, "two", {{"k", nullptr}}, json::array()})},
                 {"inline", {{"a", 1}, {"b", 2}}}};
    CHECK(j == want);
    // Keys keep their order.
    CHECK(out.find("\"int\"") < out.find("\"big\""));
    CHECK(out.find("\"big\"") < out.find("\"inline\""));
    if (pretty) {
      CHECK(out.back() == '\n');
      CHECK(out.find("\n  \"int\": -42") != std::string::npos);
      CHECK(out.find("{}") != std::string::npos);
      CHECK(out.find("[]") != std::string::npos);
    } else {
      CHECK(out.find('\n') == std::string::npos);
    }
  }
}

TEST_CASE("json_writer: an inline container is written on one line", "[report][json]") {
  // Regression: EndObject/EndArray once popped the inline level before
  // calling Newline(), so the closing bracket of an inline container inside
  // a pretty parent went on a new, indented line: {"a": 1, "b": 2\n  }.
  std::string out;
  JsonWriter w(&out, true);
  w.BeginObject();
  w.Key("o").Inline().BeginObject().Key("a").Int(1).Key("b").Int(2).EndObject();
  w.Key("l").Inline().BeginArray().String("x").String("y").EndArray();
  w.EndObject();
  CHECK(out.find("\"o\": {\"a\": 1, \"b\": 2}") != std::string::npos);
  CHECK(out.find("\"l\": [\"x\", \"y\"]") != std::string::npos);
}

TEST_CASE("report: written through a sink, in pieces, it has the same bytes", "[report]") {
  // A page whose report is several pieces long: 60,000 removed lines.
  std::string bytes = "A title of the page\n";
  for (int i = 0; i < 60000; ++i) bytes += i % 2 ? "Share\n" : "Menu\n";
  Cleaner cleaner(ProjectRules(), Options(), nullptr);
  CleanResult r;
  std::string error;
  REQUIRE(cleaner.Clean("p.txt", bytes, &r, &error));
  std::string whole, streamed, rest;
  WriteReport(r, KeepSet(), &whole);
  REQUIRE(whole.size() > 3 * kReportChunkBytes);
  size_t pieces = 0;
  WriteReport(r, KeepSet(), &rest, [&](std::string* piece) {
    CHECK(piece->size() >= kReportChunkBytes);
    CHECK(piece->size() < kReportChunkBytes + StagedAppend::kSize + 4096);
    streamed += *piece;
    piece->clear();
    ++pieces;
  });
  CHECK(pieces >= 3);
  CHECK(rest.size() < kReportChunkBytes + StagedAppend::kSize + 4096);
  CHECK(streamed + rest == whole);
}

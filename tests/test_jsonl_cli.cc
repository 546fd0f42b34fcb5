// `clean --jsonl` as the built binary: outputs, report, rejects, stats,
// compressed files, --jobs determinism, flags and exit codes.
#include <sys/stat.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <tuple>
#include <filesystem>
#include <map>
#include <set>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cleaner/io/byte_stream.h"
#include "cleaner/report/span_report.h"
#include "tests/test_support.h"

namespace fs = std::filesystem;
using clean::testing::kP1;
using clean::testing::kP2;
using clean::testing::kP3;
using clean::testing::ReadFile;
using clean::testing::RunClean;
using clean::testing::SplitLines;
using clean::testing::TempDir;
using clean::testing::WriteFile;
using json = nlohmann::json;

namespace {

// The dataset's text pages; without ../shared (a clone on its own), the
// fixtures' pages, so the tests still run on real pages.
std::vector<std::string> DatasetPages() {
  std::vector<std::string> files;
  std::error_code ec;
  for (auto& e : fs::directory_iterator(
           std::string(CLEAN_SHARED_DIR) + "/datasets/trafilatura-eval/text", ec))
    files.push_back(e.path().string());
  if (files.empty())
    for (auto& e : fs::recursive_directory_iterator(CLEAN_FIXTURES_DIR))
      if (e.path().filename() == "input.txt") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

// Every dataset page as a record (some with a UPI URL), then small
// synthetic ones, so that the stream spans several batches.
std::string DatasetJsonl(size_t synthetic) {
  std::string s;
  size_t n = 0;
  for (const auto& f : DatasetPages()) {
    std::string id = "p";
    id += std::to_string(n);
    json record = {{"id", id},
                   {"url", n % 5 ? "https://example.org/" : "https://www.upi.com/a"},
                   {"text", ReadFile(f)}};
    s += record.dump(-1, ' ', false, json::error_handler_t::replace);
    s += '\n';
    ++n;
  }
  for (size_t i = 0; i < synthetic; ++i) {
    std::string text = "Home\n" + kP1 + "\nShare\n" + (i % 2 ? kP2 : kP3) + "\n";
    s += json::object({{"id", i}, {"text", text}, {"n", {i, "x"}}}).dump() + "\n";
    if (i % 97 == 0) s += "{\"id\": \"broken\" \"text\": 1}\n";
  }
  return s;
}

std::string Write(const std::string& name, const std::string& data) {
  std::string p = TempDir() + "/" + name;
  WriteFile(p, data);
  return p;
}

std::string ReadAny(const std::string& path) {
  std::string bytes, error;
  REQUIRE(clean::ReadAnyInput(path, &bytes, &error));
  return bytes;
}

}  // namespace

TEST_CASE("jsonl cli: same bytes for any --jobs, report and stats agree", "[jsonl][cli]") {
  std::string in = Write("in.jsonl", DatasetJsonl(700));
  std::string dir = TempDir();
  std::vector<std::string> outs;
  for (const char* jobs : {"1", "2", "3", "8"}) {
    INFO("jobs " << jobs);
    std::string tag = dir + "/j" + jobs;
    auto r = RunClean({"--jsonl", "-q", "--jobs", jobs, "--url-field", "url", in, "-o",
                       tag + ".jsonl", "--report", tag + ".report.jsonl", "--rejects",
                       tag + ".rejects", "--stats", tag + ".stats.json"});
    REQUIRE_EXIT(r, 1);  // the broken lines
    outs.push_back(ReadFile(tag + ".jsonl") + ReadFile(tag + ".report.jsonl") +
                   ReadFile(tag + ".rejects") + ReadFile(tag + ".stats.json") + r.err);
  }
  for (size_t i = 1; i < outs.size(); ++i) CHECK(outs[i] == outs[0]);

  // One output record and one report line per good input record, in order.
  auto in_lines = SplitLines(ReadFile(in));
  auto out_lines = SplitLines(ReadFile(dir + "/j1.jsonl"));
  auto rep_lines = SplitLines(ReadFile(dir + "/j1.report.jsonl"));
  auto rejects = SplitLines(ReadFile(dir + "/j1.rejects"));
  REQUIRE(rejects.size() == 8);
  for (const auto& l : rejects) CHECK(l == "{\"id\": \"broken\" \"text\": 1}");
  REQUIRE(out_lines.size() == in_lines.size() - rejects.size());
  REQUIRE(rep_lines.size() == out_lines.size());
  json stats = json::parse(ReadFile(dir + "/j1.stats.json"));
  CHECK(stats["records"]["read"] == in_lines.size());
  CHECK(stats["records"]["rejected"] == 8);
  CHECK(stats["records"]["cleaned"] == out_lines.size());
  CHECK(stats["sources"]["upi"] > 0);
  size_t k = 0;
  uint64_t span_lines = 0;
  for (size_t i = 0; i < in_lines.size(); ++i) {
    if (in_lines[i] == rejects[0]) continue;
    json a = json::parse(in_lines[i]), b = json::parse(out_lines[k]),
         rep = json::parse(rep_lines[k]);
    ++k;
    CHECK(b["id"] == a["id"]);
    CHECK(rep["id"] == a["id"]);
    // Conservation: each non-blank line in exactly one span; the body spans
    // are the clean text.
    std::string text = a["text"], body;
    size_t lines = 0;
    for (const auto& l : SplitLines(text))
      lines += l.find_first_not_of(" \t\r") != std::string::npos;
    size_t spans = 0;
    for (auto& [key, list] : rep["attributes"].items())
      if (key.rfind("clean__rule__", 0) != 0) spans += list.size();  // the classes'
    CHECK(spans == lines);
    span_lines += spans;
    bool ascii = true;
    for (unsigned char c : text) ascii = ascii && c < 0x80;
    if (ascii)  // code point offsets are byte offsets
      for (auto& s : rep["attributes"]["clean__body"])
        body += text.substr(s[0].get<size_t>(), s[1].get<size_t>() - s[0].get<size_t>()) + "\n";
    if (ascii) CHECK(b["text"] == body);
  }
  uint64_t class_lines = 0;
  for (auto& [cls, c] : stats["classes"].items()) class_lines += c["lines"].get<uint64_t>();
  CHECK(class_lines == span_lines);
}

TEST_CASE("jsonl cli: the clean text is the plain mode's, fields kept", "[jsonl][cli]") {
  auto pages = DatasetPages();
  std::string jsonl;
  std::vector<std::string> expected;
  const size_t step = std::max<size_t>(1, pages.size() / 12);  // 12 pages, spread out
  for (size_t i = 0; i < 12 && i * step < pages.size(); ++i) {
    auto plain = RunClean({"-q", pages[i * step]});
    REQUIRE_EXIT(plain, 0);
    expected.push_back(plain.out);
    jsonl += "{\"meta\": {\"i\": " + std::to_string(i) + "}, \"text\": " +
             json(ReadFile(pages[i * step])).dump(-1, ' ', false, json::error_handler_t::replace) +
             ", \"tail\": [true]}\n";
  }
  auto r = RunClean({"--jsonl", "-q"}, jsonl);  // stdin to stdout
  REQUIRE_EXIT(r, 0);
  CHECK(r.err.empty());
  auto lines = SplitLines(r.out);
  REQUIRE(lines.size() == expected.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    INFO("record " << i);
    json j = json::parse(lines[i]);
    CHECK(j["text"] == expected[i]);
    CHECK_THAT(lines[i],
               Catch::StartsWith("{\"meta\": {\"i\": " + std::to_string(i) + "}, \"text\": \""));
    CHECK_THAT(lines[i], Catch::Contains("\", \"tail\": [true],\"clean\":{\"version\":"));
  }
}

namespace {

// A UTF-8 text as code points, to slice it by the span report's offsets.
std::u32string CodePoints(const std::string& s) {
  std::u32string cps;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    uint32_t cp = len == 1 ? c : c & (0xFF >> (len + 1));
    for (size_t k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
    cps.push_back(cp);
    i += len;
  }
  return cps;
}

// HTML pages: a small one with a menu, a title, two paragraphs and a
// footer (the case), the fixtures' HTML pages, and some dataset pages
// that are valid UTF-8 (a JSON string holds the page as UTF-8).
std::vector<std::string> HtmlPages() {
  std::vector<std::string> pages = {
      "<html><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav><article>"
      "<h1>The big story of the day</h1><p>" +
      kP1 + "</p>\n\n<p>Caf&eacute; " + kP2 +
      "</p></article><footer>Copyright 2024 The Paper. All rights reserved.</footer>"
      "</body></html>"};
  std::vector<std::string> files;
  for (auto& e : fs::recursive_directory_iterator(CLEAN_FIXTURES_DIR))
    if (e.path().filename() == "input.html") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  std::error_code ec;
  std::vector<std::string> dataset;
  for (auto& e :
       fs::directory_iterator(std::string(CLEAN_SHARED_DIR) + "/datasets/dragnet/html", ec))
    dataset.push_back(e.path().string());
  std::sort(dataset.begin(), dataset.end());
  if (dataset.size() > 12) dataset.resize(12);
  files.insert(files.end(), dataset.begin(), dataset.end());
  for (const auto& f : files) {
    std::string html = ReadAny(f);
    try {
      (void)json(html).dump();  // throws on invalid UTF-8
      pages.push_back(html);
    } catch (const json::exception&) {
    }
  }
  return pages;
}

}  // namespace

TEST_CASE("jsonl cli: an HTML record's spans index its rendered text, as the page report",
          "[jsonl][cli]") {
  // Each page as a record (--html-field) and as a file: every span of the
  // record's report, sliced from the rendered text (the lines `--keep`
  // with every class prints), is line N of the page, with the class and the
  // rule that the per-page report gives line N.
  const std::string dir = TempDir();
  const std::vector<std::string> pages = HtmlPages();
  REQUIRE(pages.size() > 3);
  std::string records;
  for (size_t i = 0; i < pages.size(); ++i)
    records += json{{"id", i}, {"html", pages[i]}}.dump() + "\n";
  WriteFile(dir + "/in.jsonl", records);
  auto run = RunClean({"--jsonl", "-q", "--html-field", "html", dir + "/in.jsonl", "-o",
                       dir + "/out.jsonl", "--report", dir + "/spans.jsonl"});
  REQUIRE_EXIT(run, 0);
  auto reports = SplitLines(ReadFile(dir + "/spans.jsonl"));
  REQUIRE(reports.size() == pages.size());
  for (size_t i = 0; i < pages.size(); ++i) {
    INFO("page " << i);
    const std::string page = dir + "/p" + std::to_string(i) + ".html";
    WriteFile(page, pages[i]);
    auto all = RunClean({"-q", "--keep", "title,meta,headline_list,navigation,caption,ad", page});
    REQUIRE_EXIT(all, 0);
    auto report_run = RunClean({"-q", page, "--report", page + ".json"});
    REQUIRE_EXIT(report_run, 0);
    const json per_page = json::parse(ReadFile(page + ".json"));
    const std::vector<std::string> lines = SplitLines(all.out);
    REQUIRE(per_page["input"]["lines"] == lines.size());
    const std::u32string rendered = CodePoints(all.out);
    // Line N (from 1) of the page: its class and rule; body lines are not
    // in the per-page report.
    std::vector<std::pair<std::string, std::string>> want(lines.size(), {"body", ""});
    for (const auto& e : per_page["removed"]) {
      size_t n = e["line"];
      REQUIRE(n >= 1);
      REQUIRE(n <= lines.size());
      CHECK(e["text"] == lines[n - 1]);
      want[n - 1] = {e["class"], e["rule"]};
    }
    const json rep = json::parse(reports[i]);
    CHECK(rep["id"] == i);
    CHECK(rep["version"] == clean::kSpanReportVersion);
    CHECK(rep["offsets"] == "rendered");
    // The rule of each span start, from the rule attributes.
    const std::string rule_key = "clean__rule__";
    std::map<size_t, std::string> rule_at;
    for (auto& [key, list] : rep["attributes"].items())
      if (key.rfind(rule_key, 0) == 0)
        for (auto& s : list) rule_at[s[0].get<size_t>()] = key.substr(rule_key.size());
    // (start, line text, class, rule) of every class span, in text order.
    std::vector<std::tuple<size_t, std::u32string, std::string, std::string>> got;
    for (auto& [key, list] : rep["attributes"].items()) {
      if (key.rfind(rule_key, 0) == 0) continue;
      for (auto& s : list) {
        size_t a = s[0], b = s[1];
        REQUIRE(a <= b);
        REQUIRE(b <= rendered.size());
        got.emplace_back(a, rendered.substr(a, b - a), key.substr(std::string("clean__").size()),
                         rule_at[a]);
      }
    }
    CHECK(rule_at.size() == got.size());  // one rule a span
    std::sort(got.begin(), got.end());
    REQUIRE(got.size() == lines.size());
    for (size_t n = 0; n < lines.size(); ++n) {
      INFO("line " << n + 1 << ": " << lines[n]);
      CHECK(std::get<1>(got[n]) == CodePoints(lines[n]));
      CHECK(std::get<2>(got[n]) == want[n].first);
      if (want[n].first != "body") CHECK(std::get<3>(got[n]) == want[n].second);
    }
  }
}

namespace {

// Checks one span report line is a dolma attribute line (issue 17): an id,
// version 3, and attributes whose values are lists of [start, end, score]
// (two unsigned integers in order, a number), named clean__CLASS for every
// class and clean__rule__ID for the rest.
void CheckDolmaShape(const json& rep) {
  CHECK(rep.contains("id"));
  CHECK(rep["version"] == clean::kSpanReportVersion);
  CHECK(clean::kSpanReportVersion == 3);
  const json& attributes = rep["attributes"];
  REQUIRE(attributes.is_object());
  for (const char* c : {"body", "title", "meta", "headline_list", "navigation", "caption", "ad"})
    CHECK(attributes.contains(std::string("clean__") + c));
  static const std::set<std::string> classes = {
      "clean__body",       "clean__title",   "clean__meta", "clean__headline_list",
      "clean__navigation", "clean__caption", "clean__ad"};
  for (const auto& [key, list] : attributes.items()) {
    INFO(key);
    const bool rule = key.rfind("clean__rule__", 0) == 0 && key.size() > 13;
    CHECK((rule || classes.count(key)));
    REQUIRE(list.is_array());
    for (const auto& s : list) {
      REQUIRE(s.is_array());
      REQUIRE(s.size() == 3);
      CHECK(s[0].is_number_unsigned());
      CHECK(s[1].is_number_unsigned());
      CHECK(s[0].get<uint64_t>() <= s[1].get<uint64_t>());
      CHECK(s[2].is_number_float());
      CHECK(s[2] == 1.0);  // rules decide: no model scores here
    }
  }
}

}  // namespace

TEST_CASE("jsonl cli: the span report is dolma's attribute shape, its rules the page report's",
          "[jsonl][cli]") {
  // The fixtures' text pages as records: each report line has dolma's
  // shape, and every line the per-page report of the same page removes is
  // a span of its class and of its rule's attribute (sliced from the text,
  // it is the line); the other spans are body lines.
  std::vector<std::string> files;
  for (auto& e : fs::recursive_directory_iterator(CLEAN_FIXTURES_DIR))
    if (e.path().filename() == "input.txt") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  std::vector<std::string> pages;
  for (const auto& f : files) {
    std::string text = ReadFile(f);
    try {
      (void)json(text).dump();  // throws on invalid UTF-8
      pages.push_back(f);
    } catch (const json::exception&) {
    }
  }
  REQUIRE(pages.size() > 5);
  const std::string dir = TempDir();
  std::string records;
  for (size_t i = 0; i < pages.size(); ++i)
    records += json{{"id", i}, {"text", ReadFile(pages[i])}}.dump() + "\n";
  WriteFile(dir + "/in.jsonl", records);
  auto run = RunClean({"--jsonl", "-q", dir + "/in.jsonl", "-o", dir + "/out.jsonl", "--report",
                       dir + "/spans.jsonl"});
  REQUIRE_EXIT(run, 0);
  auto reports = SplitLines(ReadFile(dir + "/spans.jsonl"));
  REQUIRE(reports.size() == pages.size());
  const std::string rule_key = "clean__rule__";
  size_t removed_lines = 0;
  for (size_t i = 0; i < pages.size(); ++i) {
    INFO(pages[i]);
    const json rep = json::parse(reports[i]);
    CheckDolmaShape(rep);
    CHECK(rep["id"] == i);
    CHECK(rep["offsets"] == "text");
    auto page_run = RunClean({"-q", pages[i], "--report", dir + "/page.json"});
    REQUIRE_EXIT(page_run, 0);
    const json per_page = json::parse(ReadFile(dir + "/page.json"));
    const std::u32string text = CodePoints(ReadFile(pages[i]));
    // The class and the rule of each span, by its start.
    std::map<size_t, std::pair<std::string, std::string>> at;
    size_t rule_spans = 0, class_spans = 0;
    for (const auto& [key, list] : rep["attributes"].items())
      for (const auto& s : list) {
        const size_t a = s[0], b = s[1];
        REQUIRE(b <= text.size());
        REQUIRE(a < b);  // a non-blank line
        if (key.rfind(rule_key, 0) == 0) {
          at[a].second = key.substr(rule_key.size());
          ++rule_spans;
        } else {
          at[a].first = key.substr(7);
          ++class_spans;
        }
      }
    CHECK(rule_spans == class_spans);  // one rule a span, one class
    CHECK(at.size() == class_spans);
    // (line text, class, rule) of the removed lines, from both reports.
    std::multiset<std::tuple<std::u32string, std::string, std::string>> want, got;
    for (const auto& e : per_page["removed"])
      want.emplace(CodePoints(e["text"]), e["class"], e["rule"]);
    for (const auto& [a, cr] : at) {
      CHECK_FALSE(cr.second.empty());
      if (cr.first == "body") continue;
      size_t b = 0;
      for (const auto& s : rep["attributes"]["clean__" + cr.first])
        if (s[0] == a) b = s[1];
      got.emplace(text.substr(a, b - a), cr.first, cr.second);
    }
    CHECK(got == want);
    removed_lines += want.size();
  }
  CHECK(removed_lines > 20);
}

TEST_CASE("jsonl cli: compressed inputs and outputs, --out-dir and a report directory",
          "[jsonl][cli]") {
  std::string plain = DatasetJsonl(50);
  std::string dir = TempDir();
  WriteFile(dir + "/a.jsonl", plain);
  auto ref = RunClean({"--jsonl", "-q", "-j", "2", dir + "/a.jsonl", "--report", dir + "/a.rep"});
  REQUIRE_EXIT(ref, 1);
  // Compress the input with our own writer, then clean to every output kind.
  for (const char* in_ext : {".gz", ".zst"}) {
    std::string error;
    auto w = clean::OpenOutput(dir + "/a.jsonl" + in_ext, &error);
    REQUIRE(w);
    REQUIRE(w->Write(plain, &error));
    REQUIRE(w->Close(&error));
    for (const char* out_ext : {"", ".gz", ".zst"}) {
      INFO(in_ext << " -> " << out_ext);
      std::string out = dir + "/out.jsonl" + out_ext;
      auto r = RunClean({"--jsonl", "-q", dir + "/a.jsonl" + in_ext, "-o", out});
      REQUIRE_EXIT(r, 1);
      CHECK(ReadAny(out) == ref.out);
      CHECK_FALSE(fs::exists(out + ".tmp"));
    }
  }
  std::string od = TempDir() + "/out", rd = TempDir() + "/attributes";
  auto r = RunClean({"--jsonl", "-q", "--out-dir", od, "--report", rd, dir + "/a.jsonl.gz",
                     dir + "/a.jsonl.zst"});
  REQUIRE_EXIT(r, 1);
  CHECK(ReadAny(od + "/a.jsonl.gz") == ref.out);
  CHECK(ReadAny(od + "/a.jsonl.zst") == ref.out);
  CHECK(ReadAny(rd + "/a.jsonl.gz") == ReadFile(dir + "/a.rep"));
  CHECK(ReadFile(od + "/a.jsonl.gz").substr(0, 2) == "\x1f\x8b");
}

namespace {

// How Python's gzip and zlib read a .gz file: "MEMBERS BYTES" (its members
// counted one by one, and the decompressed size), or the error.
std::string PythonGzip(const std::string& path) {
  std::string script = TempDir() + "/members.py", answer = TempDir() + "/members.txt";
  WriteFile(script,
            "import gzip, sys, zlib\n"
            "raw = open(sys.argv[1], 'rb').read()\n"
            "whole = gzip.decompress(raw)\n"
            "members, rest, size = 0, raw, 0\n"
            "while rest:\n"
            "    d = zlib.decompressobj(31)\n"
            "    size += len(d.decompress(rest))\n"
            "    assert d.eof\n"
            "    members, rest = members + 1, d.unused_data\n"
            "assert size == len(whole)\n"
            "print(members, len(whole))\n");
  std::string cmd = "python3 '" + script + "' '" + path + "' > '" + answer + "' 2>&1";
  int status = std::system(cmd.c_str());
  std::string got = ReadFile(answer);
  return status == 0 ? got : "failed: " + got;
}

}  // namespace

TEST_CASE("jsonl cli: a .gz output is compressed by the workers, the same bytes for any --jobs",
          "[jsonl][cli]") {
  // Several batches (kBatchRecords records each): each is a gzip member
  // compressed by the worker that cleaned it, written in input order.
  std::string in = Write("in.jsonl", DatasetJsonl(1500));
  std::string dir = TempDir();
  auto plain = RunClean({"--jsonl", "-q", "-j", "1", in, "-o", dir + "/plain.jsonl", "--report",
                         dir + "/plain.report"});
  REQUIRE_EXIT(plain, 1);
  std::string gz1;
  for (const char* jobs : {"1", "2", "3"}) {
    INFO("jobs " << jobs);
    std::string out = dir + "/j" + jobs + ".jsonl.gz", rep = dir + "/j" + jobs + ".report.gz";
    auto r = RunClean({"--jsonl", "-q", "-j", jobs, in, "-o", out, "--report", rep});
    REQUIRE_EXIT(r, 1);
    if (gz1.empty()) gz1 = ReadFile(out);
    CHECK(ReadFile(out) == gz1);
    CHECK(ReadAny(out) == ReadFile(dir + "/plain.jsonl"));
    CHECK(ReadAny(rep) == ReadFile(dir + "/plain.report"));
    CHECK(std::system(("gzip -t '" + out + "' && gzip -t '" + rep + "'").c_str()) == 0);
    CHECK_FALSE(fs::exists(out + ".tmp"));
  }
  std::string python = PythonGzip(dir + "/j1.jsonl.gz");
  INFO(python);
  unsigned members = 0;
  size_t size = 0;
  REQUIRE(std::sscanf(python.c_str(), "%u %zu", &members, &size) == 2);
  CHECK(size == ReadFile(dir + "/plain.jsonl").size());
  CHECK(members > 3);  // one per batch, not one for the whole stream
}

TEST_CASE("jsonl cli: a .gz output with no record is one empty gzip member", "[jsonl][cli]") {
  std::string in = Write("bad.jsonl", "{\"id\": 1 \"text\": 2}\nnot json\n");
  std::string out = TempDir() + "/none.jsonl.gz";
  auto r = RunClean({"--jsonl", "-q", "-j", "2", in, "-o", out});
  REQUIRE_EXIT(r, 1);
  CHECK(ReadAny(out).empty());
  CHECK(PythonGzip(out) == "1 0\n");
  CHECK(std::system(("gzip -t '" + out + "'").c_str()) == 0);
}

TEST_CASE("jsonl cli: the plain mode reads and writes .gz and .zst pages", "[jsonl][cli]") {
  auto pages = DatasetPages();
  auto ref = RunClean({"-q", pages[3]});
  REQUIRE_EXIT(ref, 0);
  std::string dir = TempDir();
  for (const char* ext : {".gz", ".zst"}) {
    std::string error;
    auto w = clean::OpenOutput(dir + "/page.txt" + ext, &error);
    REQUIRE(w->Write(ReadFile(pages[3]), &error));
    REQUIRE(w->Close(&error));
    auto r = RunClean({"-q", dir + "/page.txt" + ext});
    REQUIRE_EXIT(r, 0);
    CHECK(r.out == ref.out);
    // Compressed output by -o's extension; --out-dir names drop the extension.
    std::string out = dir + "/clean.txt" + ext;
    auto w2 = RunClean({"-q", dir + "/page.txt" + ext, "-o", out});
    REQUIRE_EXIT(w2, 0);
    CHECK(ReadAny(out) == ref.out);
    CHECK(ReadFile(out) != ref.out);
    auto od = RunClean({"-q", "--out-dir", dir + "/od" + ext, dir + "/page.txt" + ext});
    REQUIRE_EXIT(od, 0);
    CHECK(ReadFile(dir + "/od" + ext + "/page.txt") == ref.out);
  }
}

TEST_CASE("jsonl cli: malformed lines and missing inputs; the stream goes on", "[jsonl][cli]") {
  std::string good = "{\"id\": 1, \"text\": " + json(kP1 + "\n").dump() + "}\n";
  std::string in = Write("mixed.jsonl", good + "not json\n{\"id\": 2}\n\n" + good +
                                            "{\"id\": 3, \"text\": {}}\n" + good);
  std::string rejects = TempDir() + "/rejects.jsonl";
  auto r = RunClean({"--jsonl", in, TempDir() + "/missing.jsonl", in, "--rejects", rejects});
  REQUIRE_EXIT(r, 1);
  CHECK(SplitLines(r.out).size() == 6);
  CHECK_THAT(r.err, Catch::Contains("mixed.jsonl:2: bad JSON: column 1:"));
  CHECK_THAT(r.err, Catch::Contains("mixed.jsonl:3: no field 'text'"));
  CHECK_THAT(r.err, Catch::Contains("mixed.jsonl:6: field 'text' is an object, not a string"));
  CHECK_THAT(r.err, Catch::Contains("missing.jsonl: No such file"));
  CHECK_THAT(r.err, Catch::Contains(
                        "clean: 12 records (6 cleaned, 0 over a limit, 0 dropped, 6 rejected)"));
  CHECK(ReadFile(rejects) == std::string("not json\n{\"id\": 2}\n{\"id\": 3, \"text\": {}}\n") +
                                 "not json\n{\"id\": 2}\n{\"id\": 3, \"text\": {}}\n");
  // All good: exit 0; -q silences the summary line.
  auto ok = RunClean({"--jsonl", "-q"}, good + good);
  REQUIRE_EXIT(ok, 0);
  CHECK(ok.err.empty());
  // Limits are not failures.
  auto lim = RunClean({"--jsonl", "-q", "--max-bytes", "10", "--over-limit", "drop"}, good);
  REQUIRE_EXIT(lim, 0);
  CHECK(lim.out.empty());
  auto pass = RunClean({"--jsonl", "-q", "--max-bytes=10", "--time-budget", "1000"}, good);
  REQUIRE_EXIT(pass, 0);
  CHECK(json::parse(pass.out)["clean"]["over_limit"] == "max_bytes");
  CHECK(json::parse(pass.out)["text"] == kP1 + "\n");
}

TEST_CASE("jsonl cli: flags, usage errors exit 2", "[jsonl][cli]") {
  auto help = RunClean({"--help"});
  for (const char* flag : {"--jsonl", "--text-field", "--html-field", "--id-field",
                           "--source-field", "--url-field", "--summary-key", "--rejects", "--stats",
                           "--jobs", "--max-bytes", "--time-budget", "--over-limit"}) {
    INFO(flag);
    CHECK(help.out.find(flag) != std::string::npos);
  }
  struct Case {
    std::vector<std::string> args;
    const char* message;
  };
  const std::vector<Case> kCases = {
      {{"--jsonl", "--jobs", "0"}, "--jobs: expected a whole number from 1"},
      {{"--jsonl", "-j", "two"}, "--jobs: expected a whole number"},
      {{"--jsonl", "--max-bytes", "-5"}, "--max-bytes"},
      {{"--jsonl", "--time-budget", "1.5"}, "--time-budget"},
      {{"--jsonl", "--over-limit", "skip"}, "expected pass or drop"},
      {{"--jsonl", "--summary-key", "text"}, "--summary-key must differ"},
      {{"--jsonl", "--text-field="}, "--text-field must not be empty"},
      {{"--jsonl", "--explain"}, "--explain has no effect in JSONL mode"},
  };
  for (const auto& c : kCases) {
    INFO(c.args[1]);
    auto r = RunClean(c.args, "{\"text\": \"x\"}\n");
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith("clean: ") && Catch::Contains(c.message));
    CHECK(r.out.empty());
  }
  // An output that cannot be created is a failed write, not a usage error.
  auto rej = RunClean({"--jsonl", "--rejects", "/nonexistent/dir/r.jsonl"}, "{\"text\": \"x\"}\n");
  CHECK(rej.exit_code == 1);
  CHECK_THAT(rej.err, Catch::StartsWith("clean: cannot write /nonexistent/dir/r.jsonl"));
  CHECK(rej.out.empty());
  // Other field names through the CLI.
  auto r = RunClean({"--jsonl", "-q", "--text-field", "body", "--id-field", "key", "--summary-key",
                     "stats", "--source-field", "site", "--report", TempDir() + "/r.jsonl"},
                    "{\"key\": \"k\", \"site\": \"upi\", \"body\": " + json(kP2).dump() + "}\n");
  REQUIRE_EXIT(r, 0);
  json j = json::parse(r.out);
  CHECK(j["body"] == kP2 + "\n");
  CHECK(j["stats"]["source"] == "upi");
  CHECK(j["stats"]["detected_by"] == "field");
}

TEST_CASE("jsonl cli: a closed output pipe stops quietly", "[jsonl][cli]") {
  std::string in = Write("many.jsonl", DatasetJsonl(0));
  std::string err = TempDir() + "/err";
  std::string cmd = std::string("'") + CLEAN_BINARY + "' --jsonl -j 2 '" + in + "' 2>'" + err +
                    "' | head -c 100 >/dev/null; exit ${PIPESTATUS[0]}";
  std::string script = Write("pipe.sh", cmd + "\n");
  int status = std::system(("bash '" + script + "'").c_str());
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(ReadFile(err).find("cannot write") == std::string::npos);
}

TEST_CASE("jsonl cli: a full device fails with a message naming the output", "[jsonl][cli]") {
  struct stat st;
  if (::stat("/dev/full", &st) != 0 || !S_ISCHR(st.st_mode)) {
    WARN("no /dev/full character device on this machine: skipped");
    return;
  }
  std::string in = Write("one.jsonl", "{\"id\": 1, \"text\": \"" + std::string(kP1) + "\"}\n");
  for (const char* flag : {"-o", "--report", "--stats"}) {
    INFO(flag);
    auto r = RunClean({"--jsonl", "-q", flag, "/dev/full", in});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::StartsWith("clean: /dev/full: write failed: "));
  }
  REQUIRE(::stat("/dev/full", &st) == 0);
  CHECK(S_ISCHR(st.st_mode));  // written in place, not replaced
}

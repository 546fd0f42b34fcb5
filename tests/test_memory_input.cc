// Input edges of issue 21: lone CR line ends (page and JSONL text), empty
// compressed files (a truncated stream, not an empty page), and the JSONL
// pipeline's large records (cleaned alone, same bytes for any --jobs).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cleaner/base/options.h"
#include "cleaner/text/page.h"
#include "cleaner/report/span_report.h"
#include "tests/test_support.h"

using namespace clean;
using clean::testing::kP1;
using clean::testing::kP2;
using clean::testing::kP3;
using clean::testing::ReadFile;
using clean::testing::RunClean;
using clean::testing::TempDir;
using clean::testing::WriteIn;
using json = nlohmann::json;

namespace {

std::vector<std::string> Lines(const Page& page) {
  std::vector<std::string> v;
  for (size_t i = 0; i < page.lines.size(); ++i) v.emplace_back(page.line(i));
  return v;
}

}  // namespace

TEST_CASE("input: a lone CR ends a line, CRLF is one line end", "[text][page][input]") {
  const std::string bytes = "one\rtwo\r\nthree \r\rfour\r";
  const std::vector<std::string> want = {"one", "two", "three", "", "four"};
  for (bool vouch : {false, true}) {
    INFO("valid_utf8 " << vouch);
    Page page;
    std::string error;
    std::vector<CodePointSpan> spans;
    REQUIRE(BuildPage(bytes, Options(), &page, &error, vouch, vouch ? &spans : nullptr));
    CHECK(Lines(page) == want);
    CHECK(page.had_crlf);
    CHECK(page.final_newline);
    if (vouch) {  // code points of the original: "one" [0,3), "two" [4,7), "three" [9,14)...
      std::vector<CodePointSpan> ref;
      LineCodePointSpans(bytes, bytes.size() + 1, &ref);
      REQUIRE(spans.size() == want.size());
      REQUIRE(ref.size() == want.size());
      for (size_t i = 0; i < want.size(); ++i) {
        CHECK(spans[i].start == ref[i].start);
        CHECK(spans[i].end == ref[i].end);
        CHECK(bytes.substr(ref[i].start, ref[i].end - ref[i].start) == want[i]);
      }
    }
  }
}

TEST_CASE("input: a CR-only page is cleaned line by line, nothing lost", "[cli][input]") {
  const std::string dir = TempDir();
  const std::string text = "Home\r" + kP1 + "\rShare this\r" + kP2 + "\r" + kP3 + "\r";
  const std::string in = WriteIn(dir, "mac.txt", text);
  auto r = RunClean({"-q", in, "-o", dir + "/out.txt", "--report", dir + "/r.json"});
  REQUIRE_EXIT(r, 0);
  const std::string report = ReadFile(dir + "/r.json");
  CHECK(json::parse(report)["input"]["lines"] == 5);
  const std::string out = ReadFile(dir + "/out.txt");
  CHECK(out.find('\r') == std::string::npos);
  CHECK(out.find(kP1 + "\n") != std::string::npos);
  Page page;
  std::string error;
  REQUIRE(BuildPage(text, Options(), &page, &error));
  REQUIRE(page.lines.size() == 5);
  clean::testing::CheckConservation("mac.txt", page, out, report);
}

TEST_CASE("input: a JSONL text with lone CRs has one span per line", "[jsonl][cli][input]") {
  const std::string dir = TempDir();
  const std::string text = kP1 + "\rShare this\r" + kP2 + "\r\n" + kP3;
  const std::string in =
      WriteIn(dir, "in.jsonl", json::object({{"id", 7}, {"text", text}}).dump() + "\n");
  auto r = RunClean(
      {"--jsonl", "-q", "-j", "1", in, "-o", dir + "/out.jsonl", "--report", dir + "/spans.jsonl"});
  REQUIRE_EXIT(r, 0);
  json line = json::parse(ReadFile(dir + "/spans.jsonl"));
  size_t spans = 0;
  for (const auto& [key, list] : line["attributes"].items())
    if (key.rfind("clean__rule__", 0) != 0) spans += list.size();  // the classes
  CHECK(spans == 4);
  json rec = json::parse(ReadFile(dir + "/out.jsonl"));
  CHECK(rec["text"].get<std::string>().find(kP2 + "\n") != std::string::npos);
}

TEST_CASE("input: an empty .gz or .zst file is a truncated stream", "[cli][input]") {
  for (const char* ext : {".gz", ".zst"}) {
    INFO(ext);
    const std::string dir = TempDir();
    const std::string name = std::string("empty.txt") + ext;
    const std::string empty = WriteIn(dir, name, "");
    const std::string good = WriteIn(dir, "good.txt", kP1 + "\n" + kP2 + "\n");
    // Page mode: that input fails, the batch goes on.
    auto r = RunClean({"-q", "--out-dir", dir + "/out", empty, good});
    REQUIRE_EXIT(r, 1);
    CHECK_THAT(r.err, Catch::Contains(name + ": ") && Catch::Contains("truncated"));
    CHECK(ReadFile(dir + "/out/good.txt") == kP1 + "\n" + kP2 + "\n");
    CHECK_FALSE(std::filesystem::exists(dir + "/out/empty.txt"));
    // JSONL mode: the same.
    const std::string jname = std::string("empty.jsonl") + ext;
    const std::string jempty = WriteIn(dir, jname, "");
    const std::string jgood =
        WriteIn(dir, "good.jsonl", json::object({{"id", 1}, {"text", kP1}}).dump() + "\n");
    auto j = RunClean({"--jsonl", "-q", "--out-dir", dir + "/jout", jempty, jgood});
    REQUIRE_EXIT(j, 1);
    CHECK_THAT(j.err, Catch::Contains(jname) && Catch::Contains("truncated"));
    CHECK(std::filesystem::exists(dir + "/jout/good.jsonl"));
  }
}

TEST_CASE("input: JSONL records larger than the window give the same bytes for any -j",
          "[jsonl][cli][input]") {
  // Records of 5 MB (over kLargeRecordBytes and, with -j 1, the window's
  // bytes) between small ones: cleaned alone, their workers' buffers
  // dropped after them.
  std::string big;
  while (big.size() < (5u << 20)) big += kP1 + "\n" + kP2 + "\nShare this\n";
  std::string data;
  for (int i = 0; i < 12; ++i)
    data += json::object({{"id", i}, {"text", i % 4 == 1 ? big : kP3 + "\n" + kP1}}).dump() + "\n";
  const std::string dir = TempDir();
  const std::string in = WriteIn(dir, "in.jsonl", data);
  std::string first;
  for (const char* jobs : {"1", "2", "3"}) {
    INFO("jobs " << jobs);
    auto r = RunClean({"--jsonl", "-q", "-j", jobs, in, "-o", dir + "/out.jsonl"});
    REQUIRE_EXIT(r, 0);
    const std::string out = ReadFile(dir + "/out.jsonl");
    CHECK(std::count(out.begin(), out.end(), '\n') == 12);
    if (first.empty())
      first = out;
    else
      CHECK(out == first);
  }
}

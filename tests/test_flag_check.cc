// The flag check (cleaner/cli/flag_check.h), through the built binary: a
// flag that has no effect in the chosen mode is a usage error naming the
// flag and the mode; flags in their modes work, --no-prefilter and
// --resume in JSONL mode included.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cleaner/cli/cli.h"
#include "cleaner/cli/flag_check.h"
#include "tests/test_support.h"

namespace fs = std::filesystem;
using clean::testing::kP1;
using clean::testing::kP2;
using clean::testing::kP3;
using clean::testing::ReadFile;
using clean::testing::RunClean;
using clean::testing::TempDir;
using clean::testing::WriteFile;
using clean::testing::WriteIn;
using json = nlohmann::json;

namespace {

std::string Record(int id, const std::string& text) {
  return json::object({{"id", id}, {"key", id}, {"text", text}}).dump() + "\n";
}

// The files in `dir`, recursively (none when it does not exist).
size_t FilesIn(const std::string& dir) {
  size_t n = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != end(it); it.increment(ec))
    n += it->is_regular_file();
  return n;
}

}  // namespace

TEST_CASE("flag check: every flag of the flag table has its modes", "[cli][flags]") {
  auto names = clean::FlagNames();
  REQUIRE(names.size() > 20);
  for (const std::string& name : names) {
    INFO(name);
    CHECK(clean::FlagHasModes(name));
  }
}

TEST_CASE("flag check: a flag with no effect in the mode exits 2 naming both", "[cli][flags]") {
  std::string dir = TempDir();
  std::string page = WriteIn(dir, "page.txt", kP1 + "\n");
  std::string od = dir + "/od", out = dir + "/out.txt";
  struct Case {
    std::vector<std::string> args;
    std::string flag, mode;
  };
  const std::vector<Case> kCases = {
      // JSONL flags without --jsonl.
      {{"--stats", dir + "/s.json"}, "--stats", "page mode"},
      {{"--rejects", dir + "/r.jsonl"}, "--rejects", "page mode"},
      {{"--max-bytes", "10"}, "--max-bytes", "page mode"},
      {{"--time-budget", "10"}, "--time-budget", "page mode"},
      {{"--over-limit", "drop"}, "--over-limit", "page mode"},
      {{"--text-field", "body"}, "--text-field", "page mode"},
      {{"--html-field=html"}, "--html-field", "page mode"},
      {{"--id-field", "key"}, "--id-field", "page mode"},
      {{"--source-field", "site"}, "--source-field", "page mode"},
      {{"--url-field", "url"}, "--url-field", "page mode"},
      {{"--summary-key", "s"}, "--summary-key", "page mode"},
      {{"--out-dir", od, "--stats", dir + "/s.json"}, "--stats", "page mode with --out-dir"},
      // Outputs that --out-dir names itself.
      {{"--out-dir", od, "-o", out}, "-o", "page mode with --out-dir"},
      {{"--out-dir", od, "--output=" + out}, "--output", "page mode with --out-dir"},
      {{"--jsonl", "--out-dir", od, "-o", out}, "-o", "JSONL mode with --out-dir"},
      {{"--out-dir", od, "--report", dir + "/r.json"}, "--report", "page mode with --out-dir"},
      // Page-mode flags in JSONL mode.
      {{"--jsonl", "--explain"}, "--explain", "JSONL mode"},
      {{"--jsonl", "--input", "html"}, "--input", "JSONL mode"},
      {{"--jsonl", "--stage-times"}, "--stage-times", "JSONL mode"},
      // --resume without --out-dir.
      {{"--resume"}, "--resume", "page mode"},
      {{"--jsonl", "--resume"}, "--resume", "JSONL mode"},
      // The modes that only look at the rules.
      {{"--check-rules", "--jsonl"}, "--jsonl", "--check-rules mode"},
      {{"--check-rules", "--list-sources"}, "--list-sources", "--check-rules mode"},
      {{"--check-rules", "--keep", "title"}, "--keep", "--check-rules mode"},
      {{"--check-rules", "--no-prefilter"}, "--no-prefilter", "--check-rules mode"},
      {{"--check-rules", "--durable"}, "--durable", "--check-rules mode"},
      {{"--check-rules", "--out-dir", od}, "--out-dir", "--check-rules mode"},
      {{"--list-sources", "--source", "upi"}, "--source", "--list-sources mode"},
      {{"--list-sources", "-o", out}, "-o", "--list-sources mode"},
      {{"--list-sources", "--explain"}, "--explain", "--list-sources mode"},
      {{"--check-rules", page}, "page.txt", "--check-rules mode"},
      // Flags that need another one.
      {{"--jsonl", "--id-field", "key"}, "--id-field", "--report"},
      {{"--durable"}, "--durable", "page mode"},
      {{"--durable", "-o", "-"}, "--durable", "page mode"},
      {{"--jsonl", "--durable"}, "--durable", "JSONL mode"},
  };
  for (const auto& c : kCases) {
    std::string shown;
    for (const auto& a : c.args) shown += a + " ";
    INFO("args: " << shown);
    auto r = RunClean(c.args, kP1 + "\n");
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err,
               Catch::StartsWith("clean: " + c.flag) || Catch::StartsWith("clean: " + c.mode));
    CHECK_THAT(r.err, Catch::Contains(c.flag) && Catch::Contains(c.mode));
    CHECK(r.out.empty());
    // Nothing written before the check.
    CHECK_FALSE(fs::exists(out));
    CHECK_FALSE(fs::exists(od));
  }
}

TEST_CASE("flag check: flags in their modes are accepted", "[cli][flags]") {
  std::string dir = TempDir();
  std::string page = WriteIn(dir, "page.txt", kP1 + "\n" + kP2 + "\n");
  std::string shard = WriteIn(dir, "shard.jsonl", Record(1, kP1) + Record(2, kP2));
  const std::vector<std::vector<std::string>> kCases = {
      {"-q", page},
      {"-q", "--durable", "-o", dir + "/o1.txt", page},
      {"-q", "--durable", "--report", dir + "/r1.json", page},
      {"-q", "--out-dir", dir + "/od1", "--explain", "--stage-times", "--resume", "--durable",
       "--keep", "title", "--no-prefilter", "--input", "text", page},
      {"-q", "--jsonl", "--durable", "--stats", dir + "/s.json", shard},
      {"-q", "--jsonl", "--id-field", "key", "--report", dir + "/r.jsonl", shard},
      {"-q", "--jsonl", "--out-dir", dir + "/od2", "--report", dir + "/rd2", "--resume", shard},
      {"-q", "--jsonl", "--no-prefilter", "--keep", "meta", "-j", "2", "--max-bytes", "99999",
       "--over-limit", "drop", "--rejects", dir + "/rej.jsonl", "-o", dir + "/o2.jsonl", shard},
      {"--check-rules", "-q"},
      {"--list-sources", "--rules", std::string(CLEAN_RULES_DIR)},
  };
  for (const auto& args : kCases) {
    std::string shown;
    for (const auto& a : args) shown += a + " ";
    INFO("args: " << shown);
    auto r = RunClean(args);
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 0);
  }
}

TEST_CASE("flag check: --no-prefilter works in JSONL mode", "[cli][flags][jsonl]") {
  // The prefilters, when built, are cached in CLEAN_CACHE_DIR: without them
  // nothing is cached, and the output is the same.
  std::string dir = TempDir();
  std::string shard = WriteIn(
      dir, "shard.jsonl",
      Record(1, "Home\n" + kP1 + "\nShare with X\n") + Record(2, kP2 + "\nRelated\n" + kP3));
  std::string without_cache = dir + "/cache-without", with_cache = dir + "/cache-with";
  ::setenv("CLEAN_CACHE_DIR", without_cache.c_str(), 1);
  auto without = RunClean({"--jsonl", "-q", "--no-prefilter", "-j", "2", shard});
  ::setenv("CLEAN_CACHE_DIR", with_cache.c_str(), 1);
  auto with = RunClean({"--jsonl", "-q", "-j", "2", shard});
  ::unsetenv("CLEAN_CACHE_DIR");
  REQUIRE_EXIT(without, 0);
  REQUIRE_EXIT(with, 0);
  CHECK(FilesIn(with_cache) > 0);
  CHECK(FilesIn(without_cache) == 0);
  CHECK(without.out == with.out);
}

TEST_CASE("flag check: --resume with --jsonl --out-dir skips complete shards",
          "[cli][flags][jsonl][resume]") {
  std::string in = TempDir();
  WriteIn(in, "a.jsonl", Record(1, kP1));
  WriteIn(in, "b.jsonl", Record(2, kP2));
  WriteIn(in, "c.jsonl", Record(3, kP3));
  std::string od = TempDir() + "/out", rd = TempDir() + "/reports";
  auto first = RunClean({"--jsonl", "-q", "--out-dir", od, "--report", rd, in});
  REQUIRE_EXIT(first, 0);
  std::string b_clean = ReadFile(od + "/b.jsonl");
  // a complete (a marker stands for its output); b cut before its report.
  WriteFile(od + "/a.jsonl", "marker\n");
  fs::remove(rd + "/b.jsonl");
  WriteFile(od + "/b.jsonl", "half\n");
  auto r = RunClean({"--jsonl", "--resume", "--out-dir", od, "--report", rd, in});
  REQUIRE_EXIT(r, 0);
  CHECK_THAT(r.err, Catch::Contains("--resume: 2 input(s) already complete in " + od));
  CHECK(ReadFile(od + "/a.jsonl") == "marker\n");
  CHECK(ReadFile(od + "/b.jsonl") == b_clean);
  CHECK(fs::is_regular_file(rd + "/b.jsonl"));
  // Without --report, the output alone is the shard's.
  fs::remove(od + "/c.jsonl");
  auto q = RunClean({"--jsonl", "-q", "--resume", "--out-dir", od, in});
  REQUIRE_EXIT(q, 0);
  CHECK(q.err.empty());
  CHECK(ReadFile(od + "/a.jsonl") == "marker\n");
  CHECK(fs::is_regular_file(od + "/c.jsonl"));
  // Without --resume everything is rewritten.
  auto all = RunClean({"--jsonl", "-q", "--out-dir", od, in});
  REQUIRE_EXIT(all, 0);
  CHECK(ReadFile(od + "/a.jsonl") != "marker\n");
}

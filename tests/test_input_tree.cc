// The inputs of the command line (cleaner/cli/inputs.h, io/input_dir.h,
// io/byte_stream.h), through the built binary: directories walked
// recursively with --out-dir mirroring the tree, a directory with nothing
// to clean, and compressed inputs recognised by their first bytes.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cleaner/io/byte_stream.h"
#include "tests/test_support.h"

namespace fs = std::filesystem;
using clean::testing::kP1;
using clean::testing::kP2;
using clean::testing::kP3;
using clean::testing::kUpiPage;
using clean::testing::ReadFile;
using clean::testing::RunClean;
using clean::testing::TempDir;
using clean::testing::WriteFile;
using clean::testing::WriteIn;
using json = nlohmann::json;

namespace {

// `data` compressed as the extension `ext` (".gz", ".zst") asks, written
// to `path` (whatever its name).
void WriteCompressed(const std::string& path, const std::string& ext, const std::string& data) {
  std::string error, tmp = path + ".w" + ext;
  auto w = clean::OpenOutput(tmp, &error);
  REQUIRE(w);
  REQUIRE(w->Write(data, &error));
  REQUIRE(w->Close(&error));
  fs::rename(tmp, path);
}

// `path` compressed by the command-line tool `tool` (bzip2, xz: Debian's
// bzip2 and xz-utils) into `out`.
void CompressWith(const std::string& tool, const std::string& path, const std::string& out) {
  std::string cmd = tool + " -c < '" + path + "' > '" + out + "'";
  INFO(cmd);
  REQUIRE(std::system(cmd.c_str()) == 0);
}

std::string Record(int id, const std::string& text) {
  return json::object({{"id", id}, {"text", text}}).dump() + "\n";
}

}  // namespace

TEST_CASE("inputs: --out-dir mirrors a directory tree, walked recursively", "[cli][inputs]") {
  std::string in = TempDir();
  WriteIn(in, "a.txt", kUpiPage);
  fs::create_directories(in + "/sub/deep");
  fs::create_directories(in + "/.hidden");
  WriteIn(in, "sub/b.txt", kP1 + "\n" + kP2 + "\n");
  WriteCompressed(in + "/sub/deep/c.txt.gz", ".gz", kP3 + "\n");
  WriteIn(in, ".hidden/d.txt", kP1 + "\n");
  fs::create_directory_symlink("..", in + "/sub/up");  // a loop if followed
  std::string out = TempDir() + "/out";
  auto r = RunClean({"--out-dir", out, in});
  REQUIRE_EXIT(r, 0);
  CHECK(r.err.empty());
  CHECK(ReadFile(out + "/a.txt") == RunClean({"-q", in + "/a.txt"}).out);
  CHECK(ReadFile(out + "/sub/b.txt") == kP1 + "\n" + kP2 + "\n");
  CHECK(ReadFile(out + "/sub/deep/c.txt") == kP3 + "\n");
  for (const char* report : {"/a.report.json", "/sub/b.report.json", "/sub/deep/c.report.json"})
    CHECK(fs::is_regular_file(out + report));
  size_t files = 0;
  for (auto& e : fs::recursive_directory_iterator(out)) files += e.is_regular_file();
  CHECK(files == 6);  // nothing from .hidden/ or through up/
  // --resume finds the nested outputs.
  fs::remove(out + "/sub/b.report.json");
  auto again = RunClean({"--resume", "--out-dir", out, in});
  REQUIRE_EXIT(again, 0);
  CHECK_THAT(again.err, Catch::Contains("--resume: 2 input(s) already complete"));
  CHECK(fs::is_regular_file(out + "/sub/b.report.json"));
  // An output directory inside the input directory is not read back.
  auto inside = RunClean({"-q", "--out-dir", in + "/out", in});
  REQUIRE_EXIT(inside, 0);
  auto twice = RunClean({"-q", "--out-dir", in + "/out", in});
  REQUIRE_EXIT(twice, 0);
  CHECK_FALSE(fs::exists(in + "/out/out"));
  CHECK(fs::is_regular_file(in + "/out/sub/b.txt"));
}

TEST_CASE("inputs: JSONL --out-dir and --report mirror a directory tree", "[cli][inputs][jsonl]") {
  std::string in = TempDir();
  fs::create_directories(in + "/2024/01");
  WriteIn(in, "a.jsonl", Record(1, kP1));
  WriteIn(in, "2024/01/b.jsonl", Record(2, kP2));
  std::string od = TempDir() + "/out", rd = TempDir() + "/attributes";
  auto r = RunClean({"--jsonl", "-q", "--out-dir", od, "--report", rd, in});
  REQUIRE_EXIT(r, 0);
  auto alone = RunClean({"--jsonl", "-q", in + "/2024/01/b.jsonl"});
  CHECK(ReadFile(od + "/2024/01/b.jsonl") == alone.out);
  CHECK(fs::is_regular_file(od + "/a.jsonl"));
  CHECK(fs::is_regular_file(rd + "/2024/01/b.jsonl"));
}

TEST_CASE("inputs: a directory with nothing to clean says so", "[cli][inputs]") {
  std::string empty = TempDir();
  std::string hidden_only = TempDir();
  WriteIn(hidden_only, ".notes.txt", kP1 + "\n");
  std::string full = TempDir();
  WriteIn(full, "a.txt", kP1 + "\n");
  std::string out = TempDir();
  auto r = RunClean({"--out-dir", out, empty, full, hidden_only});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("clean: " + empty + ": no pages to clean") &&
                        Catch::Contains("clean: " + hidden_only + ": no pages to clean"));
  CHECK(ReadFile(out + "/a.txt") == kP1 + "\n");
  auto j = RunClean({"--jsonl", "-q", "--out-dir", TempDir(), empty});
  CHECK(j.exit_code == 1);
  CHECK_THAT(j.err, Catch::Contains("clean: " + empty + ": no JSONL files to clean"));
}

TEST_CASE("inputs: compressed pages are recognised by their first bytes", "[cli][inputs]") {
  std::string dir = TempDir();
  std::string page = kP1 + "\n" + kP2 + "\n";
  std::string plain = WriteIn(dir, "plain.txt", page);
  auto ref = RunClean({"-q", plain});
  REQUIRE_EXIT(ref, 0);
  REQUIRE(ref.out == page);
  for (const char* ext : {".gz", ".zst"}) {
    INFO(ext);
    std::string named = dir + "/page" + std::string(ext).substr(1) + ".txt";  // no extension
    WriteCompressed(named, ext, page);
    auto r = RunClean({"-q", named});
    REQUIRE_EXIT(r, 0);
    CHECK(r.out == ref.out);
    auto s = RunClean({"-q", "-"}, ReadFile(named));  // stdin too
    REQUIRE_EXIT(s, 0);
    CHECK(s.out == ref.out);
    // JSONL shards too.
    std::string shard = dir + "/shard" + std::string(ext).substr(1);
    WriteCompressed(shard, ext, Record(1, page));
    auto j = RunClean({"--jsonl", "-q", shard});
    REQUIRE_EXIT(j, 0);
    CHECK(json::parse(j.out)["text"] == page);
  }
  // A text that starts like bzip2's header is still text.
  std::string bzh = WriteIn(dir, "bzh.txt", "BZh91AY is a made-up name. " + kP1 + "\n");
  auto t = RunClean({"-q", bzh});
  REQUIRE_EXIT(t, 0);
  CHECK_THAT(t.out, Catch::StartsWith("BZh91AY"));
}

TEST_CASE("inputs: bzip2 and xz inputs are read; damaged ones fail alone", "[cli][inputs]") {
  std::string dir = TempDir();
  std::string page = kP1 + "\n" + kP2 + "\n";
  std::string page2 = kP3 + "\n" + kP1 + "\n";
  std::string plain = WriteIn(dir, "plain.txt", page);
  WriteIn(dir, "plain2.txt", page2);
  WriteIn(dir, "shard.jsonl", Record(1, page) + Record(2, page2));
  auto ref = RunClean({"-q", plain});
  REQUIRE_EXIT(ref, 0);
  REQUIRE(ref.out == page);
  for (std::string tool : {"bzip2", "xz"}) {
    INFO(tool);
    std::string named = dir + "/page-" + tool + ".txt";  // no .bz2/.xz: by the first bytes
    CompressWith(tool, plain, named);
    auto r = RunClean({"-q", named});
    REQUIRE_EXIT(r, 0);
    CHECK(r.out == page);
    auto s = RunClean({"-q", "-"}, ReadFile(named));  // stdin too
    REQUIRE_EXIT(s, 0);
    CHECK(s.out == page);
    // Two streams one after the other (pbzip2, `cat a.xz b.xz`): both read.
    std::string two = dir + "/two-" + tool + ".txt";
    CompressWith(tool, dir + "/plain2.txt", two + ".second");
    WriteFile(two, ReadFile(named) + ReadFile(two + ".second"));
    auto c = RunClean({"-q", "--input", "text", two});
    REQUIRE_EXIT(c, 0);
    CHECK(c.out == page + page2);
    // JSONL shards too.
    std::string shard = dir + "/shard-" + tool;
    CompressWith(tool, dir + "/shard.jsonl", shard);
    auto j = RunClean({"--jsonl", "-q", shard});
    REQUIRE_EXIT(j, 0);
    CHECK(j.out.find(R"("id":1)") != std::string::npos);
    CHECK(j.out.find(R"("id":2)") != std::string::npos);
    // Outputs are not written in bzip2 or xz: their name drops the extension.
    std::string ext = tool == "bzip2" ? ".bz2" : ".xz";
    fs::create_directories(dir + "/in-" + tool);
    fs::copy_file(shard, dir + "/in-" + tool + "/a.jsonl" + ext);
    std::string out = dir + "/named-" + tool;
    auto n = RunClean({"--jsonl", "-q", "--out-dir", out, dir + "/in-" + tool});
    REQUIRE_EXIT(n, 0);
    CHECK(ReadFile(out + "/a.jsonl") == j.out);

    // Truncated and corrupt: a message naming the input, and the batch goes on.
    std::string bytes = ReadFile(named);
    std::string cut = WriteIn(dir, "cut-" + tool + ".txt", bytes.substr(0, bytes.size() / 2));
    std::string bad = bytes;
    for (size_t i = bytes.size() / 3; i < bytes.size() / 3 + 8; ++i) bad[i] ^= 0x55;
    std::string corrupt = WriteIn(dir, "corrupt-" + tool + ".txt", bad);
    auto d = RunClean({"-q", cut, plain, corrupt});
    CHECK(d.exit_code == 1);
    CHECK(d.out == page);
    CHECK_THAT(d.err, Catch::Contains("clean: " + cut + ": " + tool + ": truncated input"));
    CHECK_THAT(d.err, Catch::Contains("clean: " + corrupt + ": " + tool + ": corrupt input"));
    std::string cut_shard = WriteIn(dir, "cut-shard-" + tool, ReadFile(shard).substr(0, 40));
    auto dj = RunClean({"--jsonl", "-q", "--out-dir", dir + "/out-" + tool, cut_shard, shard});
    CHECK(dj.exit_code == 1);
    CHECK_THAT(dj.err, Catch::Contains("clean: " + cut_shard + ": " + tool + ": truncated input"));
    CHECK(fs::exists(dir + "/out-" + tool + "/shard-" + tool));
    CHECK_FALSE(fs::exists(dir + "/out-" + tool + "/cut-shard-" + tool));
  }
}

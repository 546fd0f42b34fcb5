// The inputs of the command line (cleaner/cli/inputs.h, io/input_dir.h,
// io/byte_stream.h), through the built binary: directories walked
// recursively with --out-dir mirroring the tree, a directory with nothing
// to clean, and compressed inputs recognised by their first bytes.
#include <catch2/catch.hpp>
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

// "Hello bzip2 world.\n" by bzip2 1.0.8, and "Hello xz world.\n" by xz 5.4.
const unsigned char kBzip2[] = {
    0x42, 0x5a, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59, 0x0d, 0x2b, 0xe7, 0x57, 0x00,
    0x00, 0x02, 0xdd, 0x80, 0x00, 0x10, 0x40, 0x01, 0x10, 0x00, 0x00, 0x40, 0x16, 0x24, 0xd0,
    0x90, 0x20, 0x00, 0x22, 0x9a, 0x62, 0x60, 0x34, 0x29, 0x80, 0x00, 0xf4, 0xa3, 0x52, 0xfe,
    0x9c, 0x65, 0xa7, 0x00, 0xb7, 0x1a, 0x2e, 0xe4, 0x8a, 0x70, 0xa1, 0x20, 0x1a, 0x57, 0xce,
    0xae};
const unsigned char kXz[] = {
    0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04, 0xe6, 0xd6, 0xb4, 0x46, 0x02, 0x00, 0x21,
    0x01, 0x16, 0x00, 0x00, 0x00, 0x74, 0x2f, 0xe5, 0xa3, 0x01, 0x00, 0x0f, 0x48, 0x65, 0x6c,
    0x6c, 0x6f, 0x20, 0x78, 0x7a, 0x20, 0x77, 0x6f, 0x72, 0x6c, 0x64, 0x2e, 0x0a, 0x00, 0x0f,
    0x55, 0x34, 0x0e, 0x89, 0xba, 0x12, 0x65, 0x00, 0x01, 0x28, 0x10, 0xe5, 0x0b, 0x6c, 0x60,
    0x1f, 0xb6, 0xf3, 0x7d, 0x01, 0x00, 0x00, 0x00, 0x00, 0x04, 0x59, 0x5a};

std::string Bytes(const unsigned char* p, size_t n) {
  return std::string(reinterpret_cast<const char*>(p), n);
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
  // bzip2 and xz: refused with a message, never read as text; the other
  // inputs are still cleaned.
  std::string bz = WriteIn(dir, "page.bz.txt", Bytes(kBzip2, sizeof kBzip2));
  std::string xz = WriteIn(dir, "page.xz.txt", Bytes(kXz, sizeof kXz));
  auto r = RunClean({bz, plain, xz});
  CHECK(r.exit_code == 1);
  CHECK(r.out == ref.out);
  CHECK_THAT(r.err, Catch::Contains("clean: " + bz + ": bzip2-compressed input is not supported"));
  CHECK_THAT(r.err, Catch::Contains("clean: " + xz + ": xz-compressed input is not supported"));
  auto j = RunClean({"--jsonl", "-q", xz});
  CHECK(j.exit_code == 1);
  CHECK(j.out.empty());
  CHECK_THAT(j.err, Catch::Contains("xz-compressed input is not supported"));
  auto s = RunClean({"-q", "-"}, Bytes(kBzip2, sizeof kBzip2));
  CHECK(s.exit_code == 1);
  CHECK_THAT(s.err, Catch::Contains("<stdin>: bzip2-compressed"));
  // A text that starts like bzip2's header is still text.
  std::string bzh = WriteIn(dir, "bzh.txt", "BZh91AY is a made-up name. " + kP1 + "\n");
  auto t = RunClean({"-q", bzh});
  REQUIRE_EXIT(t, 0);
  CHECK_THAT(t.out, Catch::StartsWith("BZh91AY"));
}

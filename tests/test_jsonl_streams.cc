// Compressed streams (byte_stream.h, gzip_stream.cc, zstd_stream.cc) and the
// streaming line reader: round trips through the real libraries, the
// formats' own tools, concatenated members, and damaged input.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <thread>

#include "cleaner/io/byte_stream.h"
#include "cleaner/io/line_reader.h"
#include "tests/test_support.h"

using namespace clean;
using clean::testing::ReadFile;
using clean::testing::TempDir;
using clean::testing::WriteFile;

namespace {

// Pseudo-random text lines (compressible, but not trivially).
std::string SampleText(size_t bytes) {
  std::string s;
  uint32_t x = 12345;
  while (s.size() < bytes) {
    x = x * 1103515245 + 12345;
    s += "line " + std::to_string(x % 100000) + " of some text " + std::to_string(x >> 7);
    s += (x & 7) ? "\n" : " \xC3\xA9\n";
  }
  return s;
}

void WriteStream(const std::string& path, const std::string& data, size_t piece) {
  std::string error;
  auto out = OpenOutput(path, &error);
  REQUIRE(out);
  for (size_t i = 0; i < data.size(); i += piece)
    REQUIRE(out->Write(std::string_view(data).substr(i, piece), &error));
  REQUIRE(out->Close(&error));
}

std::string ReadStream(const std::string& path, std::string* error) {
  std::string bytes;
  if (!ReadAnyInput(path, &bytes, error)) return "<failed>";
  return bytes;
}

}  // namespace

TEST_CASE("streams: compression by extension", "[jsonl]") {
  CHECK(CompressionOf("a.jsonl.gz") == Compression::kGzip);
  CHECK(CompressionOf("a.zst") == Compression::kZstd);
  CHECK(CompressionOf("a.jsonl") == Compression::kNone);
  CHECK(CompressionOf("gz") == Compression::kNone);
  CHECK(StripCompression("dir/a.jsonl.zst") == "dir/a.jsonl");
  CHECK(StripCompression("a.txt") == "a.txt");
}

TEST_CASE("streams: round trips for plain, .gz and .zst", "[jsonl]") {
  std::string dir = TempDir();
  for (size_t size : {size_t{0}, size_t{1}, size_t{100000}, size_t{3000000}}) {
    std::string data = SampleText(size);
    for (const char* ext : {".txt", ".gz", ".zst"}) {
      INFO("size " << size << ext);
      std::string path = dir + "/data" + ext;
      WriteStream(path, data, 70000);
      std::string error;
      CHECK(ReadStream(path, &error) == data);
      CHECK(error.empty());
      if (size > 1000 && std::string(ext) != ".txt")
        CHECK(ReadFile(path).size() < data.size() / 2);  // really compressed
    }
  }
}

TEST_CASE("streams: agree with the gzip and zstd tools", "[jsonl]") {
  std::string dir = TempDir();
  std::string data = SampleText(200000);
  WriteFile(dir + "/plain.txt", data);
  WriteStream(dir + "/ours.gz", data, 4096);
  WriteStream(dir + "/ours.zst", data, 4096);
  std::string cmd = "cd '" + dir + "' && gzip -dc ours.gz > g.txt && gzip -c plain.txt > theirs.gz";
  REQUIRE(std::system(cmd.c_str()) == 0);
  CHECK(ReadFile(dir + "/g.txt") == data);
  std::string error;
  CHECK(ReadStream(dir + "/theirs.gz", &error) == data);
  if (std::system("command -v zstd >/dev/null") == 0) {
    cmd = "cd '" + dir + "' && zstd -qdc ours.zst > z.txt && zstd -qc plain.txt > theirs.zst";
    REQUIRE(std::system(cmd.c_str()) == 0);
    CHECK(ReadFile(dir + "/z.txt") == data);
    CHECK(ReadStream(dir + "/theirs.zst", &error) == data);
  }
}

TEST_CASE("streams: concatenated gzip members and zstd frames are read in turn", "[jsonl]") {
  std::string dir = TempDir();
  for (const char* ext : {".gz", ".zst"}) {
    INFO(ext);
    WriteStream(dir + "/a" + ext, "first part\n", 100);
    WriteStream(dir + "/b" + ext, "second part\n", 100);
    WriteFile(dir + "/ab" + ext, ReadFile(dir + "/a" + ext) + ReadFile(dir + "/b" + ext));
    std::string error;
    CHECK(ReadStream(dir + "/ab" + ext, &error) == "first part\nsecond part\n");
  }
}

TEST_CASE("streams: gzip chunks compressed on other threads, written in order", "[jsonl]") {
  std::string dir = TempDir();
  std::string a = SampleText(300000), b = SampleText(1000), c = SampleText(70000);
  std::string error;
  auto out = OpenOutput(dir + "/chunks.gz", &error);
  REQUIRE(out);
  OutputStream::ChunkCompressor zip = out->chunk_compressor();
  REQUIRE(zip);
  CHECK(OpenOutput(dir + "/plain.txt", &error)->chunk_compressor() == nullptr);
  std::string za, zc, zempty, ea, ec;
  bool ok_a = false, ok_c = false;
  std::thread ta([&] { ok_a = zip(a, &za, &ea); });
  std::thread tc([&] { ok_c = zip(c, &zc, &ec); });
  ta.join();
  tc.join();
  REQUIRE(ok_a);
  REQUIRE(ok_c);
  REQUIRE(zip("", &zempty, &error));
  CHECK(zempty.empty());
  // A chunk's bytes depend on its data only.
  std::string again;
  REQUIRE(zip(a, &again, &error));
  CHECK(again == za);
  // Chunks and plain writes mixed: the plain write's member ends first.
  REQUIRE(out->WriteChunk(za, &error));
  REQUIRE(out->Write(b, &error));
  REQUIRE(out->WriteChunk(zempty, &error));
  REQUIRE(out->WriteChunk(zc, &error));
  REQUIRE(out->Close(&error));
  CHECK(ReadStream(dir + "/chunks.gz", &error) == a + b + c);
  std::string cmd = "cd '" + dir + "' && gzip -t chunks.gz && gzip -dc chunks.gz > g.txt";
  REQUIRE(std::system(cmd.c_str()) == 0);
  CHECK(ReadFile(dir + "/g.txt") == a + b + c);
}

TEST_CASE("streams: truncated or corrupt input is an error, not a crash", "[jsonl]") {
  std::string dir = TempDir();
  std::string data = SampleText(100000);
  for (const char* ext : {".gz", ".zst"}) {
    INFO(ext);
    WriteStream(dir + "/ok" + ext, data, 100000);
    std::string full = ReadFile(dir + "/ok" + ext);
    WriteFile(dir + "/cut" + ext, full.substr(0, full.size() / 2));
    std::string error;
    ReadStream(dir + "/cut" + ext, &error);
    CHECK_THAT(error, Catch::Contains("truncated") || Catch::Contains("corrupt") ||
                          Catch::Contains("invalid") || Catch::Contains("error"));
    std::string bad = full;
    for (size_t i = 20; i < bad.size(); i += 97) bad[i] = static_cast<char>(bad[i] ^ 0x5A);
    WriteFile(dir + "/bad" + ext, bad);
    error.clear();
    CHECK(ReadStream(dir + "/bad" + ext, &error) != data);
    CHECK_FALSE(error.empty());
    WriteFile(dir + "/notcompressed" + ext, "just text\n");
    error.clear();
    ReadStream(dir + "/notcompressed" + ext, &error);
    CHECK_FALSE(error.empty());
  }
  std::string error;
  CHECK(OpenInput(dir + "/missing.gz", &error) == nullptr);
  CHECK_THAT(error, Catch::Contains("No such file"));
  CHECK(OpenOutput(dir + "/no/such/dir/out.gz", &error) == nullptr);
}

TEST_CASE("streams: an output not closed leaves no file behind", "[jsonl]") {
  std::string dir = TempDir();
  {
    std::string error;
    auto out = OpenOutput(dir + "/partial.jsonl.gz", &error);
    REQUIRE(out);
    REQUIRE(out->Write("some data\n", &error));
  }
  std::string error;
  CHECK(OpenInput(dir + "/partial.jsonl.gz", &error) == nullptr);
  CHECK(OpenInput(dir + "/partial.jsonl.gz.tmp", &error) == nullptr);
}

TEST_CASE("streams: a file output keeps small (gathered) and large writes in order", "[jsonl]") {
  // Sizes around the gathering limits (8 KB direct, 64 KB buffer).
  const std::vector<size_t> sizes = {0, 1, 100, 8191, 8192, 8193, 65535, 65536, 70000, 200000};
  std::mt19937 rng(3);
  std::string dir = TempDir();
  for (int round = 0; round < 4; ++round) {
    std::string path = dir + "/out" + std::to_string(round) + ".txt", want, error;
    auto out = OpenOutput(path, &error);
    REQUIRE(out);
    for (int k = 0; k < 40; ++k) {
      std::string piece = SampleText(sizes[rng() % sizes.size()]);
      piece.resize(std::min(piece.size(), sizes[rng() % sizes.size()]));
      want += piece;
      REQUIRE(out->Write(piece, &error));
    }
    CHECK_FALSE(std::filesystem::exists(path));  // only NAME.tmp until closed
    REQUIRE(out->Close(&error));
    CHECK(ReadFile(path) == want);
    CHECK_FALSE(std::filesystem::exists(path + ".tmp"));
  }
}

TEST_CASE("streams: ReadInput reads files of any size into a reused buffer", "[jsonl]") {
  std::string dir = TempDir();
  std::string bytes = "stale", error;
  // Large after small and small after large, at the edges of the sizes
  // read at once.
  for (size_t size : {size_t{3000000}, size_t{0}, size_t{65537}, size_t{1}, size_t{65536},
                      size_t{65535}, size_t{100}}) {
    std::string data = SampleText(size).substr(0, size);
    std::string path = dir + "/in" + std::to_string(size) + ".txt";
    WriteFile(path, data);
    REQUIRE(ReadInput(path, &bytes, &error));
    CHECK(bytes.size() == size);
    CHECK(bytes == data);
  }
  // A pipe has no size to read at once: read until its end.
  std::string fifo = dir + "/fifo";
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  std::string data = SampleText(300000);
  std::thread writer([&] { WriteFile(fifo, data); });
  bool ok = ReadInput(fifo, &bytes, &error);
  writer.join();
  REQUIRE(ok);
  CHECK(bytes == data);
}

TEST_CASE("streams: line reader", "[jsonl]") {
  std::string dir = TempDir();
  std::string long_line(3 << 20, 'x');  // longer than a read chunk
  std::string data = "a\n\nb\r\n" + long_line + "\nlast";
  for (const char* ext : {".txt", ".gz", ".zst"}) {
    INFO(ext);
    WriteStream(dir + "/lines" + ext, data, 1 << 20);
    std::string error;
    LineReader reader(OpenInput(dir + "/lines" + ext, &error));
    std::vector<std::string> lines;
    std::string_view line;
    while (reader.Next(&line, &error)) lines.emplace_back(line);
    CHECK(error.empty());
    REQUIRE(lines.size() == 5);
    CHECK(lines[0] == "a");
    CHECK(lines[1] == "");
    CHECK(lines[2] == "b\r");
    CHECK(lines[3] == long_line);
    CHECK(lines[4] == "last");
    CHECK(reader.bytes() == data.size());
  }
}

TEST_CASE("streams: outputs in an OutputDir behave as OpenOutput's on every kind of entry",
          "[jsonl]") {
  // Two twin directories: NAME absent, a regular file, a symbolic link to
  // /dev/null (a device: written in place by OpenOutput, refused in an
  // OutputDir, as --out-dir must not write to a device), a directory
  // (refused), a .gz name; one written through OpenOutput(DIR/NAME), one
  // through OutputDir.
  namespace fs = std::filesystem;
  std::string base = TempDir();
  auto make = [&](const std::string& dir) {
    fs::create_directories(dir + "/sub");
    WriteFile(dir + "/old.txt", "old bytes");
    fs::create_symlink("/dev/null", dir + "/null.txt");
    return dir;
  };
  std::string a = make(base + "/paths"), b = make(base + "/dir");
  OutputDir out_dir;
  std::string error;
  REQUIRE(out_dir.Open(b, &error));
  for (const std::string name : {"new.txt", "old.txt", "null.txt", "sub", "packed.txt.gz"}) {
    INFO("name " << name);
    std::string ea, eb;
    auto sa = OpenOutput(a + "/" + name, &ea);
    auto sb = out_dir.OpenOutput(name, &eb);
    if (name == "null.txt") {
      CHECK(sa);
      CHECK_FALSE(sb);
      CHECK(eb == "is a device, not a regular file");
      continue;
    }
    REQUIRE(bool(sa) == bool(sb));
    CHECK(ea == eb);
    if (!sa) {
      CHECK(ea == "is a directory");
      continue;
    }
    for (auto* s : {sa.get(), sb.get()}) {
      REQUIRE(s->Write("clean text\n", &error));
      REQUIRE(s->Close(&error));
    }
    auto type = [](const std::string& p) { return fs::symlink_status(p).type(); };
    CHECK(type(a + "/" + name) == type(b + "/" + name));
    CHECK_FALSE(fs::exists(b + "/" + name + ".tmp"));
    if (name != "null.txt") {
      std::string got = ReadFile(b + "/" + name);
      CHECK(got == ReadFile(a + "/" + name));
      if (name.find(".gz") == std::string::npos) CHECK(got == "clean text\n");
    }
  }
  CHECK(fs::is_symlink(b + "/null.txt"));  // the device kept, not replaced by a file
  OutputDir missing;
  CHECK_FALSE(missing.Open(base + "/no/such/dir", &error));
  CHECK(error == std::strerror(ENOENT));
}

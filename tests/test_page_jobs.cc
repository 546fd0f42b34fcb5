// -j N in page mode (cleaner/cli/page_run.cc over cli/ordered_pool.h):
// inputs cleaned on N workers, written in input order, the same bytes and
// messages for any N; and the page-mode progress line.
#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "cleaner/cli/ordered_pool.h"
#include "cleaner/cli/progress.h"
#include "tests/test_support.h"

namespace fs = std::filesystem;
using clean::testing::kP1;
using clean::testing::kP2;
using clean::testing::kP3;
using clean::testing::kUpiPage;
using clean::testing::ReadFile;
using clean::testing::RunClean;
using clean::testing::TempDir;
using clean::testing::WriteIn;

namespace {

// A directory of pages: the dataset's first text pages (the fixtures' when
// ../shared is absent) and a few made-up ones.
std::string PageDir(size_t n) {
  std::vector<fs::path> pages = clean::testing::SharedTextPages();
  if (pages.empty())
    for (auto& e : fs::recursive_directory_iterator(CLEAN_FIXTURES_DIR))
      if (e.path().filename() == "input.txt") pages.push_back(e.path());
  std::string dir = TempDir();
  for (size_t i = 0; i < std::min(n, pages.size()); ++i) {
    std::string name = "p";  // not "p" + ...: GCC 12 warns (-Wrestrict) on that
    name += std::to_string(1000 + i);
    name += ".txt";
    WriteIn(dir, name, ReadFile(pages[i].string()));
  }
  WriteIn(dir, "upi.txt", kUpiPage);
  return dir;
}

std::vector<std::string> FilesOf(const std::string& dir) {
  std::vector<std::string> files;
  for (auto& e : fs::directory_iterator(dir)) files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("page jobs: RunOrdered emits every item once, in order, after its work", "[cli][jobs]") {
  for (int jobs : {1, 2, 5}) {
    INFO("jobs " << jobs);
    const size_t n = 500, window = 3 * static_cast<size_t>(jobs);
    std::vector<std::atomic<int>> done(n);
    std::vector<size_t> emitted;
    std::atomic<size_t> emitted_count{0};
    std::atomic<size_t> started_past_window{0};
    clean::RunOrdered(
        n, jobs, window,
        [&](int worker, size_t i) {
          CHECK(worker >= 0);
          CHECK(worker < jobs);
          // Slot i % window is free: item i - window was emitted.
          if (i >= window && emitted_count < i - window + 1) ++started_past_window;
          done[i] = 1;
        },
        [&](size_t i) {
          CHECK(done[i] == 1);
          emitted.push_back(i);
          emitted_count = emitted.size();
          return true;
        });
    CHECK(started_past_window == 0);
    REQUIRE(emitted.size() == n);
    for (size_t i = 0; i < n; ++i) CHECK(emitted[i] == i);
    // Stopping: nothing starts past the window of the last item emitted.
    std::atomic<size_t> last_started{0};
    size_t emits = 0;
    clean::RunOrdered(
        n, jobs, window,
        [&](int, size_t i) {
          size_t prev = last_started.load();
          while (i > prev && !last_started.compare_exchange_weak(prev, i)) {
          }
        },
        [&](size_t i) { return ++emits, i < 10; });
    CHECK(emits == 11);
    CHECK(last_started < 11 + window);
  }
}

TEST_CASE("page jobs: the same bytes and messages for any -j", "[cli][jobs]") {
  std::string dir = PageDir(40);
  std::string bad = TempDir();
  std::string binary = WriteIn(bad, "image.bin", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  std::vector<std::string> files = FilesOf(dir);
  std::vector<std::string> args = {files[0], bad + "/missing.txt", files[1], binary};
  args.insert(args.end(), files.begin() + 2, files.end());
  auto one = RunClean([&] {
    auto a = args;
    a.insert(a.begin(), {"-j", "1"});
    return a;
  }());
  CHECK(one.exit_code == 1);
  CHECK(one.out.size() > 10000);
  std::vector<std::string> alone;  // each file cleaned on its own
  for (const std::string& f : files) alone.push_back(RunClean({"-q", "-j", "1", f}).out);
  for (const char* jobs : {"2", "3", "8"}) {
    INFO("-j " << jobs);
    std::vector<std::string> a = args;
    a.insert(a.begin(), {"-j", jobs});
    auto r = RunClean(a);
    CHECK(r.exit_code == 1);
    CHECK(r.out == one.out);
    CHECK(r.err == one.err);  // missing.txt, then image.bin: input order
    // --explain and --out-dir too.
    auto ex = RunClean({"-q", "--explain", "-j", jobs, files[0], files[1], files[2]});
    CHECK(ex.out == RunClean({"-q", "--explain", "-j", "1", files[0], files[1], files[2]}).out);
    std::string out = TempDir();
    auto od = RunClean({"-q", "-j", jobs, "--out-dir", out, dir});
    REQUIRE_EXIT(od, 0);
    for (size_t i = 0; i < files.size(); ++i)
      CHECK(ReadFile(out + "/" + fs::path(files[i]).stem().string() + ".txt") == alone[i]);
    CHECK(FilesOf(out).size() == 2 * files.size());
  }
}

TEST_CASE("page jobs: -j 2 reads the next input while the first waits", "[cli][jobs]") {
  // a and b are FIFOs, and their writer writes b before a: one worker waits
  // for a forever; with two, b is read meanwhile and a follows.
  std::string dir = TempDir();
  std::string a = dir + "/a.txt", b = dir + "/b.txt";
  REQUIRE(::mkfifo(a.c_str(), 0600) == 0);
  REQUIRE(::mkfifo(b.c_str(), 0600) == 0);
  std::string pa = WriteIn(dir, "pa", kP1 + "\n"), pb = WriteIn(dir, "pb", kP2 + "\n" + kP3 + "\n");
  std::string out = dir + "/out", err = dir + "/err";
  std::string writer = "(cat '" + pb + "' > '" + b + "'; cat '" + pa + "' > '" + a + "') &";
  REQUIRE(std::system(writer.c_str()) == 0);
  std::string cmd = std::string("timeout 20 '") + CLEAN_BINARY + "' -q -j 2 '" + a + "' '" + b +
                    "' >'" + out + "' 2>'" + err + "'";
  int status = std::system(cmd.c_str());
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {  // release the writer
    std::string release = "(cat '" + b + "' '" + a + "' >/dev/null 2>&1 &)";
    std::system(release.c_str());
  }
  INFO("stderr: " << ReadFile(err));
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(ReadFile(out) == kP1 + "\n" + kP2 + "\n" + kP3 + "\n");
}

TEST_CASE("page jobs: the progress line shows pages, rate and ETA", "[cli][jobs]") {
  std::string line = clean::PagesProgressLine(50, 200, 1, 5000000, 10.0);
  CHECK(line == "clean: 50/200 pages, 1 failed, 5.0 MB, 5 pages/s, 0.5 MB/s, ETA 0:30");
  // All done: no time left.
  CHECK_THAT(clean::PagesProgressLine(200, 200, 0, 0, 40.0), Catch::EndsWith("ETA 0:00"));
  // Nothing done yet: no ETA.
  CHECK(clean::PagesProgressLine(0, 200, 0, 0, 0.0).find("ETA") == std::string::npos);
}

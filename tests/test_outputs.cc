// Outputs are whole or absent, created safely, never one of the inputs; one
// bad path in a batch fails alone (issue 21). Real files, real limits:
// RLIMIT_FSIZE (EFBIG) and /dev/full (ENOSPC) for failed writes, a real
// SIGKILL for a run cut short.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "cleaner/io/byte_stream.h"
#include "test_support.h"

namespace fs = std::filesystem;
using clean::testing::kP1;
using clean::testing::kP2;
using clean::testing::ReadFile;
using clean::testing::TempDir;
using clean::testing::WriteFile;
using clean::testing::WriteIn;

namespace {

struct Run {
  int exit_code = -1;  // -1: killed by a signal (the 60 s alarm: a hang)
  std::string out, err;
};

// Runs the built clean with `args`, stdin from `stdin_path`, stdout to
// `stdout_path` (a fresh file when empty), under a file size limit when
// fsize_limit > 0 (SIGXFSZ ignored, so writes past it fail with EFBIG).
Run RunOut(const std::vector<std::string>& args, std::string stdout_path = "",
           rlim_t fsize_limit = 0, const std::string& stdin_path = "/dev/null") {
  std::string dir = TempDir();
  bool own_stdout = stdout_path.empty();
  if (own_stdout) stdout_path = dir + "/stdout";
  std::string err_path = dir + "/stderr";
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int out = open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int in = open(stdin_path.c_str(), O_RDONLY);
    if (out < 0 || err < 0 || in < 0) _exit(127);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    if (fsize_limit > 0) {
      std::signal(SIGXFSZ, SIG_IGN);
      struct rlimit rl = {fsize_limit, fsize_limit};
      if (setrlimit(RLIMIT_FSIZE, &rl) != 0) _exit(127);
    }
    alarm(60);  // a hang fails the test instead of stalling the suite
    std::vector<char*> argv{const_cast<char*>(CLEAN_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(CLEAN_BINARY, argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  Run r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (own_stdout) r.out = ReadFile(stdout_path);
  r.err = ReadFile(err_path);
  return r;
}

// JSONL records, about `bytes` in all; each has a field of random hex
// digits, so that a compressed output is large too.
std::string Records(size_t bytes) {
  std::mt19937 rng(7);
  std::string s;
  for (int id = 0; s.size() < bytes; ++id) {
    std::string noise(64, '0');
    for (char& c : noise) c = "0123456789abcdef"[rng() % 16];
    s += "{\"id\": " + std::to_string(id) + ", \"noise\": \"" + noise + "\", \"text\": \"" + kP1 +
         "\\n" + kP2 + "\"}\n";
  }
  return s;
}

// The names in `dir`, sorted.
std::vector<std::string> Names(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

bool HasTemp(const std::string& dir) {
  for (const auto& n : Names(dir))
    if (n.size() > 4 && n.substr(n.size() - 4) == ".tmp") return true;
  return false;
}

bool HaveDevFull() {
  struct stat st;
  return ::stat("/dev/full", &st) == 0 && S_ISCHR(st.st_mode);
}

}  // namespace

// --- 1. A failed write leaves no output under the final name --------------------

TEST_CASE("outputs: a failed write is kept; the file is never put in place", "[outputs]") {
  // In a child under a 64 KB file size limit: the 100 KB write fails, a
  // later small write and the close fail too, and nothing is left.
  std::string dir = TempDir();
  std::string path = dir + "/out.txt";
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit rl = {1 << 16, 1 << 16};
    if (setrlimit(RLIMIT_FSIZE, &rl) != 0) _exit(10);
    std::string error;
    auto out = clean::OpenOutput(path, &error);
    if (!out) _exit(11);
    if (out->Write(std::string(100000, 'x'), &error)) _exit(12);
    if (error != std::strerror(EFBIG)) _exit(13);
    error.clear();
    if (out->Write("small", &error) || error != std::strerror(EFBIG)) _exit(14);
    if (out->Close(&error)) _exit(15);
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK_FALSE(fs::exists(path));
  CHECK(Names(dir).empty());  // the temporary file removed too
}

TEST_CASE("outputs: JSONL -o and --report past the file size limit leave no file",
          "[outputs][diskfull]") {
  std::string dir = TempDir();
  std::string in = WriteIn(dir, "in.jsonl", Records(600000));  // ~100 KB gzipped
  std::string out_dir = TempDir();
  const std::string out = out_dir + "/out.jsonl", report = out_dir + "/report.jsonl";
  for (bool gz : {false, true}) {
    std::string sfx = gz ? ".gz" : "";
    INFO("gz " << gz);
    // -o past the limit (the report fits).
    auto r = RunOut({"--jsonl", "-q", "-j2", in, "-o", out + sfx}, "", 1 << 16);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::StartsWith("clean: " + out + sfx +
                                        ": write failed: " + std::strerror(EFBIG)));
    CHECK_FALSE(fs::exists(out + sfx));
    // --report past the limit, -o to /dev/null (a gzipped report fits).
    if (!gz) {
      auto rep = RunOut({"--jsonl", "-q", in, "-o", "/dev/null", "--report", report}, "", 1 << 16);
      CHECK(rep.exit_code == 1);
      CHECK_THAT(rep.err,
                 Catch::StartsWith("clean: " + report + ": write failed: " + std::strerror(EFBIG)));
      CHECK_FALSE(fs::exists(report));
    }
    // Both: neither is left, not even the one that fits.
    auto both = RunOut({"--jsonl", "-q", in, "-o", out, "--report", report + sfx}, "", 1 << 16);
    CHECK(both.exit_code == 1);
    CHECK_FALSE(fs::exists(out));
    CHECK_FALSE(fs::exists(report + sfx));
    CHECK(Names(out_dir).empty());  // no temporary file either
  }
  // One message, not one per input: the run stops writing.
  auto two = RunOut({"--jsonl", "-q", in, in, "-o", out}, "", 1 << 16);
  CHECK(two.exit_code == 1);
  CHECK(std::count(two.err.begin(), two.err.end(), '\n') == 1);
  // Without the limit the same runs succeed.
  auto ok = RunOut({"--jsonl", "-q", in, "-o", out, "--report", report});
  CHECK(ok.exit_code == 0);
  CHECK(fs::is_regular_file(out));
}

TEST_CASE("outputs: JSONL --out-dir past the file size limit fails per input",
          "[outputs][diskfull]") {
  std::string in = TempDir();
  WriteIn(in, "a.jsonl", Records(1000));
  WriteIn(in, "b.jsonl", Records(300000));
  WriteIn(in, "c.jsonl", Records(1000));
  std::string out = TempDir();
  auto r = RunOut({"--jsonl", "-q", "--out-dir", out, in}, "", 1 << 16);
  CHECK(r.exit_code == 1);
  CHECK(r.err == "clean: " + (fs::path(out) / "b.jsonl").string() +
                     ": write failed: " + std::strerror(EFBIG) + "\n");
  CHECK(Names(out) == std::vector<std::string>{"a.jsonl", "c.jsonl"});
}

TEST_CASE("outputs: a full device names the output and its errno's text", "[outputs]") {
  if (!HaveDevFull()) {
    WARN("no /dev/full character device on this machine: skipped");
    return;
  }
  std::string in = WriteIn(TempDir(), "in.jsonl", Records(200000));
  for (const char* flag : {"-o", "--report", "--rejects"}) {
    INFO(flag);
    std::vector<std::string> args = {"--jsonl", "-q", in, flag, "/dev/full"};
    if (std::string(flag) != "-o") args.insert(args.end(), {"-o", "/dev/null"});
    std::string bad = TempDir() + "/bad.jsonl";  // a rejected line, for --rejects
    WriteFile(bad, "not json\n");
    if (std::string(flag) == "--rejects") args.push_back(bad);
    auto r = RunOut(args);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("clean: /dev/full: write failed: " +
                                      std::string(std::strerror(ENOSPC))));
  }
  // stdout on the full device.
  auto s = RunOut({"--jsonl", "-q", in}, "/dev/full");
  CHECK(s.exit_code == 1);
  CHECK_THAT(s.err, Catch::StartsWith("clean: the clean text: write failed: " +
                                      std::string(std::strerror(ENOSPC))));
}

// --- 2. Page mode -o: a temporary file, renamed when complete -------------------

TEST_CASE("outputs: page -o FILE killed mid-run leaves the old FILE untouched", "[outputs]") {
  std::string dir = TempDir();
  std::string out = WriteIn(dir, "out.txt", "old output\n");
  std::string fifo = dir + "/stdin.fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int in = open(fifo.c_str(), O_RDONLY);
    int null = open("/dev/null", O_WRONLY);
    if (in < 0 || null < 0) _exit(127);
    dup2(in, 0);
    dup2(null, 1);
    dup2(null, 2);
    alarm(60);
    execl(CLEAN_BINARY, CLEAN_BINARY, "-o", out.c_str(), "-", static_cast<char*>(nullptr));
    _exit(127);
  }
  int w = open(fifo.c_str(), O_WRONLY);  // clean has the pipe open: it is running
  REQUIRE(w >= 0);
  std::string part = kP1 + "\n";
  REQUIRE(::write(w, part.data(), part.size()) == ssize_t(part.size()));
  // Wait until clean has opened its output (a temporary file beside out.txt).
  for (int i = 0; i < 500 && Names(dir).size() < 3; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ::kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ::close(w);
  CHECK(WIFSIGNALED(status));
  CHECK(ReadFile(out) == "old output\n");  // not truncated, not partly written
  // A whole run replaces it.
  std::string page = WriteIn(dir, "page.txt", kP1 + "\n");
  auto r = RunOut({"-o", out, page});
  CHECK(r.exit_code == 0);
  CHECK(ReadFile(out) == kP1 + "\n");
}

// --- 3. Outputs are created safely ----------------------------------------------

TEST_CASE("outputs: a symbolic link planted under the old temporary name is not followed",
          "[outputs]") {
  std::string dir = TempDir();
  std::string victim = WriteIn(TempDir(), "victim", "precious\n");
  std::string page = WriteIn(dir, "page.txt", kP1 + "\n");
  std::string out_dir = dir + "/out";
  fs::create_directories(out_dir);
  // The names an output's temporary file used to have (NAME.tmp).
  for (const char* name : {"/o.txt.tmp", "/r.json.tmp", "/out/page.txt.tmp",
                           "/out/page.report.json.tmp", "/j.jsonl.tmp"})
    fs::create_symlink(victim, dir + name);
  CHECK(RunOut({"-o", dir + "/o.txt", "--report", dir + "/r.json", page}).exit_code == 0);
  CHECK(RunOut({"--out-dir", out_dir, page}).exit_code == 0);
  std::string jin = WriteIn(dir, "in.jsonl", Records(100));
  CHECK(RunOut({"--jsonl", "-q", "-o", dir + "/j.jsonl", jin}).exit_code == 0);
  CHECK(ReadFile(victim) == "precious\n");
  for (const char* name :
       {"/o.txt", "/r.json", "/out/page.txt", "/out/page.report.json", "/j.jsonl"}) {
    INFO(name);
    CHECK(fs::is_regular_file(fs::symlink_status(dir + name)));
  }
  CHECK(ReadFile(dir + "/o.txt") == kP1 + "\n");
}

TEST_CASE("outputs: a FIFO or device in --out-dir is refused for that input", "[outputs]") {
  std::string in = TempDir();
  WriteIn(in, "a.txt", kP1 + "\n");
  WriteIn(in, "b.txt", kP2 + "\n");
  WriteIn(in, "c.txt", kP1 + "\n");
  std::string out = TempDir();
  REQUIRE(::mkfifo((out + "/a.txt").c_str(), 0600) == 0);
  fs::create_symlink("/dev/null", out + "/b.report.json");
  auto r = RunOut({"--out-dir", out, in});
  CHECK(r.exit_code == 1);  // not a hang (-1)
  CHECK_THAT(r.err, Catch::Contains("a.txt") && Catch::Contains("named pipe"));
  CHECK_THAT(r.err, Catch::Contains("b.report.json") && Catch::Contains("is a device"));
  CHECK(ReadFile(out + "/c.txt") == kP1 + "\n");
  CHECK(fs::is_fifo(out + "/a.txt"));
  CHECK(fs::is_symlink(out + "/b.report.json"));

  // JSONL --out-dir: the same.
  std::string jin = TempDir();
  WriteIn(jin, "x.jsonl", Records(100));
  WriteIn(jin, "y.jsonl", Records(100));
  std::string jout = TempDir();
  REQUIRE(::mkfifo((jout + "/x.jsonl").c_str(), 0600) == 0);
  auto j = RunOut({"--jsonl", "-q", "--out-dir", jout, jin});
  CHECK(j.exit_code == 1);
  CHECK_THAT(j.err, Catch::Contains("x.jsonl") && Catch::Contains("named pipe"));
  CHECK(fs::is_regular_file(jout + "/y.jsonl"));
}

TEST_CASE("outputs: -o /dev/null and /dev/fd/1 and - keep working", "[outputs]") {
  std::string dir = TempDir();
  std::string page = WriteIn(dir, "page.txt", kP1 + "\n");
  auto null = RunOut({"-o", "/dev/null", "--report", "/dev/null", page});
  CHECK(null.exit_code == 0);
  CHECK(null.out.empty());
  // stdout a regular file: written there in place. Through /dev/fd/1 and
  // /proc/self/fd/1 (where a temporary file cannot be made, so a binary
  // that tries fails safely); through /dev/stdout only when not root: as
  // root db7af81 renamed its temporary file over the /dev/stdout link.
  std::vector<std::string> paths = {"/dev/fd/1", "/proc/self/fd/1"};
  if (::geteuid() != 0) paths.push_back("/dev/stdout");
  for (const std::string& path : paths) {
    INFO(path);
    auto std_out = RunOut({"-o", path, page});
    CHECK(std_out.exit_code == 0);
    CHECK(std_out.out == kP1 + "\n");
  }
  auto dash = RunOut({"-o", "-", page});
  CHECK(dash.exit_code == 0);
  CHECK(dash.out == kP1 + "\n");
  std::string jin = WriteIn(dir, "in.jsonl", Records(100));
  auto j = RunOut({"--jsonl", "-q", "-o", "/dev/fd/1", "--report", "/dev/null", jin});
  CHECK(j.exit_code == 0);
  CHECK(j.out == RunOut({"--jsonl", "-q", jin}).out);
}

// --- 4. An output that is an input is refused before anything is written ---------

TEST_CASE("outputs: an output that is an input, or another output, is refused", "[outputs]") {
  std::string dir = TempDir();
  std::string page = WriteIn(dir, "p.txt", kP1 + "\n");
  std::string html = WriteIn(dir, "h.html", "<p>" + kP1 + "</p>\n");
  std::string jin = WriteIn(dir, "in.jsonl", Records(100));
  std::string link = dir + "/hard.txt";
  REQUIRE(::link(page.c_str(), link.c_str()) == 0);
  auto before = Names(dir);
  const std::vector<std::vector<std::string>> refused = {
      {page, "-o", page},
      {page, "-o", link},  // the same file by another name
      {page, "--report", dir + "/./p.txt"},
      {page, "-o", dir + "/x.txt", "--report", dir + "/x.txt"},
      {"--out-dir", dir, dir},   // would replace the raw pages
      {"--out-dir", dir, page},  // p.txt -> DIR/p.txt
      {"--jsonl", jin, "-o", jin},
      {"--jsonl", dir, "-o", jin},  // a file of an input directory
      {"--jsonl", jin, "--report", jin},
      {"--jsonl", jin, "-o", dir + "/o.jsonl", "--report", dir + "/o.jsonl"},
      {"--jsonl", jin, "--rejects", dir + "/o.jsonl", "--stats", dir + "/o.jsonl"},
      {"--jsonl", "--out-dir", dir, jin},  // DIR/in.jsonl is the input
      {"--jsonl", "--out-dir", dir, dir},
      {"--jsonl", "--out-dir", dir + "/o", "--report", dir, jin},
      {"--jsonl", "--out-dir", dir + "/new", "--report", dir + "/./new/", jin},
  };
  for (const auto& args : refused) {
    std::string shown;
    for (const auto& a : args) shown += a + " ";
    INFO(shown);
    auto r = RunOut(args);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith("clean: "));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(ReadFile(page) == kP1 + "\n");
    CHECK(Names(dir) == before);  // nothing written
  }
  auto r = RunOut({page, "-o", page});
  CHECK_THAT(r.err, Catch::Contains("-o " + page) && Catch::Contains("the input " + page));
  // Allowed: the outputs of an HTML page beside it, /dev/null twice.
  auto beside = RunOut({"--out-dir", dir, html});
  CHECK(beside.exit_code == 0);
  CHECK(fs::is_regular_file(dir + "/h.txt"));
  CHECK(RunOut({page, "-o", "/dev/null", "--report", "/dev/null"}).exit_code == 0);
  CHECK(RunOut({"--jsonl", jin, "-o", "/dev/null", "--report", "/dev/null"}).exit_code == 0);
}

// --- 5. --durable ---------------------------------------------------------------

TEST_CASE("outputs: --durable writes the same bytes", "[outputs]") {
  std::string in = TempDir();
  WriteIn(in, "a.txt", kP1 + "\n");
  WriteIn(in, "b.txt", kP2 + "\n");
  std::string plain = TempDir(), durable = TempDir();
  REQUIRE(RunOut({"--out-dir", plain, in}).exit_code == 0);
  REQUIRE(RunOut({"--durable", "--out-dir", durable, in}).exit_code == 0);
  for (const auto& name : Names(plain))
    CHECK(ReadFile(plain + "/" + name) == ReadFile(durable + "/" + name));
  CHECK(Names(plain) == Names(durable));
  std::string jin = WriteIn(TempDir(), "in.jsonl", Records(1000));
  auto j = RunOut({"--jsonl", "-q", "--durable", "-o", durable + "/o.jsonl", jin});
  CHECK(j.exit_code == 0);
  CHECK(ReadFile(durable + "/o.jsonl") == RunOut({"--jsonl", "-q", jin}).out);
}

// --- 6. One bad path never stops a batch ---------------------------------------

TEST_CASE("outputs: a symbolic link loop in an input directory fails alone", "[outputs]") {
  std::string in = TempDir();
  WriteIn(in, "a.txt", kP1 + "\n");
  WriteIn(in, "b.txt", kP2 + "\n");
  fs::create_symlink("loop", in + "/loop");
  fs::create_symlink("/nonexistent/target", in + "/dangling");  // skipped, as before
  std::string out = TempDir();
  for (bool resume : {false, true}) {
    INFO("resume " << resume);
    std::vector<std::string> args = {"--out-dir", out, in};
    if (resume) args.insert(args.begin(), "--resume");
    auto r = RunOut(args);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("clean: " + in + "/loop: ") &&
                          Catch::Contains(std::strerror(ELOOP)));
    CHECK(ReadFile(out + "/b.txt") == kP2 + "\n");
  }
  std::string jin = TempDir();
  WriteIn(jin, "a.jsonl", Records(100));
  fs::create_symlink("loop", jin + "/loop");
  std::string jout = TempDir();
  auto j = RunOut({"--jsonl", "-q", "--out-dir", jout, jin});
  CHECK(j.exit_code == 1);
  CHECK_THAT(j.err, Catch::Contains("clean: " + jin + "/loop: "));
  CHECK(fs::is_regular_file(jout + "/a.jsonl"));
  auto s = RunOut({"--jsonl", "-q", jin});
  CHECK(s.exit_code == 1);
  CHECK_THAT(s.out, Catch::Contains("\"id\": 0"));
}

TEST_CASE("outputs: an input name too long for its outputs fails alone", "[outputs]") {
  std::string in = TempDir();
  std::string long_name(249, 'x');  // x.txt fits in NAME_MAX; x.report.json does not
  WriteIn(in, long_name + ".txt", kP1 + "\n");
  WriteIn(in, "z.txt", kP2 + "\n");
  std::string out = TempDir();
  for (bool resume : {false, true}) {
    INFO("resume " << resume);
    std::vector<std::string> args = {"--out-dir", out, in};
    if (resume) args.insert(args.begin(), "--resume");
    auto r = RunOut(args);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains(long_name + ".report.json: " + std::strerror(ENAMETOOLONG)));
    CHECK(ReadFile(out + "/z.txt") == kP2 + "\n");
    CHECK_FALSE(HasTemp(out));
  }
  // JSONL --out-dir: an input name of NAME_MAX bytes gets its output (the
  // temporary file's name is shortened to fit).
  std::string jin = TempDir();
  std::string jname = std::string(255 - 6, 'y') + ".jsonl";
  WriteIn(jin, jname, Records(100));
  std::string jout = TempDir();
  auto j = RunOut({"--jsonl", "-q", "--out-dir", jout, jin});
  CHECK(j.exit_code == 0);
  CHECK(fs::is_regular_file(jout + "/" + jname));
  CHECK_FALSE(HasTemp(jout));
}

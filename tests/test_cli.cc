// The `clean` command line, run as the built binary: flags, exit codes,
// messages, outputs, and robustness on large or hostile inputs.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <thread>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/test_support.h"

namespace fs = std::filesystem;
using clean::testing::kUpiPage;
using clean::testing::kUpiTitle;
using clean::testing::ReadFile;
using clean::testing::RulesDir;
using clean::testing::RunClean;
using clean::testing::SplitLines;
using clean::testing::TempDir;
using clean::testing::WriteFile;
using json = nlohmann::json;

using clean::testing::kP1;
using clean::testing::kP2;
using clean::testing::kP3;
using clean::testing::kP4;

TEST_CASE("cli: --help mentions every flag", "[cli]") {
  auto r = RunClean({"--help"});
  REQUIRE_EXIT(r, 0);
  for (const char* flag :
       {"--output", "-o", "--source", "--rules", "--report", "--explain", "--keep", "--out-dir",
        "--check-rules", "--list-sources", "--quiet", "--version", "--help"}) {
    INFO(flag);
    CHECK(r.out.find(flag) != std::string::npos);
  }
  CHECK_THAT(r.out, Catch::StartsWith("usage: clean"));
  CHECK(r.err.empty());
  // Fits an 80-column terminal, without trailing blanks.
  for (const std::string& line : SplitLines(r.out)) {
    INFO(line);
    CHECK(line.size() < 80);
    CHECK((line.empty() || line.back() != ' '));
  }
  // -h is the same.
  auto h = RunClean({"-h"});
  CHECK(h.exit_code == 0);
  CHECK(h.out == r.out);
}

TEST_CASE("cli: --version", "[cli]") {
  for (const char* flag : {"--version", "-V"}) {
    auto r = RunClean({flag});
    REQUIRE_EXIT(r, 0);
    CHECK(std::regex_match(r.out, std::regex("clean [0-9]+\\.[0-9]+\\.[0-9]+\n")));
  }
}

TEST_CASE("cli: usage errors exit 2 with a clean: message", "[cli]") {
  struct Case {
    std::vector<std::string> args;
    const char* message;
  };
  const std::vector<Case> kCases = {
      {{"--bogus"}, "--bogus"},        {{"-x"}, "-x"},
      {{"--source"}, "needs a value"}, {{"--explain=yes"}, "takes no value"},
      {{"--keep", "bogus"}, "bogus"},  {{"--keep", "title,bogus"}, "bogus"},
      {{"--keep="}, "unknown class"},
  };
  for (const auto& c : kCases) {
    INFO("args: " << c.args[0]);
    auto r = RunClean(c.args, kP1 + "\n");
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith("clean: "));
    CHECK_THAT(r.err, Catch::Contains(c.message));
    CHECK(r.out.empty());
  }
}

TEST_CASE("cli: an unknown --source exits 2 and names the sources", "[cli]") {
  auto r = RunClean({"--source", "nope"}, kP1 + "\n");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("clean: ") && Catch::Contains("unknown source 'nope'") &&
                        Catch::Contains("upi"));
  CHECK(r.out.empty());
  // A known one works, also as --source=NAME.
  auto ok = RunClean({"--source=upi", "--report", TempDir() + "/r.json"}, kUpiPage);
  REQUIRE_EXIT(ok, 0);
}

TEST_CASE("cli: --list-sources", "[cli]") {
  auto r = RunClean({"--list-sources"});
  REQUIRE_EXIT(r, 0);
  for (const char* s : {"upi", "reuters", "syndicated", "ukrainska_pravda"}) {
    INFO(s);
    CHECK(r.out.find(s) != std::string::npos);
  }
  CHECK(r.out.find("upi.com") != std::string::npos);
}

TEST_CASE("cli: a missing file fails, the other inputs are still cleaned", "[cli]") {
  std::string dir = TempDir();
  std::string a = clean::testing::WriteIn(dir, "a.txt", kP1 + "\n" + kP2 + "\n");
  std::string b = clean::testing::WriteIn(dir, "b.txt", kP3 + "\n" + kP1 + "\n");
  std::string missing = dir + "/missing-page.txt";
  auto r = RunClean({a, missing, b});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::StartsWith("clean: ") && Catch::Contains("missing-page.txt"));
  CHECK(r.out == kP1 + "\n" + kP2 + "\n" + kP3 + "\n" + kP1 + "\n");
}

TEST_CASE("cli: binary input fails with exit 1, the others are still cleaned", "[cli]") {
  std::string dir = TempDir();
  std::string bin =
      clean::testing::WriteIn(dir, "image.bin", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  std::string a = clean::testing::WriteIn(dir, "a.txt", kP1 + "\n" + kP2 + "\n");
  auto r = RunClean({bin, a});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("image.bin") && Catch::Contains("binary"));
  CHECK(r.out == kP1 + "\n" + kP2 + "\n");
  // On stdin too.
  auto s = RunClean({}, std::string("abc\0def", 7));
  CHECK(s.exit_code == 1);
  CHECK_THAT(s.err, Catch::Contains("binary"));
}

TEST_CASE("cli: a directory without --out-dir exits 2", "[cli]") {
  std::string dir = TempDir();
  clean::testing::WriteIn(dir, "a.txt", kP1 + "\n");
  auto r = RunClean({dir});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("clean: ") && Catch::Contains("--out-dir"));
  CHECK(r.out.empty());
}

TEST_CASE("cli: --out-dir writes NAME.txt and NAME.report.json", "[cli]") {
  std::string in = TempDir();
  clean::testing::WriteIn(in, "a.txt", kUpiPage);
  clean::testing::WriteIn(in, "b.page", kP1 + "\n" + kP2 + "\n");
  clean::testing::WriteIn(in, ".hidden.txt", "should be skipped\n");
  fs::create_directories(in + "/subdir");
  std::string out = TempDir() + "/nested/out";  // created as needed
  auto r = RunClean({"--out-dir", out, in});
  REQUIRE_EXIT(r, 0);
  CHECK(r.out.empty());
  for (const char* name : {"a", "b"}) {
    INFO(name);
    REQUIRE(fs::is_regular_file(out + "/" + name + ".txt"));
    REQUIRE(fs::is_regular_file(out + "/" + name + ".report.json"));
    json j = json::parse(ReadFile(out + "/" + name + ".report.json"));
    CHECK(j["report_version"] == 1);
  }
  CHECK_FALSE(fs::exists(out + "/.hidden.txt"));
  CHECK_FALSE(fs::exists(out + "/.hidden.report.json"));
  CHECK(ReadFile(out + "/b.txt") == kP1 + "\n" + kP2 + "\n");
  // Same bytes as cleaning the file alone; no temporary files left.
  auto single = RunClean({in + "/a.txt"});
  REQUIRE_EXIT(single, 0);
  CHECK(ReadFile(out + "/a.txt") == single.out);
  size_t files = 0;
  for (auto& e : fs::directory_iterator(out)) {
    ++files;
    CHECK(e.path().extension() != ".tmp");
  }
  CHECK(files == 4);
}

TEST_CASE("cli: --out-dir with two inputs of the same name", "[cli]") {
  std::string d1 = TempDir(), d2 = TempDir();
  std::string a1 = clean::testing::WriteIn(d1, "page.txt", kP1 + "\n");
  std::string a2 = clean::testing::WriteIn(d2, "page.txt", kP2 + "\n");
  std::string out = TempDir();
  auto r = RunClean({"--out-dir", out, a1, a2});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("page.txt"));
  CHECK(ReadFile(out + "/page.txt") == kP1 + "\n");  // the first one wins
}

TEST_CASE("cli: -o FILE and -oFILE and --output=FILE", "[cli]") {
  std::string dir = TempDir();
  std::string in = clean::testing::WriteIn(dir, "in.txt", kUpiPage);
  auto plain = RunClean({in});
  REQUIRE_EXIT(plain, 0);
  REQUIRE_FALSE(plain.out.empty());
  auto r = RunClean({"-o", dir + "/out.txt", in});
  REQUIRE_EXIT(r, 0);
  CHECK(r.out.empty());
  CHECK(ReadFile(dir + "/out.txt") == plain.out);
  auto r2 = RunClean({"--output=" + dir + "/out2.txt", in});
  REQUIRE_EXIT(r2, 0);
  CHECK(ReadFile(dir + "/out2.txt") == plain.out);
  // The value attached to a short option, as in -j4.
  auto r3 = RunClean({"-o" + dir + "/out3.txt", in});
  REQUIRE_EXIT(r3, 0);
  CHECK(ReadFile(dir + "/out3.txt") == plain.out);
  auto j = RunClean({"-j2", "--jsonl", "-o" + dir + "/out4.jsonl"},
                    "{\"id\": 1, \"text\": \"" + std::string(kP1) + "\"}\n");
  REQUIRE_EXIT(j, 0);
  CHECK_THAT(ReadFile(dir + "/out4.jsonl"), Catch::Contains("\"id\": 1"));
  // A switch takes no attached value.
  auto bad_switch = RunClean({"-qx", in});
  CHECK(bad_switch.exit_code == 2);
  // An unwritable output path: exit 1, as a failed write (README), in both
  // modes; nothing on stdout.
  auto bad = RunClean({"-o", dir + "/no/such/dir/out.txt", in});
  CHECK(bad.exit_code == 1);
  CHECK_THAT(bad.err, Catch::StartsWith("clean: ") && Catch::Contains("cannot write"));
  CHECK(bad.out.empty());
  auto jbad = RunClean({"--jsonl", "-o", dir + "/no/such/dir/out.jsonl"}, "{\"text\": \"x\"}\n");
  CHECK(jbad.exit_code == 1);
  CHECK_THAT(jbad.err, Catch::StartsWith("clean: ") && Catch::Contains("cannot write"));
  auto dbad = RunClean({"--out-dir", in + "/sub", in});  // a directory under a file
  CHECK(dbad.exit_code == 1);
  CHECK_THAT(dbad.err, Catch::StartsWith("clean: cannot create output directory"));
}

TEST_CASE("cli: an output that is a pipe is written in place", "[cli]") {
  // Like /dev/null or /dev/stdout: no NAME.tmp renamed over it, which would
  // replace the device by a regular file (as root, even /dev/null).
  std::string dir = TempDir();
  std::string in = clean::testing::WriteIn(dir, "in.txt", kUpiPage);
  std::string text_fifo = dir + "/text.fifo", report_fifo = dir + "/report.fifo";
  REQUIRE(::mkfifo(text_fifo.c_str(), 0600) == 0);
  REQUIRE(::mkfifo(report_fifo.c_str(), 0600) == 0);
  // Each pipe is opened here for reading, and for writing too, so that its
  // reader sees the end only when both this test and clean have closed it
  // (and an empty text, not a hang, if clean wrote somewhere else).
  struct Pipe {
    int read_fd, write_fd;
    std::string bytes;
    std::thread reader;
  };
  auto open_pipe = [](const std::string& path, Pipe* p) {
    p->read_fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK);
    p->write_fd = ::open(path.c_str(), O_WRONLY);
    ::fcntl(p->read_fd, F_SETFL, 0);
    p->reader = std::thread([p] {
      char buf[4096];
      ssize_t n;
      while ((n = ::read(p->read_fd, buf, sizeof buf)) > 0) p->bytes.append(buf, size_t(n));
    });
  };
  Pipe text_pipe, report_pipe;
  open_pipe(text_fifo, &text_pipe);
  open_pipe(report_fifo, &report_pipe);
  auto r = RunClean({"-o", text_fifo, "--report", report_fifo, in});
  for (Pipe* p : {&text_pipe, &report_pipe}) {
    ::close(p->write_fd);
    p->reader.join();
    ::close(p->read_fd);
  }
  const std::string& text = text_pipe.bytes;
  const std::string& report = report_pipe.bytes;
  REQUIRE_EXIT(r, 0);
  CHECK(text == RunClean({in}).out);
  CHECK(json::parse(report)["input"]["name"] == in);
  struct stat st;
  REQUIRE(::stat(text_fifo.c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  REQUIRE(::stat(report_fifo.c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  CHECK_FALSE(fs::exists(text_fifo + ".tmp"));
}

TEST_CASE("cli: --report FILE", "[cli]") {
  std::string dir = TempDir();
  std::string in = clean::testing::WriteIn(dir, "in.txt", kUpiPage);
  std::string report = dir + "/report.json";
  auto r = RunClean({in, "--report", report});
  REQUIRE_EXIT(r, 0);
  json j = json::parse(ReadFile(report));
  CHECK(j["input"]["name"] == in);
  CHECK(j["source"]["name"] == "upi");
  CHECK(j["source"]["detected_by"] == "fingerprint");
  CHECK(j["date"] == "2025-07-10");
  CHECK(j["removed"].size() >= 5);
  // The clean text still goes to stdout.
  CHECK(r.out.find(kP1) != std::string::npos);
  // One report, one input.
  std::string other = clean::testing::WriteIn(dir, "other.txt", kP1 + "\n");
  auto two = RunClean({in, other, "--report", report});
  CHECK(two.exit_code == 2);
  CHECK_THAT(two.err, Catch::Contains("--out-dir"));
}

TEST_CASE("cli: --keep title,meta", "[cli]") {
  std::string dir = TempDir();
  std::string in = clean::testing::WriteIn(dir, "in.txt", kUpiPage);
  auto base = RunClean({in});
  REQUIRE_EXIT(base, 0);
  auto kept = RunClean({in, "--keep", "title,meta", "--report", dir + "/r.json"});
  REQUIRE_EXIT(kept, 0);
  for (const std::string& l :
       {kUpiTitle, std::string("By Lisa Hornung"), std::string("July 10, 2025 / 10:42 AM"),
        std::string("date 2025-07-10 Trending")}) {
    INFO(l);
    CHECK(base.out.find(l) == std::string::npos);
    CHECK(kept.out.find(l + "\n") != std::string::npos);
  }
  // Kept lines stay in input order, body lines included.
  auto lines = SplitLines(kept.out);
  REQUIRE(lines.size() >= 5);
  CHECK(lines[0] == "date 2025-07-10 Trending");
  CHECK(std::find(lines.begin(), lines.end(), kUpiTitle) <
        std::find(lines.begin(), lines.end(), kP1));
  // Navigation is still removed.
  CHECK(kept.out.find("Share with X") == std::string::npos);
  json j = json::parse(ReadFile(dir + "/r.json"));
  CHECK(j["kept_classes"] == json::array({"body", "title", "meta"}));
  for (const json& e : j["removed"]) {
    CHECK(e["class"] != "title");
    CHECK(e["class"] != "meta");
  }
}

TEST_CASE("cli: --explain shows each HTML line's element path", "[cli][html]") {
  std::string dir = TempDir();
  std::string in = clean::testing::WriteIn(
      dir, "in.html",
      "<html><body><nav><a href=/>Home</a></nav><article><p>" + std::string(kP1) +
          "</p><ul><li>First item of the list</li></ul></article></body></html>");
  auto r = RunClean({"--explain", in});
  REQUIRE_EXIT(r, 0);
  CHECK_THAT(r.out, Catch::Contains("Home  @ /html/body/nav"));
  CHECK_THAT(r.out, Catch::Contains("  @ /html/body/article/p\n"));
  // A DOM decision names the main element it judged the line against.
  CHECK_THAT(r.out,
             Catch::Contains("First item of the list  [main body]  @ /html/body/article/ul/li\n"));
}

TEST_CASE("cli: --explain prints one row per input line", "[cli]") {
  std::string dir = TempDir();
  std::string in = clean::testing::WriteIn(dir, "in.txt", kUpiPage);
  auto r = RunClean({"--explain", in});
  REQUIRE_EXIT(r, 0);
  auto rows = SplitLines(r.out);
  auto input = SplitLines(kUpiPage);
  REQUIRE(rows.size() == input.size() + 1);
  CHECK(rows[0] == "# " + in + ": source upi (detected by fingerprint), language en");
  // A page no source matches: the header says so in words.
  auto generic = RunClean({"--explain", "-q", "-"}, kP1 + "\n");
  REQUIRE_EXIT(generic, 0);
  CHECK(SplitLines(generic.out)[0] ==
        "# <stdin>: generic rules only (no source detected), language en");
  auto forced = RunClean({"--explain", "-q", "--source", "upi", "-"}, kP1 + "\n");
  CHECK(SplitLines(forced.out)[0] == "# <stdin>: source upi (given by --source), language en");
  for (size_t i = 0; i < input.size(); ++i) {
    const std::string& row = rows[i + 1];
    INFO(row);
    char num[32];
    std::snprintf(num, sizeof num, "%6zu ", i + 1);
    CHECK_THAT(row, Catch::StartsWith(num));
    std::string trimmed = input[i];
    trimmed.erase(0, trimmed.find_first_not_of(' '));
    // Long lines are cut at 100 bytes and marked with an ellipsis.
    if (trimmed.size() > 100) trimmed = trimmed.substr(0, 100) + "…";
    if (trimmed.empty()) {
      CHECK_THAT(row, Catch::EndsWith("blank"));
    } else {
      CHECK((row[7] == '+' || row[7] == '-'));
      CHECK_THAT(row, Catch::EndsWith(trimmed));
    }
  }
  auto row_of = [&](std::string text) {
    if (text.size() > 100) text = text.substr(0, 100) + "…";
    for (const auto& row : rows)
      if (row.size() >= text.size() &&
          row.compare(row.size() - text.size(), text.size(), text) == 0)
        return row;
    return std::string();
  };
  CHECK_THAT(row_of("Share with X"), Catch::Contains("- navigation") &&
                                         Catch::Contains("upi.share") &&
                                         Catch::Contains("rules/upi.rules:"));
  CHECK_THAT(row_of(kP1), Catch::Contains("+ body"));
}

TEST_CASE("cli: stdin via - and with no input", "[cli]") {
  std::string dir = TempDir();
  std::string in = clean::testing::WriteIn(dir, "in.txt", kUpiPage);
  auto file = RunClean({in});
  REQUIRE_EXIT(file, 0);
  auto dash = RunClean({"-"}, kUpiPage);
  REQUIRE_EXIT(dash, 0);
  auto none = RunClean({}, kUpiPage);
  REQUIRE_EXIT(none, 0);
  CHECK(dash.out == file.out);
  CHECK(none.out == file.out);
  auto rep = RunClean({"-", "--report", dir + "/r.json"}, kUpiPage);
  REQUIRE_EXIT(rep, 0);
  CHECK(json::parse(ReadFile(dir + "/r.json"))["input"]["name"] == "<stdin>");
  // Empty stdin is an empty page.
  auto empty = RunClean({});
  REQUIRE_EXIT(empty, 0);
  CHECK(empty.out.empty());
}

TEST_CASE("cli: warnings for invalid UTF-8, silenced by --quiet", "[cli]") {
  std::string page = kP1 + "\nBad \xFF byte\n" + kP2 + "\n";
  auto r = RunClean({}, page);
  REQUIRE_EXIT(r, 0);
  CHECK_THAT(r.err, Catch::StartsWith("clean: ") && Catch::Contains("invalid UTF-8"));
  auto q = RunClean({"-q"}, page);
  REQUIRE_EXIT(q, 0);
  CHECK(q.err.empty());
  CHECK(q.out == r.out);
}

TEST_CASE("cli: --check-rules", "[cli]") {
  auto ok = RunClean({"--check-rules"});
  REQUIRE_EXIT(ok, 0);
  CHECK_THAT(ok.out, Catch::Contains("rules OK"));
  // The shipped rules draw no warning (e.g. a regex that can backtrack
  // polynomially).
  CHECK(ok.err.empty());

  std::string rules = RulesDir("line g.ok navigation \"Share\"\n");
  WriteFile(rules + "/t.rules", "# a source\nline t.bad caption /Photo (by/\n");
  auto bad = RunClean({"--check-rules", "--rules", rules});
  CHECK(bad.exit_code == 2);
  // "line t.bad caption /" is 20 bytes; the group is unclosed at the end of
  // the pattern, column 30.
  CHECK_THAT(bad.err, Catch::Contains("rules/t.rules:2:30: error: regex:"));
  CHECK_THAT(bad.err, Catch::Contains("line t.bad caption /Photo (by/"));
  CHECK_THAT(bad.err, Catch::Contains("clean: "));

  // A failing expectation.
  std::string rules2 = RulesDir("line g.ok navigation \"Share\"\nexpect ad \"Share\"\n");
  auto fail = RunClean({"--check-rules", "--rules", rules2});
  CHECK(fail.exit_code == 2);
  CHECK_THAT(fail.err,
             Catch::Contains("rules/generic.rules:2") && Catch::Contains("expectation failed"));

  // Bad rules stop a normal run too.
  auto run = RunClean({"--rules", rules}, kP1 + "\n");
  CHECK(run.exit_code == 2);
  CHECK(run.out.empty());
}

TEST_CASE("cli: a 20 MB single line finishes", "[cli][slow]") {
  std::string sentence =
      "The minister said that the talks were useful and that the sides will meet again. ";
  std::string line;
  line.reserve(20 * 1024 * 1024 + sentence.size());
  while (line.size() < 20 * 1024 * 1024) line += sentence;
  std::string dir = TempDir();
  std::string in = clean::testing::WriteIn(dir, "big.txt", line);
  auto t0 = std::chrono::steady_clock::now();
  auto r = RunClean({in, "-o", dir + "/out.txt", "--report", dir + "/r.json"});
  auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  REQUIRE_EXIT(r, 0);
  CHECK(secs < 20.0);
  json j = json::parse(ReadFile(dir + "/r.json"));
  CHECK(j["input"]["lines"] == 1);
  CHECK(j["input"]["bytes"] == line.size());
  // Kept or removed, the line is accounted for exactly once.
  std::string out = ReadFile(dir + "/out.txt");
  size_t trimmed = line.size() - 1;  // the trailing space is trimmed
  if (j["removed"].empty())
    CHECK(out.size() == trimmed + 1);
  else
    CHECK(out.empty());
}

TEST_CASE("cli: a million short lines finish", "[cli][slow]") {
  std::string page;
  page.reserve(16 * 1000 * 1000);
  for (int i = 0; i < 1000000; ++i) {
    page += "Item ";
    page += std::to_string(i % 1000);
    page += i % 10 == 0 ? "\n\n" : "\n";
  }
  std::string dir = TempDir();
  std::string in = clean::testing::WriteIn(dir, "million.txt", page);
  auto t0 = std::chrono::steady_clock::now();
  auto r = RunClean({in, "--report", dir + "/r.json"});
  auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  REQUIRE_EXIT(r, 0);
  CHECK(secs < 30.0);
  json j = json::parse(ReadFile(dir + "/r.json"));
  CHECK(j["input"]["lines"] == 1100000);
  CHECK(j["input"]["blank_lines"] == 100000);
  size_t counted = 0;
  for (auto& [cls, c] : j["counts"].items()) counted += c["lines"].get<size_t>();
  CHECK(counted == 1000000);
}

TEST_CASE("cli: a catastrophically backtracking rule regex finishes", "[cli][slow]") {
  // The lookahead is beyond the Hyperscan prefilter, which lets the line
  // through: PCRE2 then backtracks on it and gives up at the match limit.
  std::string rules = RulesDir("line t.bad navigation /^(?=(a+)+$)a/\n");
  std::string dir = TempDir();
  std::string page = kP1 + "\n" + kP2 + "\n" + std::string(5000, 'a') + "b\n" + kP3 + "\naaaa\n";
  std::string in = clean::testing::WriteIn(dir, "evil.txt", page);
  auto t0 = std::chrono::steady_clock::now();
  auto r = RunClean({"--rules", rules, in, "--report", dir + "/r.json"});
  auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  REQUIRE_EXIT(r, 0);
  CHECK(secs < 20.0);
  json j = json::parse(ReadFile(dir + "/r.json"));
  REQUIRE_FALSE(j["regex_limits"].empty());
  CHECK(j["regex_limits"][0]["line"] == 3);
  CHECK(j["regex_limits"][0]["pattern"] == "^(?=(a+)+$)a");
  CHECK_THAT(r.err, Catch::Contains("match limit"));
  // The rule still matched the later line it can match.
  bool aaaa = false;
  for (const json& e : j["removed"])
    if (e["text"] == "aaaa") aaaa = e["rule"] == "t.bad";
  CHECK(aaaa);
  CHECK(r.out.find(kP3) != std::string::npos);
  // --explain marks the line.
  auto ex = RunClean({"--rules", rules, "--explain", "-q", in});
  REQUIRE_EXIT(ex, 0);
  auto rows = SplitLines(ex.out);
  REQUIRE(rows.size() == 6);  // header + 5 lines
  CHECK_THAT(rows[3], Catch::StartsWith("     3 ") && Catch::EndsWith("[regex limit hit]"));
  for (size_t i : {1, 2, 4, 5}) CHECK(rows[i].find("[regex limit hit]") == std::string::npos);
  CHECK(ex.err.empty());  // -q: no warning
}

TEST_CASE("cli: the prefilter proves a nested-quantifier regex cannot match; PCRE2 alone gives up",
          "[cli][slow]") {
  std::string rules = RulesDir("line t.bad navigation /^(a+)+$/\n");
  std::string dir = TempDir();
  std::string in =
      clean::testing::WriteIn(dir, "evil.txt", kP1 + "\n" + std::string(5000, 'a') + "b\naaaa\n");
  auto with = RunClean({"--rules", rules, in, "--report", dir + "/with.json"});
  auto without =
      RunClean({"--rules", rules, "--no-prefilter", in, "--report", dir + "/without.json"});
  REQUIRE_EXIT(with, 0);
  REQUIRE_EXIT(without, 0);
  json a = json::parse(ReadFile(dir + "/with.json")),
       b = json::parse(ReadFile(dir + "/without.json"));
  CHECK(a["regex_limits"].empty());
  REQUIRE(b["regex_limits"].size() == 1);
  CHECK(b["regex_limits"][0]["line"] == 2);
  // Both remove "aaaa" by the rule; the clean text is the same.
  CHECK(with.out == without.out);
}

TEST_CASE("cli: --out-dir into a read-only directory fails with a message", "[cli]") {
  std::string in = clean::testing::WriteIn(TempDir(), "page.txt", kP1 + "\n");
  std::string out = TempDir() + "/ro";
  fs::create_directories(out);
  REQUIRE(chmod(out.c_str(), 0555) == 0);
  if (access(out.c_str(), W_OK) == 0) {
    chmod(out.c_str(), 0755);
    WARN("skipped: the read-only directory is writable here (running as root?)");
    return;
  }
  auto r = RunClean({"--out-dir", out, in});
  chmod(out.c_str(), 0755);
  CHECK(r.exit_code != 0);
  CHECK_THAT(r.err, Catch::StartsWith("clean: ") && Catch::Contains("cannot write"));
}

TEST_CASE("cli: --out-dir write failures are reported", "[cli]") {
  std::string dir = TempDir();
  std::string in = clean::testing::WriteIn(dir, "page.txt", kP1 + "\n");
  {
    // The output file's name is taken by a directory: the write fails even
    // for root.
    std::string out = TempDir();
    fs::create_directories(out + "/page.txt");
    auto r = RunClean({"--out-dir", out, in});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::StartsWith("clean: ") && Catch::Contains("cannot write") &&
                          Catch::Contains("page.txt"));
    CHECK_FALSE(fs::exists(out + "/page.txt.tmp"));
  }
  {
    // The output directory is a file: an output that cannot be created,
    // exit 1 as for -o (README, Reliability).
    std::string file = clean::testing::WriteIn(TempDir(), "not-a-dir", "x");
    auto r = RunClean({"--out-dir", file, in});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::StartsWith("clean: ") && Catch::Contains("output directory"));
  }
}

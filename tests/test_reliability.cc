// Reliability (issue 5): the regex lint of --check-rules, PCRE2 limits and
// the per-page size and time budgets, --resume, and truthful failures when
// an output cannot be written (disk full, file too large).
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cleaner/cleaner.h"
#include "cleaner/base/options.h"
#include "cleaner/match/regex.h"
#include "cleaner/ruleset/regex_lint.h"
#include "cleaner/report/report.h"
#include "tests/conservation.h"
#include "tests/test_support.h"

namespace fs = std::filesystem;
using clean::testing::kP1;
using clean::testing::kP2;
using clean::testing::kP3;
using clean::testing::ReadFile;
using clean::testing::RulesDir;
using clean::testing::RunClean;
using clean::testing::TempDir;
using clean::testing::WriteFile;
using json = nlohmann::json;

namespace {

// Runs the built binary in a child with stdout on `stdout_path` and, when
// `fsize_limit` > 0, RLIMIT_FSIZE set to that many bytes (SIGXFSZ ignored,
// so writes past it fail with EFBIG as on a full quota).
clean::testing::RunResult RunLimited(const std::vector<std::string>& args,
                                     const std::string& stdout_path, rlim_t fsize_limit = 0) {
  std::string err_path = TempDir() + "/stderr";
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int out = open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int in = open("/dev/null", O_RDONLY);
    if (out < 0 || err < 0 || in < 0) _exit(127);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    if (fsize_limit > 0) {
      std::signal(SIGXFSZ, SIG_IGN);
      struct rlimit rl = {fsize_limit, fsize_limit};
      if (setrlimit(RLIMIT_FSIZE, &rl) != 0) _exit(127);
    }
    std::vector<char*> argv{const_cast<char*>(CLEAN_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(CLEAN_BINARY, argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  clean::testing::RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = ReadFile(err_path);
  return r;
}

// A page of `n` distinct prose lines (about 150 bytes each).
std::string ProsePage(int n) {
  std::string page;
  for (int i = 0; i < n; ++i) page += "Paragraph " + std::to_string(i) + ": " + kP1 + "\n";
  return page;
}

}  // namespace

// --- The regex lint ---------------------------------------------------------

TEST_CASE("regex lint: flags nested and adjacent repeats, not safe patterns", "[lint]") {
  struct Case {
    const char* pattern;
    size_t findings;
    size_t offset;  // of the first finding
    const char* kind;
  };
  const std::vector<Case> kCases = {
      {"^(a+)+$", 1, 2, "nested"},
      {"(.*)*x", 1, 1, "nested"},
      {"^(?:\\w+\\s?)+$", 1, 4, "nested"},
      {"(x|(a*))+b", 1, 4, "nested"},
      {"^.*.*=", 1, 3, "adjacent"},
      {"\\w+\\d*\\w+y", 2, 3, "adjacent"},
      {"a.*,?.*b", 1, 5, "adjacent"},
      // Safe: a required separator the repeat cannot eat, possessive or
      // atomic repeats, bounded repeats, repeats with nothing after them.
      {"^(?:,\\d+)*$", 0, 0, ""},
      {"^(?:\\w+\\s)+$", 0, 0, ""},
      {"^(a++)+$", 0, 0, ""},
      {"^(?>a+)+$", 0, 0, ""},
      {"^(a{1,3}){1,5}$", 0, 0, ""},
      {"^.*x.*$", 0, 0, ""},
      {"^Share with X$", 0, 0, ""},
      {"^[A-Z][\\w.]*(?: [\\w.]+)* \\/\\/ \\d+", 0, 0, ""},
      {"[a-z]+[0-9]+z", 0, 0, ""},
  };
  for (const auto& c : kCases) {
    INFO(c.pattern);
    auto f = clean::LintPattern(c.pattern);
    REQUIRE(f.size() == c.findings);
    if (c.findings) {
      CHECK(f[0].offset == c.offset);
      CHECK_THAT(f[0].message, Catch::Contains(c.kind));
    }
  }
  // Caseless patterns compare letters folded.
  CHECK(clean::LintPattern("(?:a|B)*b+c", false).empty());
  CHECK(clean::LintPattern("[aB]*b+c", true).size() == 1);
}

TEST_CASE("regex lint: malformed or odd patterns never break it", "[lint]") {
  for (const char* p : {"",
                        "(",
                        ")",
                        "((((",
                        "[",
                        "[]",
                        "[^]",
                        "\\",
                        "a{",
                        "a{2,",
                        "(?",
                        "(?#x",
                        "(*UTF)a+",
                        "\\Qa+(\\E+",
                        "\\x{41}+\\x41+z",
                        "[[:alpha:]]+[a-]*z",
                        "(?<name>a+)+",
                        "(?i)a+A+b",
                        "\xff\xfe+",
                        "\\p{L}+\\p{Lu}+x"})
    (void)clean::LintPattern(p);
  SUCCEED("no crash");  // the fuzz target rule_file covers this further
}

TEST_CASE("cli: --check-rules warns about backtracking patterns with file:line:col",
          "[lint][cli]") {
  std::string rules = RulesDir(
      "# a comment\n"
      "line t.ok navigation \"Home\"\n"
      "line t.bad navigation /^(a+)+$/\n"
      "line t.bad2 navigation /^x\\/.*.*=/\n");
  auto r = RunClean({"--rules", rules, "--check-rules"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);  // warnings, not errors
  CHECK_THAT(r.out, Catch::Contains("rules OK"));
  CHECK_THAT(r.err, Catch::Contains("rules/generic.rules:3:26: warning: regex: nested quantifier"));
  // Offset 5 in the pattern is column 31: "\/" is one byte shorter there.
  CHECK_THAT(r.err, Catch::Contains("rules/generic.rules:4:31: warning: regex: adjacent repeats"));
  CHECK(r.err.find(":2:") == std::string::npos);
  // Cleaning does not lint (the warnings are for --check-rules).
  auto c = RunClean({"--rules", rules, "-"}, kP1 + "\n");
  CHECK(c.exit_code == 0);
  CHECK(c.err.find("nested quantifier") == std::string::npos);
}

// --- PCRE2 limits and the time budget in the adapter ------------------------

TEST_CASE("regex: a passed deadline stops Find without matching", "[regex][budget]") {
  std::string error;
  size_t off = 0;
  auto re = clean::Regex::Compile("b", false, &error, &off);
  REQUIRE(re);
  clean::MatchScratch scratch(1000, 1000);
  scratch.SetDepthLimit(1000);
  size_t b = 0, e = 0;
  CHECK(re->Find(scratch, "abc", 0, &b, &e) == clean::Regex::Result::kMatch);
  scratch.SetDeadline(std::chrono::steady_clock::now() - std::chrono::milliseconds(1));
  CHECK(re->Find(scratch, "abc", 0, &b, &e) == clean::Regex::Result::kBudget);
  scratch.SetDeadline(std::chrono::steady_clock::time_point::max());
  CHECK(re->Find(scratch, "abc", 0, &b, &e) == clean::Regex::Result::kMatch);
}

TEST_CASE("options: the budgets and the depth limit are named options", "[budget]") {
  for (const char* name : {"regex_depth_limit", "max_page_bytes", "page_time_budget_ms"}) {
    INFO(name);
    const clean::OptionField* f = clean::FindOption(name);
    REQUIRE(f);
    clean::Options o;
    std::string err;
    CHECK(clean::SetOption(o, *f, "123", &err));
  }
  clean::Options o;
  CHECK(o.max_page_bytes > 20 * 1000 * 1000);  // the 20 MB line of test_cli still fits
  CHECK(o.page_time_budget_ms > 0);
}

// --- Bounded documents ---------------------------------------------------------

TEST_CASE("budget: a page over max_page_bytes fails alone, the batch goes on", "[budget][cli]") {
  std::string rules = RulesDir("set max_page_bytes 2000\n");
  std::string in = TempDir();
  clean::testing::WriteIn(in, "a.txt", kP1 + "\n" + kP2 + "\n");
  clean::testing::WriteIn(in, "big.txt", ProsePage(30));
  clean::testing::WriteIn(in, "c.txt", kP3 + "\n");
  std::string out = TempDir();
  auto r = RunClean({"--rules", rules, "--out-dir", out, in});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("big.txt: ") && Catch::Contains("page size budget") &&
                        Catch::Contains("max_page_bytes 2000"));
  CHECK(ReadFile(out + "/a.txt") == kP1 + "\n" + kP2 + "\n");
  CHECK(ReadFile(out + "/c.txt") == kP3 + "\n");
  CHECK_FALSE(fs::exists(out + "/big.txt"));
  CHECK_FALSE(fs::exists(out + "/big.report.json"));
}

TEST_CASE("budget: a hostile page cannot stall a batch", "[budget][cli][slow]") {
  // Every line of the hostile page makes the rule backtrack until PCRE2's
  // match limit: 10,000 lines take ~26 s of CPU without a budget. (The
  // lookahead keeps the Hyperscan prefilter from proving that the lines
  // cannot match: a plain /^(a+)+$/ is never run by PCRE2 on them.) The time
  // budget stops the rule matching; the page is still cleaned (heuristics
  // decide), the report says so, and the other pages are untouched.
  std::string rules = RulesDir(
      "set page_time_budget_ms 300\n"
      "line t.evil navigation /^(?=(a+)+$)a/\n"
      "line t.home navigation \"Home\"\n");
  std::string in = TempDir();
  std::string hostile;
  for (int i = 0; i < 10000; ++i) hostile += std::string(40, 'a') + "b\n";
  hostile += kP1 + "\n";
  clean::testing::WriteIn(in, "a.txt", "Home\n" + kP1 + "\n");
  clean::testing::WriteIn(in, "b_hostile.txt", hostile);
  clean::testing::WriteIn(in, "c.txt", "Home\n" + kP2 + "\n");
  std::string out = TempDir();
  auto t0 = std::chrono::steady_clock::now();
  auto r = RunClean({"--rules", rules, "--out-dir", out, in});
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(secs < 15.0);  // 0.3 s of budget; generous for sanitizer builds
  CHECK_THAT(r.err, Catch::Contains("b_hostile.txt: warning: the page time budget"));
  json j = json::parse(ReadFile(out + "/b_hostile.report.json"));
  REQUIRE(j.contains("budget_exceeded"));
  CHECK(j["budget_exceeded"]["budget"] == "page_time_budget_ms");
  CHECK(j["budget_exceeded"]["limit"] == 300);
  CHECK(j["input"]["lines"] == 10001);
  // Nothing lost on the hostile page either.
  size_t counted = 0;
  for (auto& [cls, c] : j["counts"].items()) counted += c["lines"].get<size_t>();
  CHECK(counted == 10001);
  // The other pages: their rules ran, no budget entry.
  for (const char* name : {"a", "c"}) {
    INFO(name);
    json k = json::parse(ReadFile(out + "/" + std::string(name) + ".report.json"));
    CHECK_FALSE(k.contains("budget_exceeded"));
    REQUIRE(k["removed"].size() == 1);
    CHECK(k["removed"][0]["rule"] == "t.home");
  }
  CHECK(ReadFile(out + "/a.txt") == kP1 + "\n");
  CHECK(ReadFile(out + "/c.txt") == kP2 + "\n");
}

TEST_CASE("budget: the time budget in the library, with conservation", "[budget]") {
  clean::Diagnostics d;
  auto rules = clean::RuleSet::Load(
      RulesDir("set page_time_budget_ms 100\nline t.evil navigation /^(?=(a+)+$)a/\n"),
      clean::Options(), &d);
  INFO(d.Format());
  REQUIRE(rules);
  std::string page;
  for (int i = 0; i < 2000; ++i) page += std::string(40, 'a') + "b\n" + kP1 + "\n";
  clean::Cleaner cleaner(*rules, clean::Options(), nullptr);
  clean::CleanResult r;
  std::string error, text, report;
  REQUIRE(cleaner.Clean("hostile", page, &r, &error));
  CHECK(r.over_time_budget);
  CHECK(r.time_budget_ms == 100);
  clean::WriteCleanText(r, clean::KeepSet(), &text);
  clean::WriteReport(r, clean::KeepSet(), &report);
  std::string problem = clean::testing::ConservationProblem(*r.page, text, report);
  INFO(problem);
  CHECK(problem.empty());
  // The next page starts with a fresh budget.
  REQUIRE(cleaner.Clean("ok", kP1 + "\n", &r, &error));
  CHECK_FALSE(r.over_time_budget);
}

// --- --resume -------------------------------------------------------------------

TEST_CASE("cli: --resume skips inputs whose outputs are complete", "[resume][cli]") {
  std::string in = TempDir();
  clean::testing::WriteIn(in, "a.txt", kP1 + "\n");
  clean::testing::WriteIn(in, "b.txt", kP2 + "\n");
  clean::testing::WriteIn(in, "c.txt", kP3 + "\n");
  std::string out = TempDir();
  auto first = RunClean({"--out-dir", out, in});
  REQUIRE(first.exit_code == 0);
  // An interrupted run: b's report never made it; c's text was replaced by
  // a marker, which --resume must leave alone (its report is there).
  fs::remove(out + "/b.report.json");
  WriteFile(out + "/c.txt", "marker\n");
  WriteFile(out + "/b.txt.tmp", "half-written");
  auto r = RunClean({"--resume", "--out-dir", out, in});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("--resume: 2 input(s) already complete"));
  CHECK(ReadFile(out + "/b.txt") == kP2 + "\n");
  CHECK(fs::is_regular_file(out + "/b.report.json"));
  CHECK_FALSE(fs::exists(out + "/b.txt.tmp"));
  CHECK(ReadFile(out + "/c.txt") == "marker\n");
  // -q silences the note; without --resume everything is rewritten.
  auto q = RunClean({"--resume", "-q", "--out-dir", out, in});
  CHECK(q.exit_code == 0);
  CHECK(q.err.empty());
  auto all = RunClean({"--out-dir", out, in});
  CHECK(all.exit_code == 0);
  CHECK(ReadFile(out + "/c.txt") == kP3 + "\n");
  // --resume needs --out-dir; --help documents it.
  auto bad = RunClean({"--resume", in + "/a.txt"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::StartsWith("clean: ") && Catch::Contains("--out-dir"));
  CHECK_THAT(RunClean({"--help"}).out, Catch::Contains("--resume"));
}

// --- Truthful failures when outputs cannot be written ----------------------------

TEST_CASE("cli: a full disk or file size limit fails with exit 1 and says so", "[cli][diskfull]") {
  std::string in = clean::testing::WriteIn(TempDir(), "page.txt", ProsePage(60));
  std::string dir = TempDir();
  // The file size limit (RLIMIT_FSIZE, writes fail with EFBIG) for -o,
  // stdout and --report.
  auto o = RunLimited({"-o", dir + "/o.txt", in}, dir + "/stdout", 4096);
  CHECK(o.exit_code == 1);
  CHECK_THAT(o.err, Catch::StartsWith("clean: cannot write " + dir + "/o.txt") &&
                        Catch::Contains("File too large"));
  auto s = RunLimited({in}, dir + "/stdout", 4096);
  CHECK(s.exit_code == 1);
  CHECK_THAT(s.err, Catch::StartsWith("clean: cannot write the clean text") &&
                        Catch::Contains("File too large"));
  // Short label lines are removed, so the report is much larger than 4 KB.
  std::string labels = kP1 + "\n";
  for (int i = 0; i < 300; ++i) labels += "Section " + std::to_string(i) + "\n";
  std::string in_labels = clean::testing::WriteIn(TempDir(), "labels.txt", labels);
  auto rep = RunLimited({"--report", dir + "/r.json", in_labels}, "/dev/null", 4096);
  CHECK(rep.exit_code == 1);
  CHECK_THAT(rep.err, Catch::Contains("cannot write " + dir + "/r.json") &&
                          Catch::Contains("File too large"));
  CHECK_FALSE(fs::exists(dir + "/r.json"));
  CHECK_FALSE(fs::exists(dir + "/r.json.tmp"));

  // A full disk: /dev/full, when it is the real device (some containers
  // have a plain file there).
  if (!fs::is_character_file("/dev/full")) {
    WARN("/dev/full is not a character device here: the ENOSPC half is skipped");
    return;
  }
  auto full = RunLimited({"-o", "/dev/full", in}, dir + "/stdout");
  CHECK(full.exit_code == 1);
  CHECK_THAT(full.err, Catch::StartsWith("clean: ") && Catch::Contains("/dev/full") &&
                           Catch::Contains("No space left on device"));
  auto full_out = RunLimited({in}, "/dev/full");
  CHECK(full_out.exit_code == 1);
  CHECK_THAT(full_out.err, Catch::StartsWith("clean: cannot write the clean text") &&
                               Catch::Contains("No space left on device"));
}

TEST_CASE("cli: --out-dir past the file size limit fails per input, then --resume finishes",
          "[cli][diskfull][resume]") {
  std::string in = TempDir();
  clean::testing::WriteIn(in, "a_small.txt", kP1 + "\n");
  clean::testing::WriteIn(in, "b_big.txt", ProsePage(60));  // ~9 KB of text
  clean::testing::WriteIn(in, "c_small.txt", kP2 + "\n");
  std::string out = TempDir();
  auto r = RunLimited({"--out-dir", out, in}, TempDir() + "/stdout", 4096);
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err,
             Catch::Contains("b_big.txt: cannot write") && Catch::Contains("File too large"));
  // No truncated or temporary output; the small inputs are complete.
  CHECK_FALSE(fs::exists(out + "/b_big.txt"));
  CHECK_FALSE(fs::exists(out + "/b_big.report.json"));
  for (auto& e : fs::directory_iterator(out)) CHECK(e.path().extension() != ".tmp");
  CHECK(ReadFile(out + "/a_small.txt") == kP1 + "\n");
  CHECK(ReadFile(out + "/c_small.txt") == kP2 + "\n");
  // With room again, --resume writes only what is missing.
  auto again = RunClean({"--resume", "--out-dir", out, in});
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.err, Catch::Contains("2 input(s) already complete"));
  CHECK(ReadFile(out + "/b_big.txt") == ProsePage(60));
}

// --- Regressions found by the fuzz targets ----------------------------------------

TEST_CASE("fuzz regression: a regex that is not valid UTF-8 is an error, not a crash",
          "[fuzz][rule_set]") {
  // fuzz_rule_set: PCRE2 was told not to check the pattern's UTF-8
  // (PCRE2_NO_UTF_CHECK at compile time) and read past the end of an
  // invalid sequence (ASan: SEGV in pcre2_compile).
  for (const std::string bad : {"\xff\xff\xff", "\xc3", "\xe2\x82", "\xed\xa0\x80"}) {
    std::string rules = RulesDir("line t.x navigation /^ab" + bad + "+c$/\n");
    auto r = RunClean({"--rules", rules, "--check-rules"});
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("rules/generic.rules:1:25: error: regex: UTF-8 error"));
  }
}

// --- The invariant checks themselves can fail ----------------------------------

TEST_CASE("conservation checks catch lost, doubled, altered and invented lines",
          "[invariants][fuzz]") {
  clean::Page page;
  std::string error;
  REQUIRE(clean::BuildPage("  One line.\nTwo\n\nThree\n", clean::Options(), &page, &error));
  auto removed = [](int line, const std::string& text) {
    return R"({"removed": [{"line": )" + std::to_string(line) + R"(, "text": ")" + text + "\"}]}";
  };
  using clean::testing::ConservationProblem;
  CHECK(ConservationProblem(page, "One line.\nThree\n", removed(2, "Two")).empty());
  CHECK_THAT(ConservationProblem(page, "One line.\n", removed(2, "Two")),
             Catch::Contains("line 4") && Catch::Contains("neither"));
  CHECK_THAT(ConservationProblem(page, "One line.\nTwo\nThree\n", removed(2, "Two")),
             Catch::Contains("line 4") && Catch::Contains("Two in its place"));
  CHECK_THAT(ConservationProblem(page, "One line.\nThree\nExtra\n", removed(2, "Two")),
             Catch::Contains("no input line: Extra"));
  CHECK_THAT(ConservationProblem(page, "One line.\nThree\n", removed(2, "Too")),
             Catch::Contains("another text"));
  CHECK_THAT(ConservationProblem(page, "One line.\nTwo\nThree\n", removed(9, "x")),
             Catch::Contains("line 9"));
  CHECK_THAT(ConservationProblem(page, "One line.\nThree\n", "not json"),
             Catch::Contains("not a JSON object"));

  using clean::testing::KeptLinesProblem;
  std::string raw = "\xEF\xBB\xBF  One line.\r\nTwo\n\nThree";
  CHECK(KeptLinesProblem(raw, "One line.\nThree\n").empty());
  CHECK(KeptLinesProblem(raw, "").empty());
  CHECK_THAT(KeptLinesProblem(raw, "Three\nOne line.\n"), Catch::Contains("clean text line 2"));
  CHECK_THAT(KeptLinesProblem(raw, "One line\n"), Catch::Contains("not an input line"));
  CHECK_THAT(KeptLinesProblem(raw, "Two\nTwo\n"), Catch::Contains("line 2"));
  // fuzz regression (plain_text): a lone CR ends an input line, as it does
  // in the cleaner's pages, so both halves are input lines.
  std::string cr = "The water is lowest.\rreaders said so.\r\nLast line.";
  CHECK(KeptLinesProblem(cr, "The water is lowest.\nreaders said so.\nLast line.\n").empty());
  CHECK_THAT(KeptLinesProblem(cr, "The water is lowest. readers said so.\n"),
             Catch::Contains("not an input line"));
}

// Invariants over real pages: every dataset page (../shared/datasets) and
// every fixture conserves its lines, keeps only input lines (trimmed,
// byte-identical), and cleaning is deterministic, in the library and across
// repeated CLI batch runs.
// The same over the HTML dataset pages is in test_html_dom.cc / the HTML
// tests, and byte-identical output across --jobs in test_jsonl_cli.cc.
#include <catch2/catch.hpp>
#include <filesystem>

#include "cleaner/cleaner.h"
#include "cleaner/report/report.h"
#include "tests/conservation.h"
#include "tests/test_support.h"

namespace fs = std::filesystem;
using namespace clean;

namespace {
std::vector<fs::path> DatasetPages() {
  std::vector<fs::path> v;
  fs::path dir = fs::path(CLEAN_SHARED_DIR) / "datasets" / "trafilatura-eval" / "text";
  std::error_code ec;
  for (auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".txt") v.push_back(e.path());
  std::sort(v.begin(), v.end());
  return v;
}
}  // namespace

TEST_CASE("invariants: every dataset page conserves its lines, deterministically",
          "[invariants][dataset]") {
  auto pages = DatasetPages();
  if (pages.empty()) {
    WARN("no dataset at " CLEAN_SHARED_DIR "/datasets: skipped");
    return;
  }
  REQUIRE(pages.size() >= 300);
  const RuleSet& rules = clean::testing::ProjectRules();
  Cleaner a(rules, Options(), nullptr), b(rules, Options(), nullptr);
  b.set_prefilter(false);  // PCRE2 alone must find exactly what the prefilter does
  KeepSet keep;
  size_t kept_lines = 0;
  for (const auto& p : pages) {
    std::string input = clean::testing::ReadFile(p.string());
    std::string err, text1, report1, text2, report2;
    CleanResult r1, r2;
    REQUIRE(a.Clean(p.filename().string(), input, &r1, &err));
    WriteCleanText(r1, keep, &text1);
    WriteReport(r1, keep, &report1);
    clean::testing::CheckConservation(p.filename().string(), *r1.page, text1, report1);
    if (r1.page->invalid_utf8 == 0) {
      std::string problem = clean::testing::KeptLinesProblem(input, text1);
      INFO(p.filename().string() << ": " << problem);
      REQUIRE(problem.empty());
    }
    kept_lines += clean::testing::SplitLines(text1).size();
    // A second cleaner, after another page and without the Hyperscan
    // prefilter, gives the same bytes.
    REQUIRE(b.Clean(p.filename().string(), input, &r2, &err));
    WriteCleanText(r2, keep, &text2);
    WriteReport(r2, keep, &report2);
    REQUIRE(text1 == text2);
    REQUIRE(report1 == report2);
  }
  CHECK(kept_lines > 1000);
}

TEST_CASE("invariants: every fixture gives the same bytes with and without the prefilter",
          "[invariants]") {
  const RuleSet& rules = clean::testing::ProjectRules();
  Cleaner a(rules, Options(), nullptr), b(rules, Options(), nullptr);
  b.set_prefilter(false);
  KeepSet keep;
  size_t cases = 0;
  for (auto& e : fs::recursive_directory_iterator(CLEAN_FIXTURES_DIR)) {
    if (e.path().filename() != "input.txt") continue;
    std::string input = clean::testing::ReadFile(e.path().string()), err;
    std::string text1, report1, text2, report2;
    CleanResult r1, r2;
    REQUIRE(a.Clean("input.txt", input, &r1, &err));
    WriteCleanText(r1, keep, &text1);
    WriteReport(r1, keep, &report1);
    REQUIRE(b.Clean("input.txt", input, &r2, &err));
    WriteCleanText(r2, keep, &text2);
    WriteReport(r2, keep, &report2);
    INFO(e.path().string());
    CHECK(text1 == text2);
    CHECK(report1 == report2);
    ++cases;
  }
  CHECK(cases >= 40);
}

TEST_CASE("invariants: --keep moves lines between text and report, never loses them",
          "[invariants]") {
  const RuleSet& rules = clean::testing::ProjectRules();
  Cleaner c(rules, Options(), nullptr);
  KeepSet keep;
  for (int k = 0; k < kNumClasses; ++k) keep.keep[k] = true;
  for (auto& e : fs::recursive_directory_iterator(CLEAN_FIXTURES_DIR)) {
    if (e.path().filename() != "input.txt") continue;
    std::string input = clean::testing::ReadFile(e.path().string()), err, text, report;
    CleanResult r;
    REQUIRE(c.Clean("input.txt", input, &r, &err));
    WriteCleanText(r, keep, &text);
    WriteReport(r, keep, &report);
    clean::testing::CheckConservation(e.path().string(), *r.page, text, report);
    CHECK(report.find("\"removed\": []") != std::string::npos);
    if (r.page->invalid_utf8 == 0) {
      std::string problem = clean::testing::KeptLinesProblem(input, text);
      INFO(e.path().string() << ": " << problem);
      CHECK(problem.empty());
    }
  }
}

TEST_CASE("invariants: repeated CLI batch runs write the same bytes",
          "[invariants][dataset][cli]") {
  fs::path dir = fs::path(CLEAN_SHARED_DIR) / "datasets" / "trafilatura-eval" / "text";
  if (DatasetPages().empty()) {
    WARN("no dataset at " CLEAN_SHARED_DIR "/datasets: skipped");
    return;
  }
  std::string a = clean::testing::TempDir(), b = clean::testing::TempDir();
  auto ra = clean::testing::RunClean({"-q", "--out-dir", a, dir.string()});
  auto rb = clean::testing::RunClean({"-q", "--out-dir", b, dir.string()});
  INFO(ra.err << rb.err);
  REQUIRE(ra.exit_code == 0);
  REQUIRE(rb.exit_code == 0);
  size_t files = 0;
  for (auto& e : fs::directory_iterator(a)) {
    INFO(e.path().filename().string());
    REQUIRE(clean::testing::ReadFile(e.path().string()) ==
            clean::testing::ReadFile((fs::path(b) / e.path().filename()).string()));
    ++files;
  }
  CHECK(files == 2 * DatasetPages().size());
  CHECK(std::distance(fs::directory_iterator(b), fs::directory_iterator()) ==
        static_cast<std::ptrdiff_t>(files));
}

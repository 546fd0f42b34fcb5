// Golden fixtures: every fixtures/<source>/<case>/ holds input.txt,
// expected.txt and expected.report.json, written by tools/bless from the
// built binary and reviewed. The library must reproduce them byte for byte,
// detect the source named by the folder (folders starting with '_' are
// generic cases), and conserve every line.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <map>
#include <set>
#include <sstream>

#include "cleaner/cleaner.h"
#include "cleaner/cli/expectations.h"
#include "cleaner/report/report.h"
#include "tests/test_support.h"

namespace fs = std::filesystem;
using namespace clean;
using clean::testing::CheckConservation;
using clean::testing::ProjectRules;
using clean::testing::ReadFile;

namespace {

std::vector<fs::path> FixtureCases() {
  std::vector<fs::path> cases;
  for (auto& e : fs::recursive_directory_iterator(CLEAN_FIXTURES_DIR))
    if (e.is_regular_file() &&
        (e.path().filename() == "input.txt" || e.path().filename() == "input.html"))
      cases.push_back(e.path().parent_path());
  std::sort(cases.begin(), cases.end());
  return cases;
}

}  // namespace

TEST_CASE("fixtures: outputs match the blessed files", "[fixtures]") {
  const RuleSet& rules = ProjectRules();
  auto cases = FixtureCases();
  REQUIRE(cases.size() >= 10);
  Cleaner cleaner(rules, Options(), nullptr);
  cleaner.set_input_format(InputFormat::kAuto);  // input.html is HTML, input.txt text
  KeepSet keep;
  for (const auto& dir : cases) {
    std::string rel = fs::relative(dir, CLEAN_FIXTURES_DIR).string();
    std::string folder = fs::relative(dir, CLEAN_FIXTURES_DIR).begin()->string();
    std::string input_name = fs::exists(dir / "input.html") ? "input.html" : "input.txt";
    std::string input = ReadFile((dir / input_name).string());
    CleanResult r;
    std::string error;
    INFO("fixture " << rel);
    REQUIRE(cleaner.Clean(input_name, input, &r, &error));
    std::string text, report;
    WriteCleanText(r, keep, &text);
    WriteReport(r, keep, &report);

    if (folder[0] != '_') {
      INFO("fixture " << rel << ": the source should be detected from the page");
      REQUIRE(r.source != nullptr);
      CHECK(r.source->name == folder);
    }
    CheckConservation(rel, *r.page, text, report);

    std::string expected = ReadFile((dir / "expected.txt").string());
    std::string expected_report = ReadFile((dir / "expected.report.json").string());
    if (text != expected || report != expected_report) {
      // Say where: the first differing line and the decision behind it.
      bool in_text = text != expected;
      auto got = clean::testing::SplitLines(in_text ? text : report);
      auto want = clean::testing::SplitLines(in_text ? expected : expected_report);
      size_t n = 0;
      while (n < got.size() && n < want.size() && got[n] == want[n]) ++n;
      std::string got_line = n < got.size() ? got[n] : "<end>";
      std::string want_line = n < want.size() ? want[n] : "<end>";
      std::string decision;
      for (size_t i = 0; i < r.page->lines.size(); ++i) {
        if (r.page->lines[i].blank()) continue;
        std::string_view l = r.page->line(i);
        if (got_line.find(std::string(l)) != std::string::npos ||
            want_line.find(std::string(l)) != std::string::npos) {
          const Decision& d = r.decisions()[i];
          const Decider& who = rules.deciders()[d.decider];
          decision = "input line " + std::to_string(i + 1) + " is now " +
                     std::string(ClassName(d.cls)) + " by " + who.id + " (" + who.where() + ")";
          break;
        }
      }
      FAIL("fixture " << rel << ": " << (in_text ? "expected.txt" : "expected.report.json")
                      << " differs at line " << n + 1 << "\n  expected: " << want_line
                      << "\n  got:      " << got_line << "\n  " << decision
                      << "\n  to accept the change after review: tools/bless fixtures/" << rel);
    }
  }
}

TEST_CASE("fixtures: the CLI writes the same bytes as the library", "[fixtures][cli]") {
  auto cases = FixtureCases();
  REQUIRE(!cases.empty());
  // One case per folder keeps this quick.
  std::set<std::string> seen;
  for (const auto& dir : cases) {
    std::string folder = fs::relative(dir, CLEAN_FIXTURES_DIR).begin()->string();
    if (!seen.insert(folder).second) continue;
    std::string out_dir = clean::testing::TempDir();
    std::string report = out_dir + "/r.json";
    auto cwd = fs::current_path();
    fs::current_path(dir);
    std::string input_name = fs::exists(dir / "input.html") ? "input.html" : "input.txt";
    auto run = clean::testing::RunClean({input_name, "--report", report});
    fs::current_path(cwd);
    INFO("fixture " << dir << "\n" << run.err);
    REQUIRE(run.exit_code == 0);
    CHECK(run.out == ReadFile((dir / "expected.txt").string()));
    CHECK(ReadFile(report) == ReadFile((dir / "expected.report.json").string()));
  }
}

TEST_CASE("rule files: every embedded expectation holds", "[rules]") {
  Diagnostics d;
  size_t n = CheckExpectations(ProjectRules(), Options(), &d);
  INFO(d.Format());
  CHECK(n >= 20);
  CHECK_FALSE(d.HasErrors());
}

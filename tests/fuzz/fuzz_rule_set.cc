// libFuzzer target: the rule-set loader. The input becomes one more rule
// file, fuzz.rules, beside a copy of the project's rules/ (includes,
// stop words and the other sources resolve as usual). When the set loads,
// its expectations run and a page is cleaned with the fuzzed source, which
// must conserve its lines. Loader errors are a defined outcome.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "cleaner/cleaner.h"
#include "cleaner/cli/expectations.h"
#include "cleaner/report/report.h"
#include "tests/conservation.h"
#include "tests/fuzz/fuzz_support.h"

using namespace clean;
namespace fs = std::filesystem;

namespace {

const char kPage[] =
    " date 2025-07-10 Trending\nU.S. News\nJuly 10, 2025 / 10:42 AM\n\nRubio meets Lavrov\n"
    "By Lisa Hornung\nShare with X\n\nThe minister said on Thursday that the talks had been "
    "useful, but that no agreement was reached.\nLatest Headlines\nFarmers protest\n";

// A private copy of the project's rules, made once, removed at exit.
struct RulesCopy {
  fs::path root;
  RulesCopy() {
    // Under $TMPDIR (tools/fuzz: build-asan/fuzz/tmp, cleared per run, as
    // an aborted run cannot remove it).
    const char* tmp = std::getenv("TMPDIR");
    std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/clean-fuzz-rules-XXXXXX";
    const char* made = mkdtemp(tmpl.data());
    if (!made) clean::fuzz::Fail("temporary directory", tmpl);
    root = made;
    fs::copy(CLEAN_RULES_DIR, root / "rules", fs::copy_options::recursive);
  }
  ~RulesCopy() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static RulesCopy copy;
  fs::path file = copy.root / "rules" / "fuzz.rules";
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  Diagnostics diags;
  auto rules = RuleSet::Load((copy.root / "rules").string(), Options(), &diags);
  std::string shown = diags.Format();
  if (!rules) return 0;
  Diagnostics check;
  CheckExpectations(*rules, Options(), &check);
  const Source* fuzzed = nullptr;
  for (const auto& s : rules->sources())
    if (s.file.size() >= 10 && s.file.compare(s.file.size() - 10, 10, "fuzz.rules") == 0)
      fuzzed = &s;
  Cleaner cleaner(*rules, Options(), fuzzed);
  CleanResult r;
  std::string error, text, report;
  // A fuzzed `set max_page_bytes 1` makes the page fail: a defined outcome.
  if (!cleaner.Clean("page", kPage, &r, &error)) return 0;
  WriteCleanText(r, KeepSet(), &text);
  WriteReport(r, KeepSet(), &report);
  std::string problem = clean::testing::ConservationProblem(*r.page, text, report);
  if (!problem.empty()) clean::fuzz::Fail("conservation", problem);
  return 0;
}

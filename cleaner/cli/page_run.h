// Page mode of the command line (no --jsonl): each input is one page, its
// clean text (or --explain rows) written to stdout or -o FILE, or to
// DIR/NAME.txt with its report DIR/NAME.report.json under --out-dir. An
// input that fails is reported and the others are still cleaned. Returns
// the exit code (0 all cleaned, 1 some input failed, 2 usage error).
#pragma once
#include <memory>

#include "cleaner/classify/line_model.h"
#include "cleaner/cli/cli.h"

namespace clean {

// --model: the loaded line scorer and its decider in the rule set (none: null).
struct PageModel {
  std::unique_ptr<LineModel> model;
  uint32_t decider = 0;
};

int RunPages(const CliOptions& o, const RuleSet& rules, const Options& base, const Source* source,
             const PageModel& model);

}  // namespace clean

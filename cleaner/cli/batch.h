// Runs the command line: checks the flags, finds and loads the rules, and
// hands over to the mode the flags chose (--check-rules, --list-sources,
// JSONL or page mode), which maps the outcome to an exit code
// (0 all cleaned, 1 some input failed, 2 usage or rule-file error).
#pragma once
#include <string>

#include "cleaner/cli/cli.h"

namespace clean {

int RunCli(const CliOptions& options);

// The default rules directory: rules/ beside or above the executable, then
// the installed share/clean/rules, then the source tree's rules/.
std::string DefaultRulesDir();

}  // namespace clean

// Shared helpers for the tests: the project's rules loaded once, running the
// built binary, reading files.
#pragma once
#include <string>
#include <vector>

#include "cleaner/page.h"
#include "cleaner/rule_set.h"

namespace clean::testing {

// The project's rules/ directory, loaded once (REQUIREs that it loads).
const RuleSet& ProjectRules();

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& data);

// A fresh empty temporary directory (removed at exit).
std::string TempDir();

std::vector<std::string> SplitLines(const std::string& s);

// Each non-blank input line exactly once: in order in the clean text, or in
// the report's "removed" list with its text, never both; nothing else.
void CheckConservation(const std::string& input_name, const Page& page, const std::string& text,
                       const std::string& report_json);

struct RunResult {
  int exit_code = -1;
  std::string out, err;
};
// Runs the built `clean` with `args` (shell-quoted here), `stdin_data` on
// standard input.
RunResult RunClean(const std::vector<std::string>& args, const std::string& stdin_data = "");

}  // namespace clean::testing

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

// Prose lines shared by the tests: long, several stop words, ending in a
// full stop, so the heuristics read them as article body.
inline const std::string kP1 =
    "The foreign minister said on Thursday that the talks with his counterpart had been "
    "useful, but that no agreement was reached.";
inline const std::string kP2 =
    "Officials in the capital expect the next round of negotiations to take place in the "
    "autumn, according to a statement released by the ministry.";
inline const std::string kP3 =
    "Both sides have said that they want to keep the channel open and that they will meet "
    "again when the time is right for it.";
inline const std::string kP4 =
    "The government has also promised to review the rules for the export of grain before "
    "the end of the year, the minister added.";

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

// Shared helpers for the tests: the project's rules loaded once, running the
// built binary, reading files.
#pragma once
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cleaner/ruleset/lexicon.h"
#include "cleaner/text/page.h"
#include "cleaner/ruleset/rule_set.h"

namespace clean::testing {

// The project's rules/ directory, loaded once (REQUIREs that it loads).
const RuleSet& ProjectRules();

// Per line of a text page cleaned with the project's rules (lines joined
// with '\n'), the id of the rule or heuristic that decided it.
std::vector<std::string> Deciders(const std::vector<std::string>& lines);

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& data);

// The plain-text pages of ../shared: every datasets/trafilatura-eval/text
// and seeds *.txt, sorted; empty when ../shared is absent.
std::vector<std::filesystem::path> SharedTextPages();

// A fresh empty temporary directory (removed at exit).
std::string TempDir();

// Writes dir/name and returns that path.
std::string WriteIn(const std::string& dir, const std::string& name, const std::string& data);

// Stop-word lists (file name -> its text) written into a fresh temporary
// directory and loaded into *lexicon (REQUIREs that they load).
void LoadLexicon(const std::vector<std::pair<std::string, std::string>>& lists, Lexicon* lexicon);
// `count` made-up words, one a line: "w0", "w7919", "w15838", ... (every
// stride-th multiple of 7919), for lexicons of thousands of words.
std::string NumberedWords(int count, int stride = 1, int first = 0);

// A temporary rules directory holding the project's stop-word lists, the
// given generic.rules (none when empty) and, when source_file is given, that
// file with source_text.
std::string RulesDir(const std::string& generic, const std::string& source_file = "",
                     const std::string& source_text = "");
// The same, loaded (REQUIREs that it loads).
std::unique_ptr<RuleSet> LoadRules(const std::string& generic, const std::string& source_file = "",
                                   const std::string& source_text = "");

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

// A UPI-like page: date header, section label, dateline, title, byline,
// share button, body, headline list.
inline const std::string kUpiTitle =
    "Rubio meets with Russian foreign minister to push Ukraine-war talks";
inline const std::string kUpiPage =
    " date 2025-07-10 Trending\n"
    "U.S. News\n"
    "July 10, 2025 / 10:42 AM\n"
    "\n" +
    kUpiTitle +
    "\n"
    "\n"
    "By Lisa Hornung\n"
    "Share with X\n"
    "\n"
    "July 10 (UPI) -- Secretary of State Marco Rubio met with Russian Foreign Minister Sergey "
    "Lavrov in Malaysia Thursday at a meeting of the Association of Southeast Asian Nations.\n"
    "\n" +
    kP1 + "\n\n" + kP2 + "\n\n" + kP3 +
    "\n"
    "\n"
    "Latest Headlines\n"
    "Farmers protest against new grain quotas in the north\n"
    "Storm leaves thousands without power across the coast\n";

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

// REQUIREs a RunResult's exit code, showing its stderr when it differs.
#define REQUIRE_EXIT(run, code)         \
  do {                                  \
    INFO("stderr: " << (run).err);      \
    REQUIRE((run).exit_code == (code)); \
  } while (0)

}  // namespace clean::testing

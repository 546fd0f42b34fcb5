// A lint for rule patterns that are likely to backtrack badly, run by
// `clean --check-rules` (warnings, never errors: PCRE2's limits bound every
// match anyway, but a pattern that hits them decides nothing on that line).
//
// It reads the pattern's text (PCRE2 syntax) and flags two shapes:
//   nested quantifiers     (a+)+  (\w+\s?)*  (.*)*   a repeated group whose
//                          every required part can be eaten by a repeat
//                          inside it: exponential backtracking on a failing
//                          line;
//   adjacent repeats       .*.*x  \w+\d*\w+y         two unbounded repeats
//                          that can eat the same characters, separated by
//                          nothing required, with something required after
//                          them: polynomial backtracking when that fails.
// Possessive repeats (a++) and atomic groups (?>...) do not backtrack and are
// not flagged. Character overlap is judged on a set of probe characters
// (ASCII classes, a few Latin and Cyrillic letters, and the pattern's own
// literals), so it is an approximation that errs towards silence.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "cleaner/base/diagnostics.h"

namespace clean {

struct LintFinding {
  size_t offset = 0;  // byte offset into the pattern of the flagged repeat
  std::string message;
};

// Findings for one pattern, in pattern order. Never fails: text it cannot
// read (PCRE2 rejects it elsewhere) yields fewer findings.
std::vector<LintFinding> LintPattern(std::string_view pattern, bool caseless = false);

// True when the regex finds a match in each of a few lines of every kind
// (prose, a title, a nav word, one letter, digits, punctuation, Cyrillic):
// `/./`, `/^/`, `/\w|\W/`; such a rule would decide every line.
bool MatchesEveryLine(std::string_view pattern, bool caseless);

// Lints every regex of every rule file of a rules directory (<dir>/*.rules
// and <dir>/shared/*.rules), appending warnings with file:line:col.
void LintRuleDir(const std::string& dir, Diagnostics* diags);

}  // namespace clean

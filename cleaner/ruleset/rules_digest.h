// A short fingerprint of a rules directory's content (rule files and
// stop-word lists), written in JSONL summaries so a cleaned record names the
// rule set that cleaned it.
#pragma once
#include <string>

namespace clean {

// "fnv1a64:<16 hex digits>" over every regular file under `dir` (relative
// path and bytes, in sorted path order; hidden files skipped).
std::string RulesDigest(const std::string& dir);

}  // namespace clean

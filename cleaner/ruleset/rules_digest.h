// A short fingerprint of a rules directory's content (rule files and
// stop-word lists), written in JSONL summaries so a cleaned record names the
// rule set that cleaned it.
#pragma once
#include <string>

namespace clean {

// "fnv1a64:<16 hex digits>" over every regular file under `dir` (relative
// path and bytes, in sorted path order; hidden files skipped).
// `extra` (--rules-extra, "" for none): its files are mixed in after,
// under "extra/" (without it the digest is as before).
std::string RulesDigest(const std::string& dir, const std::string& extra = "");

// "fnv1a64:<16 hex digits>" over one file's bytes (a --model file);
// "fnv1a64:unreadable" when it cannot be read.
std::string FileDigest(const std::string& path);

}  // namespace clean

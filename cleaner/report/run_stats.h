// Counts for a whole JSONL run (--stats FILE): records by outcome, lines and
// bytes per class, per rule (decider) and class, records per source. Each
// worker counts its own records; the driver merges them in input order.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "cleaner/cleaner.h"

namespace clean {

inline constexpr int kStatsVersion = 1;

// Lines and bytes (trimmed line bytes, as in the report's counts) per class.
struct ClassCounts {
  std::array<uint64_t, kNumClasses> lines{}, bytes{};
};
ClassCounts CountClasses(const CleanResult& r);

struct RunStats {
  uint64_t records = 0;  // non-blank input lines
  uint64_t cleaned = 0;
  uint64_t over_limit = 0;  // passed through or dropped (see dropped)
  uint64_t dropped = 0;
  uint64_t rejected = 0;     // malformed: bad JSON, missing field, wrong type
  uint64_t blank_lines = 0;  // skipped, not records
  uint64_t text_bytes_in = 0, text_bytes_out = 0;
  ClassCounts classes;
  std::vector<uint64_t> rule_lines, rule_bytes;  // [decider * kNumClasses + class]
  std::vector<uint64_t> source_records;          // [0]: none; [i + 1]: sources()[i]

  // Adds one cleaned page whose clean text keeps the classes of `keep`;
  // returns its counts per class (CountClasses's).
  ClassCounts Add(const RuleSet& rules, const CleanResult& r, const KeepSet& keep);
  void Merge(const RunStats& other);
  // The --stats JSON (documented in README.md, "JSONL mode").
  void WriteJson(const RuleSet& rules, std::string* out) const;
};

}  // namespace clean

// The progress line of JSONL mode on a terminal (stderr), refreshed a few
// times a second: records, MB, records/s, MB/s, and the ETA when the input
// size is known; and the one summary line at the end.
#pragma once
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include "cleaner/report/run_stats.h"

namespace clean {

inline constexpr int kProgressRefreshMs = 250;

class Progress {
 public:
  // `live`: draw the progress line (stderr is a terminal and not --quiet).
  // `total_raw_bytes`: the inputs' file sizes (compressed), 0 when unknown.
  Progress(bool live, uint64_t total_raw_bytes);

  // `raw_done`: file bytes consumed; `bytes`: uncompressed bytes read.
  void Update(const RunStats& s, uint64_t bytes, uint64_t raw_done);
  // "clean: N records (...), X MB in S s (R records/s, M MB/s)"
  std::string SummaryLine(const RunStats& s, uint64_t bytes) const;
  // Clears the progress line.
  void Finish();

 private:
  double Seconds() const;
  bool live_;
  uint64_t total_;
  std::chrono::steady_clock::time_point start_, last_;
  bool drawn_ = false;
};

}  // namespace clean

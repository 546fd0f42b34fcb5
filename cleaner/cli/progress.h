// The progress line on a terminal (stderr), refreshed a few times a
// second. JSONL mode: records, MB, records/s, MB/s, and the ETA when the
// input size is known; and the one summary line at the end. Page mode:
// pages done of all, failed, MB, pages/s, MB/s and the ETA.
#pragma once
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include "cleaner/report/run_stats.h"

namespace clean {

inline constexpr int kProgressRefreshMs = 250;

// "clean: D/T pages, F failed, X MB, R pages/s, M MB/s, ETA m:ss" after
// `secs` seconds.
std::string PagesProgressLine(size_t done, size_t total, int failed, uint64_t bytes, double secs);

class Progress {
 public:
  // `live`: draw the progress line (stderr is a terminal and not --quiet).
  // `total_raw_bytes`: the inputs' file sizes (compressed), 0 when unknown.
  Progress(bool live, uint64_t total_raw_bytes);

  // `raw_done`: file bytes consumed; `bytes`: uncompressed bytes read.
  void Update(const RunStats& s, uint64_t bytes, uint64_t raw_done);
  // Page mode: `done` of `total` pages, `failed` of them, `bytes` read;
  // `last`: drawn whatever the time since the last one.
  void UpdatePages(size_t done, size_t total, int failed, uint64_t bytes, bool last);
  // "clean: N records (...), X MB in S s (R records/s, M MB/s)"
  std::string SummaryLine(const RunStats& s, uint64_t bytes) const;
  // Clears the progress line (JSONL mode); ends it (page mode).
  void Finish();
  // Clears the progress line, for a message (drawn again at the next update).
  void Clear();

 private:
  double Seconds() const;
  bool live_;
  uint64_t total_;
  std::chrono::steady_clock::time_point start_, last_;
  bool drawn_ = false;
  bool keep_ = false;  // page mode: the last line stays
};

}  // namespace clean

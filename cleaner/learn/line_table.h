// The counts `clean learn` keeps for one source: per line key (line_key.h),
// by its stable hash, on how many pages it is, how the classifier decided
// it there and where it sat. Bounded: past a cap the keys seen on fewest
// pages are dropped, so memory does not grow with the source's pages.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cleaner/base/line_class.h"

namespace clean {

struct LineStats {
  uint64_t exact = 0;      // hash of the first exact text seen (0: the key has no marker)
  uint64_t pos_sum = 0;    // sum of its place on each page, in thousandths of the page
  uint32_t pages = 0;      // pages it is on (counted once a page)
  uint32_t last_page = 0;  // the ordinal of the last page that counted it
  uint32_t above = 0;      // pages where it is above the first body line
  uint32_t below = 0;      // pages where it is below the last body line
  uint32_t run = 0;        // pages where a neighbour line had been seen on an earlier page
  uint32_t shipped = 0;    // pages where a section of the shipped rules decided it
  uint32_t votes[kNumClasses] = {};  // the classifier's class for it, per page
  bool varies = false;               // two pages held different texts of this key
  std::string text;                  // an exact text, kept once the key is on two pages
  // The blocks it opens: on a page, a run of lines that are not template
  // lines (Learner::Count) between it and the next template line, the
  // block's closer. `closer` is the majority closer over its blocks
  // (Boyer-Moore: `closer_votes` never exceeds the pages it closed them).
  uint64_t closer = 0;        // the closer's key hash, 0: none yet
  uint32_t closer_votes = 0;  // the majority vote's count
  uint32_t block_page = 0;    // the page of its last block (one vote a page)
  uint32_t block_lines = 0;   // lines in its blocks
  uint32_t block_long = 0;    // of them, lines of four words or more
  std::string block_text;     // a line of one of its blocks, kept at the second vote
};

// An open-addressing table (linear probing over a power-of-two array of
// hashes and indices) over a dense array of stats: no allocation per line
// and one probe of a flat array per lookup, the hot path of `clean learn`.
class LineTable {
 public:
  // Room for `more` new keys before the next Reserve (the indices Get
  // returns stay valid until a Prune or DropSingles).
  void Reserve(size_t more);
  // The index of the stats of `hash` (not 0), made when new (*added set
  // then). Call Reserve first.
  uint32_t Get(uint64_t hash, bool* added);
  LineStats& at(uint32_t i) { return stats_[i]; }
  // Drops the keys seen on fewest pages until at most `keep` remain: first
  // those on one page, then on two, and so on. Returns the keys dropped.
  size_t Prune(size_t keep);
  // Drops the keys seen on one page only; returns how many.
  size_t DropSingles();
  size_t size() const { return stats_.size(); }
  // Calls f(stats) for every key held.
  template <typename F>
  void ForEach(F&& f) const {
    for (const LineStats& st : stats_) f(st);
  }
  // Calls f(hash, stats) for every key held.
  template <typename F>
  void ForEachHashed(F&& f) const {
    for (size_t k = 0; k < stats_.size(); ++k) f(hash_of_[k], stats_[k]);
  }

  uint32_t pages = 0;       // pages of the source
  uint64_t line_total = 0;  // lines counted over its pages (each key once a page)

 private:
  // Keeps the keys with more than `floor` pages; returns how many it dropped.
  size_t KeepAbove(uint32_t floor);
  void Rehash(size_t capacity);
  struct Slot {
    uint64_t hash = 0;   // 0: empty
    uint32_t index = 0;  // into stats_
  };
  std::vector<Slot> slots_;
  std::vector<LineStats> stats_;
  std::vector<uint64_t> hash_of_;  // by stats index
};

}  // namespace clean

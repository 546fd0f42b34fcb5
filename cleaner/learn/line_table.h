// The counts `clean learn` keeps for one source: per line key (line_key.h),
// by its stable hash, on how many pages it is, how the classifier decided
// it there and where it sat. Bounded: past a cap the keys seen on fewest
// pages are dropped, so memory does not grow with the source's pages.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>

#include "cleaner/base/line_class.h"

namespace clean {

struct LineStats {
  uint64_t exact = 0;        // hash of the first exact text seen (0: the key has no marker)
  uint64_t pos_sum = 0;      // sum of its place on each page, in thousandths of the page
  uint32_t pages = 0;        // pages it is on (counted once a page)
  uint32_t last_page = 0;    // the ordinal of the last page that counted it
  uint32_t above = 0;        // pages where it is above the first body line
  uint32_t below = 0;        // pages where it is below the last body line
  uint32_t run = 0;          // pages where a neighbour line had been seen on an earlier page
  uint32_t votes[kNumClasses] = {};  // the classifier's class for it, per page
  bool varies = false;       // two pages held different texts of this key
  std::string text;          // an exact text, kept once the key is on two pages
};

class LineTable {
 public:
  // The stats of `hash`, or null.
  LineStats* Find(uint64_t hash) {
    auto it = lines_.find(hash);
    return it == lines_.end() ? nullptr : &it->second;
  }
  // The stats of `hash`, made when new (*added set then).
  LineStats& Get(uint64_t hash, bool* added) {
    auto [it, inserted] = lines_.try_emplace(hash);
    *added = inserted;
    return it->second;
  }
  // Drops the keys seen on fewest pages until at most `keep` remain: first
  // those on one page, then on two, and so on. Returns the keys dropped.
  size_t Prune(size_t keep);
  // Drops the keys seen on one page only; returns how many.
  size_t DropSingles();
  size_t size() const { return lines_.size(); }
  const std::unordered_map<uint64_t, LineStats>& lines() const { return lines_; }

  uint32_t pages = 0;          // pages of the source
  uint64_t line_total = 0;     // lines counted over its pages (each key once a page)

 private:
  std::unordered_map<uint64_t, LineStats> lines_;
};

}  // namespace clean

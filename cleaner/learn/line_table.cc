#include "cleaner/learn/line_table.h"

#include <utility>

namespace clean {

void LineTable::Reserve(size_t more) {
  size_t capacity = slots_.empty() ? 64 : slots_.size();
  while ((stats_.size() + more) * 2 > capacity) capacity *= 2;  // load at most one half
  if (capacity != slots_.size()) Rehash(capacity);
}

uint32_t LineTable::Get(uint64_t hash, bool* added) {
  const size_t mask = slots_.size() - 1;
  size_t i = (hash ^ (hash >> 29)) & mask;
  while (slots_[i].hash && slots_[i].hash != hash) i = (i + 1) & mask;
  *added = !slots_[i].hash;
  if (*added) {
    slots_[i] = {hash, static_cast<uint32_t>(stats_.size())};
    stats_.emplace_back();
    hash_of_.push_back(hash);
  }
  return slots_[i].index;
}

void LineTable::Rehash(size_t capacity) {
  slots_.assign(capacity, Slot());
  const size_t mask = capacity - 1;
  for (uint32_t k = 0; k < hash_of_.size(); ++k) {
    size_t i = (hash_of_[k] ^ (hash_of_[k] >> 29)) & mask;
    while (slots_[i].hash) i = (i + 1) & mask;
    slots_[i] = {hash_of_[k], k};
  }
}

size_t LineTable::KeepAbove(uint32_t floor) {
  size_t kept = 0;
  for (size_t k = 0; k < stats_.size(); ++k) {
    if (stats_[k].pages <= floor) continue;
    if (kept != k) {
      stats_[kept] = std::move(stats_[k]);
      hash_of_[kept] = hash_of_[k];
    }
    ++kept;
  }
  const size_t dropped = stats_.size() - kept;
  stats_.resize(kept);
  hash_of_.resize(kept);
  Rehash(slots_.size());
  return dropped;
}

size_t LineTable::Prune(size_t keep) {
  size_t dropped = 0;
  for (uint32_t floor = 1; stats_.size() > keep; ++floor) dropped += KeepAbove(floor);
  return dropped;
}

size_t LineTable::DropSingles() { return KeepAbove(1); }

}  // namespace clean

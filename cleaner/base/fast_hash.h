// A fast in-memory hash of a byte string, fed 16 bytes at a time (for the
// per-line hash table of repeated lines; the features pass feeds it the
// blocks it reads anyway, the last one zero-padded): two independent lanes
// of eight bytes. Not stable across versions: never store it
// (prefilter_cache.h has StableHash for that).
#pragma once
#include <cstddef>
#include <cstdint>

namespace clean {

class FastHash16 {
 public:
  void Add(uint64_t lo, uint64_t hi) {
    a_ = Step(a_, lo);
    b_ = Step(b_, hi);
  }
  // The hash of the n bytes added (blocks of 16, zero-padded).
  uint64_t Finish(size_t n) const {
    uint64_t h = (a_ ^ (b_ << 1 | b_ >> 63) ^ n) * kMul;
    return h ^ (h >> 29);
  }

 private:
  static constexpr uint64_t kMul = 0x9E3779B97F4A7C15ull;
  static uint64_t Step(uint64_t h, uint64_t v) {
    h = (h ^ v) * kMul;
    return h ^ (h >> 32);
  }
  uint64_t a_ = kMul, b_ = ~kMul;
};

}  // namespace clean

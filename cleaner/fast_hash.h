// A fast in-memory hash of a byte string, eight bytes per step (for the
// per-line hash tables: stop words, repeated lines). Not stable across
// versions: never store it (prefilter_cache.h has StableHash for that).
#pragma once
#include <cstdint>
#include <cstring>
#include <string_view>

namespace clean {

inline uint64_t FastHash(const char* p, size_t n) {
  constexpr uint64_t kMul = 0x9E3779B97F4A7C15ull;
  uint64_t h = n * kMul;
  while (n >= 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    h = (h ^ v) * kMul;
    h ^= h >> 32;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    uint64_t v = 0;
    std::memcpy(&v, p, n);
    h = (h ^ v) * kMul;
    h ^= h >> 32;
  }
  h *= kMul;
  return h ^ (h >> 29);
}

inline uint64_t FastHash(std::string_view s) { return FastHash(s.data(), s.size()); }

}  // namespace clean

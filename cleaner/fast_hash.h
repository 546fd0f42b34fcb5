// A fast in-memory hash of a byte string (for the per-line hash table of
// repeated lines): two independent lanes of eight bytes each per step, and
// the last partial step read whole and masked, so p[n, n + 16) must be
// readable. Not stable across versions: never store it (prefilter_cache.h
// has StableHash for that).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace clean {

inline uint64_t FastHashPadded(const char* p, size_t n) {
  constexpr uint64_t kMul = 0x9E3779B97F4A7C15ull;
  auto load = [](const char* q) {
    uint64_t v;
    std::memcpy(&v, q, 8);
    return v;
  };
  auto step = [](uint64_t h, uint64_t v) {
    h = (h ^ v) * kMul;
    return h ^ (h >> 32);
  };
  uint64_t a = n * kMul, b = ~n;
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    a = step(a, load(p + i));
    b = step(b, load(p + i + 8));
  }
  const size_t rest = n - i;  // 0..15 bytes
  const uint64_t lo = rest >= 8 ? ~0ull : (1ull << (8 * rest)) - 1;
  const uint64_t hi = rest <= 8 ? 0 : (1ull << (8 * (rest - 8))) - 1;
  a = step(a, load(p + i) & lo);
  b = step(b, load(p + i + 8) & hi);
  uint64_t h = (a ^ (b << 1 | b >> 63)) * kMul;
  return h ^ (h >> 29);
}

}  // namespace clean

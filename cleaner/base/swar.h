// Eight bytes at a time ("SIMD within a register"): tests that let the
// byte loops over text skip runs of ordinary bytes. Each says whether the
// 8 bytes at p hold at least one byte of a kind; a false "yes" is allowed
// (the caller then looks byte by byte), a false "no" never.
#pragma once
#include <cstdint>
#include <cstring>

namespace clean::swar {

inline constexpr uint64_t kOnes = 0x0101010101010101ull;
inline constexpr uint64_t kHigh = 0x8080808080808080ull;

inline uint64_t Load8(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
// A byte >= 0x80 (non-ASCII).
inline bool AnyHigh(uint64_t v) { return (v & kHigh) != 0; }
// A byte equal to c.
inline bool AnyEqual(uint64_t v, unsigned char c) {
  uint64_t x = v ^ (kOnes * c);
  return ((x - kOnes) & ~x & kHigh) != 0;
}
// A byte below 0x20 (a control character), among ASCII bytes.
inline bool AnyControl(uint64_t v) { return ((v - kOnes * 0x20) & ~v & kHigh) != 0; }
// A byte JSON must escape in a string: a control character, '"' or '\\'.
inline bool AnyJsonSpecial(uint64_t v) {
  return AnyControl(v) || AnyEqual(v, '"') || AnyEqual(v, '\\');
}

// The number of bits set in v. Portable: the baseline x86-64 build has no
// POPCNT instruction, and __builtin_popcount* then calls a libgcc routine.
inline int Popcount(uint64_t v) {
  v -= (v >> 1) & 0x5555555555555555ull;
  v = (v & 0x3333333333333333ull) + ((v >> 2) & 0x3333333333333333ull);
  v = (v + (v >> 4)) & 0x0F0F0F0F0F0F0F0Full;
  return static_cast<int>((v * kOnes) >> 56);
}

}  // namespace clean::swar

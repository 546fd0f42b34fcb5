// Finding the first byte of a kind in text, 16 bytes at a time: SSE2 on
// x86-64 (its baseline), eight bytes at a time (swar.h) elsewhere. Inline,
// for the short distances of text between escapes, newlines and non-ASCII
// characters, where a call to memchr costs more than the search.
#pragma once
#include <cstddef>
#include <cstdint>

#include "cleaner/base/swar.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace clean::byte_scan {

// The kinds: for each, a test of one byte, of eight (SWAR: may say yes
// falsely, never no falsely), and of sixteen (SSE2: a bit per byte).
struct JsonSpecial {  // what JSON must escape in a string: control, '"', '\\'
  static bool Byte(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }
  static bool Word(uint64_t v) { return swar::AnyJsonSpecial(v); }
#ifdef __SSE2__
  static unsigned Vector(__m128i v) {
    __m128i m = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
        _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v));  // v <= 0x1F
    return static_cast<unsigned>(_mm_movemask_epi8(m));
  }
#endif
};

struct JsonStringStop {  // where a JSON string scanner must look: JsonSpecial or non-ASCII
  static bool Byte(unsigned char c) { return JsonSpecial::Byte(c) || c >= 0x80; }
  static bool Word(uint64_t v) { return swar::AnyHigh(v) || swar::AnyJsonSpecial(v); }
#ifdef __SSE2__
  static unsigned Vector(__m128i v) {
    return JsonSpecial::Vector(v) | static_cast<unsigned>(_mm_movemask_epi8(v));
  }
#endif
};

struct NonAscii {
  static bool Byte(unsigned char c) { return c >= 0x80; }
  static bool Word(uint64_t v) { return swar::AnyHigh(v); }
#ifdef __SSE2__
  static unsigned Vector(__m128i v) { return static_cast<unsigned>(_mm_movemask_epi8(v)); }
#endif
};

struct Backslash {
  static bool Byte(unsigned char c) { return c == '\\'; }
  static bool Word(uint64_t v) { return swar::AnyEqual(v, '\\'); }
#ifdef __SSE2__
  static unsigned Vector(__m128i v) {
    return static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
  }
#endif
};

// The offset of the first byte of kind K in s[i, n), or n (i <= n).
template <typename K>
inline size_t Find(const char* s, size_t i, size_t n) {
#ifdef __SSE2__
  if (n - i >= 16) {
    auto bits = [&](size_t at) {
      return K::Vector(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s + at)));
    };
    for (; i + 16 <= n; i += 16)
      if (unsigned b = bits(i)) return i + static_cast<size_t>(__builtin_ctz(b));
    if (i == n) return n;
    // The last bytes: one load that ends at n, the bits of bytes seen dropped.
    unsigned b = bits(n - 16) >> (16 - (n - i));
    return b ? i + static_cast<size_t>(__builtin_ctz(b)) : n;
  }
#else
  while (i + 8 <= n && !K::Word(swar::Load8(s + i))) i += 8;
#endif
  while (i < n && !K::Byte(static_cast<unsigned char>(s[i]))) ++i;
  return i;
}

}  // namespace clean::byte_scan

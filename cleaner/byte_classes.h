// Classes of the bytes of a 16-byte block, one bit per byte (bit i: byte i),
// for the features' block pass: SSE2 on x86-64 (its baseline), a byte loop
// elsewhere. Only ASCII bytes get word/upper/digit/stop bits; what a
// non-ASCII byte is needs its whole code point (the caller decodes those).
#pragma once
#include <cstdint>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace clean {

struct ByteMasks16 {
  uint32_t word = 0;   // ASCII letter or digit
  uint32_t upper = 0;  // A-Z
  uint32_t digit = 0;  // 0-9
  uint32_t stop = 0;   // . ! ? (what may end a sentence before a space)
  uint32_t high = 0;   // >= 0x80: part of a multi-byte UTF-8 sequence
  uint32_t cont = 0;   // 0x80-0xBF: a continuation byte
  uint32_t space = 0;  // ' '
};

inline ByteMasks16 ClassifyBlock16Scalar(const char* p) {
  ByteMasks16 m;
  for (int i = 0; i < 16; ++i) {
    const unsigned char c = static_cast<unsigned char>(p[i]);
    const uint32_t bit = uint32_t{1} << i;
    const bool lower = c >= 'a' && c <= 'z', upper = c >= 'A' && c <= 'Z',
               digit = c >= '0' && c <= '9';
    if (lower || upper || digit) m.word |= bit;
    if (upper) m.upper |= bit;
    if (digit) m.digit |= bit;
    if (c == '.' || c == '!' || c == '?') m.stop |= bit;
    if (c >= 0x80) m.high |= bit;
    if (c >= 0x80 && c < 0xC0) m.cont |= bit;
    if (c == ' ') m.space |= bit;
  }
  return m;
}

#ifdef __SSE2__
namespace byte_classes_detail {
// Bytes in [lo, lo + width): shifted so the range starts at -128, then one
// signed compare.
inline __m128i InRange(__m128i x, char lo, char width) {
  const __m128i shifted = _mm_add_epi8(x, _mm_set1_epi8(static_cast<char>(-128 - lo)));
  return _mm_cmplt_epi8(shifted, _mm_set1_epi8(static_cast<char>(-128 + width)));
}
}  // namespace byte_classes_detail

inline ByteMasks16 ClassifyBlock16(const char* p) {
  using byte_classes_detail::InRange;
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i upper = InRange(x, 'A', 26);
  const __m128i letter = InRange(_mm_or_si128(x, _mm_set1_epi8(0x20)), 'a', 26);
  const __m128i digit = InRange(x, '0', 10);
  const __m128i stop =
      _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('.')),
                                _mm_cmpeq_epi8(x, _mm_set1_epi8('!'))),
                   _mm_cmpeq_epi8(x, _mm_set1_epi8('?')));
  ByteMasks16 m;
  m.word = static_cast<uint32_t>(_mm_movemask_epi8(_mm_or_si128(letter, digit)));
  m.upper = static_cast<uint32_t>(_mm_movemask_epi8(upper));
  m.digit = static_cast<uint32_t>(_mm_movemask_epi8(digit));
  m.stop = static_cast<uint32_t>(_mm_movemask_epi8(stop));
  m.high = static_cast<uint32_t>(_mm_movemask_epi8(x));
  // Signed, 0x80-0xBF is -128..-65.
  m.cont = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmplt_epi8(x, _mm_set1_epi8(-64))));
  m.space = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(' '))));
  return m;
}
#else
inline ByteMasks16 ClassifyBlock16(const char* p) { return ClassifyBlock16Scalar(p); }
#endif

}  // namespace clean

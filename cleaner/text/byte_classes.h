// What the features' block pass needs to know of bytes and code points.
// ClassifyBlock16: classes of the bytes of a 16-byte block, one bit per
// byte (bit i: byte i), SSE2 on x86-64 (its baseline), a byte loop
// elsewhere; only ASCII bytes get word/upper/digit/stop bits. What a
// non-ASCII code point is comes from ClassifyLead, by its first byte.
#pragma once
#include <cstddef>
#include <cstdint>

#include "cleaner/base/avx2_dispatch.h"
#include "cleaner/base/text_util.h"

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
  bool operator==(const ByteMasks16&) const = default;
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

// Word characters and capitals among U+0080..U+07FF (2-byte UTF-8): bit b
// of entry i is the code point with payload bits i:b (first byte 0xC0 + i).
struct TwoByteBits {
  uint64_t word[32] = {}, upper[32] = {};
  constexpr TwoByteBits() {
    for (uint32_t cp = 0x80; cp < 0x800; ++cp) {
      if (IsWordCodePoint(cp)) word[cp >> 6] |= uint64_t{1} << (cp & 63);
      if (IsWordCodePoint(cp) && IsUpperCodePoint(cp)) upper[cp >> 6] |= uint64_t{1} << (cp & 63);
    }
  }
};
inline constexpr TwoByteBits kTwoByteBits;

// What the non-ASCII code point starting at q is (valid UTF-8, 4 bytes
// readable), without branches: a word character (kLeadWord), a capital
// (kLeadUpper, word characters only), what may end a sentence before a
// space (kLeadStop: … 。 ！ ？ ।). Above U+07FF nothing is a capital
// (text_util.h lower-cases below U+0500 only).
enum : uint32_t { kLeadWord = 1, kLeadUpper = 2, kLeadStop = 4 };
inline uint32_t ClassifyLead(const unsigned char* q) {
  const uint32_t c = q[0], b1 = q[1] & 0x3F, b2 = q[2] & 0x3F, b3 = q[3] & 0x3F;
  const uint32_t r2 = static_cast<uint32_t>((kTwoByteBits.word[c & 0x1F] >> b1) & 1) |
                      static_cast<uint32_t>((kTwoByteBits.upper[c & 0x1F] >> b1) & 1) << 1;
  const uint32_t cp3 = ((c & 0x0F) << 12) | (b1 << 6) | b2;
  const uint32_t not_word3 = (cp3 - 0x2000 < 0xC00) | (cp3 - 0x3000 < 0x40) |
                             (cp3 - 0xFE30 < 0x20) | (cp3 - 0xFF00 < 0x10);
  const uint32_t stop3 =
      (cp3 == 0x2026) | (cp3 == 0x3002) | (cp3 == 0xFF01) | (cp3 == 0xFF1F) | (cp3 == 0x0964);
  const uint32_t r3 = (not_word3 ^ 1) | stop3 << 2;
  const uint32_t cp4 = ((c & 0x07) << 18) | (b1 << 12) | (b2 << 6) | b3;
  const uint32_t r4 = cp4 < 0x1F000;
  return c < 0xE0 ? r2 : c < 0xF0 ? r3 : r4;
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
  const __m128i stop = _mm_or_si128(
      _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('.')), _mm_cmpeq_epi8(x, _mm_set1_epi8('!'))),
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

// The same classes for 64 bytes (bit i: byte i).
struct ByteMasks64 {
  uint64_t word = 0, upper = 0, digit = 0, stop = 0, high = 0, cont = 0, space = 0;
  // The masks of a 16-byte block that starts `at` bytes in, ORed in.
  void Add(const ByteMasks16& m, size_t at) {
    word |= uint64_t{m.word} << at;
    upper |= uint64_t{m.upper} << at;
    digit |= uint64_t{m.digit} << at;
    stop |= uint64_t{m.stop} << at;
    high |= uint64_t{m.high} << at;
    cont |= uint64_t{m.cont} << at;
    space |= uint64_t{m.space} << at;
  }
  bool operator==(const ByteMasks64&) const = default;
};

#ifdef CLEAN_AVX2_VARIANTS
namespace byte_classes_detail {
// The 32 bits of a class of x (two 32-byte halves of 64 bytes: lo, hi).
[[gnu::target(CLEAN_AVX2_TARGET)]] inline uint64_t Bits64(__m256i lo, __m256i hi) {
  return static_cast<uint32_t>(_mm256_movemask_epi8(lo)) |
         uint64_t{static_cast<uint32_t>(_mm256_movemask_epi8(hi))} << 32;
}
// What ClassifyChunk64Avx2 compares with, 32 bytes each. An instruction
// can read only its second operand from memory: the constants that are
// one (what is added, ORed, compared for equality) have a copy for each
// half of the chunk, so that each copy is read by one instruction as its
// operand (one read twice is loaded into a register first); the others
// (the limits of signed compares, PSHUFB's table) are loaded anyway, once.
struct alignas(32) Chunk64Constants {
  // InRange (see above) of upper, digit and (after | 0x20) lower-case
  // letters: the shift, the signed limit (upper_limit: the lower-case
  // letters' too).
  char upper_shift[2][32], digit_shift[2][32], lower_shift[2][32], case_bit[2][32];
  char upper_limit[32], digit_limit[32], cont_limit[32], space[32];
  // Per low nibble, the sentence stop with that nibble (. ! ?: 0x2E, 0x21,
  // 0x3F), else 0x80 (a PSHUFB of a byte below 0x80 gives its nibble's
  // entry, equal to the byte itself only for a stop; of a byte from 0x80
  // on it gives 0, equal to no such byte; the 0 padding meets 0x80).
  char stops[32];
  constexpr Chunk64Constants()
      : upper_shift(),
        digit_shift(),
        lower_shift(),
        case_bit(),
        upper_limit(),
        digit_limit(),
        cont_limit(),
        space(),
        stops() {
    for (int i = 0; i < 32; ++i) {
      for (int h = 0; h < 2; ++h) {
        upper_shift[h][i] = static_cast<char>(-128 - 'A');
        digit_shift[h][i] = static_cast<char>(-128 - '0');
        lower_shift[h][i] = static_cast<char>(-128 - 'a');
        case_bit[h][i] = 0x20;
      }
      upper_limit[i] = static_cast<char>(-128 + 26);
      digit_limit[i] = static_cast<char>(-128 + 10);
      cont_limit[i] = -64;
      space[i] = ' ';
      stops[i] = static_cast<char>(0x80);
    }
    for (int lane = 0; lane < 32; lane += 16) {
      stops[lane + ('.' & 15)] = '.';
      stops[lane + ('!' & 15)] = '!';
      stops[lane + ('?' & 15)] = '?';
    }
  }
};
inline constexpr Chunk64Constants kChunk64Constants;
[[gnu::target(CLEAN_AVX2_TARGET)]] inline __m256i At(const char* v) {
  return _mm256_load_si256(reinterpret_cast<const __m256i*>(v));
}
// Bytes of x in a range, given its shift and limit (as InRange).
[[gnu::target(CLEAN_AVX2_TARGET)]] inline __m256i InRange32(__m256i x, const char* shift,
                                                            const char* limit) {
  return _mm256_cmpgt_epi8(At(limit), _mm256_add_epi8(x, At(shift)));
}
}  // namespace byte_classes_detail

// ClassifyBlock16 of 64 bytes in two 32-byte halves, bytes 0-31 and 32-63
// (AVX2; call it only where avx2::Enabled()). kAll false: without the
// continuation bytes and the spaces (left empty), which the line pass
// needs only in chunks with non-ASCII bytes or sentence punctuation and
// computes there (ContinuationBits64Avx2, SpaceBits64Avx2).
template <bool kAll = true>
[[gnu::target(CLEAN_AVX2_TARGET)]] inline ByteMasks64 ClassifyChunk64Avx2(__m256i lo, __m256i hi) {
  using byte_classes_detail::At;
  using byte_classes_detail::Bits64;
  using byte_classes_detail::InRange32;
  // The constants are read from memory (an operand of the instruction that
  // uses them), not built in registers: GCC 12 builds each with three
  // instructions (a move, a MOVD, a broadcast) at every use in the line
  // pass's loop, which has no vector registers to spare for them. The
  // empty asm hides the table's values from the compiler; volatile, so
  // that the table's address is not hoisted out of the loop either (to be
  // spilled and reloaded, with the constants copied to the stack).
  const byte_classes_detail::Chunk64Constants* k = &byte_classes_detail::kChunk64Constants;
  asm volatile("" : "+r"(k));
  __m256i word[2], upper[2], digit[2], stop[2], high[2], cont[2], space[2];
  for (int h = 0; h < 2; ++h) {
    const __m256i x = h == 0 ? lo : hi;
    upper[h] = InRange32(x, k->upper_shift[h], k->upper_limit);
    digit[h] = InRange32(x, k->digit_shift[h], k->digit_limit);
    word[h] = _mm256_or_si256(
        InRange32(_mm256_or_si256(x, At(k->case_bit[h])), k->lower_shift[h], k->upper_limit),
        digit[h]);
    stop[h] = _mm256_cmpeq_epi8(_mm256_shuffle_epi8(At(k->stops), x), x);
    high[h] = x;
    if constexpr (kAll) {
      cont[h] = _mm256_cmpgt_epi8(At(k->cont_limit), x);  // signed: 0x80-0xBF
      space[h] = _mm256_cmpeq_epi8(x, At(k->space));
    }
  }
  ByteMasks64 m;
  m.word = Bits64(word[0], word[1]);
  m.upper = Bits64(upper[0], upper[1]);
  m.digit = Bits64(digit[0], digit[1]);
  m.stop = Bits64(stop[0], stop[1]);
  m.high = Bits64(high[0], high[1]);
  if constexpr (kAll) {
    m.cont = Bits64(cont[0], cont[1]);
    m.space = Bits64(space[0], space[1]);
  }
  return m;
}
// ByteMasks64::cont of the 64 bytes at p.
[[gnu::target(CLEAN_AVX2_TARGET)]] inline uint64_t ContinuationBits64Avx2(const char* p) {
  const __m256i limit = _mm256_set1_epi8(-64);  // signed: 0x80-0xBF are below
  return byte_classes_detail::Bits64(
      _mm256_cmpgt_epi8(limit, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p))),
      _mm256_cmpgt_epi8(limit, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32))));
}
// ByteMasks64::space of the 64 bytes at p.
[[gnu::target(CLEAN_AVX2_TARGET)]] inline uint64_t SpaceBits64Avx2(const char* p) {
  const __m256i space = _mm256_set1_epi8(' ');
  return byte_classes_detail::Bits64(
      _mm256_cmpeq_epi8(space, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p))),
      _mm256_cmpeq_epi8(space, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32))));
}
// The same of the 64 bytes at p.
[[gnu::target(CLEAN_AVX2_TARGET)]] inline ByteMasks64 ClassifyChunk64Avx2(const char* p) {
  return ClassifyChunk64Avx2(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)),
                             _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32)));
}
#endif

}  // namespace clean

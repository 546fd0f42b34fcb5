// A word of 1..16 bytes as the features look it up: its bytes zero-padded
// to 16 (the lexicon's short key), in an SSE2 register on x86-64 (its
// baseline) and two 64-bit words elsewhere.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__SSE2__) && defined(__x86_64__) && defined(__GNUC__)
#include <smmintrin.h>
#endif

namespace clean {

class WordKey {
 public:
  // The len (1..16) bytes at p; p[0, 16) must be readable.
  static WordKey Load(const char* p, size_t len) {
#ifdef __SSE2__
    const __m128i in = _mm_loadu_si128(reinterpret_cast<const __m128i*>(kInWord + 16 - len));
    return WordKey(_mm_and_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), in), in);
#else
    uint64_t lo, hi;
    std::memcpy(&lo, p, 8);
    std::memcpy(&hi, p + 8, 8);
    const uint64_t in_lo = len >= 8 ? ~0ull : (1ull << (8 * len)) - 1;
    const uint64_t in_hi = len <= 8 ? 0 : len >= 16 ? ~0ull : (1ull << (8 * (len - 8))) - 1;
    return WordKey(lo & in_lo, hi & in_hi, in_lo, in_hi);
#endif
  }

#if defined(__SSE2__) && defined(__x86_64__) && defined(__GNUC__)
  // Load(p, len).LowerAscii() with SSE4.1 (PBLENDVB), in code built for it
  // (the AVX2 line pass): the word's bytes below 0x80 get 0x20 set from a
  // window like the mask's, so none need telling from the padding; three
  // instructions fewer a word. The same key for any word without a zero
  // byte (which this one would take as 0x20).
  [[gnu::target("sse4.1")]] static WordKey LoadLowerAscii(const char* p, size_t len) {
    const __m128i in = _mm_loadu_si128(reinterpret_cast<const __m128i*>(kInWord + 16 - len));
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // Each byte of x where its sign bit is set, else of x | 0x20.
    // (0x20 read beside the mask, at the same address plus 32, rather than
    // kept in a register: the compiler rebuilt it from another every word.)
    const __m128i case_bits = _mm_loadu_si128(reinterpret_cast<const __m128i*>(kInWord + 48 - len));
    const __m128i lower = _mm_blendv_epi8(_mm_or_si128(x, case_bits), x, x);
    return WordKey(_mm_and_si128(lower, in), in);
  }
#endif

  // No byte >= 0x80.
  bool ascii() const {
#ifdef __SSE2__
    return _mm_movemask_epi8(v_) == 0;
#else
    return ((lo_ | hi_) & kHigh) == 0;
#endif
  }

  // A mask with one bit per continuation byte (0x80-0xBF) of the word:
  // its popcount is how many bytes are not the first of a code point.
  uint64_t ContinuationMask() const {
#ifdef __SSE2__
    return static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmplt_epi8(v_, _mm_set1_epi8(-64))));
#else
    // Bit 7 set and bit 6 clear, each byte's at bit 7 (the padding is
    // zero); the high half's moved to bits 1, 9, ... beside the low half's.
    const uint64_t lo = lo_ & ~(lo_ << 1) & kHigh, hi = hi_ & ~(hi_ << 1) & kHigh;
    return (lo >> 7) | (hi >> 6);
#endif
  }

  // The ASCII bytes with bit 0x20 set: lower-case for letters, the same
  // for digits (a word's only other ASCII bytes); other bytes kept.
  WordKey LowerAscii() const {
#ifdef __SSE2__
    // 1..127 as signed bytes: the word's ASCII bytes, not its padding.
    const __m128i ascii = _mm_cmpgt_epi8(v_, _mm_setzero_si128());
    return WordKey(_mm_or_si128(v_, _mm_and_si128(ascii, _mm_set1_epi8(0x20))), in_);
#else
    return WordKey(lo_ | (((~lo_ & kHigh) >> 2) & in_lo_), hi_ | (((~hi_ & kHigh) >> 2) & in_hi_),
                   in_lo_, in_hi_);
#endif
  }

  // Bytes 0-7 and 8-15, little-endian.
  uint64_t lo() const {
#ifdef __SSE2__
    return static_cast<uint64_t>(_mm_cvtsi128_si64(v_));
#else
    return lo_;
#endif
  }
  uint64_t hi() const {
#ifdef __SSE2__
    return static_cast<uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(v_, v_)));
#else
    return hi_;
#endif
  }

  // The 16 bytes at `key` (16-aligned) are this key.
  bool Equals(const void* key) const {
#ifdef __SSE2__
    return _mm_movemask_epi8(
               _mm_cmpeq_epi8(v_, _mm_load_si128(static_cast<const __m128i*>(key)))) == 0xFFFF;
#else
    uint64_t lo, hi;
    std::memcpy(&lo, key, 8);
    std::memcpy(&hi, static_cast<const char*>(key) + 8, 8);
    return lo == lo_ && hi == hi_;
#endif
  }

#ifdef __SSE2__
  // The key's 16 bytes.
  __m128i vector() const { return v_; }
  // All ones when the 16 bytes at `key` (16-aligned) are this key, else
  // zero (to mask what goes with the key, without a branch).
  __m128i MatchMask(const void* key) const {
    __m128i eq = _mm_cmpeq_epi32(v_, _mm_load_si128(static_cast<const __m128i*>(key)));
    eq = _mm_and_si128(eq, _mm_shuffle_epi32(eq, 0x4E));  // all four lanes equal
    return _mm_and_si128(eq, _mm_shuffle_epi32(eq, 0xB1));
  }
#endif

 private:
  static constexpr uint64_t kHigh = 0x8080808080808080ull;
#ifdef __SSE2__
  // 16 bytes from kInWord + 16 - len: len 0xFF bytes, then zeros; from
  // kInWord + 48 - len: len 0x20 bytes, then zeros.
  static constexpr unsigned char kInWord[64] = {
      0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
      0xFF, 0xFF, 0xFF, 0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
      0,    0,    0,    0,    0,    0,    0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
      0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0,    0,    0,    0,
      0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0};
  WordKey(__m128i v, __m128i in) : v_(v), in_(in) {}
  __m128i v_, in_;
#else
  WordKey(uint64_t lo, uint64_t hi, uint64_t in_lo, uint64_t in_hi)
      : lo_(lo), hi_(hi), in_lo_(in_lo), in_hi_(in_hi) {}
  uint64_t lo_, hi_, in_lo_, in_hi_;
#endif
};

}  // namespace clean

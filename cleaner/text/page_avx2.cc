// The 64-byte blocks of SplitValid (split_lines.h) for text vouched
// valid, where the CPU has AVX2; NarrowBlocks is their reference, and the
// page tests check both against the same scalar reference.
#include "cleaner/text/split_lines.h"

namespace clean::split_lines {

#ifdef CLEAN_AVX2_VARIANTS
// 64 bytes a block, in two 32-byte halves: one pass of the loop (and of
// its spilled variables) for 64 bytes rather than 32.
struct Avx2Newlines {
  static constexpr size_t kBlock = 64;
  using Bits = uint64_t;
  // The newlines of the len (<= 64) bytes at p, and (kSpans) their UTF-8
  // continuation bytes (10xxxxxx).
  // The sign bits of a (bits 0-31) and b (32-63).
  [[gnu::target(CLEAN_AVX2_TARGET)]] static uint64_t Bits64(__m256i a, __m256i b) {
    return static_cast<uint32_t>(_mm256_movemask_epi8(a)) |
           uint64_t{static_cast<uint32_t>(_mm256_movemask_epi8(b))} << 32;
  }
  template <bool kSpans>
  [[gnu::target(CLEAN_AVX2_TARGET)]] static uint64_t Mask(const char* p, size_t len,
                                                          uint64_t* continuation) {
    __m256i lo, hi;
    if (len == 64) {
      lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
      hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
    } else {  // the last bytes, zero-padded
      alignas(32) char last[64] = {};
      std::memcpy(last, p, len);
      lo = _mm256_load_si256(reinterpret_cast<const __m256i*>(last));
      hi = _mm256_load_si256(reinterpret_cast<const __m256i*>(last + 32));
    }
    if constexpr (kSpans) {  // below 0xC0 as a signed byte: from -128 to -65
      const __m256i limit = _mm256_set1_epi8(static_cast<char>(0xC0));
      *continuation = Bits64(_mm256_cmpgt_epi8(limit, lo), _mm256_cmpgt_epi8(limit, hi));
    }
    const __m256i newline = _mm256_set1_epi8('\n');
    return Bits64(_mm256_cmpeq_epi8(lo, newline), _mm256_cmpeq_epi8(hi, newline));
  }
  [[gnu::target(CLEAN_AVX2_TARGET)]] static int Count(uint64_t v) {
    return static_cast<int>(_mm_popcnt_u64(v));
  }
};
#endif

#ifdef CLEAN_AVX2_VARIANTS
[[gnu::target(CLEAN_AVX2_TARGET), gnu::flatten]] bool SplitValidAvx2(std::string_view bytes,
                                                                     Page* page) {
  return SplitValid<false, Avx2Newlines>(bytes, page);
}
[[gnu::target(CLEAN_AVX2_TARGET), gnu::flatten]] bool SplitSpansAvx2(
    std::string_view bytes, Page* page, std::vector<CodePointSpan>* spans, uint64_t cp_base) {
  return SplitValid<false, Avx2Newlines, true>(bytes, page, spans, cp_base);
}
#endif

}  // namespace clean::split_lines

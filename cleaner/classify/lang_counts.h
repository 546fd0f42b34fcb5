// Stop words per language for one line, as the features count them: one
// step per looked-up word whatever it matched (no branch on the lookup).
// Sixteen 8-bit counters (an SSE2 register, or two words elsewhere) take a
// matching lexicon slot's language bytes; Flush moves them into the 16-bit
// counters of LineFeatures (which wrap as those do) before 255 adds.
#pragma once
#include <array>
#include <cstdint>

#include "cleaner/ruleset/lexicon.h"
#include "cleaner/ruleset/word_key.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace clean {

namespace lang_counts_detail {
// Bit i of a byte -> byte i of a word.
struct SpreadTable {
  uint64_t v[256] = {};
  constexpr SpreadTable() {
    for (int m = 0; m < 256; ++m)
      for (int i = 0; i < 8; ++i)
        if (m & (1 << i)) v[m] |= uint64_t{1} << (8 * i);
  }
};
inline constexpr SpreadTable kSpread;
}  // namespace lang_counts_detail

class LangCounts {
 public:
  static_assert(kMaxLanguages == 16);
  // Adds the languages of `m` (a lookup that did not go through a slot).
  void Add(LangMask m) {
    using lang_counts_detail::kSpread;
#ifdef __SSE2__
    const __m128i lo = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(&kSpread.v[m & 0xFF]));
    const __m128i hi = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(&kSpread.v[m >> 8]));
    bytes_ = _mm_add_epi8(bytes_, _mm_unpacklo_epi64(lo, hi));
#else
    lo_ += kSpread.v[m & 0xFF];
    hi_ += kSpread.v[m >> 8];
#endif
  }
#ifdef __SSE2__
  // Adds the slot's languages.
  void AddSlot(const Lexicon::Slot& s) {
    bytes_ = _mm_add_epi8(bytes_, _mm_load_si128(reinterpret_cast<const __m128i*>(s.langs)));
  }
#endif
  // Adds the slot's languages when its word is `key`.
  void AddIfMatch(const Lexicon::Slot& s, const WordKey& key) {
#ifdef __SSE2__
    const __m128i langs = _mm_load_si128(reinterpret_cast<const __m128i*>(s.langs));
    bytes_ = _mm_add_epi8(bytes_, _mm_and_si128(key.MatchMask(&s.lo), langs));
#else
    if (key.Equals(&s.lo))
      for (int l = 0; l < kMaxLanguages; ++l)
        wide_[l] = static_cast<uint16_t>(wide_[l] + s.langs[l]);
#endif
  }
  void Flush() {
#ifdef __SSE2__
    const __m128i zero = _mm_setzero_si128();
    wide_lo_ = _mm_add_epi16(wide_lo_, _mm_unpacklo_epi8(bytes_, zero));
    wide_hi_ = _mm_add_epi16(wide_hi_, _mm_unpackhi_epi8(bytes_, zero));
    bytes_ = zero;
#else
    for (int i = 0; i < 8; ++i) {
      wide_[i] = static_cast<uint16_t>(wide_[i] + ((lo_ >> (8 * i)) & 0xFF));
      wide_[i + 8] = static_cast<uint16_t>(wide_[i + 8] + ((hi_ >> (8 * i)) & 0xFF));
    }
    lo_ = hi_ = 0;
#endif
  }
  void Store(std::array<uint16_t, kMaxLanguages>* out) {
    Flush();
#ifdef __SSE2__
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out->data()), wide_lo_);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out->data() + 8), wide_hi_);
#else
    *out = wide_;
#endif
  }

 private:
#ifdef __SSE2__
  __m128i bytes_ = _mm_setzero_si128();
  __m128i wide_lo_ = _mm_setzero_si128(), wide_hi_ = _mm_setzero_si128();
#else
  uint64_t lo_ = 0, hi_ = 0;
  std::array<uint16_t, kMaxLanguages> wide_{};
#endif
};

}  // namespace clean

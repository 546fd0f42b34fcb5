// The AVX2 chunk reader of the line pass (line_pass.h): 64 bytes in two
// 32-byte halves. features.cc's BlockChunks is its reference; the
// features tests check both against the same scalar reference.
#include "cleaner/base/avx2_dispatch.h"
#include "cleaner/classify/line_pass.h"

namespace clean::line_pass {

#ifdef CLEAN_AVX2_VARIANTS
// A line's hash as Avx2Chunks computes it: each chunk folded to 16 bytes
// and XORed into an accumulator rotated by 5 bytes a chunk (so that equal
// chunks in other places do not cancel out), mixed into 64 bits once, at
// the line's end (as the lexicon's short table hashes its keys, with the
// length and a constant for seeds: the product's high half is folded onto
// its low one, whose low bits pick the repeats table's slot). Multiplying
// once a line rather than once a chunk keeps the state in one register:
// the multiplies' lanes, spilled to the stack, cost more than the mixing
// bought. (The hash only picks the slot where lines are compared whole.)
struct Avx2LineHash {
  static constexpr uint64_t kSeed = 0xD6E8FEB86659FD93ull;
  __m128i acc = _mm_setzero_si128();
  [[gnu::target(CLEAN_AVX2_TARGET)]] void Add(__m128i bytes) {
    acc = _mm_xor_si128(_mm_alignr_epi8(acc, acc, 5), bytes);
  }
  [[gnu::target(CLEAN_AVX2_TARGET)]] uint64_t Finish(size_t n) const {
    return Lexicon::ShortTable::Hash(static_cast<uint64_t>(_mm_cvtsi128_si64(acc)),
                                     static_cast<uint64_t>(_mm_extract_epi64(acc, 1)), n, kSeed);
  }
};

// 64 0xFF bytes, then 64 zeros: the 32 bytes from 64 - valid (and 96 -
// valid) keep a chunk's first (and second) half's bytes of the line.
struct LineWindow {
  alignas(64) unsigned char bytes[128] = {};
  constexpr LineWindow() {
    for (int i = 0; i < 64; ++i) bytes[i] = 0xFF;
  }
};
inline constexpr LineWindow kLineWindow;

// The whole chunk in two 32-byte halves, whatever the line's length (no
// loop, no branch), the bytes past the line's end zeroed (which no class
// has: the masks need no trimming), and fed to the hash folded to 16 bytes
// (each half and then each 16 bytes rotated apart first, so that equal
// blocks in other places do not cancel out). The hash is not the other
// readers' (a page is read by one of them).
struct Avx2Chunks {
  static constexpr size_t kReadPast = 64;
  static constexpr bool kMasked = true;
  using Hasher = Avx2LineHash;
  // Read leaves these out (most chunks need neither): read again here.
  [[gnu::target(CLEAN_AVX2_TARGET)]] static uint64_t Continuations(const ByteMasks64&,
                                                                   const char* p,
                                                                   uint64_t in_line) {
    return ContinuationBits64Avx2(p) & in_line;
  }
  [[gnu::target(CLEAN_AVX2_TARGET)]] static uint64_t Spaces(const ByteMasks64&, const char* p,
                                                            uint64_t in_line) {
    return SpaceBits64Avx2(p) & in_line;
  }
  [[gnu::target(CLEAN_AVX2_TARGET)]] static WordKey LowerKey(const char* p, size_t len) {
    return WordKey::LoadLowerAscii(p, len);
  }
  // Lexicon::ShortTable::Candidate with the seeds XORed into the key in
  // its vector register, both at once, and the product folded from MULX's
  // two outputs (the compiler's 128-bit multiply copies one of them first).
  [[gnu::target(CLEAN_AVX2_TARGET)]] static const Lexicon::Slot& Candidate(
      const Lexicon::ShortTable& table, const WordKey& key) {
    const __m128i x = _mm_xor_si128(key.vector(), _mm_loadu_si128(reinterpret_cast<const __m128i*>(
                                                      table.base + Lexicon::ShortTable::kSeedsAt)));
    uint64_t high, low;
    asm("mulxq %[b], %[low], %[high]"
        : [high] "=r"(high), [low] "=r"(low)
        : [a] "d"(static_cast<uint64_t>(_mm_cvtsi128_si64(x))), [b] "rm"(static_cast<uint64_t>(
                                                                    _mm_extract_epi64(x, 1))));
    return table.CandidateOf(high ^ low);
  }
  // The key compared as a whole (VPTEST of the XOR: ZF when equal), and
  // the empty slot's languages (zeros) added instead of the slot's when it
  // is not the word, the address moved by a CMOV: four instructions a word,
  // where a lane-wise compare and masking took five. In asm: the flags
  // cannot pass from an intrinsic to a conditional move.
  [[gnu::target(CLEAN_AVX2_TARGET)]] static void AddIfMatch(LangCounts* langs,
                                                            const Lexicon::Slot& s,
                                                            const WordKey& key,
                                                            const Lexicon::Slot& empty) {
    const __m128i diff =
        _mm_xor_si128(key.vector(), _mm_load_si128(reinterpret_cast<const __m128i*>(&s.lo)));
    const Lexicon::Slot* counted = &s;
    asm("vptest %[diff], %[diff]\n\tcmovne %[empty], %[counted]"
        : [counted] "+r"(counted)
        : [diff] "x"(diff), [empty] "r"(&empty)
        : "cc");
    langs->AddSlot(*counted);
  }
  // Each half of the line's counts read as it was stored (16 bytes): one
  // 32-byte load of both, as the compiler had it, cannot take them from the
  // two stores still in flight and waits for them.
  [[gnu::target(CLEAN_AVX2_TARGET)]] static void AddStopWords(
      const StopCounts& f, std::array<uint32_t, kMaxLanguages>* sums) {
    static_assert(kMaxLanguages == 16);
    __m256i* const out = reinterpret_cast<__m256i*>(sums->data());
    const __m128i* const in = reinterpret_cast<const __m128i*>(f.data());
    _mm256_storeu_si256(
        out, _mm256_add_epi32(_mm256_loadu_si256(out), _mm256_cvtepu16_epi32(_mm_loadu_si128(in))));
    _mm256_storeu_si256(out + 1, _mm256_add_epi32(_mm256_loadu_si256(out + 1),
                                                  _mm256_cvtepu16_epi32(_mm_loadu_si128(in + 1))));
  }
  [[gnu::target(CLEAN_AVX2_TARGET)]] static ByteMasks64 Read(const char* p, size_t valid,
                                                             Avx2LineHash* hasher) {
    const unsigned char* window = kLineWindow.bytes + 64 - valid;  // valid: 1..64
    const __m256i lo =
        _mm256_and_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)),
                         _mm256_loadu_si256(reinterpret_cast<const __m256i*>(window)));
    const __m256i hi =
        _mm256_and_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32)),
                         _mm256_loadu_si256(reinterpret_cast<const __m256i*>(window + 32)));
    const __m256i folded = _mm256_xor_si256(lo, _mm256_alignr_epi8(hi, hi, 7));
    const __m128i half = _mm256_extracti128_si256(folded, 1);
    hasher->Add(_mm_xor_si128(_mm256_castsi256_si128(folded), _mm_alignr_epi8(half, half, 11)));
    return ClassifyChunk64Avx2<false>(lo, hi);
  }
};
#endif

#ifdef CLEAN_AVX2_VARIANTS
// Flattened: the AVX2 chunk reader is inlined here (it cannot be into the
// templates, which are not AVX2 code themselves).
[[gnu::target(CLEAN_AVX2_TARGET), gnu::flatten]] void ComputeLinesAvx2(
    const LinePass& pass, const Page& page, PageFeatures* out, Repeats* repeats, StopStore stops,
    std::string* tail, std::array<uint32_t, kMaxLanguages>* per_lang) {
  ComputeLines<true, Avx2Chunks>(pass, page, out, repeats, stops, tail, per_lang);
}
#endif

}  // namespace clean::line_pass

#include "cleaner/classify/features.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "cleaner/text/byte_classes.h"
#include "cleaner/base/fast_hash.h"
#include "cleaner/classify/lang_counts.h"
#include "cleaner/base/swar.h"
#include "cleaner/base/text_util.h"
#include "cleaner/ruleset/word_key.h"

namespace clean {

namespace {

bool IsTerminalCodePoint(uint32_t cp) {
  switch (cp) {
    case '.': case '!': case '?': case ':': case ';':
    case 0x2026:  // …
    case 0x3002:  // 。
    case 0xFF01: case 0xFF1F:  // ！ ？
    case 0x0964:  // । (Devanagari/Bengali danda)
      return true;
    default:
      return false;
  }
}

bool IsClosingQuote(uint32_t cp) {
  return cp == '"' || cp == '\'' || cp == ')' || cp == 0x201D || cp == 0x2019 || cp == 0xBB ||
         cp == 0x201C;
}

// A terminal that ends a sentence when a space follows it (':' and ';' do
// not; they only keep a pending sentence end alive).
bool EndsSentenceBeforeSpace(uint32_t cp) {
  return IsTerminalCodePoint(cp) && cp != ':' && cp != ';';
}

[[gnu::noinline]] bool StartsWithListMarkerSlow(std::string_view s) {
  if (s.size() < 2) return false;
  unsigned char c = static_cast<unsigned char>(s[0]);
  if ((c == '-' || c == '*' || c == '+') && s[1] == ' ') return true;
  // • ▪ ◦ · – —
  if (c == 0xE2 || c == 0xC2)
    for (std::string_view m : {"\xE2\x80\xA2", "\xE2\x96\xAA", "\xE2\x97\xA6", "\xC2\xB7",
                               "\xE2\x80\x93", "\xE2\x80\x94"})
      if (s.substr(0, m.size()) == m) return true;
  size_t i = 0;
  while (i < s.size() && i < 3 && s[i] >= '0' && s[i] <= '9') ++i;
  return i > 0 && i + 1 < s.size() && (s[i] == '.' || s[i] == ')') && s[i + 1] == ' ';
}

// The first bytes a list marker can have (below 'A', or the first byte of
// one of the non-ASCII markers), as a table: one load a line.
struct MarkerStartTable {
  bool may[256] = {};
  constexpr MarkerStartTable() {
    for (int c = 0; c < 256; ++c) may[c] = c < 'A' || c == 0xE2 || c == 0xC2;
  }
};
constexpr MarkerStartTable kMarkerStart;

inline bool StartsWithListMarker(std::string_view s) {
  // Most lines start with a letter: no marker starts with one.
  return kMarkerStart.may[static_cast<unsigned char>(s[0])] && StartsWithListMarkerSlow(s);
}

// Decodes the code point at s[i] of text known to be valid UTF-8 (the
// page's text is repaired when read); anything else reads as U+FFFD.
inline uint32_t DecodeAt(std::string_view s, size_t i, size_t* len) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    *len = 1;
    return c;
  }
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (n == 0 || i + n > s.size()) {
    *len = 1;
    return 0xFFFD;
  }
  *len = n;
  uint32_t cp = c & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  return cp;
}

// The lower-case form of U+0080..U+07FF (2-byte UTF-8, and so is the
// result), indexed by the sequence's 11 payload bits: its two bytes, the
// first in the low half.
struct TwoByteLower {
  uint16_t lower[2048] = {};
  constexpr TwoByteLower() {
    for (uint32_t cp = 0x80; cp < 0x800; ++cp) {
      const uint32_t l = LowerCodePoint(cp);
      lower[cp] = static_cast<uint16_t>((0xC0 | (l >> 6)) | ((0x80 | (l & 0x3F)) << 8));
    }
  }
  uint16_t At(const unsigned char* q) const { return lower[((q[0] & 0x1F) << 6) | (q[1] & 0x3F)]; }
};
constexpr TwoByteLower kTwoByteLower;

// The 64 bits from bit `at` (0..127) of the 128-bit value hi:lo.
inline uint64_t Bits128(uint64_t lo, uint64_t hi, size_t at) {
#ifdef __SIZEOF_INT128__
  return static_cast<uint64_t>(((static_cast<unsigned __int128>(hi) << 64) | lo) >> at);
#else
  if (at >= 64) return hi >> (at - 64);
  return at == 0 ? lo : (lo >> at) | (hi << (64 - at));
#endif
}

// POPCNT, BMI1 and BMI2 (bit counts, lowest-bit clears, shifts by any
// register) are not in baseline x86-64 (and without POPCNT the builtin
// calls libgcc): the line pass is built twice there, for CPUs with them
// (2013 on) and without.
#if defined(__x86_64__) && !(defined(__POPCNT__) && defined(__BMI__) && defined(__BMI2__))
#define CLEAN_FEATURES_BITOPS_DISPATCH 1
#endif

template <bool kBitOps>
inline uint32_t PopCount(uint64_t x) {
#ifdef CLEAN_FEATURES_BITOPS_DISPATCH
  if constexpr (!kBitOps) return static_cast<uint32_t>(swar::Popcount(x));
#endif
  return static_cast<uint32_t>(__builtin_popcountll(x));
}

// The trailing zero bits of x; 64 when x is 0 (as TZCNT has it).
// TZCNT itself where the CPU has it: the compiler would branch on x.
template <bool kBitOps>
inline size_t TrailingZeros(uint64_t x) {
#if defined(__x86_64__) && defined(__GNUC__)
#ifndef CLEAN_FEATURES_BITOPS_DISPATCH
  constexpr bool kTzcnt = true;  // built with BMI1
#else
  constexpr bool kTzcnt = kBitOps;
#endif
  if constexpr (kTzcnt) {
    uint64_t n;
    asm("tzcnt %1, %0" : "=r"(n) : "rm"(x) : "cc");
    return n;
  }
#endif
  return x ? static_cast<size_t>(__builtin_ctzll(x)) : 64;
}

// The bits of x where mask has them, packed to the low end (PEXT, BMI2;
// kPext only: it has no fallback). As TrailingZeros, in asm: the
// intrinsic cannot be inlined outside the BMI2 functions' own code.
inline uint64_t ExtractBits(uint64_t x, uint64_t mask) {
#if defined(__x86_64__) && defined(__GNUC__)
  uint64_t r;
  asm("pextq %2, %1, %0" : "=r"(r) : "r"(x), "rm"(mask));
  return r;
#else
  (void)x, (void)mask;
  __builtin_trap();
#endif
}

// Lower-cases the word w[0, len) (valid UTF-8, word characters only) into
// out; returns its length in code points.
size_t LowerWord(const char* w, size_t len, char* out) {
  size_t cps = 0;
  for (size_t i = 0; i < len; ++cps) {
    const unsigned char c = static_cast<unsigned char>(w[i]);
    if (c < 0x80) {
      out[i] = static_cast<char>(c | 0x20);  // a letter or a digit
      i += 1;
    } else if (c < 0xE0) {
      const uint16_t l = kTwoByteLower.At(reinterpret_cast<const unsigned char*>(w + i));
      out[i] = static_cast<char>(l & 0xFF);
      out[i + 1] = static_cast<char>(l >> 8);
      i += 2;
    } else {  // 3 and 4 bytes: above U+07FF nothing lower-cases
      const size_t n = c >= 0xF0 ? 4 : 3;
      std::memcpy(out + i, w + i, n);
      i += n;
    }
  }
  return cps;
}

// The last code point of s[0, end) other than ' ' and U+00A0 (what the
// sentence rules look back at), 0 when there is none; *at = where it starts.
uint32_t LastVisible(std::string_view s, size_t end, size_t* at) {
  while (end > 0) {
    size_t b = end - 1;
    while (b > 0 && end - b < 4 && (static_cast<unsigned char>(s[b]) & 0xC0) == 0x80) --b;
    size_t len;
    const uint32_t cp = DecodeAt(s, b, &len);
    if (cp != ' ' && cp != 0xA0) {
      *at = b;
      return cp;
    }
    end = b;
  }
  return 0;
}

// The line ends a sentence: a terminal, or a closing quote after one.
[[gnu::noinline]] bool EndsWithTerminalSlow(std::string_view s) {
  size_t at;
  const uint32_t last = LastVisible(s, s.size(), &at);
  return IsTerminalCodePoint(last) ||
         (IsClosingQuote(last) && IsTerminalCodePoint(LastVisible(s, at, &at)));
}

// Bytes a line may end with: 1 a terminal, 0 nothing of the sort, 2 look
// further back (a space, a closing quote, or a byte of a non-ASCII code
// point).
struct LineEndTable {
  uint8_t c[256] = {};
  constexpr LineEndTable() {
    for (char t : {'.', '!', '?', ':', ';'}) c[static_cast<int>(t)] = 1;
    for (char q : {' ', '"', '\'', ')'}) c[static_cast<int>(q)] = 2;
    for (int b = 0x80; b < 256; ++b) c[b] = 2;
  }
};
constexpr LineEndTable kLineEnd;

inline bool EndsWithTerminal(std::string_view s) {
  const uint8_t k = kLineEnd.c[static_cast<unsigned char>(s.back())];
  return k < 2 ? k : EndsWithTerminalSlow(s);
}

// The sentence state machine from just after a terminal code point `last`
// (at s[j]): spaces arm it when the last code point other than a space or
// U+00A0 (or the one before it, when that is a closing quote) ends a
// sentence; quotes and terminals keep it armed; U+00A0 disarms it; a
// capital starting a word while armed is a sentence break. Stops at the
// first word character or at another character after which nothing can
// arm it before the next terminal; *stop = that position.
[[gnu::noinline]] bool BreakAfter(std::string_view s, size_t j, uint32_t last, size_t* stop) {
  uint32_t prev = 0;
  bool armed = false;
  while (j < s.size()) {
    size_t len;
    const uint32_t cp = DecodeAt(s, j, &len);
    if (IsWordCodePoint(cp)) {
      *stop = j;
      return armed && IsUpperCodePoint(cp);
    }
    if (cp == ' ') {
      armed |= EndsSentenceBeforeSpace(IsClosingQuote(last) ? prev : last);
    } else if (cp == 0xA0) {
      armed = false;
    } else if (IsClosingQuote(cp) || IsTerminalCodePoint(cp)) {
      prev = last;
      last = cp;
    } else {
      *stop = j;
      return false;
    }
    j += len;
  }
  *stop = s.size();
  return false;
}

// What the line pass needs, as plain values.
struct LinePass {
  Lexicon::ShortTable table;
  const Lexicon* lexicon;
  size_t max_word;  // words of more bytes are not looked up
  char* lower;      // scratch for a lower-cased word (max_word + 16 bytes)
};

// A word with a capital beyond ASCII, or longer than 16 bytes: lower-cased
// into the scratch one code point at a time and looked up (when short
// enough); *cps = its length in code points (counted exactly up to 4).
[[gnu::noinline]] LangMask OtherWord(const LinePass& pass, const char* w, size_t len,
                                     size_t* cps) {
  if (len > pass.max_word) {
    *cps = 0;
    if (len > 12) {  // 13+ bytes: 4+ code points
      *cps = 4;
    } else {
      for (size_t i = 0; i < len; ++i) *cps += (static_cast<unsigned char>(w[i]) & 0xC0) != 0x80;
    }
    return 0;
  }
  *cps = LowerWord(w, len, pass.lower);
  if (len > Lexicon::kShortBytes) return pass.lexicon->Lookup(std::string_view(pass.lower, len));
  const WordKey key = WordKey::Load(pass.lower, len);
  return pass.table.Lookup(key.lo(), key.hi());
}

// How the line pass reads a 64-byte chunk of a line: the classes of its
// bytes (those past the line's end too, which the pass masks off), and the
// line's bytes in it fed to the line's hash. kReadPast: the bytes after the
// line's end that must be readable.
//
// 16-byte blocks (SSE2, or a byte loop), up to the line's end.
struct BlockChunks {
  static constexpr size_t kReadPast = 16;
  // The masks of a chunk's last block hold the bytes past the line's end
  // (the pass masks them off).
  static constexpr bool kMasked = false;
  using Hasher = FastHash16;
  // The continuation bytes and the spaces of the chunk at p, of the line's
  // bytes only (in_line), where the pass needs them: Read has them.
  static uint64_t Continuations(const ByteMasks64& m, const char*, uint64_t in_line) {
    return m.cont & in_line;
  }
  static uint64_t Spaces(const ByteMasks64& m, const char*, uint64_t in_line) {
    return m.space & in_line;
  }
  // A word's key: its bytes with the ASCII letters lower-cased.
  static WordKey LowerKey(const char* p, size_t len) {
    return WordKey::Load(p, len).LowerAscii();
  }
  // The one slot of the lexicon's short table whose word the key can be.
  static const Lexicon::Slot& Candidate(const Lexicon::ShortTable& table, const WordKey& key) {
    return table.Candidate(key.lo(), key.hi());
  }
  // How a word's lookup is counted (LangCounts::AddIfMatch); `empty`: an
  // empty slot.
  static void AddIfMatch(LangCounts* langs, const Lexicon::Slot& s, const WordKey& key,
                         const Lexicon::Slot&) {
    langs->AddIfMatch(s, key);
  }
  // Adds a line's stop words per language to the page's sums.
  static void AddStopWords(const StopCounts& f, std::array<uint32_t, kMaxLanguages>* sums) {
    for (int l = 0; l < kMaxLanguages; ++l) (*sums)[l] += f[l];
  }
  static ByteMasks64 Read(const char* p, size_t valid, FastHash16* hasher) {
    ByteMasks64 m;
    for (size_t b = 0; b < valid; b += 16) {
      m.Add(ClassifyBlock16(p + b), b);
      const WordKey bytes = WordKey::Load(p + b, valid - b < 16 ? valid - b : 16);
      hasher->Add(bytes.lo(), bytes.hi());
    }
    return m;
  }
};

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
    const __m128i x = _mm_xor_si128(
        key.vector(), _mm_loadu_si128(reinterpret_cast<const __m128i*>(
                          table.base + Lexicon::ShortTable::kSeedsAt)));
    uint64_t high, low;
    asm("mulxq %[b], %[low], %[high]"
        : [high] "=r"(high), [low] "=r"(low)
        : [a] "d"(static_cast<uint64_t>(_mm_cvtsi128_si64(x))),
          [b] "rm"(static_cast<uint64_t>(_mm_extract_epi64(x, 1))));
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
    _mm256_storeu_si256(out, _mm256_add_epi32(_mm256_loadu_si256(out),
                                              _mm256_cvtepu16_epi32(_mm_loadu_si128(in))));
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

// One line, p[0, n) (n > 0) with p[n, n + Chunks::kReadPast) readable,
// read in 64-byte chunks classified by Chunks. Counts are popcounts of the
// chunk's masks; word starts and ends are its word mask's edges; each word
// is looked up once (with no capital beyond ASCII, keyed straight from the
// line: ASCII letters lower-cased in the key). Sentence punctuation is
// settled from the masks or by BreakAfter. Only non-ASCII code points,
// words and sentence punctuation are visited one by one. `table` is
// pass.table, copied once a page by the caller: a copy whose address
// nothing outside sees, so the word loop keeps it in registers (read
// through `pass`, it was loaded again for every word, as the call for a
// long word might have changed it for all the compiler knew).
template <bool kBitOps, bool kPext, class Chunks>
[[gnu::always_inline]] inline void ComputeLine(const LinePass& pass,
                                               const Lexicon::ShortTable table, const char* p,
                                               size_t n, LineFeatures* f, StopCounts* stop,
                                               uint64_t* hash) {
  typename Chunks::Hasher hasher;
  const std::string_view s(p, n);
  const bool list_marker = StartsWithListMarker(s), terminal = EndsWithTerminal(s);
  auto pop = [](uint64_t x) { return PopCount<kBitOps>(x); };
  // Counters live in locals (registers) while the line is read.
  uint32_t words = 0, letters = 0, uppers = 0, digits = 0, cap_words = 0, long_words = 0,
           continuation = 0;
  LangCounts langs;
  // Capitals beyond ASCII (a word with one is lower-cased by OtherWord):
  // this chunk's and the one before (where a word may have started), and
  // whether there are any.
  uint64_t upper_high = 0, prev_upper_high = 0;
  bool any_upper_high = false;
  size_t base = 0;
  // Bits [b, b + len) of a mask over the previous and this chunk (len <= 16).
  auto bits = [&](uint64_t prev, uint64_t cur, size_t b, size_t len) {
    return Bits128(prev, cur, b + 64 - base) & ((uint64_t{1} << len) - 1);
  };
  // With a quick PEXT (kPext: BMI2, and not microcode as on AMD before Zen
  // 3), words of 4+ code points are counted from each chunk's masks (see
  // below), not word by word: a few instructions a chunk instead of a few a
  // word. Without, PEXT is not there (or too slow) to pack the word mask to
  // code points.
  static_assert(kBitOps || !kPext);
  constexpr bool kLongWordsFromMasks = kPext;
  // Whether each of the line's last code points read is a word character,
  // at the top (bit 63: the last one).
  uint64_t last_cps = 0;
  // kUpperHigh: the chunk (or the one before) has a capital beyond ASCII
  // (any_upper_high, tested once a chunk rather than once a word).
  auto word = [&]<bool kUpperHigh>(size_t b, size_t e) __attribute__((always_inline)) {
    const size_t len = e - b;
    // With no capital beyond ASCII, the word's bytes with the ASCII
    // letters lower-cased are its lower-case form: keyed straight from the
    // line, with no branch on what the word holds (whether it is ASCII is
    // as hard to predict as the text's language).
    if (len <= Lexicon::kShortBytes &&
        !(kUpperHigh && bits(prev_upper_high, upper_high, b, len))) [[likely]] {
      const WordKey key = Chunks::LowerKey(p + b, len);
      if constexpr (!kLongWordsFromMasks) long_words += len - pop(key.ContinuationMask()) >= 4;
      // Looked up whatever max_word says: a word longer than every stop
      // word matches no slot (keys are zero-padded, and no word holds a
      // zero byte).
      Chunks::AddIfMatch(&langs, Chunks::Candidate(table, key), key, table.Empty());
      return;
    }
    size_t cps;
    langs.Add(OtherWord(pass, p + b, len, &cps));
    if constexpr (!kLongWordsFromMasks) long_words += cps >= 4;
  };
  bool in_word = false;      // a word runs on from an earlier chunk
  size_t word_begin = 0;     // ... starting here
  uint64_t carry = 0;        // the last byte of the previous chunk is part of a word
  bool sentence_break = false;
  size_t next_stop = 0;      // sentence punctuation before this was already followed
  // One chunk, from `base`. Lines of one chunk (most) read it outside the
  // loop: the compiler then knows that nothing runs on from an earlier
  // chunk (no word, no carry, no capital, base 0) and drops what carries
  // it over.
  auto read_chunk = [&]() __attribute__((always_inline)) {
    const size_t valid = n - base < 64 ? n - base : 64;
    prev_upper_high = upper_high;
    const ByteMasks64 m = Chunks::Read(p + base, valid, &hasher);
    uint64_t wordm = m.word, upper = m.upper, digit = m.digit, stop = m.stop, high = m.high;
    const uint64_t in_line = valid == 64 ? ~0ull : (1ull << valid) - 1;
    // ... and the line's end, when in this chunk (a word's end).
    const uint64_t in_line_and_end = valid == 64 ? ~0ull : (2ull << valid) - 1;
    if constexpr (!Chunks::kMasked) {
      wordm &= in_line;
      upper &= in_line;
      digit &= in_line;
      stop &= in_line;
      high &= in_line;
    }
    letters += pop(wordm & ~digit);
    digits += pop(digit);
    uppers += pop(upper);
    // The chunk's code points (kLongWordsFromMasks): bit i, whether its
    // i-th is a word character; `cps` of them.
    uint64_t cp_word = wordm;
    size_t cps = valid;
    if (high) {
      // Each non-ASCII code point by its first byte; then its continuation
      // bytes take its word bit.
      const uint64_t cont = Chunks::Continuations(m, p + base, in_line);
      uint64_t high_word = 0, high_upper = 0, high_stop = 0;
      for (uint64_t lead = high & ~cont; lead; lead &= lead - 1) {
        const int k = __builtin_ctzll(lead);
        const uint32_t c = ClassifyLead(reinterpret_cast<const unsigned char*>(p + base + k));
        high_word |= uint64_t{c & kLeadWord} << k;
        high_upper |= uint64_t{(c & kLeadUpper) >> 1} << k;
        high_stop |= uint64_t{(c & kLeadStop) >> 2} << k;
      }
      letters += pop(high_word);
      uppers += pop(high_upper);
      continuation += pop(cont);
      wordm |= high_word;
      upper |= high_upper;
      stop |= high_stop;
      for (int step = 0; step < 3; ++step) wordm |= ((wordm << 1) | carry) & cont;
      if constexpr (kLongWordsFromMasks) {
        // A code point's word bit is its first byte's: the others dropped.
        // (Only here, in chunks with non-ASCII bytes: PEXT is one
        // instruction on Intel, but microcode on AMD before Zen 3.)
        const uint64_t first_bytes = in_line & ~cont;
        cp_word = ExtractBits(wordm, first_bytes);
        cps = pop(first_bytes);
      }
    }
    if constexpr (kLongWordsFromMasks) {
      // A word of 4+ code points has one 4th code point: a word character
      // after 3 word characters after one that is not (or the line's
      // start). Bit i of ahead_k: whether the code point k before the i-th
      // is a word character (the chunk's, or the last ones of the chunks
      // before).
      const uint64_t ahead_1 = (cp_word << 1) | (last_cps >> 63),
                     ahead_2 = (cp_word << 2) | (last_cps >> 62),
                     ahead_3 = (cp_word << 3) | (last_cps >> 61),
                     ahead_4 = (cp_word << 4) | (last_cps >> 60);
      long_words += pop(cp_word & ahead_1 & ahead_2 & ahead_3 & ~ahead_4);
      // The chunk's code points after the earlier ones: the last at the top
      // (for the next chunk: most lines have none). A whole chunk of ASCII
      // has 64: its own.
      if (valid == 64) last_cps = high ? Bits128(last_cps, cp_word, cps) : cp_word;
    }
    upper_high = upper & high;
    any_upper_high = (upper_high | prev_upper_high) != 0;
    if (stop && !sentence_break) {
      // ". x" and ".x" (ASCII punctuation; a word character right after it,
      // or after one space) need no state machine: the first is a break
      // when x is a capital, the second never (whatever came before, so in
      // any order); the rest runs it on.
      const uint64_t ascii = stop & ~high, space = Chunks::Spaces(m, p + base, in_line);
      const uint64_t spaced = ascii & (space >> 1) & (wordm >> 2);
      if (spaced & (upper >> 2)) sentence_break = true;
      stop &= ~(spaced | (ascii & (wordm >> 1)));
    }
    if (stop && !sentence_break) {
      // Sentence punctuation not yet followed: run the state machine on.
      auto unseen = [&](uint64_t bits) {
        const size_t from = next_stop > base ? next_stop - base : 0;
        return from >= 64 ? 0 : bits & (~0ull << from);
      };
      for (uint64_t q = unseen(stop); q; q = unseen(q)) {
        size_t at = base + static_cast<size_t>(__builtin_ctzll(q)), len;
        const uint32_t cp = DecodeAt(s, at, &len);
        if (BreakAfter(s, at + len, cp, &next_stop)) {
          sentence_break = true;
          break;
        }
      }
    }
    // Words: a start is a word byte after a non-word byte, an end the first
    // non-word byte after a word byte (or the line's end).
    const uint64_t before = (wordm << 1) | carry;
    uint64_t starts = wordm & ~before, ends = ~wordm & before & in_line_and_end;
    carry = wordm >> 63;
    const uint32_t new_words = pop(starts);
    words += new_words;
    cap_words += pop(starts & upper);
    // Each end closes the earliest word not yet closed (the one running on
    // from an earlier chunk first); the start left over, if any, runs on.
    // No branch but the loop's (where a word ends is as hard to predict as
    // the text).
    size_t begin = in_word ? word_begin : base + TrailingZeros<kBitOps>(starts);
    starts = in_word ? starts : starts & (starts - 1);
    auto close_words = [&]<bool kUpperHigh>() __attribute__((always_inline)) {
      for (; ends; ends &= ends - 1) {
        word.template operator()<kUpperHigh>(begin, base + TrailingZeros<kBitOps>(ends));
        begin = base + TrailingZeros<kBitOps>(starts);
        starts &= starts - 1;
      }
    };
    if (any_upper_high) [[unlikely]] {
      close_words.template operator()<true>();
    } else {
      close_words.template operator()<false>();
    }
    in_word = begin < base + 64;  // TrailingZeros(0) is 64: none left
    word_begin = begin;
    // A chunk closes at most 33 words (32 ends, the line's end one more),
    // so langs' 8-bit counters are flushed every 4 chunks (at most 132 and
    // the last word added before Store flushes them): no count kept, and
    // lines of up to 256 bytes never flush before Store.
    if ((base & 0xC0) == 0xC0) langs.Flush();
  };
  if (n <= 64) [[likely]] {
    read_chunk();
  } else {
    for (;; base += 64) {
      read_chunk();
      if (n - base <= 64) break;
    }
  }
  if (in_word) {  // the line's last 64 bytes, ending in a word (base: the last chunk's)
    if (any_upper_high) {
      word.template operator()<true>(word_begin, n);
    } else {
      word.template operator()<false>(word_begin, n);
    }
  }
  // Every field, stored once (no zeroed copy first).
  auto u16 = [](uint32_t v) { return static_cast<uint16_t>(v); };
  f->chars = static_cast<uint32_t>(n) - continuation;
  f->words = u16(words);
  f->stop_words = 0;
  f->letters = u16(letters);
  f->uppers = u16(uppers);
  f->digits = u16(digits);
  f->cap_words = u16(cap_words);
  f->long_words = u16(long_words);
  f->terminal = terminal;
  f->list_marker = list_marker;
  f->has_sentence_break = sentence_break;
  f->repeats = 1;
  langs.Store(stop);
  *hash = hasher.Finish(n);
}

// Repeated lines, counted as the page's lines are read: an open-addressing
// table of line indices by a 32-bit digest of the line's hash, grown with
// the distinct lines (a page of one line repeated has a small table); each
// line finds the first line with its bytes (the digests only narrow the
// search: the bytes are compared) and counts there. A later occurrence
// keeps the first's index in place of its digest, and a bit; the counts
// are copied to the later occurrences at the end.
struct Repeats {
  uint32_t* hashes;               // per line: its digest, or (later) its first's index
  uint64_t* later;                // per line, a bit: it repeats an earlier line
  std::vector<uint32_t>* slots;   // mask + 1 of them, UINT32_MAX: empty
  size_t mask;
  size_t distinct = 0;            // lines in the table
  size_t repeated = 0;            // later occurrences

  static uint32_t Digest(uint64_t hash) { return static_cast<uint32_t>(hash ^ (hash >> 32)); }
  // Line i, l (its bytes, as the caller has them at hand), of hash `hash`;
  // text, lines and features: the page's.
  void Add(const char* text, const LineSpan* lines, uint32_t i, std::string_view l,
           uint64_t hash, LineFeatures* features) {
    const uint32_t digest = Digest(hash);
    uint32_t* const table = slots->data();
    for (size_t h = digest & mask;; h = (h + 1) & mask) {
      const uint32_t s = table[h];
      if (s == UINT32_MAX) {
        table[h] = i;
        hashes[i] = digest;
        if (++distinct * 2 > mask + 1) [[unlikely]] Grow();
        return;
      }
      if (hashes[s] == digest &&
          std::string_view(text + lines[s].begin, lines[s].end - lines[s].begin) == l) {
        ++features[s].repeats;
        hashes[i] = s;
        later[i / 64] |= uint64_t{1} << (i % 64);
        ++repeated;
        return;
      }
    }
  }
  // Twice the slots, the lines in the table placed again by their digests.
  [[gnu::noinline]] void Grow() {
    std::vector<uint32_t> old(2 * (mask + 1), UINT32_MAX);
    old.swap(*slots);
    mask = slots->size() - 1;
    for (uint32_t s : old)
      if (s != UINT32_MAX) {
        size_t h = hashes[s] & mask;
        while ((*slots)[h] != UINT32_MAX) h = (h + 1) & mask;
        (*slots)[h] = s;
      }
  }
  void Finish(size_t n, PageFeatures* out) const {
    if (!repeated) return;
    for (size_t w = 0; w < (n + 63) / 64; ++w)
      for (uint64_t bits = later[w]; bits; bits &= bits - 1) {
        const size_t i = w * 64 + static_cast<size_t>(std::countr_zero(bits));
        out->lines[i].repeats = out->lines[hashes[i]].repeats;
      }
  }
};

// Where the line pass keeps each line's stop words per language: a byte
// each, or (255 in every byte) the whole counts in `wide` when one is 255
// or more.
struct StopStore {
  std::array<uint8_t, kMaxLanguages>* narrow;  // per line
  std::vector<std::pair<uint32_t, StopCounts>>* wide;

  void Store(uint32_t i, const StopCounts& c) {
#ifdef __SSE2__
    const __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(c.data()));
    const __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(c.data() + 8));
    const __m128i limit = _mm_set1_epi16(254);  // what is left above 254 (unsigned)
    const __m128i over = _mm_or_si128(_mm_subs_epu16(lo, limit), _mm_subs_epu16(hi, limit));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(narrow[i].data()), _mm_packus_epi16(lo, hi));
    if (_mm_movemask_epi8(_mm_cmpeq_epi16(over, _mm_setzero_si128())) != 0xFFFF) [[unlikely]] {
#else
    bool big = false;
    for (int l = 0; l < kMaxLanguages; ++l) {
      narrow[i][l] = static_cast<uint8_t>(c[l]);
      big |= c[l] > 254;
    }
    if (big) [[unlikely]] {
#endif
      narrow[i].fill(255);
      wide->emplace_back(i, c);
    }
  }
};

// Every line of the page: its features, its hash and repeats, and the
// page's totals. A line too close to the end of the text to read
// Chunks::kReadPast bytes past it is copied into *tail first.
template <bool kBitOps, bool kPext, class Chunks>
[[gnu::always_inline]] inline void ComputeLines(const LinePass& pass, const Page& page,
                                                PageFeatures* out, Repeats* repeats,
                                                StopStore stops, std::string* tail,
                                                std::array<uint32_t, kMaxLanguages>* per_lang) {
  constexpr size_t kSlack = Chunks::kReadPast;
  // The page's text and lines, and the totals, in locals: the stores of a
  // line's features might alias them for all the compiler knows (they
  // were read again for every line).
  const size_t text_size = page.text.size(), count = page.lines.size();
  const char* const text = page.text.data();
  const LineSpan* const lines = page.lines.data();
  LineFeatures* const features = out->lines.data();
  uint32_t words = 0;
  std::array<uint32_t, kMaxLanguages> langs{};
  // The repeats table's fields in a local copy too (written back at the
  // end): through the pointer they were loaded again for every line.
  Repeats page_repeats = *repeats;
  const Lexicon::ShortTable table = pass.table;
  for (size_t i = 0; i < count; ++i) {
    const LineSpan& span = lines[i];
    LineFeatures& f = features[i];
    const char* p = text + span.begin;
    const size_t n = span.end - span.begin;
    if (n == 0) {
      f = LineFeatures();
      stops.narrow[i] = {};
      continue;
    }
    if (span.end + kSlack > text_size) {  // the page's last line(s)
      tail->assign(p, n);
      tail->append(kSlack, '\0');
      p = tail->data();
    }
    uint64_t hash;
    StopCounts stop;
    ComputeLine<kBitOps, kPext, Chunks>(pass, table, p, n, &f, &stop, &hash);
    page_repeats.Add(text, lines, static_cast<uint32_t>(i),
                     std::string_view(text + span.begin, n), hash, features);
    if (f.words) {
      words += f.words;
      Chunks::AddStopWords(stop, &langs);
    }
    stops.Store(static_cast<uint32_t>(i), stop);
  }
  *repeats = page_repeats;
  out->words = words;
  for (int l = 0; l < kMaxLanguages; ++l) (*per_lang)[l] += langs[l];
}

#ifdef CLEAN_FEATURES_BITOPS_DISPATCH
[[gnu::target("popcnt,bmi,bmi2")]] void ComputeLinesBitOps(const LinePass& pass, const Page& page,
                                                  PageFeatures* out, Repeats* repeats,
                                                  StopStore stops, std::string* tail,
                                                  std::array<uint32_t, kMaxLanguages>* per_lang) {
  ComputeLines<true, false, BlockChunks>(pass, page, out, repeats, stops, tail, per_lang);
}
#endif

#ifdef CLEAN_AVX2_VARIANTS
// Flattened: the AVX2 chunk reader is inlined here (it cannot be into the
// templates, which are not AVX2 code themselves).
[[gnu::target(CLEAN_AVX2_TARGET), gnu::flatten]] void ComputeLinesAvx2(
    const LinePass& pass, const Page& page, PageFeatures* out, Repeats* repeats,
    StopStore stops, std::string* tail, std::array<uint32_t, kMaxLanguages>* per_lang) {
  ComputeLines<true, true, Avx2Chunks>(pass, page, out, repeats, stops, tail, per_lang);
}
// The same where PEXT is microcode (avx2::FastBitScatter).
[[gnu::target(CLEAN_AVX2_TARGET), gnu::flatten]] void ComputeLinesAvx2NoPext(
    const LinePass& pass, const Page& page, PageFeatures* out, Repeats* repeats,
    StopStore stops, std::string* tail, std::array<uint32_t, kMaxLanguages>* per_lang) {
  ComputeLines<true, false, Avx2Chunks>(pass, page, out, repeats, stops, tail, per_lang);
}
#endif

void ComputeLinesBaseline(const LinePass& pass, const Page& page, PageFeatures* out,
                          Repeats* repeats, StopStore stops, std::string* tail,
                          std::array<uint32_t, kMaxLanguages>* per_lang) {
  ComputeLines<false, false, BlockChunks>(pass, page, out, repeats, stops, tail, per_lang);
}

bool CpuHasBitOps() {
#if defined(CLEAN_FEATURES_BITOPS_DISPATCH) && !defined(CLEAN_FEATURES_BASELINE_ONLY)
  __builtin_cpu_init();
  return __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("bmi") &&
         __builtin_cpu_supports("bmi2");
#else
  return false;  // built with them already, or not x86-64, or testing the baseline
#endif
}

}  // namespace

FeatureExtractor::FeatureExtractor(const Lexicon& lexicon)
    : lexicon_(lexicon),
      max_word_(std::min(lexicon.max_word_bytes(), kMaxWordBytes)),
      bit_ops_(CpuHasBitOps()) {}

void FeatureExtractor::Compute(const Page& page, PageFeatures* out) {
  const size_t n = page.lines.size();
  out->lines.resize(n);
  hashes_.resize(n);
  later_.assign((n + 63) / 64, 0);
  // Room for the lines of a page of up to kScratchKeptLines distinct ones;
  // more grow the table.
  size_t cap = 16;
  while (cap < std::min(n, kScratchKeptLines) * 2) cap <<= 1;
  slots_.assign(cap, UINT32_MAX);
  Repeats repeats{hashes_.data(), later_.data(), &slots_, cap - 1};
  stop_.resize(n);
  wide_stop_.clear();
  const StopStore stops{stop_.data(), &wide_stop_};
  std::array<uint32_t, kMaxLanguages> per_lang{};
  const LinePass pass{lexicon_.short_table(), &lexicon_, max_word_, lower_};
#ifdef CLEAN_AVX2_VARIANTS
  if (avx2::Enabled()) {
    if (avx2::FastBitScatter())
      ComputeLinesAvx2(pass, page, out, &repeats, stops, &tail_, &per_lang);
    else
      ComputeLinesAvx2NoPext(pass, page, out, &repeats, stops, &tail_, &per_lang);
  } else
#endif
#ifdef CLEAN_FEATURES_BITOPS_DISPATCH
  if (bit_ops_) {
    ComputeLinesBitOps(pass, page, out, &repeats, stops, &tail_, &per_lang);
  } else
#endif
  {
    ComputeLinesBaseline(pass, page, out, &repeats, stops, &tail_, &per_lang);
  }
  repeats.Finish(n, out);
  int nl = static_cast<int>(lexicon_.languages().size());
  out->language = -1;
  out->stop_hits = 0;
  for (int l = 0; l < nl; ++l)
    if (per_lang[l] > out->stop_hits) {
      out->stop_hits = per_lang[l];
      out->language = l;
    }
  // Too few hits to trust: treat the language as unknown (CJK, Bengali...).
  if (out->stop_hits * 20 < out->words || out->stop_hits < 3) out->language = -1;
  if (out->language >= 0) {
    const size_t l = static_cast<size_t>(out->language);
    auto wide = wide_stop_.begin();
    for (size_t i = 0; i < n; ++i) {
      const uint8_t v = stop_[i][l];
      out->lines[i].stop_words = v != 255 ? v : (wide++)->second[l];
    }
  }
  if (n > kScratchKeptLines) {
    std::vector<uint32_t>().swap(hashes_);
    std::vector<uint64_t>().swap(later_);
    std::vector<uint32_t>().swap(slots_);
    std::vector<std::array<uint8_t, kMaxLanguages>>().swap(stop_);
    std::vector<std::pair<uint32_t, StopCounts>>().swap(wide_stop_);
  }
}

StopCounts FeatureExtractor::stop_by_lang(size_t i) const {
  if (stop_[i][0] == 255)  // a byte is 255 only on lines whose counts are in wide_stop_
    for (const auto& [line, counts] : wide_stop_)
      if (line == i) return counts;
  StopCounts c{};
  for (int l = 0; l < kMaxLanguages; ++l) c[l] = stop_[i][l];
  return c;
}

}  // namespace clean

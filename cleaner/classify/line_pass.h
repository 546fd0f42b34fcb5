// The line pass of FeatureExtractor (features.h): one line's features
// read in 64-byte chunks (ComputeLine), and every line of a page with its
// repeats and stop words (ComputeLines), over a chunk reader `Chunks`.
// Included by features.cc (its 16-byte-block reader, the reference) and
// features_avx2.cc (the AVX2 reader) only.
#pragma once
#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "cleaner/base/fast_hash.h"
#include "cleaner/base/swar.h"
#include "cleaner/base/text_util.h"
#include "cleaner/classify/features.h"
#include "cleaner/classify/lang_counts.h"
#include "cleaner/ruleset/word_key.h"
#include "cleaner/text/byte_classes.h"

namespace clean::line_pass {

inline bool IsTerminalCodePoint(uint32_t cp) {
  switch (cp) {
    case '.':
    case '!':
    case '?':
    case ':':
    case ';':
    case 0x2026:  // …
    case 0x3002:  // 。
    case 0xFF01:
    case 0xFF1F:  // ！ ？
    case 0x0964:  // । (Devanagari/Bengali danda)
      return true;
    default: return false;
  }
}

inline bool IsClosingQuote(uint32_t cp) {
  return cp == '"' || cp == '\'' || cp == ')' || cp == 0x201D || cp == 0x2019 || cp == 0xBB ||
         cp == 0x201C;
}

// A terminal that ends a sentence when a space follows it (':' and ';' do
// not; they only keep a pending sentence end alive).
inline bool EndsSentenceBeforeSpace(uint32_t cp) {
  return IsTerminalCodePoint(cp) && cp != ':' && cp != ';';
}

[[gnu::noinline]] inline bool StartsWithListMarkerSlow(std::string_view s) {
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
inline constexpr MarkerStartTable kMarkerStart;

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
inline constexpr TwoByteLower kTwoByteLower;

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
// calls libgcc): there only the AVX2 line pass (kBitOps, for CPUs that
// have AVX2 and so them) uses them.
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

// Lower-cases the word w[0, len) (valid UTF-8, word characters only) into
// out; returns its length in code points.
inline size_t LowerWord(const char* w, size_t len, char* out) {
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
inline uint32_t LastVisible(std::string_view s, size_t end, size_t* at) {
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
[[gnu::noinline]] inline bool EndsWithTerminalSlow(std::string_view s) {
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
inline constexpr LineEndTable kLineEnd;

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
[[gnu::noinline]] inline bool BreakAfter(std::string_view s, size_t j, uint32_t last,
                                         size_t* stop) {
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
[[gnu::noinline]] inline LangMask OtherWord(const LinePass& pass, const char* w, size_t len,
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
// (features.cc BlockChunks, features_avx2.cc Avx2Chunks.)

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
template <bool kBitOps, class Chunks>
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
  // kUpperHigh: the chunk (or the one before) has a capital beyond ASCII
  // (any_upper_high, tested once a chunk rather than once a word).
  auto word = [&]<bool kUpperHigh>(size_t b, size_t e) __attribute__((always_inline)) {
    const size_t len = e - b;
    // With no capital beyond ASCII, the word's bytes with the ASCII
    // letters lower-cased are its lower-case form: keyed straight from the
    // line, with no branch on what the word holds (whether it is ASCII is
    // as hard to predict as the text's language).
    if (len <= Lexicon::kShortBytes && !(kUpperHigh && bits(prev_upper_high, upper_high, b, len)))
        [[likely]] {
      const WordKey key = Chunks::LowerKey(p + b, len);
      long_words += len - pop(key.ContinuationMask()) >= 4;
      // Looked up whatever max_word says: a word longer than every stop
      // word matches no slot (keys are zero-padded, and no word holds a
      // zero byte).
      Chunks::AddIfMatch(&langs, Chunks::Candidate(table, key), key, table.Empty());
      return;
    }
    size_t cps;
    langs.Add(OtherWord(pass, p + b, len, &cps));
    long_words += cps >= 4;
  };
  bool in_word = false;   // a word runs on from an earlier chunk
  size_t word_begin = 0;  // ... starting here
  uint64_t carry = 0;     // the last byte of the previous chunk is part of a word
  bool sentence_break = false;
  size_t next_stop = 0;  // sentence punctuation before this was already followed
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
  uint32_t* hashes;              // per line: its digest, or (later) its first's index
  uint64_t* later;               // per line, a bit: it repeats an earlier line
  std::vector<uint32_t>* slots;  // mask + 1 of them, UINT32_MAX: empty
  size_t mask;
  size_t distinct = 0;  // lines in the table
  size_t repeated = 0;  // later occurrences

  static uint32_t Digest(uint64_t hash) { return static_cast<uint32_t>(hash ^ (hash >> 32)); }
  // Line i, l (its bytes, as the caller has them at hand), of hash `hash`;
  // text, lines and features: the page's.
  void Add(const char* text, const LineSpan* lines, uint32_t i, std::string_view l, uint64_t hash,
           LineFeatures* features) {
    const uint32_t digest = Digest(hash);
    uint32_t* const table = slots->data();
    for (size_t h = digest & mask;; h = (h + 1) & mask) {
      const uint32_t s = table[h];
      if (s == UINT32_MAX) {
        table[h] = i;
        hashes[i] = digest;
        if (++distinct * 2 > mask + 1) [[unlikely]]
          Grow();
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
template <bool kBitOps, class Chunks>
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
    ComputeLine<kBitOps, Chunks>(pass, table, p, n, &f, &stop, &hash);
    page_repeats.Add(text, lines, static_cast<uint32_t>(i), std::string_view(text + span.begin, n),
                     hash, features);
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

// ComputeLines with the AVX2 chunk reader (features_avx2.cc).
void ComputeLinesAvx2(const LinePass& pass, const Page& page, PageFeatures* out, Repeats* repeats,
                      StopStore stops, std::string* tail,
                      std::array<uint32_t, kMaxLanguages>* per_lang);

}  // namespace clean::line_pass

#include "cleaner/features.h"

#include <algorithm>
#include <cstring>

#include "cleaner/byte_classes.h"
#include "cleaner/fast_hash.h"
#include "cleaner/text_util.h"

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

bool StartsWithListMarker(std::string_view s) {
  if (s.size() < 2) return false;
  unsigned char c = static_cast<unsigned char>(s[0]);
  if ((c == '-' || c == '*' || c == '+') && s[1] == ' ') return true;
  // • ▪ ◦ · – —
  for (std::string_view m : {"\xE2\x80\xA2", "\xE2\x96\xAA", "\xE2\x97\xA6", "\xC2\xB7",
                             "\xE2\x80\x93", "\xE2\x80\x94"})
    if (s.substr(0, m.size()) == m) return true;
  size_t i = 0;
  while (i < s.size() && i < 3 && s[i] >= '0' && s[i] <= '9') ++i;
  return i > 0 && i + 1 < s.size() && (s[i] == '.' || s[i] == ')') && s[i + 1] == ' ';
}

}  // namespace

namespace {

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

// A terminal that ends a sentence when a space follows it (':' and ';' do
// not; they only keep a pending sentence end alive).
bool EndsSentenceBeforeSpace(uint32_t cp) {
  return IsTerminalCodePoint(cp) && cp != ':' && cp != ';';
}

// U+0080..U+07FF (2-byte UTF-8), indexed by the sequence's 11 payload bits:
// word character?, capital?, and the UTF-8 bytes of its lower-case form
// (first byte in the low half).
struct TwoByteTable {
  struct Entry {
    uint16_t lower = 0;
    bool word = false, upper = false;
  };
  Entry e[2048] = {};
  constexpr TwoByteTable() {
    for (uint32_t cp = 0x80; cp < 0x800; ++cp) {
      const uint32_t l = LowerCodePoint(cp);  // stays below U+0800
      e[cp].lower = static_cast<uint16_t>((0xC0 | (l >> 6)) | ((0x80 | (l & 0x3F)) << 8));
      e[cp].word = IsWordCodePoint(cp);
      e[cp].upper = IsUpperCodePoint(cp);
    }
  }
  const Entry& At(const unsigned char* q) const { return e[((q[0] & 0x1F) << 6) | (q[1] & 0x3F)]; }
};
constexpr TwoByteTable kTwoByte;

// The first len bytes of a 16-byte word, as masks for its two halves.
struct WordMask {
  uint64_t lo = 0, hi = 0;
};
struct WordMasks {
  WordMask m[Lexicon::kShortBytes + 1] = {};
  constexpr WordMasks() {
    for (size_t len = 1; len <= Lexicon::kShortBytes; ++len) {
      m[len].lo = len >= 8 ? ~0ull : (1ull << (8 * len)) - 1;
      m[len].hi = len <= 8 ? 0 : len >= 16 ? ~0ull : (1ull << (8 * (len - 8))) - 1;
    }
  }
};
constexpr WordMasks kWordMasks;
constexpr uint64_t kHighBits = 0x8080808080808080ull;
constexpr uint64_t kCaseBits = 0x2020202020202020ull;  // lower-cases ASCII letters, keeps digits

inline uint64_t Load8(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

inline uint32_t PopCount(uint64_t x) {
#if defined(__x86_64__) && !defined(__POPCNT__)
  // Not in baseline x86-64, and the builtin would call libgcc.
  x -= (x >> 1) & 0x5555555555555555ull;
  x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
  return static_cast<uint32_t>((x * 0x0101010101010101ull) >> 56);
#else
  return static_cast<uint32_t>(__builtin_popcountll(x));
#endif
}

// Stop words per language for one line: sixteen 16-bit counters (wrapping
// as LineFeatures' do), one step per looked-up word whatever its mask.
class LangCounts {
 public:
#ifdef __SSE2__
  void Add(LangMask m) {
    const __m128i v = _mm_set1_epi16(static_cast<short>(m));
    const __m128i lo = _mm_setr_epi16(1, 2, 4, 8, 16, 32, 64, 128);
    const __m128i hi = _mm_setr_epi16(256, 512, 1024, 2048, 4096, 8192, 16384, -32768);
    lo_ = _mm_sub_epi16(lo_, _mm_cmpeq_epi16(_mm_and_si128(v, lo), lo));
    hi_ = _mm_sub_epi16(hi_, _mm_cmpeq_epi16(_mm_and_si128(v, hi), hi));
  }
  void Store(std::array<uint16_t, kMaxLanguages>* out) const {
    static_assert(kMaxLanguages == 16);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out->data()), lo_);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out->data() + 8), hi_);
  }

 private:
  __m128i lo_ = _mm_setzero_si128(), hi_ = _mm_setzero_si128();
#else
  void Add(LangMask m) {
    for (; m; m &= m - 1) ++c_[__builtin_ctz(m)];
  }
  void Store(std::array<uint16_t, kMaxLanguages>* out) const { *out = c_; }

 private:
  std::array<uint16_t, kMaxLanguages> c_{};
#endif
};

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
      const uint16_t l = kTwoByte.At(reinterpret_cast<const unsigned char*>(w + i)).lower;
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

size_t CountCodePoints(const char* w, size_t len) {
  size_t cps = 0;
  for (size_t i = 0; i < len; ++i) cps += (static_cast<unsigned char>(w[i]) & 0xC0) != 0x80;
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

// The sentence state machine from just after a terminal code point `last`
// (at s[j]): spaces arm it when the last code point other than a space or
// U+00A0 (or the one before it, when that is a closing quote) ends a
// sentence; quotes and terminals keep it armed; U+00A0 disarms it; a
// capital starting a word while armed is a sentence break. Stops at the
// first word character or at another character after which nothing can
// arm it before the next terminal; *stop = that position.
bool BreakAfter(std::string_view s, size_t j, uint32_t last, size_t* stop) {
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

}  // namespace

FeatureExtractor::FeatureExtractor(const Lexicon& lexicon)
    : lexicon_(lexicon), max_word_(std::min(lexicon.max_word_bytes(), kMaxWordBytes)) {}

void FeatureExtractor::ComputeLine(const char* p, size_t n, LineFeatures* f) {
  *f = LineFeatures();
  if (n == 0) return;
  const std::string_view s(p, n);
  f->list_marker = StartsWithListMarker(s);
  {
    size_t at;
    const uint32_t last = LastVisible(s, n, &at);
    f->terminal = IsTerminalCodePoint(last) ||
                  (IsClosingQuote(last) && IsTerminalCodePoint(LastVisible(s, at, &at)));
  }
  // Counters live in locals (registers) while the line is read.
  uint32_t words = 0, letters = 0, uppers = 0, digits = 0, cap_words = 0, long_words = 0,
           continuation = 0;
  LangCounts langs;
  const size_t max_word = max_word_;
  // One word, [b, e): counted, and looked up when it is short enough. A
  // pure-ASCII word is lower-cased and keyed straight from the line.
  auto word = [&](size_t b, size_t e, uint32_t cap) __attribute__((always_inline)) {
    const size_t len = e - b;
    ++words;
    cap_words += cap;
    if (len <= Lexicon::kShortBytes) {
      const WordMask& m = kWordMasks.m[len];
      const uint64_t lo = Load8(p + b) & m.lo, hi = Load8(p + b + 8) & m.hi;
      if (((lo | hi) & kHighBits) == 0) {
        long_words += len >= 4;
        if (len <= max_word)
          langs.Add(lexicon_.LookupShort(lo | (kCaseBits & m.lo), hi | (kCaseBits & m.hi)));
        return;
      }
    }
    size_t cps;
    if (len <= max_word) {
      std::memset(lower_, 0, Lexicon::kShortBytes);
      cps = LowerWord(p + b, len, lower_);
      langs.Add(len <= Lexicon::kShortBytes
                    ? lexicon_.LookupShort(Load8(lower_), Load8(lower_ + 8))
                    : lexicon_.Lookup(std::string_view(lower_, len)));
    } else {
      cps = len > 12 ? 4 : CountCodePoints(p + b, len);  // 13+ bytes: 4+ code points
    }
    long_words += cps >= 4;
  };
  bool in_word = false;      // a word runs on from an earlier chunk
  size_t word_begin = 0;     // ... starting here
  uint32_t word_cap = 0;     // ... with a capital
  uint64_t carry = 0;        // the last byte of the previous chunk is part of a word
  bool sentence_break = false;
  size_t next_stop = 0;      // sentence punctuation before this was already followed
  for (size_t base = 0; base < n; base += 64) {
    const size_t valid = n - base < 64 ? n - base : 64;
    uint64_t wordm = 0, upper = 0, digit = 0, stop = 0, high = 0, cont = 0;
    for (size_t b = 0; b < valid; b += 16) {
      const ByteMasks16 m = ClassifyBlock16(p + base + b);
      wordm |= uint64_t{m.word} << b;
      upper |= uint64_t{m.upper} << b;
      digit |= uint64_t{m.digit} << b;
      stop |= uint64_t{m.stop} << b;
      high |= uint64_t{m.high} << b;
      cont |= uint64_t{m.cont} << b;
    }
    const uint64_t in_line = valid == 64 ? ~0ull : (1ull << valid) - 1;
    wordm &= in_line;
    upper &= in_line;
    digit &= in_line;
    stop &= in_line;
    letters += PopCount(wordm & ~digit);
    digits += PopCount(digit);
    uppers += PopCount(upper);
    if (high &= in_line) {
      // Each non-ASCII code point by its first byte; then its continuation
      // bytes take its word bit.
      cont &= in_line;
      for (uint64_t lead = high & ~cont; lead; lead &= lead - 1) {
        const int k = __builtin_ctzll(lead);
        const unsigned char* q = reinterpret_cast<const unsigned char*>(p + base + k);
        bool is_word, is_upper, is_stop = false;
        size_t len = 2;
        if (q[0] < 0xE0) {
          const TwoByteTable::Entry& e = kTwoByte.At(q);
          is_word = e.word;
          is_upper = e.upper;
        } else {
          const uint32_t cp = DecodeAt(s, base + k, &len);
          is_word = IsWordCodePoint(cp);
          is_upper = IsUpperCodePoint(cp);
          is_stop = IsTerminalCodePoint(cp);
        }
        is_upper &= is_word;
        wordm |= uint64_t{is_word} << k;
        upper |= uint64_t{is_upper} << k;
        stop |= uint64_t{is_stop} << k;
        letters += is_word;
        uppers += is_upper;
        continuation += static_cast<uint32_t>(len - 1);
      }
      for (int step = 0; step < 3; ++step) wordm |= ((wordm << 1) | carry) & cont;
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
    // non-word byte after a word byte.
    const uint64_t before = (wordm << 1) | carry;
    uint64_t starts = wordm & ~before, ends = ~wordm & before & in_line;
    carry = wordm >> 63;
    if (in_word && ends) {
      word(word_begin, base + static_cast<size_t>(__builtin_ctzll(ends)), word_cap);
      ends &= ends - 1;
      in_word = false;
    }
    for (; starts; starts &= starts - 1) {
      const int k = __builtin_ctzll(starts);
      const uint32_t cap = static_cast<uint32_t>(upper >> k) & 1;
      if (!ends) {
        in_word = true;
        word_begin = base + static_cast<size_t>(k);
        word_cap = cap;
        break;
      }
      word(base + static_cast<size_t>(k), base + static_cast<size_t>(__builtin_ctzll(ends)), cap);
      ends &= ends - 1;
    }
  }
  if (in_word) word(word_begin, n, word_cap);
  auto u16 = [](uint32_t v) { return static_cast<uint16_t>(v); };
  f->chars = static_cast<uint32_t>(n) - continuation;
  f->words = u16(words);
  f->letters = u16(letters);
  f->uppers = u16(uppers);
  f->digits = u16(digits);
  f->cap_words = u16(cap_words);
  f->long_words = u16(long_words);
  f->has_sentence_break = sentence_break;
  langs.Store(&f->stop_by_lang);
}

void FeatureExtractor::CountRepeats(const Page& page, PageFeatures* out) {
  size_t n = page.lines.size();
  size_t cap = 16;
  while (cap < n * 2) cap <<= 1;
  slots_.assign(cap, UINT32_MAX);
  for (size_t i = 0; i < n; ++i) {
    if (page.lines[i].blank()) continue;
    std::string_view l = page.line(i);
    size_t h = FastHash(l) & (cap - 1);
    while (true) {
      uint32_t s = slots_[h];
      if (s == UINT32_MAX) {
        slots_[h] = static_cast<uint32_t>(i);
        break;
      }
      if (page.line(s) == l) {
        ++out->lines[s].repeats;
        // Keep the count on the first occurrence; copy it below.
        out->lines[i].repeats = 0;
        break;
      }
      h = (h + 1) & (cap - 1);
    }
  }
  // Second pass: every occurrence gets the total.
  for (size_t i = 0; i < n; ++i) {
    if (page.lines[i].blank() || out->lines[i].repeats != 0) continue;
    std::string_view l = page.line(i);
    size_t h = FastHash(l) & (cap - 1);
    while (page.line(slots_[h]) != l) h = (h + 1) & (cap - 1);
    out->lines[i].repeats = out->lines[slots_[h]].repeats;
  }
}

void FeatureExtractor::Compute(const Page& page, PageFeatures* out) {
  out->lines.resize(page.lines.size());
  std::array<uint32_t, kMaxLanguages> per_lang{};
  out->words = 0;
  const size_t text_size = page.text.size();
  for (size_t i = 0; i < page.lines.size(); ++i) {
    const LineSpan& span = page.lines[i];
    const char* p = page.text.data() + span.begin;
    const size_t n = span.end - span.begin;
    if (span.end + kSlack > text_size) {  // the page's last line(s)
      tail_.assign(p, n);
      tail_.append(kSlack, '\0');
      p = tail_.data();
    }
    ComputeLine(p, n, &out->lines[i]);
    out->words += out->lines[i].words;
    for (int l = 0; l < kMaxLanguages; ++l) per_lang[l] += out->lines[i].stop_by_lang[l];
  }
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
  for (auto& f : out->lines) f.stop_words = out->language >= 0 ? f.stop_by_lang[out->language] : 0;
  CountRepeats(page, out);
}

}  // namespace clean

#include "cleaner/features.h"

#include <algorithm>

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

// Per-ASCII-byte classes, so the common case needs one table load.
enum : uint8_t { kWord = 1, kUpper = 2, kDigit = 4, kTerminal = 8, kQuote = 16 };

struct AsciiTable {
  uint8_t c[128] = {};
  constexpr AsciiTable() {
    for (int i = 0; i < 128; ++i) {
      if ((i >= 'a' && i <= 'z') || (i >= 'A' && i <= 'Z') || (i >= '0' && i <= '9')) c[i] |= kWord;
      if (i >= 'A' && i <= 'Z') c[i] |= kUpper;
      if (i >= '0' && i <= '9') c[i] |= kDigit;
    }
    for (char t : {'.', '!', '?', ':', ';'}) c[static_cast<int>(t)] |= kTerminal;
    for (char q : {'"', '\'', ')'}) c[static_cast<int>(q)] |= kQuote;
  }
};
constexpr AsciiTable kAscii;

// Decodes the code point at s[i] of text known to be valid UTF-8 (the
// page's text is repaired when read); anything else reads as U+FFFD.
inline uint32_t DecodeAt(std::string_view s, size_t i, size_t* len) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (n == 0 || n > 4 || i + n > s.size()) {
    *len = 1;
    return 0xFFFD;
  }
  *len = n;
  uint32_t cp = c & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  return cp;
}

inline size_t EncodeTo(uint32_t cp, char* out) {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

}  // namespace

void FeatureExtractor::ComputeLine(std::string_view s, LineFeatures* f) {
  *f = LineFeatures();
  if (s.empty()) return;
  f->list_marker = StartsWithListMarker(s);
  const size_t max_word = std::min(lexicon_.max_word_bytes(), kMaxWordBytes);
  // Counters live in locals (registers) while the line is read; the word
  // buffer is char, which may alias anything the struct holds.
  uint32_t chars = 0, words = 0, letters = 0, uppers = 0, digits = 0, cap_words = 0,
           long_words = 0;
  // The current word: where it starts, its length in code points, and its
  // lower-cased bytes, built as it is read (only while it can still be a
  // stop word).
  size_t word_start = 0, word_len_cp = 0, lower_len = 0;
  char* const low = lower_;
  bool in_word = false;
  uint32_t last_cp = 0, prev_cp = 0;
  bool after_terminal = false;  // saw ". " and waiting for a capital
  auto end_word = [&](size_t end) __attribute__((always_inline)) {
    in_word = false;
    ++words;
    long_words += word_len_cp >= 4;
    if (end - word_start <= max_word) {
      LangMask m = lexicon_.LookupPadded(low, lower_len);
      while (m) {
        ++f->stop_by_lang[__builtin_ctz(m)];
        m &= m - 1;
      }
    }
  };
  const size_t n = s.size();
  for (size_t i = 0; i < n;) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (in_word && c < 0x80 && (kAscii.c[c] & kWord)) {
      // The hot path: the rest of an ASCII word, in a tight loop.
      const size_t room = word_start + max_word;  // bytes before this are lowered
      const size_t from = i;
      const uint32_t before = last_cp;
      uint32_t run_digits = 0, run_uppers = 0;
      while (true) {
        uint8_t k = kAscii.c[c];
        run_digits += (k & kDigit) != 0;
        run_uppers += (k & kUpper) != 0;
        if (i < room) low[lower_len++] = static_cast<char>((k & kUpper) ? c + 32 : c);
        if (++i == n) break;
        c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80 || !(kAscii.c[c] & kWord)) break;
      }
      uint32_t run = static_cast<uint32_t>(i - from);
      digits += run_digits;
      letters += run - run_digits;
      uppers += run_uppers;
      chars += run;
      word_len_cp += run;
      // Word characters are never ' ' or U+00A0: each shifts last_cp.
      last_cp = static_cast<unsigned char>(s[i - 1]);
      prev_cp = run >= 2 ? static_cast<unsigned char>(s[i - 2]) : before;
      continue;
    }
    uint32_t cp;
    size_t len;
    bool word, upper, digit, terminal, quote;
    if (c < 0x80) {
      cp = c;
      len = 1;
      uint8_t k = kAscii.c[c];
      word = k & kWord;
      upper = k & kUpper;
      digit = k & kDigit;
      terminal = k & kTerminal;
      quote = k & kQuote;
    } else {
      cp = DecodeAt(s, i, &len);
      word = IsWordCodePoint(cp);
      upper = IsUpperCodePoint(cp);
      digit = false;
      terminal = IsTerminalCodePoint(cp);
      quote = IsClosingQuote(cp);
    }
    ++chars;
    if (word) {
      if (!in_word) {
        in_word = true;
        word_start = i;
        word_len_cp = 0;
        lower_len = 0;
        cap_words += upper;
        if (after_terminal && upper) f->has_sentence_break = true;
      }
      after_terminal = false;
      ++word_len_cp;
      if (i + len - word_start <= max_word) {
        lower_len += c < 0x80 ? (low[lower_len] = static_cast<char>(upper ? c + 32 : c), 1)
                              : EncodeTo(LowerCodePoint(cp), low + lower_len);
      }
      if (digit) {
        ++digits;
      } else {
        ++letters;
        uppers += upper;
      }
    } else {
      if (in_word) end_word(i);
      if (cp == ' ') {
        uint32_t t = IsClosingQuote(last_cp) ? prev_cp : last_cp;  // `."` ends a sentence too
        if (IsTerminalCodePoint(t) && t != ':' && t != ';') after_terminal = true;
      } else if (!quote) {
        after_terminal = terminal ? after_terminal : false;
      }
    }
    if (cp != ' ' && cp != 0xA0) {
      prev_cp = last_cp;
      last_cp = cp;
    }
    i += len;
  }
  if (in_word) end_word(n);
  auto u16 = [](uint32_t v) { return static_cast<uint16_t>(v); };
  f->chars = chars;
  f->words = u16(words);
  f->letters = u16(letters);
  f->uppers = u16(uppers);
  f->digits = u16(digits);
  f->cap_words = u16(cap_words);
  f->long_words = u16(long_words);
  f->terminal = IsTerminalCodePoint(last_cp) ||
                (IsClosingQuote(last_cp) && IsTerminalCodePoint(prev_cp));
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
  for (size_t i = 0; i < page.lines.size(); ++i) {
    ComputeLine(page.line(i), &out->lines[i]);
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

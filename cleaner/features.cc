#include "cleaner/features.h"

#include <algorithm>

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

uint64_t HashBytes(std::string_view s) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

}  // namespace

void FeatureExtractor::ComputeLine(std::string_view s, LineFeatures* f) {
  *f = LineFeatures();
  if (s.empty()) return;
  f->list_marker = StartsWithListMarker(s);
  const size_t max_word = lexicon_.max_word_bytes();
  size_t word_start = 0, word_len_cp = 0;
  bool in_word = false;
  uint32_t last_cp = 0, prev_cp = 0;
  bool after_terminal = false;  // saw ". " and waiting for a capital
  auto end_word = [&](size_t end) {
    if (!in_word) return;
    in_word = false;
    ++f->words;
    if (word_len_cp >= 4) ++f->long_words;
    size_t bytes = end - word_start;
    if (bytes <= max_word) {
      Utf8Lower(s.substr(word_start, bytes), &word_);
      LangMask m = lexicon_.Lookup(word_);
      while (m) {
        int li = __builtin_ctz(m);
        ++f->stop_by_lang[li];
        m &= m - 1;
      }
    }
  };
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    uint32_t cp;
    size_t len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else {
      len = Utf8SequenceLength(s, i);
      if (len == 0) len = 1;  // cannot happen on repaired text; be safe
      cp = len > 1 ? Utf8Decode(s, i, len) : 0xFFFD;
    }
    ++f->chars;
    if (IsWordCodePoint(cp)) {
      if (!in_word) {
        in_word = true;
        word_start = i;
        word_len_cp = 0;
        bool upper = IsUpperCodePoint(cp);
        if (upper) ++f->cap_words;
        if (after_terminal && upper) f->has_sentence_break = true;
      }
      after_terminal = false;
      ++word_len_cp;
      if (cp >= '0' && cp <= '9') {
        ++f->digits;
      } else {
        ++f->letters;
        if (IsUpperCodePoint(cp)) ++f->uppers;
      }
    } else {
      end_word(i);
      if (cp == ' ') {
        uint32_t t = IsClosingQuote(last_cp) ? prev_cp : last_cp;  // `."` ends a sentence too
        if (IsTerminalCodePoint(t) && t != ':' && t != ';') after_terminal = true;
      } else if (!IsClosingQuote(cp)) {
        after_terminal = IsTerminalCodePoint(cp) ? after_terminal : false;
      }
    }
    if (cp != ' ' && cp != 0xA0) {
      prev_cp = last_cp;
      last_cp = cp;
    }
    i += len;
  }
  end_word(s.size());
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
    size_t h = HashBytes(l) & (cap - 1);
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
    size_t h = HashBytes(l) & (cap - 1);
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

// Small UTF-8 and whitespace helpers shared by the reader and the features.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace clean {

inline bool IsAsciiSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

// Trims ASCII whitespace on both sides.
std::string_view TrimAscii(std::string_view s);

// A lone CR (one not followed by '\n') ends a line as '\n' does; "\r\n" is
// one line end. When `s` has a lone CR, writes `s` with each lone CR
// replaced by '\n' to *out (same length, same code point offsets) and
// returns true; otherwise returns false and leaves *out alone.
bool ReplaceLoneCr(std::string_view s, std::string* out);

// Length of the valid UTF-8 sequence at s[i], or 0 when it is not valid
// (overlong, surrogate, truncated, > U+10FFFF). Inline: the JSON scanner
// and the page reader call it once per non-ASCII character.
inline size_t Utf8SequenceLength(std::string_view s, size_t i) {
  auto u = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = u(i);
  if (c < 0x80) return 1;
  size_t n = s.size() - i;
  auto cont = [&](size_t k) { return (u(k) & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return n >= 2 && cont(i + 1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (n < 3 || !cont(i + 1) || !cont(i + 2)) return 0;
    if (c == 0xE0 && u(i + 1) < 0xA0) return 0;   // overlong
    if (c == 0xED && u(i + 1) >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (n < 4 || !cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return 0;
    if (c == 0xF0 && u(i + 1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && u(i + 1) >= 0x90) return 0;  // > U+10FFFF
    return 4;
  }
  return 0;
}

// Decodes the valid sequence of `len` bytes at s[i].
uint32_t Utf8Decode(std::string_view s, size_t i, size_t len);

// Writes the UTF-8 encoding of cp (1 to 4 bytes) at p; returns the end.
inline char* Utf8Write(uint32_t cp, char* p) {
  auto b = [](uint32_t v) { return static_cast<char>(v); };
  if (cp < 0x80) {
    *p++ = b(cp);
  } else if (cp < 0x800) {
    *p++ = b(0xC0 | (cp >> 6));
    *p++ = b(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *p++ = b(0xE0 | (cp >> 12));
    *p++ = b(0x80 | ((cp >> 6) & 0x3F));
    *p++ = b(0x80 | (cp & 0x3F));
  } else {
    *p++ = b(0xF0 | (cp >> 18));
    *p++ = b(0x80 | ((cp >> 12) & 0x3F));
    *p++ = b(0x80 | ((cp >> 6) & 0x3F));
    *p++ = b(0x80 | (cp & 0x3F));
  }
  return p;
}

// Appends the UTF-8 encoding of cp.
void Utf8Append(uint32_t cp, std::string* out);

// Simple lower-casing of one code point: ASCII, Latin-1, Latin Extended-A,
// Greek and Cyrillic capitals (enough for the stop-word languages). Inline
// and constexpr: the features build their 2-byte UTF-8 table from these.
constexpr uint32_t LowerCodePoint(uint32_t cp) {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;     // Latin-1
  if (cp >= 0x100 && cp <= 0x137) return cp | 1;                  // Latin Ext-A
  if (cp >= 0x139 && cp <= 0x148) return (cp & 1) ? cp + 1 : cp;  //   (odd upper)
  if (cp >= 0x14A && cp <= 0x177) return cp | 1;
  if (cp == 0x178) return 0xFF;
  if (cp >= 0x179 && cp <= 0x17E) return (cp & 1) ? cp + 1 : cp;
  if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) return cp + 32;  // Greek
  if (cp >= 0x410 && cp <= 0x42F) return cp + 32;                 // Cyrillic
  if (cp >= 0x400 && cp <= 0x40F) return cp + 80;
  if (cp >= 0x460 && cp <= 0x4FF && !(cp >= 0x482 && cp <= 0x489)) return cp | 1;
  return cp;
}

// True when LowerCodePoint changes cp.
constexpr bool IsUpperCodePoint(uint32_t cp) { return LowerCodePoint(cp) != cp; }

// True for letters of the scripts LowerCodePoint knows, and for any code
// point of other scripts above U+00FF that is not punctuation or a symbol
// block we know (a cheap, script-agnostic "is word character").
constexpr bool IsWordCodePoint(uint32_t cp) {
  if (cp < 0x80)
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
  if (cp < 0xC0) return cp == 0xAA || cp == 0xB5 || cp == 0xBA;  // Latin-1 punctuation
  if (cp == 0xD7 || cp == 0xF7) return false;
  if (cp >= 0x2000 && cp <= 0x2BFF) return false;  // punctuation, symbols, arrows
  if (cp >= 0x3000 && cp <= 0x303F) return false;  // CJK punctuation
  if (cp >= 0xFE30 && cp <= 0xFE4F) return false;
  if (cp >= 0xFF00 && cp <= 0xFF0F) return false;
  if (cp >= 0x1F000) return false;  // emoji and pictographs
  return true;
}

// Lower-cases valid UTF-8 `s` into *out (cleared first; capacity reused).
void Utf8Lower(std::string_view s, std::string* out);

// Appends `s` to *out, replacing each invalid UTF-8 sequence by U+FFFD;
// returns how many were replaced.
size_t AppendRepaired(std::string_view s, std::string* out);

}  // namespace clean

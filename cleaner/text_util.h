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

// Length of the valid UTF-8 sequence at s[i], or 0 when it is not valid
// (overlong, surrogate, truncated, > U+10FFFF).
size_t Utf8SequenceLength(std::string_view s, size_t i);

// Decodes the valid sequence of `len` bytes at s[i].
uint32_t Utf8Decode(std::string_view s, size_t i, size_t len);

// Appends the UTF-8 encoding of cp.
void Utf8Append(uint32_t cp, std::string* out);

// Simple lower-casing of one code point: ASCII, Latin-1, Latin Extended-A,
// Greek and Cyrillic capitals (enough for the stop-word languages).
uint32_t LowerCodePoint(uint32_t cp);
// True when LowerCodePoint changes cp.
inline bool IsUpperCodePoint(uint32_t cp) { return LowerCodePoint(cp) != cp; }
// True for letters of the scripts LowerCodePoint knows, and for any code
// point of other scripts above U+00FF that is not punctuation or a symbol
// block we know (a cheap, script-agnostic "is word character").
bool IsWordCodePoint(uint32_t cp);

// Lower-cases valid UTF-8 `s` into *out (cleared first; capacity reused).
void Utf8Lower(std::string_view s, std::string* out);

// Appends `s` to *out, replacing each invalid UTF-8 sequence by U+FFFD;
// returns how many were replaced.
size_t AppendRepaired(std::string_view s, std::string* out);

}  // namespace clean

#include "cleaner/text_util.h"

#include "cleaner/swar.h"

namespace clean {

std::string_view TrimAscii(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && IsAsciiSpace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && IsAsciiSpace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

size_t Utf8SequenceLength(std::string_view s, size_t i) {
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

uint32_t Utf8Decode(std::string_view s, size_t i, size_t len) {
  auto u = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(s[k])); };
  switch (len) {
    case 1: return u(i);
    case 2: return ((u(i) & 0x1F) << 6) | (u(i + 1) & 0x3F);
    case 3: return ((u(i) & 0x0F) << 12) | ((u(i + 1) & 0x3F) << 6) | (u(i + 2) & 0x3F);
    default:
      return ((u(i) & 0x07) << 18) | ((u(i + 1) & 0x3F) << 12) | ((u(i + 2) & 0x3F) << 6) |
             (u(i + 3) & 0x3F);
  }
}

void Utf8Append(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

void Utf8Lower(std::string_view s, std::string* out) {
  out->clear();
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out->push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : static_cast<char>(c));
      ++i;
      continue;
    }
    size_t len = Utf8SequenceLength(s, i);
    if (len == 0) {  // not expected (input is repaired), keep the byte
      out->push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    Utf8Append(LowerCodePoint(Utf8Decode(s, i, len)), out);
    i += len;
  }
}

// Appends `s` to *out, replacing each invalid UTF-8 sequence by U+FFFD.
size_t AppendRepaired(std::string_view s, std::string* out) {
  size_t bad = 0, i = 0, run = 0;
  while (i < s.size()) {
    if (i + 8 <= s.size() && !swar::AnyHigh(swar::Load8(s.data() + i))) {
      i += 8;  // eight ASCII bytes
      continue;
    }
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t len = Utf8SequenceLength(s, i);
    if (len) {
      i += len;
      continue;
    }
    out->append(s.substr(run, i - run));
    out->append("\xEF\xBF\xBD");
    ++bad;
    ++i;
    run = i;
  }
  out->append(s.substr(run));
  return bad;
}

}  // namespace clean

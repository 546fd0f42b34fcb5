#include "cleaner/base/text_util.h"

#include <cstring>

#include "cleaner/base/byte_scan.h"

namespace clean {

std::string_view TrimAscii(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && IsAsciiSpace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && IsAsciiSpace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

bool ReplaceLoneCr(std::string_view s, std::string* out) {
  auto lone = [&](size_t from) {
    while (from < s.size()) {
      const void* cr = std::memchr(s.data() + from, '\r', s.size() - from);
      if (!cr) return s.size();
      size_t at = static_cast<const char*>(cr) - s.data();
      if (at + 1 == s.size() || s[at + 1] != '\n') return at;
      from = at + 2;
    }
    return s.size();
  };
  size_t at = lone(0);
  if (at == s.size()) return false;
  out->assign(s);
  for (; at < s.size(); at = lone(at + 1)) (*out)[at] = '\n';
  return true;
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
  char buf[4];
  out->append(buf, static_cast<size_t>(Utf8Write(cp, buf) - buf));
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

size_t AppendRepaired(std::string_view s, std::string* out) {
  constexpr auto FindNonAscii = byte_scan::Find<byte_scan::NonAscii>;
  const size_t n = s.size();
  size_t bad = 0, run = 0, i = 0;
  while ((i = FindNonAscii(s.data(), i, n)) < n) {
    do {  // a run of non-ASCII characters
      size_t len = Utf8SequenceLength(s, i);
      if (len) {
        i += len;
        continue;
      }
      out->append(s.data() + run, i - run);
      out->append("\xEF\xBF\xBD", 3);
      ++bad;
      run = ++i;
    } while (i < n && static_cast<unsigned char>(s[i]) >= 0x80);
  }
  out->append(s.data() + run, n - run);
  return bad;
}

}  // namespace clean

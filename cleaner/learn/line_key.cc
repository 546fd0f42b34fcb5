#include "cleaner/learn/line_key.h"

#include <array>
#include <functional>

namespace clean {

namespace {

constexpr char kDigits = '\x01';
constexpr char kMonth = '\x02';
constexpr char kWeekday = '\x03';

bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool In(const std::vector<std::string>& words, std::string_view w) {
  for (std::string_view x : words)
    if (x[0] == w[0] && x.size() == w.size() && x == w) return true;
  return false;
}

// Byte kinds for the key scan.
enum : uint8_t { kPlain, kDigit, kLetter, kControl };
constexpr std::array<uint8_t, 256> MakeKinds() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = kControl;
  t['\t'] = kPlain;
  for (int c = '0'; c <= '9'; ++c) t[c] = kDigit;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = kLetter;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = kLetter;
  return t;
}
constexpr std::array<uint8_t, 256> kKinds = MakeKinds();
inline uint8_t Kind(char c) { return kKinds[static_cast<unsigned char>(c)]; }

void AppendAlternation(const std::vector<std::string>& words, std::string* out) {
  out->append("(?:");
  for (size_t i = 0; i < words.size(); ++i) {
    if (i) out->push_back('|');
    out->append(words[i]);
  }
  out->push_back(')');
}

}  // namespace

bool MakeLineKey(std::string_view line, const DateWords& dates, std::string* key, bool* marked) {
  key->clear();
  if (marked) *marked = false;
  if (line.empty()) return false;
  size_t i = 0, plain = 0;  // [plain, i): bytes to copy as they are
  auto flush = [&] { key->append(line.substr(plain, i - plain)); };
  auto marker = [&](char m, size_t end) {
    flush();
    key->push_back(m);
    if (marked) *marked = true;
    i = plain = end;
  };
  const size_t n = line.size();
  while (i < n) {
    const char c = line[i];
    const uint8_t kind = Kind(c);
    if (kind == kPlain) {
      ++i;
      continue;
    }
    if (kind == kControl) return false;
    if (kind == kDigit) {
      size_t j = i;
      while (j < n && Kind(line[j]) == kDigit) ++j;
      marker(kDigits, j);
      continue;
    }
    {
      size_t j = i;
      while (j < n && Kind(line[j]) == kLetter) ++j;
      std::string_view w = line.substr(i, j - i);
      if (!dates.first[static_cast<unsigned char>(c)]) {
        i = j;
        continue;
      }
      if (In(dates.months, w)) {
        marker(kMonth, j);
        continue;
      }
      if (In(dates.weekdays, w)) {
        marker(kWeekday, j);
        continue;
      }
      i = j;
    }
  }
  flush();
  return true;
}

bool KeyHasMarker(std::string_view key) {
  for (char c : key)
    if (c == kDigits || c == kMonth || c == kWeekday) return true;
  return false;
}

uint64_t LineHash(std::string_view s) { return std::hash<std::string_view>()(s); }

std::string KeyRegex(std::string_view key, const DateWords& dates) {
  std::string out = "^";
  for (char c : key) {
    if (c == kDigits)
      out.append("\\d+");
    else if (c == kMonth)
      AppendAlternation(dates.months, &out);
    else if (c == kWeekday)
      AppendAlternation(dates.weekdays, &out);
    else if (static_cast<unsigned char>(c) < 0x80 && !IsLetter(c) && !IsDigit(c) && c != ' ' &&
             c != '\t') {
      out.push_back('\\');  // PCRE2: a backslash before ASCII punctuation is the literal
      out.push_back(c);
    } else if (c == '\t') {
      out.append("\\t");
    } else {
      out.push_back(c);
    }
  }
  out.push_back('$');
  return out;
}

std::string QuoteExact(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace clean

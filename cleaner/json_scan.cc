#include "cleaner/json_scan.h"

#include <array>
#include <cstdint>
#include <cstring>

#include "cleaner/byte_scan.h"
#include "cleaner/text_util.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace clean {

std::string_view JsonTypeName(JsonType t) {
  switch (t) {
    case JsonType::kString: return "a string";
    case JsonType::kNumber: return "a number";
    case JsonType::kObject: return "an object";
    case JsonType::kArray: return "an array";
    case JsonType::kTrue:
    case JsonType::kFalse: return "a boolean";
    case JsonType::kNull: return "null";
  }
  return "?";
}

namespace {

// The value of a hex digit, or -1 (a table: \u escapes are many in JSON
// written with only ASCII).
constexpr std::array<int8_t, 256> kHexValue = [] {
  std::array<int8_t, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[c] = static_cast<int8_t>(c >= '0' && c <= '9'   ? c - '0'
                               : c >= 'a' && c <= 'f' ? c - 'a' + 10
                               : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                      : -1);
  return t;
}();

int HexValue(char c) { return kHexValue[static_cast<unsigned char>(c)]; }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A recursive-descent validator over one line; positions are byte offsets.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  bool Fail(size_t at, std::string_view what) {
    if (error_.empty()) error_ = "column " + std::to_string(at + 1) + ": " + std::string(what);
    return false;
  }
  const std::string& error() const { return error_; }

  void SkipSpace() {
    while (p_ < s_.size() &&
           (s_[p_] == ' ' || s_[p_] == '\t' || s_[p_] == '\r' || s_[p_] == '\n'))
      ++p_;
  }

  bool String(bool* escaped) {
    // At the opening quote.
    ++p_;
    const char* s = s_.data();
    const size_t n = s_.size();
    while (true) {
      p_ = byte_scan::Find<byte_scan::JsonStringStop>(s, p_, n);  // over plain ASCII
      if (p_ >= n) return Fail(p_, "unterminated string");
      unsigned char c = static_cast<unsigned char>(s[p_]);
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c >= 0x80) {
        do {  // a run of non-ASCII characters
          size_t len = Utf8SequenceLength(s_, p_);
          if (!len) return Fail(p_, "invalid UTF-8 in a string");
          p_ += len;
        } while (p_ < n && static_cast<unsigned char>(s[p_]) >= 0x80);
        continue;
      }
      if (c < 0x20) return Fail(p_, "control character in a string (must be escaped)");
      // A backslash escape.
      if (escaped) *escaped = true;
      if (p_ + 1 >= n) return Fail(p_, "unterminated string");
      char e = s[p_ + 1];
      switch (e) {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
          p_ += 2;
          break;
        case 'u':
          for (size_t k = 2; k < 6; ++k)
            if (p_ + k >= n || HexValue(s[p_ + k]) < 0)
              return Fail(p_, "\\u needs four hex digits");
          p_ += 6;
          break;
        default:
          return Fail(p_, "invalid escape '\\" + std::string(1, e) + "'");
      }
    }
  }

  bool Number() {
    size_t start = p_;
    if (s_[p_] == '-') ++p_;
    if (p_ >= s_.size() || !IsDigit(s_[p_])) return Fail(start, "invalid number");
    if (s_[p_] == '0') ++p_;
    else while (p_ < s_.size() && IsDigit(s_[p_])) ++p_;
    if (p_ < s_.size() && s_[p_] == '.') {
      ++p_;
      if (p_ >= s_.size() || !IsDigit(s_[p_])) return Fail(start, "invalid number");
      while (p_ < s_.size() && IsDigit(s_[p_])) ++p_;
    }
    if (p_ < s_.size() && (s_[p_] == 'e' || s_[p_] == 'E')) {
      ++p_;
      if (p_ < s_.size() && (s_[p_] == '+' || s_[p_] == '-')) ++p_;
      if (p_ >= s_.size() || !IsDigit(s_[p_])) return Fail(start, "invalid number");
      while (p_ < s_.size() && IsDigit(s_[p_])) ++p_;
    }
    return true;
  }

  bool Literal(std::string_view word) {
    if (s_.substr(p_, word.size()) != word) return Fail(p_, "unexpected character");
    p_ += word.size();
    return true;
  }

  // A value at p_ (after whitespace). Members of the top-level object are
  // recorded when `members` is not null.
  bool Value(int depth, JsonType* type) {
    if (p_ >= s_.size()) return Fail(p_, "a value is missing");
    switch (s_[p_]) {
      case '"': *type = JsonType::kString; return String(nullptr);
      case '{': *type = JsonType::kObject; return Object(depth + 1, nullptr, nullptr);
      case '[': *type = JsonType::kArray; return Array(depth + 1);
      case 't': *type = JsonType::kTrue; return Literal("true");
      case 'f': *type = JsonType::kFalse; return Literal("false");
      case 'n': *type = JsonType::kNull; return Literal("null");
      default:
        *type = JsonType::kNumber;
        if (s_[p_] == '-' || IsDigit(s_[p_])) return Number();
        return Fail(p_, "unexpected character");
    }
  }

  bool Array(int depth) {
    if (depth > kJsonMaxDepth) return Fail(p_, "nested too deeply");
    ++p_;
    SkipSpace();
    if (p_ < s_.size() && s_[p_] == ']') {
      ++p_;
      return true;
    }
    while (true) {
      SkipSpace();
      JsonType t;
      if (!Value(depth, &t)) return false;
      SkipSpace();
      if (p_ >= s_.size()) return Fail(p_, "unterminated array");
      if (s_[p_] == ']') {
        ++p_;
        return true;
      }
      if (s_[p_] != ',') return Fail(p_, "expected ',' or ']'");
      ++p_;
    }
  }

  bool Object(int depth, std::vector<JsonMember>* members, size_t* close) {
    if (depth > kJsonMaxDepth) return Fail(p_, "nested too deeply");
    ++p_;
    SkipSpace();
    if (p_ < s_.size() && s_[p_] == '}') {
      if (close) *close = p_;
      ++p_;
      return true;
    }
    while (true) {
      SkipSpace();
      if (p_ >= s_.size() || s_[p_] != '"') return Fail(p_, "expected a string key");
      JsonMember m;
      m.key_begin = p_;
      if (!String(&m.key_escaped)) return false;
      m.key_end = p_;
      SkipSpace();
      if (p_ >= s_.size() || s_[p_] != ':') return Fail(p_, "expected ':'");
      ++p_;
      SkipSpace();
      m.value_begin = p_;
      if (!Value(depth, &m.type)) return false;
      m.value_end = p_;
      if (members) members->push_back(m);
      SkipSpace();
      if (p_ >= s_.size()) return Fail(p_, "unterminated object");
      if (s_[p_] == '}') {
        if (close) *close = p_;
        ++p_;
        return true;
      }
      if (s_[p_] != ',') return Fail(p_, "expected ',' or '}'");
      ++p_;
    }
  }

  bool Top(JsonObjectScan* out) {
    SkipSpace();
    if (p_ >= s_.size()) return Fail(p_, "empty record");
    if (s_[p_] != '{') return Fail(p_, "a record must be a JSON object");
    if (!Object(1, &out->members, &out->close)) return false;
    SkipSpace();
    if (p_ != s_.size()) return Fail(p_, "text after the record's object");
    return true;
  }

 private:
  std::string_view s_;
  size_t p_ = 0;
  std::string error_;
};

}  // namespace

bool ScanJsonObject(std::string_view line, JsonObjectScan* out, std::string* error) {
  out->Clear();
  Scanner sc(line);
  if (sc.Top(out)) return true;
  *error = sc.error();
  return false;
}

namespace {

// Copies s[*i, ...) to *d up to the next backslash or the end of s, moving
// both on; the bytes between escapes. *d must have room for s.size() - *i
// bytes more and never run ahead of s: sixteen bytes are stored at a time
// while sixteen remain, then the search stops where the store need not.
inline void CopyToBackslash(std::string_view s, size_t* i, char** d) {
  const size_t n = s.size();
#ifdef __SSE2__
  while (*i + 16 <= n) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + *i));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(*d), v);
    unsigned bits =
        static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
    size_t k = bits ? static_cast<size_t>(__builtin_ctz(bits)) : 16;
    *i += k;
    *d += k;
    if (bits) return;
  }
#endif
  size_t end = byte_scan::Find<byte_scan::Backslash>(s.data(), *i, n);
  std::memcpy(*d, s.data() + *i, end - *i);
  *d += end - *i;
  *i = end;
}

}  // namespace

void DecodeJsonString(std::string_view token, std::string* out) {
  std::string_view s = token.substr(1, token.size() - 2);
  // Decoded text is never longer than its token: written in place into room
  // made first, then cut to size.
  const size_t base = out->size();
  out->resize(base + s.size());
  char* const begin = out->data() + base;
  char* d = begin;
  auto hex4 = [&](size_t at) {
    uint32_t v = 0;
    for (size_t k = 0; k < 4; ++k) v = v * 16 + static_cast<uint32_t>(HexValue(s[at + k]));
    return v;
  };
  size_t i = 0;
  while (true) {
    CopyToBackslash(s, &i, &d);
    if (i >= s.size()) break;
    char e = s[i + 1];
    i += 2;
    switch (e) {
      case 'b': *d++ = '\b'; break;
      case 'f': *d++ = '\f'; break;
      case 'n': *d++ = '\n'; break;
      case 'r': *d++ = '\r'; break;
      case 't': *d++ = '\t'; break;
      case 'u': {
        uint32_t cp = hex4(i);
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 <= s.size() && s[i] == '\\' &&
            s[i + 1] == 'u') {
          uint32_t lo = hex4(i + 2);
          if (lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
          }
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;  // a lone surrogate
        d = Utf8Write(cp, d);
        break;
      }
      default: *d++ = e; break;  // '"', '\\', '/'
    }
  }
  out->resize(base + static_cast<size_t>(d - begin));
}

const JsonMember* FindMember(std::string_view line, const JsonObjectScan& scan,
                             std::string_view key, bool* duplicate) {
  const JsonMember* found = nullptr;
  std::string decoded;
  for (const JsonMember& m : scan.members) {
    std::string_view token = line.substr(m.key_begin, m.key_end - m.key_begin);
    bool same;
    if (m.key_escaped) {
      decoded.clear();
      DecodeJsonString(token, &decoded);
      same = decoded == key;
    } else {
      same = token.substr(1, token.size() - 2) == key;
    }
    if (!same) continue;
    if (found) {
      if (duplicate) *duplicate = true;
      return found;
    }
    found = &m;
  }
  if (duplicate) *duplicate = false;
  return found;
}

}  // namespace clean

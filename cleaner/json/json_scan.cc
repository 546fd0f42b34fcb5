#include "cleaner/json/json_scan.h"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#include "cleaner/base/byte_scan.h"
#include "cleaner/base/text_util.h"

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

// A hex digit's value already in its place of a \uXXXX escape's four
// (kHexPlaced[k]: shifted left by 12 - 4k bits), or all ones for a byte
// that is no hex digit: the OR of the four lookups is the escape's value,
// or above 0xFFFF when a digit is bad. No shifts or sign tests per digit.
constexpr std::array<std::array<uint32_t, 256>, 4> kHexPlaced = [] {
  std::array<std::array<uint32_t, 256>, 4> t{};
  for (int k = 0; k < 4; ++k)
    for (int c = 0; c < 256; ++c)
      t[k][c] =
          kHexValue[c] < 0 ? ~uint32_t{0} : static_cast<uint32_t>(kHexValue[c]) << (12 - 4 * k);
  return t;
}();

// The byte a two-character escape stands for ("\n": '\n'), by its second
// character; all ones (above 0xFFFF, as a bad \u escape) for none ("\u" is
// not one).
constexpr std::array<uint32_t, 256> kShortEscape = [] {
  std::array<uint32_t, 256> t{};
  for (auto& v : t) v = ~uint32_t{0};
  t['"'] = '"';
  t['\\'] = '\\';
  t['/'] = '/';
  t['b'] = '\b';
  t['f'] = '\f';
  t['n'] = '\n';
  t['r'] = '\r';
  t['t'] = '\t';
  return t;
}();

// An escape's two readings by its second character, combined without a
// select (EscapeAt): kEscapeHexMask[e] is all ones for 'u' (the four hex
// digits' value is kept) and zero otherwise; kEscapeBase[e] is the byte a
// two-character escape stands for, zero for 'u', and all ones (above
// 0xFFFF, as a bad \u escape) for a character that starts no escape.
constexpr std::array<uint32_t, 256> kEscapeHexMask = [] {
  std::array<uint32_t, 256> t{};
  t['u'] = ~uint32_t{0};
  return t;
}();
constexpr std::array<uint32_t, 256> kEscapeBase = [] {
  std::array<uint32_t, 256> t = kShortEscape;
  t['u'] = 0;
  return t;
}();
// And its length: six for \u, else two (a load, not arithmetic on the mask).
constexpr std::array<uint32_t, 256> kEscapeLength = [] {
  std::array<uint32_t, 256> t{};
  for (auto& v : t) v = 2;
  t['u'] = 6;
  return t;
}();

// The tables of the escape decoder in one object, so that the loop over a
// block's escapes addresses all of them from one register (separate arrays
// took a register each, or an address computed again at every escape).
struct DecodeTables {
  std::array<std::array<uint32_t, 256>, 4> hex_placed;  // kHexPlaced
  std::array<uint32_t, 256> escape_hex_mask;            // kEscapeHexMask
  std::array<uint32_t, 256> escape_base;                // kEscapeBase
  std::array<uint32_t, 256> escape_length;              // kEscapeLength
};
constexpr DecodeTables kTables = {kHexPlaced, kEscapeHexMask, kEscapeBase, kEscapeLength};

// The value of the four hex digits at q, or above 0xFFFF when they are not
// four hex digits. Reads q[0, 4).
inline uint32_t Hex4At(const char* q) {
  auto placed = [&](int k) { return kTables.hex_placed[k][static_cast<unsigned char>(q[k])]; };
  return placed(0) | placed(1) | placed(2) | placed(3);
}

// Utf8Write without branches on the length: the bytes of every length
// worked out, the right ones stored as one four-byte word. Needs room for four bytes at p.
inline char* Utf8WriteFour(uint32_t cp, char* p) {
  if constexpr (std::endian::native != std::endian::little) {
    return Utf8Write(cp, p);
  } else {
    const uint32_t c1 = 0x80 | (cp & 0x3F), c2 = 0x80 | ((cp >> 6) & 0x3F),
                   c3 = 0x80 | ((cp >> 12) & 0x3F);
    // Selected by conditional moves, not a table (a store and a load).
    uint32_t w = cp;
    w = cp >= 0x80 ? (0xC0 | (cp >> 6)) | c1 << 8 : w;
    w = cp >= 0x800 ? (0xE0 | (cp >> 12)) | c2 << 8 | c1 << 16 : w;
    w = cp >= 0x10000 ? (0xF0 | (cp >> 18)) | c3 << 8 | c2 << 16 | c1 << 24 : w;
    const size_t len = 1 + (cp >= 0x80) + (cp >= 0x800) + (cp >= 0x10000);
    std::memcpy(p, &w, 4);
    return p + len;
  }
}

// Hex4At for s[at, at + 4), above 0xFFFF as well when fewer than four
// bytes are left before n.
inline uint32_t Hex4(const char* s, size_t at, size_t n) {
  return n - at < 4 ? ~uint32_t{0} : Hex4At(s + at);
}

// Moves *p past the plain ASCII bytes at s[*p, n) (none a JsonStringStop),
// copying them to *d and moving it on when kCopy. The copy stores sixteen
// bytes at a time, some past the run: *d must have room for sixteen bytes
// more than the run.
template <bool kCopy>
inline void PlainRun(const char* s, size_t n, size_t* p, char** d) {
#ifdef __SSE2__
  while (*p + 16 <= n) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + *p));
    if constexpr (kCopy) _mm_storeu_si128(reinterpret_cast<__m128i*>(*d), v);
    unsigned bits = byte_scan::JsonStringStop::Vector(v);
    size_t k = bits ? static_cast<size_t>(__builtin_ctz(bits)) : 16;
    *p += k;
    if constexpr (kCopy) *d += k;
    if (bits) return;
  }
#endif
  size_t end = byte_scan::Find<byte_scan::JsonStringStop>(s, *p, n);
  if constexpr (kCopy) {
    std::memcpy(*d, s + *p, end - *p);
    *d += end - *p;
  }
  *p = end;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A recursive-descent validator over one line; positions are byte offsets.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  [[gnu::noinline, gnu::cold]] bool Fail(size_t at, std::string_view what) {
    if (error_.empty()) error_ = "column " + std::to_string(at + 1) + ": " + std::string(what);
    return false;
  }
  // A backslash at `at` before `e`, not an escape.
  [[gnu::noinline, gnu::cold]] bool FailEscape(size_t at, char e) {
    return Fail(at, e == 'u' ? std::string("\\u needs four hex digits")
                             : "invalid escape '\\" + std::string(1, e) + "'");
  }

  // Room String<true> needs at *d past the decoded text (its blocks'
  // stores).
  static constexpr size_t kDecodeRoom = 32;

  bool DecodeString(char** d) { return String<true>(nullptr, d); }
  const std::string& error() const { return error_; }

  void SkipSpace() {
    while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\t' || s_[p_] == '\r' || s_[p_] == '\n'))
      ++p_;
  }

  // At the opening quote of a string token: validates it and moves past its
  // closing quote. kDecode: also writes its decoded text at *d and moves *d
  // to the end of it; *d must have room for the rest of the line and
  // kDecodeRoom bytes (decoded text is never longer than its token). A
  // lone UTF-16 surrogate escape decodes to U+FFFD.
  template <bool kDecode>
  bool String(bool* escaped, char** d = nullptr) {
    // Positions in locals (registers), stored back at the end.
    const char* s = s_.data();
    const size_t n = s_.size();
    size_t p = p_ + 1;
    char* o = kDecode ? *d : nullptr;
    auto fail = [&](size_t at, std::string_view what) {
      p_ = p;
      return Fail(at, what);
    };
    while (true) {
      PlainRun<kDecode>(s, n, &p, &o);
      if (p >= n) return fail(p, "unterminated string");
      unsigned char c = static_cast<unsigned char>(s[p]);
      if (c == '\\') {  // the most common stop in text written with only ASCII
        if (escaped) *escaped = true;
        unsigned char e;
        uint32_t cp;    // above 0xFFFF: not an escape
        size_t length;  // of the escape
        if (n - p >= 6) {
          e = static_cast<unsigned char>(s[p + 1]);
          cp = EscapeAt(s + p, &length);
        } else {  // near the line's end: no reading past it
          if (p + 1 >= n) return fail(p, "unterminated string");
          e = static_cast<unsigned char>(s[p + 1]);
          cp = e == 'u' ? Hex4(s, p + 2, n) : kShortEscape[e];
          length = e == 'u' ? 6 : 2;
        }
        if (cp > 0xFFFF) {
          p_ = p;
          return FailEscape(p, static_cast<char>(e));
        }
        if constexpr (kDecode) {
          // A pair's low half needs six more bytes (else a lone surrogate).
          if ((cp & 0xF800) == 0xD800) cp = Surrogate(cp, s + p, &length, n - p >= 12);
          o = Utf8WriteFour(cp, o);
        }
        p += length;
        continue;
      }
      if (c == '"') {
        p_ = p + 1;
        if constexpr (kDecode) *d = o;
        return true;
      }
      if (c >= 0x80) {
        if (!NonAsciiRun<kDecode>(&p, &o)) return false;
        continue;
      }
      return fail(p, "control character in a string (must be escaped)");
    }
  }

  // The run of non-ASCII characters at *p, validated and moved past (and
  // kDecode: copied to *o, moving it on).
  template <bool kDecode = true>
  bool NonAsciiRun(size_t* p, char** o) {
    const size_t start = *p, n = s_.size();
    size_t at = start;
    do {
      const size_t len = Utf8SequenceLength(s_, at);
      if (!len) {
        p_ = at;
        return Fail(at, "invalid UTF-8 in a string");
      }
      at += len;
    } while (at < n && static_cast<unsigned char>(s_[at]) >= 0x80);
    if constexpr (kDecode) {
      std::memcpy(*o, s_.data() + start, at - start);
      *o += at - start;
    }
    *p = at;
    return true;
  }

  // The escape at q (q[0] == '\\', six bytes readable): its value, above
  // 0xFFFF when it is not one, and *length. Both readings worked out and
  // combined by two table lookups on the second character, not by a
  // branch: "\n" and "\uXXXX" alternate unpredictably in text written with
  // only ASCII. (After a short escape the four bytes read as hex digits are
  // the rest of the line, and their value is masked off.)
  static uint32_t EscapeAt(const char* q, size_t* length) {
    const unsigned char e = static_cast<unsigned char>(q[1]);
    *length = kTables.escape_length[e];
    return (Hex4At(q + 2) & kTables.escape_hex_mask[e]) | kTables.escape_base[e];
  }

  // The code point of the \u escape of UTF-16 surrogate cp at q (*length:
  // 6): with the low half that follows a high half (a pair, *length 12),
  // else U+FFFD. `room`: twelve bytes are readable at q.
  static uint32_t Surrogate(uint32_t cp, const char* q, size_t* length, bool room = true) {
    if (cp <= 0xDBFF && room && q[6] == '\\' && q[7] == 'u') {
      const uint32_t lo = Hex4At(q + 8);  // the low half validated here
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        *length = 12;
        return 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      }
    }
    return 0xFFFD;  // a lone surrogate
  }

  bool Number() {
    size_t start = p_;
    if (s_[p_] == '-') ++p_;
    if (p_ >= s_.size() || !IsDigit(s_[p_])) return Fail(start, "invalid number");
    if (s_[p_] == '0')
      ++p_;
    else
      while (p_ < s_.size() && IsDigit(s_[p_])) ++p_;
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
      case '"': *type = JsonType::kString; return String<false>(nullptr);
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
      if (!String<false>(&m.key_escaped)) return false;
      m.key_end = p_;
      SkipSpace();
      if (p_ >= s_.size() || s_[p_] != ':') return Fail(p_, "expected ':'");
      ++p_;
      SkipSpace();
      m.value_begin = p_;
      if (members && p_ < s_.size() && s_[p_] == '"') {  // a top-level string: decoded
        m.type = JsonType::kString;
        m.decoded_begin = static_cast<size_t>(decoded_ - decoded_base_);
        if (!DecodeString(&decoded_)) return false;
        m.decoded_end = static_cast<size_t>(decoded_ - decoded_base_);
      } else if (!Value(depth, &m.type)) {
        return false;
      }
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
    // Room for every string value decoded (see String).
    if (out->decoded.size() < s_.size() + kDecodeRoom) out->decoded.resize(s_.size() + kDecodeRoom);
    decoded_base_ = decoded_ = out->decoded.data();
    if (!Object(1, &out->members, &out->close)) return false;
    SkipSpace();
    if (p_ != s_.size()) return Fail(p_, "text after the record's object");
    return true;
  }

 private:
  std::string_view s_;
  size_t p_ = 0;
  std::string error_;
  char* decoded_base_ = nullptr;  // JsonObjectScan::decoded
  char* decoded_ = nullptr;       // where the next string value is decoded to
};

}  // namespace

bool ScanJsonObject(std::string_view line, JsonObjectScan* out, std::string* error) {
  out->Clear();
  Scanner sc(line);
  if (sc.Top(out)) return true;
  *error = sc.error();
  return false;
}

void DecodeJsonString(std::string_view token, std::string* out) {
  // The scanner's decoding, into room made first (decoded text is never
  // longer than its token), then cut to size.
  const size_t base = out->size();
  out->resize(base + token.size() + Scanner::kDecodeRoom);
  char* const begin = out->data() + base;
  char* d = begin;
  Scanner sc(token);
  sc.DecodeString(&d);
  out->resize(base + static_cast<size_t>(d - begin));
}

bool MemberKeyIs(std::string_view line, const JsonMember& m, std::string_view key) {
  std::string_view token = line.substr(m.key_begin, m.key_end - m.key_begin);
  if (!m.key_escaped) return token.substr(1, token.size() - 2) == key;
  std::string decoded;
  DecodeJsonString(token, &decoded);
  return decoded == key;
}

const JsonMember* FindMember(std::string_view line, const JsonObjectScan& scan,
                             std::string_view key, bool* duplicate) {
  const JsonMember* found = nullptr;
  for (const JsonMember& m : scan.members) {
    if (!MemberKeyIs(line, m, key)) continue;
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

#include "cleaner/json_scan.h"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#include "cleaner/avx2_dispatch.h"
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

// The byte a two-character escape stands for ("\n": '\n'), by its second
// character; -1 for none ("\u" is not one).
constexpr std::array<int8_t, 256> kShortEscape = [] {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
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

// The value of the four hex digits at s[at, at + 4), or -1 when they are
// not four hex digits before n.
inline int32_t Hex4(const char* s, size_t at, size_t n) {
  if (n - at < 4) return -1;
  int a = HexValue(s[at]), b = HexValue(s[at + 1]), c = HexValue(s[at + 2]),
      d = HexValue(s[at + 3]);
  if ((a | b | c | d) < 0) return -1;
  return (a << 12) | (b << 8) | (c << 4) | d;
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

// The plain runs of the baseline (SSE2, or eight bytes at a time).
struct BaselineRuns {
  template <bool kCopy>
  static void Run(const char* s, size_t n, size_t* p, char** d) {
    PlainRun<kCopy>(s, n, p, d);
  }
};

#ifdef CLEAN_AVX2_VARIANTS
// PlainRun 32 bytes at a time (the runs between the escapes of text written
// with only ASCII are mostly shorter: one block, one branch). *d must have
// room for 32 bytes more than the run. Inlined into Scanner::StringAvx2.
struct Avx2Runs {
  template <bool kCopy>
  [[gnu::target(CLEAN_AVX2_TARGET)]] static void Run(const char* s, size_t n, size_t* p,
                                                     char** d) {
    while (*p + 32 <= n) {
      __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + *p));
      if constexpr (kCopy) _mm256_storeu_si256(reinterpret_cast<__m256i*>(*d), v);
      // JsonStringStop: '"', '\\', and below 0x20 as signed bytes (controls,
      // and every byte from 0x80).
      __m256i stop = _mm256_or_si256(
          _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('"')),
                          _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\\'))),
          _mm256_cmpgt_epi8(_mm256_set1_epi8(0x20), v));
      const unsigned bits = static_cast<unsigned>(_mm256_movemask_epi8(stop));
      const size_t k = _tzcnt_u32(bits);  // 32 for none
      *p += k;
      if constexpr (kCopy) *d += k;
      if (bits) return;
    }
    PlainRun<kCopy>(s, n, p, d);  // the last bytes
  }
};
#endif

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

  // String<true> with the AVX2 runs (avx2::Enabled()), or the baseline's.
  bool DecodeString(char** d) {
#ifdef CLEAN_AVX2_VARIANTS
    if (avx2::Enabled()) return StringAvx2(d);
#endif
    return String<true>(nullptr, d);
  }
#ifdef CLEAN_AVX2_VARIANTS
  // Everything String calls inlined here, so the blocks are AVX2 code.
  [[gnu::target(CLEAN_AVX2_TARGET), gnu::flatten]] bool StringAvx2(char** d) {
    return String<true, Avx2Runs>(nullptr, d);
  }
#endif
  const std::string& error() const { return error_; }

  void SkipSpace() {
    while (p_ < s_.size() &&
           (s_[p_] == ' ' || s_[p_] == '\t' || s_[p_] == '\r' || s_[p_] == '\n'))
      ++p_;
  }

  // At the opening quote of a string token: validates it and moves past its
  // closing quote. kDecode: also writes its decoded text at *d and moves *d
  // to the end of it; *d must have room for the rest of the line and
  // kDecodeRoom bytes (decoded text is never longer than its token). A
  // lone UTF-16 surrogate escape decodes to U+FFFD. Runs: how the plain
  // runs are skipped (BaselineRuns, Avx2Runs).
  template <bool kDecode, typename Runs = BaselineRuns>
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
      Runs::template Run<kDecode>(s, n, &p, &o);
      if (p >= n) return fail(p, "unterminated string");
      unsigned char c = static_cast<unsigned char>(s[p]);
      if (c == '"') {
        p_ = p + 1;
        if constexpr (kDecode) *d = o;
        return true;
      }
      if (c >= 0x80) {
        size_t start = p;
        do {  // a run of non-ASCII characters
          size_t len = Utf8SequenceLength(s_, p);
          if (!len) return fail(p, "invalid UTF-8 in a string");
          p += len;
        } while (p < n && static_cast<unsigned char>(s[p]) >= 0x80);
        if constexpr (kDecode) {
          std::memcpy(o, s + start, p - start);
          o += p - start;
        }
        continue;
      }
      if (c < 0x20) return fail(p, "control character in a string (must be escaped)");
      // A backslash escape, decoded without branching on its kind: "\n" and
      // "\uXXXX" alternate unpredictably in text written with only ASCII.
      if (escaped) *escaped = true;
      if (p + 1 >= n) return fail(p, "unterminated string");
      const unsigned char e = static_cast<unsigned char>(s[p + 1]);
      const bool u = e == 'u';
      const int32_t cp = u ? Hex4(s, p + 2, n) : kShortEscape[e];
      if (cp < 0) {
        p_ = p;
        return FailEscape(p, static_cast<char>(e));
      }
      p += u ? 6 : 2;
      if constexpr (kDecode) {
        uint32_t c32 = static_cast<uint32_t>(cp);
        if ((c32 & 0xF800) == 0xD800) {  // a UTF-16 surrogate
          if (c32 <= 0xDBFF && n - p >= 6 && s[p] == '\\' && s[p + 1] == 'u') {
            int32_t lo = Hex4(s, p + 2, n);  // a pair: the low half validated here
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
              c32 = 0x10000 + ((c32 - 0xD800) << 10) + (static_cast<uint32_t>(lo) - 0xDC00);
              p += 6;
            }
          }
          if (c32 >= 0xD800 && c32 <= 0xDFFF) c32 = 0xFFFD;  // a lone surrogate
        }
        o = Utf8WriteFour(c32, o);
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
    if (out->decoded.size() < s_.size() + kDecodeRoom)
      out->decoded.resize(s_.size() + kDecodeRoom);
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

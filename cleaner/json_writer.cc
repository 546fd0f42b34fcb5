#include "cleaner/json_writer.h"

#include <array>
#include <charconv>

#include "cleaner/swar.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace clean {

namespace {

// 1 for the bytes JSON must escape in a string: control characters, '"'
// and '\\'.
constexpr std::array<uint8_t, 256> kMustEscape = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = 1;
  t['"'] = t['\\'] = 1;
  return t;
}();

// The offset of the first byte in s[i, n) that JSON must escape, or n.
inline size_t NextSpecial(const char* s, size_t i, size_t n) {
#ifdef __SSE2__
  if (n - i >= 16) {
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
    const __m128i control = _mm_set1_epi8(0x1F);
    auto special = [&](size_t at) {  // a bit per byte of s[at, at + 16)
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + at));
      __m128i m = _mm_or_si128(
          _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
          _mm_cmpeq_epi8(_mm_min_epu8(v, control), v));  // v <= 0x1F
      return static_cast<unsigned>(_mm_movemask_epi8(m));
    };
    for (; i + 16 <= n; i += 16)
      if (unsigned bits = special(i)) return i + static_cast<size_t>(__builtin_ctz(bits));
    if (i == n) return n;
    // The last bytes: one load ending at n, the bits of bytes seen dropped.
    unsigned bits = special(n - 16) >> (16 - (n - i));
    return bits ? i + static_cast<size_t>(__builtin_ctz(bits)) : n;
  }
#else
  while (i + 8 <= n && !swar::AnyJsonSpecial(swar::Load8(s + i))) i += 8;
#endif
  while (i < n && !kMustEscape[static_cast<unsigned char>(s[i])]) ++i;
  return i;
}

void AppendEscape(unsigned char c, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  switch (c) {
    case '"': out->append("\\\"", 2); break;
    case '\\': out->append("\\\\", 2); break;
    case '\n': out->append("\\n", 2); break;
    case '\r': out->append("\\r", 2); break;
    case '\t': out->append("\\t", 2); break;
    default: {
      char u[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
      out->append(u, 6);
    }
  }
}

}  // namespace

void AppendJsonEscaped(std::string_view s, std::string* out) {
  const char* p = s.data();
  const size_t n = s.size();
  out->push_back('"');
  size_t run = 0;
  for (size_t i = NextSpecial(p, 0, n); i < n; i = NextSpecial(p, i, n)) {
    out->append(p + run, i - run);
    AppendEscape(static_cast<unsigned char>(p[i]), out);
    run = ++i;
  }
  out->append(p + run, n - run);
  out->push_back('"');
}

void FragmentCache::Reset(size_t keys) {
  for (size_t k : used_) slots_[k] = Slot();
  used_.clear();
  text_.clear();
  if (slots_.size() < keys) slots_.resize(keys);
}

void JsonWriter::Newline() {
  // '\n' and two spaces per level, in one append while they fit.
  static constexpr std::string_view kIndent =
      "\n                                                                ";
  size_t n = 1 + stack_.size() * 2;
  if (n <= kIndent.size()) {
    out_->append(kIndent.data(), n);
  } else {
    out_->push_back('\n');
    out_->append(n - 1, ' ');
  }
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (stack_.empty()) return;
  Level& level = stack_.back();
  if (level.inline_) {
    if (!level.first) out_->append(", ", 2);
    level.first = false;
    return;
  }
  if (!level.first) out_->push_back(',');
  level.first = false;
  if (pretty_) Newline();
}

JsonWriter& JsonWriter::Inline() {
  next_inline_ = true;
  return *this;
}

JsonWriter& JsonWriter::Begin(char open) {
  BeforeValue();
  out_->push_back(open);
  stack_.push_back({true, next_inline_ || (!stack_.empty() && stack_.back().inline_)});
  next_inline_ = false;
  return *this;
}

JsonWriter& JsonWriter::End(char close) {
  Level level = stack_.back();
  stack_.pop_back();
  if (!level.first && !level.inline_ && pretty_) Newline();
  out_->push_back(close);
  return *this;
}

JsonWriter& JsonWriter::BeginObject() { return Begin('{'); }

JsonWriter& JsonWriter::EndObject() {
  End('}');
  if (stack_.empty() && pretty_) out_->push_back('\n');
  return *this;
}

JsonWriter& JsonWriter::BeginArray() { return Begin('['); }

JsonWriter& JsonWriter::EndArray() { return End(']'); }

JsonWriter& JsonWriter::Key(std::string_view k) {
  BeforeValue();
  AppendJsonEscaped(k, out_);
  out_->append(": ", pretty_ ? 2 : 1);
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view s) {
  BeforeValue();
  AppendJsonEscaped(s, out_);
  return *this;
}

void AppendJsonInt(int64_t v, std::string* out) {
  char buf[24];
  out->append(buf, static_cast<size_t>(std::to_chars(buf, buf + sizeof buf, v).ptr - buf));
}

JsonWriter& JsonWriter::Int(int64_t v) {
  BeforeValue();
  AppendJsonInt(v, out_);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool v) {
  BeforeValue();
  out_->append(v ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_->append("null");
  return *this;
}

}  // namespace clean

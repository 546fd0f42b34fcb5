#include "cleaner/json_writer.h"

#include <array>
#include <charconv>
#include <cstring>

#include "cleaner/byte_scan.h"

namespace clean {

namespace {

// The escape of each byte JSON must escape (byte_scan::JsonSpecial: below
// 0x20, '"' and '\\' = 0x5C), as written: its text in an eight-byte slot
// (stored whole) and its length.
struct Escape {
  char text[8];
  uint8_t len;
};
constexpr size_t kEscapes = 0x5D;
constexpr std::array<Escape, kEscapes> kEscape = [] {
  std::array<Escape, kEscapes> t{};
  constexpr char kHex[] = "0123456789abcdef";
  for (size_t c = 0; c < kEscapes; ++c) {
    Escape& e = t[c];
    auto two = [&](char second) {
      e.text[0] = '\\';
      e.text[1] = second;
      e.len = 2;
    };
    if (c == '"') two('"');
    else if (c == '\\') two('\\');
    else if (c == '\n') two('n');
    else if (c == '\r') two('r');
    else if (c == '\t') two('t');
    else if (c < 0x20) {
      const char u[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
      for (int k = 0; k < 6; ++k) e.text[k] = u[k];
      e.len = 6;
    }
  }
  return t;
}();

// Writes the escape of c (a JsonSpecial byte) at d; needs eight bytes of room.
inline char* PutEscape(unsigned char c, char* d) {
  const Escape& e = kEscape[c];
  std::memcpy(d, e.text, 8);
  return d + e.len;
}

// The most one step of the loops below writes: sixteen bytes stored, or
// fewer and an escape; eight bytes stored with up to eight escapes.
constexpr size_t kMaxStep = 8 * 8;

}  // namespace

void AppendJsonEscaped(std::string_view s, StagedAppend* out) {
  using byte_scan::JsonSpecial;
  const char* p = s.data();
  const size_t n = s.size();
  size_t i = 0;
  char* d = out->Room(kMaxStep);
  *d++ = '"';
  // Bytes are stored a block at a time whatever they are; where the block
  // holds a byte to escape, the output moves on only to that byte, and its
  // escape is written over what follows.
  const char* const stop = out->end() - kMaxStep;
  auto room = [&] {
    if (d > stop) {
      out->Commit(d);
      d = out->Room(kMaxStep);
    }
  };
#ifdef __SSE2__
  while (i + 16 <= n) {
    room();
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d), v);
    unsigned bits = JsonSpecial::Vector(v);
    if (!bits) {
      i += 16;
      d += 16;
      continue;
    }
    size_t k = static_cast<size_t>(__builtin_ctz(bits));
    d = PutEscape(static_cast<unsigned char>(p[i + k]), d + k);
    i += k + 1;
  }
#endif
  while (i + 8 <= n) {
    room();
    uint64_t v = swar::Load8(p + i);
    std::memcpy(d, &v, 8);
    if (!JsonSpecial::Word(v)) {  // may say yes falsely: then byte by byte
      i += 8;
      d += 8;
      continue;
    }
    for (size_t end = i + 8; i < end; ++i) {
      unsigned char c = static_cast<unsigned char>(p[i]);
      if (JsonSpecial::Byte(c)) d = PutEscape(c, d);
      else *d++ = static_cast<char>(c);
    }
  }
  room();
  for (; i < n; ++i) {  // fewer than eight bytes
    unsigned char c = static_cast<unsigned char>(p[i]);
    if (JsonSpecial::Byte(c)) d = PutEscape(c, d);
    else *d++ = static_cast<char>(c);
  }
  *d++ = '"';
  out->Commit(d);
}

void AppendJsonEscaped(std::string_view s, std::string* out) {
  StagedAppend staged(out);
  AppendJsonEscaped(s, &staged);
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

void AppendJsonInt(int64_t v, StagedAppend* out) {
  constexpr size_t kDigits = 20;  // and a sign
  char* d = out->Room(kDigits + 1);
  out->Commit(std::to_chars(d, d + kDigits + 1, v).ptr);
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

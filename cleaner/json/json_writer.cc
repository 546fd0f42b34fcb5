#include "cleaner/json/json_writer.h"

#include <array>
#include <charconv>
#include <cstring>

#include "cleaner/base/byte_scan.h"

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
    if (c == '"')
      two('"');
    else if (c == '\\')
      two('\\');
    else if (c == '\n')
      two('n');
    else if (c == '\r')
      two('r');
    else if (c == '\t')
      two('t');
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

// c as JSON string text at d (escaped or not); needs eight bytes of room.
inline char* PutByte(unsigned char c, char* d) {
  if (byte_scan::JsonSpecial::Byte(c)) return PutEscape(c, d);
  *d = static_cast<char>(c);
  return d + 1;
}

// The most one step of the loops below writes: sixteen bytes stored, or
// fewer and an escape; eight bytes stored with up to eight escapes.
constexpr size_t kMaxStep = 8 * 8;

// Commits what was written up to d and returns where to go on writing.
char* Refill(StagedAppend* out, char* d) {
  out->Commit(d);
  return out->Room(kMaxStep);
}

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
  // `d` stays a local whose address is not taken (no lambda holds it):
  // the stores through it could otherwise alias it, and it would go
  // through memory on every step.
  const char* const stop = out->end() - kMaxStep;
#ifdef __SSE2__
  while (i + 16 <= n) {
    if (d > stop) d = Refill(out, d);
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
    if (d > stop) d = Refill(out, d);
    uint64_t v = swar::Load8(p + i);
    std::memcpy(d, &v, 8);
    if (!JsonSpecial::Word(v)) {  // may say yes falsely: then byte by byte
      i += 8;
      d += 8;
      continue;
    }
    for (size_t end = i + 8; i < end; ++i) d = PutByte(static_cast<unsigned char>(p[i]), d);
  }
  if (d > stop) d = Refill(out, d);
  for (; i < n; ++i) d = PutByte(static_cast<unsigned char>(p[i]), d);  // fewer than eight
  *d++ = '"';
  out->Commit(d);
}

namespace {

// s escaped, without the quotes.
void AppendEscapedTo(std::string_view s, std::string* out) {
  const char* p = s.data();
  const size_t n = s.size();
  size_t run = 0;
  auto next = [p, n](size_t i) { return byte_scan::Find<byte_scan::JsonSpecial>(p, i, n); };
  for (size_t i = next(0); i < n; i = next(i)) {
    const Escape& e = kEscape[static_cast<unsigned char>(p[i])];
    out->append(p + run, i - run);
    if (e.len == 2)
      out->append(e.text, 2);  // sizes known here: copied inline
    else
      out->append(e.text, 6);
    run = ++i;
  }
  out->append(p + run, n - run);
}

}  // namespace

void AppendJsonEscapedBody(std::string_view s, std::string* out) {
  // Straight to the string, for long text (the clean text of a record)
  // where the bytes to escape are far apart: a scan for the next one, and
  // the run before it appended whole.
  AppendEscapedTo(s, out);
}

void AppendJsonEscaped(std::string_view s, std::string* out) {
  out->push_back('"');
  AppendJsonEscapedBody(s, out);
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

std::string JsonWriter::Separator() const {
  if (stack_.empty()) return {};
  if (stack_.back().inline_) return ", ";
  std::string s = ",";
  if (pretty_) s.append("\n").append(stack_.size() * 2, ' ');
  return s;
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

namespace {

// v in decimal at p (room for kMaxDecimal bytes and a sign).
char* WriteInt(int64_t v, char* p) {
  if (v < 0) return std::to_chars(p, p + kMaxDecimal + 1, v).ptr;
  return WriteDecimal(static_cast<uint64_t>(v), p);
}

}  // namespace

void AppendJsonInt(int64_t v, std::string* out) {
  char buf[kMaxDecimal + 1];
  out->append(buf, static_cast<size_t>(WriteInt(v, buf) - buf));
}

void AppendJsonInt(int64_t v, StagedAppend* out) {
  char* d = out->Room(kMaxDecimal + 1);
  out->Commit(WriteInt(v, d));
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

// A small streaming JSON writer with hand-written escaping (no allocation
// per value beyond the output string's growth). Input strings are valid
// UTF-8 (pages are repaired on reading).
#pragma once
#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace clean {

class JsonWriter {
 public:
  explicit JsonWriter(std::string* out, bool pretty = true) : out_(out), pretty_(pretty) {}
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view k);
  JsonWriter& String(std::string_view s);
  JsonWriter& Int(int64_t v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  // Compact mode for the next container: written on one line.
  JsonWriter& Inline();
  // For a hot loop writing many values of one shape by hand: writes what
  // goes before the next value (separator, newline and indentation) and
  // returns the output, to which the caller appends one complete value as
  // an inline container of this writer's style would write it.
  std::string* RawValue() {
    BeforeValue();
    return out_;
  }
  // What goes between two values of the current container (after the
  // first): for a loop that writes its values by hand through a
  // StagedAppend, RawValue before the first, this text before each next.
  std::string Separator() const;

 private:
  void BeforeValue();
  void Newline();
  JsonWriter& Begin(char open);
  JsonWriter& End(char close);
  std::string* out_;
  bool pretty_;
  struct Level {
    bool first = true;
    bool inline_ = false;
  };
  std::vector<Level> stack_;
  bool after_key_ = false;
  bool next_inline_ = false;
};

// Appends to a string through a block on the stack: a writer asks for room
// by pointer, writes there and commits, and the block goes to the string in
// one append when full (and at the end), so that output made of many small
// pieces costs one append per block, not one per piece.
class StagedAppend {
 public:
  static constexpr size_t kSize = 1 << 13;
  explicit StagedAppend(std::string* out) : out_(out) {}
  StagedAppend(const StagedAppend&) = delete;
  StagedAppend& operator=(const StagedAppend&) = delete;
  ~StagedAppend() { Flush(); }
  // Room for n (<= kSize) bytes at the returned pointer; Commit(the end of
  // what was written there) before the next call.
  char* Room(size_t n) {
    if (static_cast<size_t>(buf_ + kSize - p_) < n) Flush();
    return p_;
  }
  void Commit(char* end) { p_ = end; }
  // The end of the block: a writer that commits only now and then writes
  // at most up to here after a Room.
  const char* end() const { return buf_ + kSize; }
  void Append(std::string_view s) {
    if (static_cast<size_t>(buf_ + kSize - p_) < s.size()) {
      Flush();
      if (s.size() > kSize / 2) {  // large: straight to the string
        out_->append(s);
        return;
      }
    }
    std::memcpy(p_, s.data(), s.size());
    p_ += s.size();
  }
  void Append(char c) { *Room(1) = c, ++p_; }
  void Flush() {
    out_->append(buf_, static_cast<size_t>(p_ - buf_));
    p_ = buf_;
  }

 private:
  std::string* out_;
  char* p_ = buf_;
  char buf_[kSize];
};

// Appends s as a JSON string (quoted, escaped). Two ways, the same bytes:
// to a string, for long text whose bytes to escape are far apart (runs
// between them appended whole), and through a StagedAppend, for the many
// short strings of a report (stored sixteen bytes at a time, no call per
// run).
void AppendJsonEscaped(std::string_view s, std::string* out);
void AppendJsonEscaped(std::string_view s, StagedAppend* out);
// The same without the quotes: for a string value written in pieces.
void AppendJsonEscapedBody(std::string_view s, std::string* out);

// JSON text written once per key (a decider, a class) and reused, for
// per-line output whose part depends only on such a key. Reset forgets only
// the keys met since the last Reset, so a call costs nothing for the keys a
// page does not meet.
class FragmentCache {
 public:
  // Every fragment is followed by this many readable bytes in the cache, so
  // that one no longer may be copied as a block of this size.
  static constexpr size_t kPad = 48;
  // Keys are below `keys` until the next Reset.
  void Reset(size_t keys);
  // The fragment of `key`, written by build(std::string*) the first time.
  template <typename Build>
  std::string_view Get(size_t key, Build&& build) {
    Slot& s = slots_[key];
    if (!s.set) {
      s.begin = text_.size();
      build(&text_);
      s.end = text_.size();
      text_.append(kPad, '\0');
      s.set = true;
      used_.push_back(key);
    }
    return std::string_view(text_).substr(s.begin, s.end - s.begin);
  }

 private:
  struct Slot {
    size_t begin = 0, end = 0;
    bool set = false;
  };
  std::vector<Slot> slots_;
  std::vector<size_t> used_;
  std::string text_;
};
// Writes v in decimal at p, which has room for kMaxDecimal bytes; returns
// the end. Below 10^8 (the offsets and line numbers of reports) the eight
// digits are worked out side by side in the lanes of one 64-bit word (four
// digits, then two, then one per lane) and stored at once; the leading
// zeros are dropped by the shift.
inline constexpr size_t kMaxDecimal = 20;
inline char* WriteDecimal(uint64_t v, char* p) {
  if (std::endian::native != std::endian::little || v >= 100000000)
    return std::to_chars(p, p + kMaxDecimal, v).ptr;
  const uint64_t fours = v / 10000 | (v % 10000) << 32;                  // two 32-bit lanes
  const uint64_t hundreds = (fours * 10486 >> 20) & 0x0000007F0000007F;  // lane / 100
  const uint64_t twos = hundreds | (fours - hundreds * 100) << 16;       // four 16-bit lanes
  const uint64_t tens = (twos * 103 >> 10) & 0x000F000F000F000F;         // lane / 10
  const uint64_t digits = tens | (twos - tens * 10) << 8;  // eight bytes, first lowest
  // Leading zero digits are the low zero bytes (v == 0: one digit).
  const int zeros = __builtin_ctzll(digits | uint64_t{1} << 63) / 8;
  const uint64_t text = (digits >> (8 * zeros)) + 0x3030303030303030;
  std::memcpy(p, &text, 8);
  return p + (8 - zeros);
}

// Appends v in decimal (no allocation).
void AppendJsonInt(int64_t v, std::string* out);
void AppendJsonInt(int64_t v, StagedAppend* out);

}  // namespace clean

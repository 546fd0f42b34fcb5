// A small streaming JSON writer with hand-written escaping (no allocation
// per value beyond the output string's growth). Input strings are valid
// UTF-8 (pages are repaired on reading).
#pragma once
#include <cstdint>
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

void AppendJsonEscaped(std::string_view s, std::string* out);
// Appends v in decimal (no allocation).
void AppendJsonInt(int64_t v, std::string* out);

}  // namespace clean

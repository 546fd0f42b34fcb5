#include "cleaner/json_writer.h"

#include <charconv>

#include "cleaner/swar.h"

namespace clean {

void AppendJsonEscaped(std::string_view s, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t run = 0, i = 0;
  const size_t n = s.size();
  while (i < n) {
    if (i + 8 <= n && !swar::AnyJsonSpecial(swar::Load8(s.data() + i))) {
      i += 8;
      continue;
    }
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    out->append(s.data() + run, i - run);
    run = ++i;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
    }
  }
  out->append(s.data() + run, n - run);
  out->push_back('"');
}

void JsonWriter::Newline() {
  if (!pretty_ || (!stack_.empty() && stack_.back().inline_)) return;
  out_->push_back('\n');
  out_->append(stack_.size() * 2, ' ');
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (stack_.empty()) return;
  if (!stack_.back().first) {
    out_->push_back(',');
    if (stack_.back().inline_) out_->push_back(' ');
  }
  stack_.back().first = false;
  Newline();
}

JsonWriter& JsonWriter::Inline() {
  next_inline_ = true;
  return *this;
}

JsonWriter& JsonWriter::BeginObject() {
  BeforeValue();
  out_->push_back('{');
  stack_.push_back({true, next_inline_ || (!stack_.empty() && stack_.back().inline_)});
  next_inline_ = false;
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  bool empty = stack_.back().first;
  bool inline_level = stack_.back().inline_;
  stack_.pop_back();
  if (!empty && !inline_level) Newline();
  out_->push_back('}');
  if (stack_.empty() && pretty_) out_->push_back('\n');
  return *this;
}

JsonWriter& JsonWriter::BeginArray() {
  BeforeValue();
  out_->push_back('[');
  stack_.push_back({true, next_inline_ || (!stack_.empty() && stack_.back().inline_)});
  next_inline_ = false;
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  bool empty = stack_.back().first;
  bool inline_level = stack_.back().inline_;
  stack_.pop_back();
  if (!empty && !inline_level) Newline();
  out_->push_back(']');
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view k) {
  BeforeValue();
  AppendJsonEscaped(k, out_);
  out_->append(pretty_ ? ": " : ":");
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

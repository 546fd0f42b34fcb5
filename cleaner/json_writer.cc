#include "cleaner/json_writer.h"

#include <charconv>

#include "cleaner/byte_scan.h"

namespace clean {

namespace {

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
  constexpr auto Find = byte_scan::Find<byte_scan::JsonSpecial>;
  const char* p = s.data();
  const size_t n = s.size();
  out->push_back('"');
  size_t run = 0;
  for (size_t i = Find(p, 0, n); i < n; i = Find(p, i, n)) {
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

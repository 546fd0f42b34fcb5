// A validating scanner for JSONL records (RFC 8259, one object per line).
// It finds the spans of the top-level members without building a tree, so a
// record can be rewritten with every byte outside the replaced spans kept as
// it was. Strings must be valid UTF-8; nesting is limited to kJsonMaxDepth.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace clean {

inline constexpr int kJsonMaxDepth = 512;

enum class JsonType : unsigned char { kString, kNumber, kObject, kArray, kTrue, kFalse, kNull };
std::string_view JsonTypeName(JsonType t);  // "a string", "a number", ...

// One member of the top-level object: spans into the scanned line.
struct JsonMember {
  size_t key_begin = 0, key_end = 0;      // the key token, quotes included
  size_t value_begin = 0, value_end = 0;  // the value token
  JsonType type = JsonType::kNull;
  bool key_escaped = false;  // the key holds a backslash escape
  // A string value's decoded text: [decoded_begin, decoded_end) in
  // JsonObjectScan::decoded (see JsonObjectScan::Decoded).
  size_t decoded_begin = 0, decoded_end = 0;
};

struct JsonObjectScan {
  std::vector<JsonMember> members;  // in record order
  size_t close = 0;                 // offset of the object's closing '}'
  // The decoded top-level string values, back to back, as DecodeJsonString
  // writes them: decoded in the same pass that validates them. A buffer
  // reused from record to record (never shrunk: its size is not the text's).
  std::string decoded;
  // The decoded text of a member whose type is kString; valid until the
  // next scan.
  std::string_view Decoded(const JsonMember& m) const {
    return std::string_view(decoded).substr(m.decoded_begin, m.decoded_end - m.decoded_begin);
  }
  void Clear() { members.clear(); }
};

// Scans `line`; true when it holds exactly one JSON object (surrounded by
// optional whitespace). Otherwise false with *error = "column N: problem"
// (1-based byte column). The top-level string values are decoded on the
// way (JsonObjectScan::Decoded).
bool ScanJsonObject(std::string_view line, JsonObjectScan* out, std::string* error);

// Appends the decoded UTF-8 of a string token (quotes included) that
// ScanJsonObject accepted. A lone UTF-16 surrogate escape becomes U+FFFD, so
// what is appended is always valid UTF-8.
void DecodeJsonString(std::string_view token, std::string* out);

// Whether m's (decoded) key equals `key`.
bool MemberKeyIs(std::string_view line, const JsonMember& m, std::string_view key);

// The first member whose (decoded) key equals `key`, or null. *duplicate is
// set when a later member has the same key.
const JsonMember* FindMember(std::string_view line, const JsonObjectScan& scan,
                             std::string_view key, bool* duplicate = nullptr);

}  // namespace clean

// The JSONL record scanner (cleaner/json/json_scan.h): tables of valid and
// invalid records, member spans, string decoding with escapes and
// surrogates.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "cleaner/json/json_scan.h"

using namespace clean;

namespace {

std::string Decode(std::string_view token) {
  std::string out;
  DecodeJsonString(token, &out);
  return out;
}

}  // namespace

TEST_CASE("json_scan: valid records and their members", "[jsonl]") {
  std::string line =
      R"( {"id": 7, "text" : "a\nb", "meta": {"k": [1, -2.5e3, true, false, null]}, "e": {}} )";
  JsonObjectScan scan;
  std::string error;
  REQUIRE(ScanJsonObject(line, &scan, &error));
  REQUIRE(scan.members.size() == 4);
  auto value = [&](size_t i) {
    const auto& m = scan.members[i];
    return line.substr(m.value_begin, m.value_end - m.value_begin);
  };
  CHECK(value(0) == "7");
  CHECK(scan.members[0].type == JsonType::kNumber);
  CHECK(value(1) == R"("a\nb")");
  CHECK(scan.members[1].type == JsonType::kString);
  CHECK(value(2) == R"({"k": [1, -2.5e3, true, false, null]})");
  CHECK(scan.members[2].type == JsonType::kObject);
  CHECK(value(3) == "{}");
  CHECK(line[scan.close] == '}');
  CHECK(scan.close == line.size() - 2);
  const JsonMember* text = FindMember(line, scan, "text");
  REQUIRE(text);
  CHECK(text == &scan.members[1]);
  CHECK(FindMember(line, scan, "k") == nullptr);  // only top-level members
}

TEST_CASE("json_scan: invalid records name the column and the problem", "[jsonl]") {
  struct Case {
    std::string line;
    std::string error;
  };
  const std::vector<Case> kCases = {
      {"", "column 1: empty record"},
      {"   ", "column 4: empty record"},
      {"[1]", "column 1: a record must be a JSON object"},
      {"\"text\"", "column 1: a record must be a JSON object"},
      {"{", "column 2: expected a string key"},
      {"{\"a\"}", "column 5: expected ':'"},
      {"{\"a\":}", "column 6: unexpected character"},
      {"{\"a\":1,}", "column 8: expected a string key"},
      {"{\"a\":1 \"b\":2}", "column 8: expected ',' or '}'"},
      {"{\"a\":\"x}", "column 9: unterminated string"},
      {"{\"a\":\"x\ty\"}", "column 8: control character in a string (must be escaped)"},
      {"{\"a\":\"\\x\"}", "column 7: invalid escape '\\x'"},
      {"{\"a\":\"\\u12g4\"}", "column 7: \\u needs four hex digits"},
      {"{\"a\":\"\xC3\x28\"}", "column 7: invalid UTF-8 in a string"},
      {"{\"a\":\"\xED\xA0\x80\"}", "column 7: invalid UTF-8 in a string"},  // raw surrogate
      {"{\"a\":01}", "column 7: expected ',' or '}'"},
      {"{\"a\":1.}", "column 6: invalid number"},
      {"{\"a\":-}", "column 6: invalid number"},
      {"{\"a\":1e}", "column 6: invalid number"},
      {"{\"a\":tru}", "column 6: unexpected character"},
      {"{\"a\":[1,2}", "column 10: expected ',' or ']'"},
      {"{\"a\":1} x", "column 9: text after the record's object"},
      {"{\"a\":1}{}", "column 8: text after the record's object"},
      {"{'a':1}", "column 2: expected a string key"},
  };
  for (const auto& c : kCases) {
    INFO("line: " << c.line);
    JsonObjectScan scan;
    std::string error;
    CHECK_FALSE(ScanJsonObject(c.line, &scan, &error));
    CHECK(error == c.error);
  }
}

TEST_CASE("json_scan: nesting is limited, not a stack overflow", "[jsonl]") {
  std::string ok =
      "{\"a\":" + std::string(kJsonMaxDepth - 1, '[') + std::string(kJsonMaxDepth - 1, ']') + "}";
  std::string deep = "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  JsonObjectScan scan;
  std::string error;
  CHECK(ScanJsonObject(ok, &scan, &error));
  CHECK_FALSE(ScanJsonObject(deep, &scan, &error));
  CHECK_THAT(error, Catch::Contains("nested too deeply"));
}

TEST_CASE("json_scan: string decoding", "[jsonl]") {
  CHECK(Decode(R"("plain")") == "plain");
  CHECK(Decode(R"("")") == "");
  CHECK(Decode(R"("q\"b\\s\/")") == "q\"b\\s/");
  CHECK(Decode(R"("\b\f\n\r\t")") == "\b\f\n\r\t");
  CHECK(Decode(R"("caf\u00e9")") == "caf\xC3\xA9");
  CHECK(Decode(R"("\u20AC")") == "\xE2\x82\xAC");
  CHECK(Decode(R"("\u0000")") == std::string("\0", 1));
  // A surrogate pair is one code point; lone halves become U+FFFD.
  CHECK(Decode(R"("\ud83d\ude00")") == "\xF0\x9F\x98\x80");
  CHECK(Decode(R"("\ud83dx")") == "\xEF\xBF\xBDx");
  CHECK(Decode(R"("\ude00\ud83d")") == "\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(Decode(R"("\ud83d\u0041")") ==
        "\xEF\xBF\xBD"
        "A");
  // Raw UTF-8 passes through.
  CHECK(Decode("\"\xE6\x97\xA5\xE6\x9C\xAC\"") == "\xE6\x97\xA5\xE6\x9C\xAC");
}

TEST_CASE("json_scan: keys with escapes and duplicate keys", "[jsonl]") {
  std::string line = R"({"te\u0078t": "a", "id": 1, "text": "b"})";
  JsonObjectScan scan;
  std::string error;
  REQUIRE(ScanJsonObject(line, &scan, &error));
  bool dup = false;
  const JsonMember* m = FindMember(line, scan, "text", &dup);
  REQUIRE(m);
  CHECK(m == &scan.members[0]);
  CHECK(dup);
  FindMember(line, scan, "id", &dup);
  CHECK_FALSE(dup);
}

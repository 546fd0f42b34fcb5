// Charset sniffing and decoding of HTML bytes to UTF-8.
#include <catch2/catch.hpp>

#include "cleaner/html/charset.h"

using namespace clean;

namespace {
std::string Decode(const std::string& bytes, CharsetInfo* info) {
  std::string scratch;
  return std::string(DecodeToUtf8(bytes, &scratch, info));
}
}  // namespace

TEST_CASE("charset: valid UTF-8 is taken as it is", "[html][charset]") {
  CharsetInfo info;
  std::string page = "<meta charset=windows-1251><p>Привет</p>";
  CHECK(Decode(page, &info) == page);
  CHECK(info.name == "utf-8");
  CHECK(info.source == "utf-8");
}

TEST_CASE("charset: declared charsets decode non-UTF-8 pages", "[html][charset]") {
  struct Case {
    std::string bytes, want_text, want_charset;
  } cases[] = {
      // "Привет" in windows-1251
      {"<meta charset=\"windows-1251\"><p>\xCF\xF0\xE8\xE2\xE5\xF2</p>", "Привет", "windows-1251"},
      // latin-1 is read as windows-1252 (WHATWG): 0x80 is the euro sign
      {"<meta http-equiv=Content-Type content='text/html; charset=ISO-8859-1'>caf\xE9 \x80",
       "café €", "windows-1252"},
      // "日本" in Shift_JIS
      {"<meta charset=Shift_JIS><p>\x93\xFA\x96\x7B</p>", "日本", "shift_jis"},
  };
  for (const auto& c : cases) {
    CharsetInfo info;
    std::string got = Decode(c.bytes, &info);
    INFO(c.bytes);
    CHECK(got.find(c.want_text) != std::string::npos);
    CHECK(info.name == c.want_charset);
    CHECK(info.source == "declared");
    CHECK(info.replaced == 0);
  }
}

TEST_CASE("charset: undeclared bytes fall back to windows-1252", "[html][charset]") {
  CharsetInfo info;
  CHECK(Decode("<p>na\xEFve</p>", &info) == "<p>naïve</p>");
  CHECK(info.name == "windows-1252");
  CHECK(info.source == "fallback");
}

TEST_CASE("charset: BOMs, and bytes that decode in no charset", "[html][charset]") {
  CharsetInfo info;
  CHECK(Decode("\xEF\xBB\xBF<p>x</p>", &info) == "<p>x</p>");
  CHECK(info.source == "bom");
  std::string utf16le("\xFF\xFE<\0p\0>\0\xE9\0", 10);
  CHECK(Decode(utf16le, &info) == "<p>é");
  CHECK(info.name == "utf-16le");
  // Declared UTF-8 with a stray byte: kept for the parser to replace, counted.
  CHECK(Decode("<meta charset=utf-8><p>a\xFF" "b</p>", &info).size() > 0);
  CHECK(info.name == "utf-8");
  CHECK(info.replaced == 1);
  // A declared charset iconv does not know is skipped.
  CHECK(Decode("<meta charset=no-such-charset>\xE9", &info).find("é") != std::string::npos);
  CHECK(info.name == "windows-1252");
}

// text_util.h (trimming, UTF-8 validation, lower-casing) and page.h (the
// page reader: lines, CRLF, BOM, invalid UTF-8, binary input, the date
// header, reading files).
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "cleaner/io/byte_stream.h"
#include "cleaner/base/options.h"
#include "cleaner/text/page.h"
#include "cleaner/base/text_util.h"
#include "tests/test_support.h"

using namespace clean;
using clean::testing::TempDir;
using clean::testing::WriteFile;

namespace {

std::string Enc(uint32_t cp) {
  std::string s;
  Utf8Append(cp, &s);
  return s;
}

std::vector<std::string> Lines(const Page& p) {
  std::vector<std::string> v;
  for (size_t i = 0; i < p.lines.size(); ++i) v.emplace_back(p.line(i));
  return v;
}

Page Build(std::string_view bytes, const Options& o = Options()) {
  Page p;
  std::string error;
  INFO("input: " << std::string(bytes));
  REQUIRE(BuildPage(bytes, o, &p, &error));
  CHECK(error.empty());
  return p;
}

bool ValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t n = Utf8SequenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

const std::string kFFFD = "\xEF\xBF\xBD";

}  // namespace

// --- text_util ---------------------------------------------------------------

TEST_CASE("text: TrimAscii trims ASCII whitespace on both sides only", "[text]") {
  CHECK(TrimAscii("") == "");
  CHECK(TrimAscii("   ") == "");
  CHECK(TrimAscii(" \t\r\n\f\v") == "");
  CHECK(TrimAscii("abc") == "abc");
  CHECK(TrimAscii("  a b  ") == "a b");
  CHECK(TrimAscii("\tx\r") == "x");
  CHECK(TrimAscii("a \t b") == "a \t b");
  // Non-ASCII spaces (U+00A0 no-break space) are not trimmed.
  CHECK(TrimAscii("\xC2\xA0x\xC2\xA0") == "\xC2\xA0x\xC2\xA0");
}

TEST_CASE("text: Utf8SequenceLength accepts valid and rejects invalid sequences", "[text]") {
  struct Case {
    std::string bytes;
    size_t want;
    const char* what;
  };
  const std::vector<Case> kCases = {
      {"a", 1, "ASCII"},
      {std::string("\0", 1), 1, "NUL is ASCII"},
      {"\x7F", 1, "DEL"},
      {"\xC3\xA9", 2, "e acute"},
      {"\xC2\x80", 2, "U+0080, smallest 2-byte"},
      {"\xDF\xBF", 2, "U+07FF"},
      {"\xE0\xA0\x80", 3, "U+0800, smallest 3-byte"},
      {"\xE2\x82\xAC", 3, "euro sign"},
      {"\xED\x9F\xBF", 3, "U+D7FF, just below the surrogates"},
      {"\xEE\x80\x80", 3, "U+E000, just above the surrogates"},
      {"\xEF\xBF\xBF", 3, "U+FFFF"},
      {"\xF0\x90\x80\x80", 4, "U+10000, smallest 4-byte"},
      {"\xF0\x9F\x98\x80", 4, "emoji"},
      {"\xF4\x8F\xBF\xBF", 4, "U+10FFFF, the largest"},
      // Overlong encodings.
      {"\xC0\x80", 0, "overlong NUL"},
      {"\xC1\xBF", 0, "overlong 2-byte"},
      {"\xE0\x80\x80", 0, "overlong 3-byte"},
      {"\xE0\x9F\xBF", 0, "overlong 3-byte (U+07FF)"},
      {"\xF0\x80\x80\x80", 0, "overlong 4-byte"},
      {"\xF0\x8F\xBF\xBF", 0, "overlong 4-byte (U+FFFF)"},
      // Surrogates.
      {"\xED\xA0\x80", 0, "U+D800, high surrogate"},
      {"\xED\xBF\xBF", 0, "U+DFFF, low surrogate"},
      // Beyond U+10FFFF and invalid lead bytes.
      {"\xF4\x90\x80\x80", 0, "U+110000"},
      {"\xF5\x80\x80\x80", 0, "lead byte F5"},
      {"\xFF", 0, "byte FF"},
      {"\xFE", 0, "byte FE"},
      // Lone continuation bytes.
      {"\x80", 0, "lone continuation"},
      {"\xBF", 0, "lone continuation BF"},
      // Truncated sequences (at the end of the string).
      {"\xC3", 0, "truncated 2-byte"},
      {"\xE2\x82", 0, "truncated 3-byte"},
      {"\xE2", 0, "truncated 3-byte, lead only"},
      {"\xF0\x9F\x98", 0, "truncated 4-byte"},
      // Truncated by a non-continuation byte.
      {"\xC3(", 0, "2-byte broken by ASCII"},
      {"\xE2\x82(", 0, "3-byte broken by ASCII"},
      {"\xF0\x9F\x98(", 0, "4-byte broken by ASCII"},
  };
  for (const auto& c : kCases) {
    INFO(c.what);
    CHECK(Utf8SequenceLength(c.bytes, 0) == c.want);
  }
  // Position i is honoured: the sequence starts at i, the end is the string's.
  std::string s = "ab\xC3\xA9\xE2\x82";
  CHECK(Utf8SequenceLength(s, 0) == 1);
  CHECK(Utf8SequenceLength(s, 2) == 2);
  CHECK(Utf8SequenceLength(s, 3) == 0);  // a continuation byte
  CHECK(Utf8SequenceLength(s, 4) == 0);  // truncated at the end
}

TEST_CASE("text: Utf8Decode and Utf8Append round-trip", "[text]") {
  for (uint32_t cp : {0x41u, 0x7Fu, 0x80u, 0xE9u, 0x7FFu, 0x800u, 0x20ACu, 0xD7FFu, 0xE000u,
                      0xFFFDu, 0xFFFFu, 0x10000u, 0x1F600u, 0x10FFFFu}) {
    INFO("code point " << cp);
    std::string s = Enc(cp);
    size_t n = Utf8SequenceLength(s, 0);
    CHECK(n == s.size());
    CHECK(Utf8Decode(s, 0, n) == cp);
  }
  CHECK(Enc(0x20AC) == "\xE2\x82\xAC");
  CHECK(Enc(0xFFFD) == kFFFD);
}

TEST_CASE("text: LowerCodePoint for Latin, Greek and Cyrillic", "[text]") {
  struct Case {
    uint32_t upper, lower;
    const char* what;
  };
  const std::vector<Case> kCases = {
      {'A', 'a', "A"},
      {'Z', 'z', "Z"},
      {0xC0, 0xE0, "A grave"},
      {0xC4, 0xE4, "A umlaut"},
      {0xC9, 0xE9, "E acute"},
      {0xD6, 0xF6, "O umlaut"},
      {0xDC, 0xFC, "U umlaut"},
      {0xDE, 0xFE, "Thorn"},
      {0x104, 0x105, "A ogonek (Polish)"},
      {0x106, 0x107, "C acute (Polish)"},
      {0x118, 0x119, "E ogonek (Polish)"},
      {0x141, 0x142, "L stroke (Polish)"},
      {0x143, 0x144, "N acute (Polish)"},
      {0x15A, 0x15B, "S acute (Polish)"},
      {0x179, 0x17A, "Z acute (Polish)"},
      {0x17B, 0x17C, "Z dot (Polish)"},
      {0x17D, 0x17E, "Z caron"},
      {0x178, 0xFF, "Y diaeresis"},
      {0x391, 0x3B1, "Greek Alpha"},
      {0x3A3, 0x3C3, "Greek Sigma"},
      {0x3A9, 0x3C9, "Greek Omega"},
      {0x410, 0x430, "Cyrillic A"},
      {0x414, 0x434, "Cyrillic De"},
      {0x42F, 0x44F, "Cyrillic Ya"},
      {0x401, 0x451, "Cyrillic Yo"},
      {0x404, 0x454, "Ukrainian Ie"},
      {0x406, 0x456, "Ukrainian I"},
      {0x407, 0x457, "Ukrainian Yi"},
      {0x490, 0x491, "Ukrainian Ghe with upturn"},
  };
  for (const auto& c : kCases) {
    INFO(c.what);
    CHECK(LowerCodePoint(c.upper) == c.lower);
    CHECK(IsUpperCodePoint(c.upper));
    // Lower case letters stay as they are.
    CHECK(LowerCodePoint(c.lower) == c.lower);
    CHECK_FALSE(IsUpperCodePoint(c.lower));
  }
  // Not letters, or with no simple lower case: unchanged.
  for (uint32_t cp : {uint32_t('1'), uint32_t(' '), uint32_t('@'), 0xD7u /* multiplication */,
                      0xDFu /* sharp s */, 0x2014u /* em dash */, 0x4E2Du /* CJK */, 0x1F600u}) {
    INFO("code point " << cp);
    CHECK(LowerCodePoint(cp) == cp);
  }
}

TEST_CASE("text: Utf8Lower lower-cases mixed scripts", "[text]") {
  std::string out = "stale";
  Utf8Lower("ÄÖÜ Straße ПРИВЕТ Київ ŁÓDŹ Ελλάδα 123!", &out);
  CHECK(out == "äöü straße привет київ łódź ελλάδα 123!");
  Utf8Lower("", &out);
  CHECK(out.empty());
}

TEST_CASE("text: IsWordCodePoint", "[text]") {
  for (uint32_t cp : {uint32_t('a'), uint32_t('Z'), uint32_t('7'), 0xE9u, 0x436u, 0x3B1u,
                      0x4E2Du /* CJK ideograph */})
    CHECK(IsWordCodePoint(cp));
  for (uint32_t cp : {uint32_t(' '), uint32_t('.'), uint32_t('-'), uint32_t('\''), 0xA0u,
                      0xABu /* guillemet */, 0xD7u, 0x2014u, 0x201Cu, 0x2026u, 0x3002u, 0x1F600u})
    CHECK_FALSE(IsWordCodePoint(cp));
}

// --- BuildPage ---------------------------------------------------------------

TEST_CASE("page: empty input has no lines", "[text][page]") {
  Page p = Build("");
  CHECK(p.lines.empty());
  CHECK(p.text.empty());
  CHECK(p.input_bytes == 0);
  CHECK_FALSE(p.final_newline);
  CHECK_FALSE(p.had_bom);
  CHECK_FALSE(p.had_crlf);
  CHECK_FALSE(p.date_header);
  CHECK(p.invalid_utf8 == 0);
}

TEST_CASE("page: only blank lines", "[text][page]") {
  Page p = Build("\n\n\n");
  REQUIRE(p.lines.size() == 3);
  for (const auto& l : p.lines) CHECK(l.blank());
  CHECK(p.final_newline);

  // Whitespace-only lines are blank too (trimmed to nothing).
  Page q = Build("   \n\t\t\n \r\n");
  REQUIRE(q.lines.size() == 3);
  for (const auto& l : q.lines) CHECK(l.blank());
  CHECK(q.input_bytes == 10);
}

TEST_CASE("page: with and without a final newline", "[text][page]") {
  Page a = Build("first\nsecond");
  CHECK(Lines(a) == std::vector<std::string>{"first", "second"});
  CHECK_FALSE(a.final_newline);
  CHECK(a.input_bytes == 12);

  Page b = Build("first\nsecond\n");
  CHECK(Lines(b) == std::vector<std::string>{"first", "second"});
  CHECK(b.final_newline);

  Page c = Build("x");
  CHECK(Lines(c) == std::vector<std::string>{"x"});
  CHECK_FALSE(c.final_newline);

  // A blank last line before the final newline is a line.
  Page d = Build("x\n\n");
  CHECK(d.lines.size() == 2);
  CHECK(d.lines[1].blank());
}

TEST_CASE("page: lines are trimmed and the working text joins them", "[text][page]") {
  Page p = Build("  Title here  \n\n\tBody text.\t\n");
  CHECK(Lines(p) == std::vector<std::string>{"Title here", "", "Body text."});
  CHECK(p.text == "Title here\n\nBody text.\n");
  CHECK(p.lines[1].blank());
  CHECK_FALSE(p.lines[0].blank());
  // Inner whitespace is kept.
  Page q = Build("a  \t  b\n");
  CHECK(Lines(q) == std::vector<std::string>{"a  \t  b"});
}

TEST_CASE("page: CRLF line endings", "[text][page]") {
  Page p = Build("One line \r\nTwo\r\n\r\nThree\r\n");
  CHECK(p.had_crlf);
  CHECK(Lines(p) == std::vector<std::string>{"One line", "Two", "", "Three"});
  CHECK(p.final_newline);
  CHECK(p.text.find('\r') == std::string::npos);

  Page q = Build("a\nb\n");
  CHECK_FALSE(q.had_crlf);

  // Mixed endings: one CRLF line is enough.
  Page m = Build("a\nb\r\nc");
  CHECK(m.had_crlf);
  CHECK(Lines(m) == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("page: a UTF-8 BOM is dropped", "[text][page]") {
  Page p = Build("\xEF\xBB\xBFHello\nWorld\n");
  CHECK(p.had_bom);
  CHECK(Lines(p) == std::vector<std::string>{"Hello", "World"});
  CHECK(p.input_bytes == 15);  // counted as read
  CHECK(p.invalid_utf8 == 0);

  Page only = Build("\xEF\xBB\xBF");
  CHECK(only.had_bom);
  CHECK(only.lines.empty());

  Page none = Build("Hello\n");
  CHECK_FALSE(none.had_bom);
}

TEST_CASE("page: invalid UTF-8 is replaced by U+FFFD and counted", "[text][page]") {
  Page p = Build(
      "ab\xFF"
      "cd\n\xC3(\nfine \xC3\xA9\n");
  REQUIRE(p.lines.size() == 3);
  CHECK(std::string(p.line(0)) == "ab" + kFFFD + "cd");
  CHECK(std::string(p.line(1)) == kFFFD + "(");
  CHECK(std::string(p.line(2)) == "fine \xC3\xA9");  // valid text untouched
  CHECK(p.invalid_utf8 == 2);
  CHECK(ValidUtf8(p.text));

  // Surrogates, overlong forms and a truncated sequence at the end of the
  // input: at least one replacement each, and the text is valid UTF-8.
  for (std::string bad : {std::string("x\xED\xA0\x80y"), std::string("x\xC0\x80y"),
                          std::string("x\xF4\x90\x80\x80y"), std::string("xy\xE2\x82")}) {
    INFO("bytes " << bad);
    Page q = Build(bad);
    CHECK(q.invalid_utf8 >= 1);
    CHECK(ValidUtf8(q.text));
    REQUIRE(q.lines.size() == 1);
    CHECK(std::string(q.line(0)).rfind("x", 0) == 0);
    CHECK(std::string(q.line(0)).find(kFFFD) != std::string::npos);
  }
  Page clean = Build("Grüße, Київ, 東京 😀\n");
  CHECK(clean.invalid_utf8 == 0);
  CHECK(std::string(clean.line(0)) == "Grüße, Київ, 東京 😀");
}

TEST_CASE("page: a NUL byte means binary input", "[text][page]") {
  Page p;
  std::string error;
  std::string bytes("text\0more", 9);
  CHECK_FALSE(BuildPage(bytes, Options(), &p, &error));
  CHECK_THAT(error, Catch::Contains("binary"));
  CHECK_THAT(error, Catch::Contains("offset 4"));

  // Only the first binary_sniff_bytes are sniffed.
  Options o;
  o.binary_sniff_bytes = 4;
  Page q;
  error.clear();
  CHECK(BuildPage(bytes, o, &q, &error));
  Options wide;
  wide.binary_sniff_bytes = 5;
  Page r;
  CHECK_FALSE(BuildPage(bytes, wide, &r, &error));
  CHECK_THAT(error, Catch::Contains("binary"));
}

TEST_CASE("page: the date header is detected on line 1 only", "[text][page]") {
  {
    Page p = Build(" date 2025-07-10 Trending\nU.S. News\n");
    CHECK(p.date_header);
    CHECK(p.header_date == "2025-07-10");
    CHECK(std::string(p.line(0)) == "date 2025-07-10 Trending");  // trimmed like any line
  }
  {
    Page p = Build(" date 2024-01-31\n");
    CHECK(p.date_header);
    CHECK(p.header_date == "2024-01-31");
  }
  {
    // On line 2 it is just a line.
    Page p = Build("Headline\n date 2025-07-10 Trending\n");
    CHECK_FALSE(p.date_header);
    CHECK(p.header_date.empty());
  }
  {
    // After a BOM it is still line 1.
    Page p = Build("\xEF\xBB\xBF date 2025-07-10 Trending\n");
    CHECK(p.date_header);
    CHECK(p.header_date == "2025-07-10");
  }
  // Near misses.
  for (const char* s :
       {"date 2025-07-10 x\n", "  date 2025-07-10 x\n", " Date 2025-07-10 x\n",
        " date 2025-7-10 x\n", " date 2025/07/10 x\n", " date 2025-07-10x\n", " date 20250710 x\n",
        " date 2025-07-1\n", " date \n", "\n date 2025-07-10\n"}) {
    INFO("input: " << s);
    Page p = Build(s);
    CHECK_FALSE(p.date_header);
    CHECK(p.header_date.empty());
  }
}

TEST_CASE("page: the date header in a CRLF file", "[text][page]") {
  // Regression: the header check once ran on the raw line, '\r' included,
  // so a CRLF file whose first line is exactly " date YYYY-MM-DD" was not
  // detected (" date 2025-07-10 Title\r\n" was: a space follows the date).
  Page ok = Build(" date 2025-07-10 Title\r\nx\r\n");
  CHECK(ok.date_header);
  Page p = Build(" date 2025-07-10\r\nHeadline\r\n");
  CHECK(p.had_crlf);
  CHECK(p.date_header);
  CHECK(p.header_date == "2025-07-10");
}

TEST_CASE("page: Clear resets a page for reuse", "[text][page]") {
  Page p;
  std::string error;
  REQUIRE(BuildPage("\xEF\xBB\xBF date 2025-07-10 x\r\nbad \xFF\n", Options(), &p, &error));
  CHECK(p.had_bom);
  p.Clear();
  REQUIRE(BuildPage("plain\n", Options(), &p, &error));
  CHECK(Lines(p) == std::vector<std::string>{"plain"});
  CHECK_FALSE(p.had_bom);
  CHECK_FALSE(p.had_crlf);
  CHECK_FALSE(p.date_header);
  CHECK(p.header_date.empty());
  CHECK(p.invalid_utf8 == 0);
  CHECK(p.input_bytes == 6);
}

// --- ReadInput ---------------------------------------------------------------

TEST_CASE("page: ReadInput reads a file and reports missing files and directories",
          "[text][page]") {
  std::string dir = TempDir();
  std::string path = dir + "/page.txt";
  std::string data("line one\r\nline \xFF two\n\n", 21);
  WriteFile(path, data);
  std::string bytes = "stale", error;
  REQUIRE(ReadInput(path, &bytes, &error));
  CHECK(bytes == data);

  error.clear();
  CHECK_FALSE(ReadInput(dir + "/missing.txt", &bytes, &error));
  CHECK_FALSE(error.empty());
  CHECK_THAT(error, Catch::Contains("No such file"));

  error.clear();
  CHECK_FALSE(ReadInput(dir, &bytes, &error));
  CHECK_THAT(error, Catch::Contains("directory"));

  // An empty file is fine.
  WriteFile(dir + "/empty.txt", "");
  REQUIRE(ReadInput(dir + "/empty.txt", &bytes, &error));
  CHECK(bytes.empty());
}

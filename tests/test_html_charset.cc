// Charset sniffing and decoding of HTML bytes to UTF-8.
#include <catch2/catch.hpp>

#include <iconv.h>

#include <nlohmann/json.hpp>

#include "cleaner/html/charset.h"
#include "test_support.h"

using namespace clean;
using clean::testing::RunClean;
using clean::testing::TempDir;
using clean::testing::WriteIn;

namespace {
std::string Decode(const std::string& bytes, CharsetInfo* info) {
  std::string scratch;
  return std::string(DecodeToUtf8(bytes, &scratch, info));
}

// `utf8` encoded in `charset` by glibc's iconv: the bytes a page written in
// that charset has (REQUIREs that every character has a byte sequence).
std::string Encode(const std::string& utf8, const char* charset) {
  iconv_t cd = iconv_open(charset, "UTF-8");
  REQUIRE(cd != reinterpret_cast<iconv_t>(-1));
  std::string out(utf8.size() * 4 + 16, '\0');
  char* in = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  char* o = out.data();
  size_t o_left = out.size();
  size_t r = iconv(cd, &in, &in_left, &o, &o_left);
  iconv_close(cd);
  REQUIRE(r != static_cast<size_t>(-1));
  out.resize(out.size() - o_left);
  return out;
}

// News pages in their own scripts, with no charset declaration.
const std::string kFrench =
    "<html><head><title>Le café de l’été</title></head><body><p>Le café est très bon à "
    "Paris — c’est ce qu’affirment les élèves. « Où est la gare ? » demande-t-on, et "
    "l’été dernier nous sommes allés à la plage : c’était génial, même à 5 €.</p>"
    "</body></html>";
const std::string kRussian =
    "<html><head><title>Новости</title></head><body><p>Москва — столица России, "
    "крупнейший по численности населения город страны. Город расположен на реке "
    "Москве.</p></body></html>";
const std::string kJapanese =
    "<html><head><title>ニュース</title></head><body><p>東京都は今日、新しい交通計画を"
    "発表しました。この計画では、公共交通機関の利用を促進するため、バスと電車の運賃を"
    "引き下げる予定です。</p></body></html>";
const std::string kChinese =
    "<html><head><title>新闻</title></head><body><p>北京市政府今天宣布了一项新的交通计划。"
    "该计划旨在鼓励市民使用公共交通工具，降低公交车和地铁的票价。</p></body></html>";
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
  CHECK(Decode("<meta charset=utf-8><p>a\xFF"
               "b</p>",
               &info)
            .size() > 0);
  CHECK(info.name == "utf-8");
  CHECK(info.replaced == 1);
  // A declared charset iconv does not know is skipped.
  CHECK(Decode("<meta charset=no-such-charset>\xE9", &info).find("é") != std::string::npos);
  CHECK(info.name == "windows-1252");
}

TEST_CASE("charset: undeclared non-UTF-8 pages are detected", "[html][charset]") {
  struct Case {
    const std::string& text;
    const char* charset;
    std::string want;
  } cases[] = {{kFrench, "WINDOWS-1252", "windows-1252"},
               {kRussian, "WINDOWS-1251", "windows-1251"},
               {kJapanese, "SHIFT_JIS", "shift_jis"},
               {kChinese, "GB18030", "gb18030"}};
  for (const auto& c : cases) {
    INFO(c.charset);
    CharsetInfo info;
    CHECK(Decode(Encode(c.text, c.charset), &info) == c.text);
    CHECK(info.name == c.want);
    CHECK(info.source == "detected");
    CHECK(info.replaced == 0);
  }
}

TEST_CASE("charset: a declaration the bytes are not valid in is replaced by detection",
          "[html][charset]") {
  CharsetInfo info;
  // Declared UTF-8 (the usual mistake) over windows-1251 bytes.
  std::string page = "<meta charset=utf-8>" + Encode(kRussian, "WINDOWS-1251");
  CHECK(Decode(page, &info) == "<meta charset=utf-8>" + kRussian);
  CHECK(info.name == "windows-1251");
  CHECK(info.source == "detected");
  // Declared Shift_JIS over GB18030 bytes that Shift_JIS cannot decode.
  std::string gb = Encode(kChinese, "GB18030");
  size_t r = 0;
  std::string scratch;
  REQUIRE_FALSE(DecodeCharset(gb, "shift_jis", true, &scratch, &r));
  CHECK(Decode("<meta charset=shift_jis>" + gb, &info) == "<meta charset=shift_jis>" + kChinese);
  CHECK(info.name == "gb18030");
  CHECK(info.source == "detected");
  // A declaration the bytes are valid in is kept, whatever a guess says.
  std::string declared = "<meta charset=windows-1251>" + Encode(kRussian, "WINDOWS-1251");
  CHECK(Decode(declared, &info) == "<meta charset=windows-1251>" + kRussian);
  CHECK(info.source == "declared");
}

TEST_CASE("charset: a forced charset wins over BOM, UTF-8 and declarations", "[html][charset]") {
  CharsetInfo info;
  std::string scratch;
  CharsetChoice forced{"Windows-1251"};
  std::string page = "<meta charset=shift_jis>" + Encode(kRussian, "WINDOWS-1251");
  CHECK(std::string(DecodeToUtf8(page, &scratch, &info, forced)) ==
        "<meta charset=shift_jis>" + kRussian);
  CHECK(info.name == "windows-1251");
  CHECK(info.source == "forced");
  // Valid UTF-8 forced as latin-1 (windows-1252): read byte by byte.
  CHECK(std::string(DecodeToUtf8("caf\xC3\xA9", &scratch, &info, {"latin1"})) == "cafÃ©");
  CHECK(info.name == "windows-1252");
  CHECK(CharsetKnown("GB18030"));
  CHECK_FALSE(CharsetKnown("no-such-charset"));
}

TEST_CASE("charset: the CLI's --encoding, and the report's charset", "[html][charset][cli]") {
  std::string dir = TempDir();
  std::string sjis = WriteIn(dir, "sjis.html", Encode(kJapanese, "SHIFT_JIS"));
  auto detected = RunClean({sjis, "--report", dir + "/d.json"});
  REQUIRE_EXIT(detected, 0);
  CHECK(detected.out.find("東京都は今日") != std::string::npos);
  auto rep = nlohmann::json::parse(clean::testing::ReadFile(dir + "/d.json"));
  CHECK(rep["html"]["charset"]["name"] == "shift_jis");
  CHECK(rep["html"]["charset"]["found_by"] == "detected");

  // Forced to a wrong charset: decoded from it, and the report says so.
  auto forced = RunClean({"--encoding", "euc-jp", sjis, "--report", dir + "/f.json"});
  REQUIRE_EXIT(forced, 0);
  CHECK(forced.out.find("東京都は今日") == std::string::npos);
  rep = nlohmann::json::parse(clean::testing::ReadFile(dir + "/f.json"));
  CHECK(rep["html"]["charset"]["name"] == "euc-jp");
  CHECK(rep["html"]["charset"]["found_by"] == "forced");

  // A text page in windows-1251.
  std::string text =
      "Москва — столица России, крупнейший по численности населения город "
      "страны, и город расположен на реке Москве, как и прежде.\n";
  auto t = RunClean({"--explain", "--input", "text", "--encoding", "windows-1251", "-"},
                    Encode(text, "WINDOWS-1251"));
  REQUIRE_EXIT(t, 0);
  CHECK(t.out.find("Москва — столица России") != std::string::npos);

  auto unknown = RunClean({"--encoding", "no-such-charset", sjis});
  REQUIRE_EXIT(unknown, 2);
  CHECK(unknown.err.find("--encoding: unknown charset 'no-such-charset'") != std::string::npos);
  auto jsonl = RunClean({"--jsonl", "--encoding", "utf-8", "-"}, "{\"text\":\"x\"}\n");
  REQUIRE_EXIT(jsonl, 2);
  CHECK(jsonl.err.find("--encoding has no effect in JSONL mode") != std::string::npos);
}

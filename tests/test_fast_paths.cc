// The fast paths of the byte loops (AVX2, SSE2 or SWAR blocks, tables, tails
// read with overlapping loads), each against a simple byte-by-byte
// reference on generated strings: specials at and across 8-, 16-, 32- and
// 64-byte boundaries, multi-byte UTF-8 split by them, invalid bytes. The
// tests of the paths with AVX2 variants run twice (VARIANT): with them
// (where the CPU has AVX2) and with the baseline.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "cleaner/base/avx2_dispatch.h"
#include "cleaner/base/byte_scan.h"
#include "cleaner/json/json_scan.h"
#include "cleaner/json/json_writer.h"
#include "cleaner/report/run_stats.h"
#include "cleaner/report/span_report.h"
#include "cleaner/base/swar.h"
#include "cleaner/base/text_util.h"
#include "tests/test_support.h"

using namespace clean;

// Runs the rest of the test case twice: with the AVX2 variants of the byte
// loops (where the CPU has them) and without.
#define VARIANT()                                \
  const bool use_avx2 = GENERATE(true, false);   \
  avx2::ScopedForTesting avx2_variant(use_avx2); \
  INFO("AVX2 variants " << (avx2::Enabled() ? "on" : "off"))

namespace {

// Strings of every length up to `max_len` and then some, drawn from
// `alphabet` (whole pieces: a multi-byte character stays one piece).
std::vector<std::string> Generate(const std::vector<std::string>& alphabet, size_t max_len,
                                  size_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::string> out;
  for (size_t k = 0; k < count; ++k) {
    size_t len = k <= max_len ? k : rng() % (max_len + 1);
    std::string s;
    while (s.size() < len) s += alphabet[rng() % alphabet.size()];
    out.push_back(s);
  }
  // The same special at each offset of a plain run, and a 2-, 3- and
  // 4-byte character across each block boundary.
  for (const std::string& special :
       {std::string("\""), std::string("\\"), std::string("\n"), std::string("\x01"),
        std::string("\xC3\xA9"), std::string("\xE2\x82\xAC"), std::string("\xF0\x9F\x98\x80"),
        std::string("\xFF")})
    for (size_t at = 0; at < 70; ++at)
      out.push_back(std::string(at, 'a') + special + std::string(70 - at, 'b'));
  return out;
}

// Plain letters, spaces, every kind of byte the fast paths stop at, valid
// multi-byte characters and invalid bytes.
const std::vector<std::string> kMixed = {"a",
                                         "b",
                                         "word ",
                                         " ",
                                         "\t",
                                         "\r",
                                         "\n",
                                         "\f",
                                         "\v",
                                         "\"",
                                         "\\",
                                         "/",
                                         "\x01",
                                         "\x1f",
                                         std::string("\0", 1),
                                         "\x7f",
                                         "\xC3\xA9",
                                         "\xE2\x82\xAC",
                                         "\xF0\x9F\x98\x80",
                                         "\xFF",
                                         "\x80",
                                         "\xC3",
                                         "\xED\xA0\x80",
                                         "\xEF\xBB\xBF",
                                         "0123456789abcdef"};

std::string ReferenceEscaped(std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

size_t ReferenceRepaired(std::string_view s, std::string* out) {
  size_t bad = 0;
  for (size_t i = 0; i < s.size();) {
    size_t len = Utf8SequenceLength(s, i);
    if (len) {
      out->append(s.substr(i, len));
      i += len;
    } else {
      out->append("\xEF\xBF\xBD");
      ++bad;
      ++i;
    }
  }
  return bad;
}

// The reader's split, line by line: a BOM dropped, lines on '\n' or a CR
// no '\n' follows, trimmed of ASCII whitespace; code points counted byte by
// byte.
std::vector<CodePointSpan> ReferenceSpans(std::string_view s, size_t max_lines) {
  auto code_points = [](std::string_view t) {
    uint64_t n = 0;
    for (unsigned char c : t) n += (c & 0xC0) != 0x80;
    return n;
  };
  std::vector<CodePointSpan> out;
  uint64_t cp = 0;
  size_t pos = 0;
  if (s.substr(0, 3) == "\xEF\xBB\xBF") {
    pos = 3;
    cp = 1;
  }
  while (pos < s.size() && out.size() < max_lines) {
    size_t end = pos;
    while (end < s.size() && s[end] != '\n' &&
           !(s[end] == '\r' && (end + 1 == s.size() || s[end + 1] != '\n')))
      ++end;
    std::string_view raw = s.substr(pos, end - pos);
    std::string_view t = TrimAscii(raw);
    uint64_t start = cp + code_points(raw.substr(0, static_cast<size_t>(t.data() - raw.data())));
    out.push_back({start, start + code_points(t)});
    cp += code_points(raw) + 1;
    pos = end + 1;
  }
  return out;
}

template <typename Kind>
void CheckFind(const std::vector<std::string>& inputs) {
  for (const std::string& s : inputs) {
    for (size_t i = 0; i <= s.size(); ++i) {
      size_t want = i;
      while (want < s.size() && !Kind::Byte(static_cast<unsigned char>(s[want]))) ++want;
      size_t got = byte_scan::Find<Kind>(s.data(), i, s.size());
      if (got != want) {
        INFO("input " << nlohmann::json(s).dump(-1, ' ', true,
                                                nlohmann::json::error_handler_t::replace)
                      << " from " << i);
        CHECK(got == want);
      }
    }
  }
}

// A JSON string body (what is between the quotes) decoded one byte at a
// time: false when the scanner must reject it (a raw quote or control
// byte, a bad escape, invalid UTF-8). A lone surrogate escape is U+FFFD.
bool ReferenceJsonDecode(std::string_view body, std::string* out) {
  auto hex = [&](size_t at, uint32_t* v) {
    if (at + 4 > body.size()) return false;
    *v = 0;
    for (size_t k = at; k < at + 4; ++k) {
      char c = body[k];
      int d = c >= '0' && c <= '9'   ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                     : -1;
      if (d < 0) return false;
      *v = *v * 16 + static_cast<uint32_t>(d);
    }
    return true;
  };
  out->clear();
  for (size_t i = 0; i < body.size();) {
    unsigned char c = static_cast<unsigned char>(body[i]);
    if (c == '"' || c < 0x20) return false;
    if (c >= 0x80) {
      size_t len = Utf8SequenceLength(body, i);
      if (!len) return false;
      out->append(body.substr(i, len));
      i += len;
      continue;
    }
    if (c != '\\') {
      out->push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    if (i + 1 >= body.size()) return false;
    char e = body[i + 1];
    const std::string_view shorts = "\"\\/bfnrt", bytes = "\"\\/\b\f\n\r\t";
    if (size_t k = shorts.find(e); k != std::string_view::npos) {
      out->push_back(bytes[k]);
      i += 2;
      continue;
    }
    uint32_t cp, lo;
    if (e != 'u' || !hex(i + 2, &cp)) return false;
    i += 6;
    if (cp >= 0xD800 && cp <= 0xDBFF && body.substr(i, 2) == "\\u" && hex(i + 2, &lo) &&
        lo >= 0xDC00 && lo <= 0xDFFF) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      i += 6;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
    Utf8Append(cp, out);
  }
  return true;
}

}  // namespace

TEST_CASE("fast paths: the AVX2 variants run where the CPU has AVX2", "[text][fast]") {
#if defined(__x86_64__) && defined(__SSE2__)
  __builtin_cpu_init();
  const bool cpu = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
                   __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("popcnt");
  CHECK(avx2::Supported() == cpu);
  CHECK(avx2::Enabled() == cpu);
  if (!cpu) WARN("no AVX2 here: the tests check the baseline paths only");
#else
  CHECK_FALSE(avx2::Supported());  // the portable build: baseline only
#endif
  {
    avx2::ScopedForTesting off(false);
    CHECK_FALSE(avx2::Enabled());
  }
  CHECK(avx2::Enabled() == avx2::Supported());
}

TEST_CASE("fast paths: swar::Popcount equals the builtin", "[text][fast]") {
  std::mt19937_64 rng(1);
  std::vector<uint64_t> values = {0, 1, ~uint64_t{0}, uint64_t{1} << 63, swar::kHigh, swar::kOnes};
  for (int k = 0; k < 10000; ++k) values.push_back(rng() & rng());  // sparse and dense
  for (int k = 0; k < 64; ++k) values.push_back((uint64_t{1} << k) - 1);
  for (uint64_t v : values) {
    INFO(v);
    CHECK(swar::Popcount(v) == __builtin_popcountll(v));
  }
}

TEST_CASE("fast paths: byte_scan::Find stops where a byte loop stops", "[text][fast]") {
  auto inputs = Generate(kMixed, 80, 600, 2);
  CheckFind<byte_scan::JsonSpecial>(inputs);
  CheckFind<byte_scan::JsonStringStop>(inputs);
  CheckFind<byte_scan::NonAscii>(inputs);
  CheckFind<byte_scan::Backslash>(inputs);
}

TEST_CASE("fast paths: AppendJsonEscaped equals a byte-by-byte reference", "[report][json][fast]") {
  VARIANT();
  std::vector<std::string> inputs = Generate(kMixed, 90, 3000, 3);
  for (const std::string& s : Generate(kMixed, 3000, 60, 13)) inputs.push_back(s);
  for (const std::string& s : inputs) {
    std::string got = "prefix";  // appends, keeping what is there
    AppendJsonEscaped(s, &got);
    CHECK(got == "prefix" + ReferenceEscaped(s));
  }
}

TEST_CASE("fast paths: AppendJsonEscaped through a StagedAppend equals the reference",
          "[report][json][fast]") {
  VARIANT();
  // Many strings through one StagedAppend, its block filled and flushed
  // mid-string, with plain appends of every size between them.
  std::vector<std::string> inputs = Generate(kMixed, 90, 3000, 5);
  for (const std::string& s : Generate(kMixed, 30000, 40, 6)) inputs.push_back(s);
  std::string got = "prefix", want = "prefix";
  {
    StagedAppend staged(&got);
    size_t k = 0;
    for (const std::string& s : inputs) {
      AppendJsonEscaped(s, &staged);
      want += ReferenceEscaped(s);
      std::string plain(k++ % (StagedAppend::kSize + 100), 'p');
      staged.Append(plain);
      staged.Append(',');
      want += plain + ",";
    }
  }
  CHECK(got.size() == want.size());
  CHECK(got == want);
}

TEST_CASE("fast paths: WriteDecimal equals std::to_chars", "[report][json][fast]") {
  std::vector<uint64_t> values;
  for (uint64_t v = 0; v < 200000; ++v) values.push_back(v);
  for (uint64_t p = 1; p <= 10000000000000000000u; p *= 10)
    for (uint64_t v : {p - 1, p, p + 1, 2 * p - 1, 9 * p}) values.push_back(v);
  values.push_back(~uint64_t{0});
  std::mt19937_64 rng(7);
  for (int k = 0; k < 100000; ++k) values.push_back(rng() >> (rng() % 64));
  for (uint64_t v : values) {
    char got[kMaxDecimal + 8], want[kMaxDecimal + 8];
    std::string_view a(got, static_cast<size_t>(WriteDecimal(v, got) - got));
    char* want_end = std::to_chars(want, want + sizeof want, v).ptr;
    std::string_view b(want, static_cast<size_t>(want_end - want));
    if (a != b) {
      INFO(v);
      CHECK(a == b);
    }
  }
}

namespace {

// The span report line as a plain writer makes it: the spans from
// ReferenceSpans, the lines grouped by class in ClassName order, then by
// decider in rule-set order, each [start, end, score] (1.0 without a score).
std::string ReferenceSpanReport(std::string_view id_json, const std::vector<CodePointSpan>& spans,
                                const CleanResult& r) {
  const auto& ds = r.decisions();
  const auto& deciders = r.rules->deciders();
  const size_t lines = std::min(ds.size(), spans.size());
  auto entry = [&](size_t i) {
    double score = 1.0;
    if (r.line_scores && i < r.line_scores->size() && !std::isnan((*r.line_scores)[i]))
      score = (*r.line_scores)[i];
    return nlohmann::ordered_json{spans[i].start, spans[i].end, score};
  };
  nlohmann::ordered_json attributes = nlohmann::ordered_json::object();
  for (int c = 0; c < kNumClasses; ++c) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (size_t i = 0; i < lines; ++i)
      if (!ds[i].blank && ds[i].cls == static_cast<LineClass>(c)) list.push_back(entry(i));
    attributes["clean__" + std::string(ClassName(static_cast<LineClass>(c)))] = list;
  }
  for (size_t d = 0; d < deciders.size(); ++d) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (size_t i = 0; i < lines; ++i)
      if (!ds[i].blank && ds[i].decider == d) list.push_back(entry(i));
    if (!list.empty()) attributes["clean__rule__" + deciders[d].id] = list;
  }
  nlohmann::ordered_json line;
  line["id"] = nlohmann::ordered_json::parse(id_json.empty() ? "null" : id_json);
  line["version"] = kSpanReportVersion;
  line["offsets"] = r.html ? "rendered" : "text";
  line["attributes"] = attributes;
  return line.dump() + "\n";
}

std::string ReferenceSpanReport(std::string_view id_json, std::string_view original,
                                const CleanResult& r) {
  return ReferenceSpanReport(id_json, ReferenceSpans(original, r.decisions().size()), r);
}

// The fixtures' input pages (in the repository: always there).
std::vector<std::string> FixturePages() {
  std::vector<std::string> pages;
  for (const auto& e : std::filesystem::recursive_directory_iterator(CLEAN_FIXTURES_DIR))
    if (e.path().filename() == "input.txt") pages.push_back(testing::ReadFile(e.path().string()));
  REQUIRE(pages.size() > 10);
  return pages;
}

}  // namespace

TEST_CASE("fast paths: RunStats::Add counts as a line-by-line loop", "[jsonl][fast]") {
  const RuleSet& rules = testing::ProjectRules();
  Cleaner cleaner(rules, Options(), nullptr);
  CleanResult r;
  std::string error;
  RunStats stats;
  ClassCounts total;
  std::vector<uint64_t> rule_lines(rules.deciders().size() * kNumClasses),
      rule_bytes(rule_lines.size());
  KeepSet keep;  // body, and titles: text_bytes_out is the clean text's size
  keep.keep[static_cast<int>(LineClass::kTitle)] = true;
  uint64_t text_bytes = 0;
  for (const std::string& text : FixturePages()) {
    REQUIRE(cleaner.Clean("x", text, &r, &error));
    ClassCounts page = stats.Add(rules, r, keep);
    std::string clean_text;
    WriteCleanText(r, keep, &clean_text);
    text_bytes += clean_text.size();
    ClassCounts want = CountClasses(r);
    CHECK(page.lines == want.lines);
    CHECK(page.bytes == want.bytes);
    for (size_t i = 0; i < r.decisions().size(); ++i) {
      const Decision& d = r.decisions()[i];
      if (d.blank) continue;
      size_t slot = d.decider * kNumClasses + static_cast<size_t>(d.cls);
      ++rule_lines[slot];
      rule_bytes[slot] += r.page->line(i).size();
      ++total.lines[static_cast<size_t>(d.cls)];
      total.bytes[static_cast<size_t>(d.cls)] += r.page->line(i).size();
    }
  }
  CHECK(stats.rule_lines == rule_lines);
  CHECK(stats.rule_bytes == rule_bytes);
  CHECK(stats.classes.lines == total.lines);
  CHECK(stats.classes.bytes == total.bytes);
  CHECK(stats.text_bytes_out == text_bytes);
}

TEST_CASE("fast paths: WriteSpanReport equals a plain writer's line", "[jsonl][fast]") {
  VARIANT();
  // Pages of the fixtures (every class the rules give), each also behind a
  // BOM and with CRLF, blank and space-only lines, and many times over (an
  // output longer than a StagedAppend block, lines past every 16-line
  // group of the class pass).
  const std::vector<std::string> pages = FixturePages();
  std::vector<std::string> variants;
  for (const std::string& p : pages) {
    variants.push_back(p);
    std::string crlf = "\xEF\xBB\xBF  \t\n";
    for (char c : p) crlf += c == '\n' ? std::string(" \r\n\n   \n") : std::string(1, c);
    variants.push_back(crlf);
  }
  std::string big;
  for (const std::string& p : pages) big += p + "\n\xC3\xA9 caf\xC3\xA9\n";
  variants.push_back(big);
  Cleaner cleaner(testing::ProjectRules(), Options(), nullptr);
  CleanResult r;
  std::string error;
  for (const std::string& text : variants) {
    REQUIRE(cleaner.Clean("x", text, &r, &error));
    for (std::string_view id :
         {std::string_view("\"doc-1\""), std::string_view("17"), std::string_view("")}) {
      std::string got = "prefix";
      WriteSpanReport(id, text, r, &got);
      CHECK(got == "prefix" + ReferenceSpanReport(id, text, r));
    }
  }
}

TEST_CASE("fast paths: WriteSpanReport writes offsets of any size as a plain writer",
          "[jsonl][fast]") {
  VARIANT();
  // Offsets around the bounds of the two-lane digit pass (2^26, 10^8,
  // 2^32) and up to the largest, one or both of a span's past them, every
  // length of number: the pass and its fallback give the same text.
  const std::string text = "a\nb\nc\n\nd\n";
  Cleaner cleaner(testing::ProjectRules(), Options(), nullptr);
  CleanResult r;
  std::string error;
  REQUIRE(cleaner.Clean("x", text, &r, &error));
  const size_t lines = r.decisions().size();
  REQUIRE(lines >= 4);
  std::vector<uint64_t> values = {0,    1,     9,        10,        99,          100,
                                  9999, 10000, 99999999, 100000000, ~uint64_t{0}};
  for (uint64_t p = 1; p <= 10000000000000000000u; p *= 10) values.push_back(p);
  for (int k = 20; k <= 63; ++k)
    for (int d = -1; d <= 1; ++d) values.push_back((uint64_t{1} << k) + static_cast<uint64_t>(d));
  std::mt19937_64 rng(11);
  for (int k = 0; k < 3000; ++k) values.push_back(rng() >> (rng() % 64));
  std::vector<CodePointSpan> spans(lines);
  for (size_t k = 0; k < values.size(); ++k) {
    for (size_t i = 0; i < lines; ++i)
      spans[i] = {values[(k + i) % values.size()], values[(k + 3 * i + 1) % values.size()]};
    std::string got = "prefix";
    WriteSpanReport("7", spans, r, &got);
    if (got != "prefix" + ReferenceSpanReport("7", spans, r)) {
      INFO(k);
      CHECK(got == "prefix" + ReferenceSpanReport("7", spans, r));
    }
  }
}

TEST_CASE("fast paths: WriteSpanReport keeps rule ids apart across rule sets", "[jsonl][fast]") {
  VARIANT();
  // Two rule sets whose first rule has another id at the same index, one
  // of them too long for a fragment's slot, reported one after the other:
  // the fragments kept between records must follow the rule set.
  const std::string long_id =
      "g.a-rule-id-much-longer-than-thirty-two-bytes-" + std::string(60, 'x');
  auto a = testing::LoadRules("line g.nav navigation /^Menu/\n");
  auto b = testing::LoadRules("line " + long_id + " navigation /^Menu/\n");
  auto c = testing::LoadRules("line g.n navigation /^Menu/\n");
  const std::string text = "Menu one\n" + testing::kP1 + "\nMenu two\n\n" + testing::kP2 + "\n";
  for (int round = 0; round < 3; ++round)
    for (const RuleSet* rules : {a.get(), b.get(), c.get(), b.get()}) {
      Cleaner cleaner(*rules, Options(), nullptr);
      CleanResult r;
      std::string error;
      REQUIRE(cleaner.Clean("x", text, &r, &error));
      std::string got;
      WriteSpanReport("1", text, r, &got);
      CHECK(got == ReferenceSpanReport("1", text, r));
    }
}

TEST_CASE("fast paths: WriteSpanReport writes line scores as a plain writer", "[jsonl][fast]") {
  VARIANT();
  // Scores exact in binary (the plain writer's double prints them as the
  // float's shortest text), NaN (1.0), and a list shorter than the page.
  const std::string text = FixturePages()[0];
  Cleaner cleaner(testing::ProjectRules(), Options(), nullptr);
  CleanResult r;
  std::string error;
  REQUIRE(cleaner.Clean("x", text, &r, &error));
  const size_t lines = r.decisions().size();
  REQUIRE(lines > 4);
  const float exact[] = {0.5f, 0.25f, 0.0f, 0.75f, 1.0f, std::nanf(""), 0.015625f, 2.0f, -0.5f};
  std::vector<float> scores(lines);
  for (size_t i = 0; i < lines; ++i) scores[i] = exact[i % std::size(exact)];
  for (size_t size : {lines, lines / 2, size_t{0}}) {
    std::vector<float> given(scores.begin(), scores.begin() + static_cast<ptrdiff_t>(size));
    r.line_scores = &given;
    std::string got;
    WriteSpanReport("1", text, r, &got);
    CHECK(got == ReferenceSpanReport("1", text, r));
  }
  // Any float reads back as itself, a JSON number in every attribute.
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  for (float& s : scores) s = unit(rng);
  r.line_scores = &scores;
  std::string got;
  WriteSpanReport("1", text, r, &got);
  const auto line = nlohmann::json::parse(got);
  std::vector<CodePointSpan> spans = ReferenceSpans(text, lines);
  size_t checked = 0;
  for (const auto& [key, list] : line["attributes"].items())
    for (const auto& e : list) {
      REQUIRE(e[2].is_number_float());
      size_t i = 0;  // the line of the span
      while (i < lines && (r.decisions()[i].blank || spans[i].start != e[0].get<uint64_t>() ||
                           spans[i].end != e[1].get<uint64_t>()))
        ++i;
      REQUIRE(i < lines);
      CHECK(static_cast<float>(e[2].get<double>()) == scores[i]);
      ++checked;
    }
  CHECK(checked > 4);
  r.line_scores = nullptr;
}

TEST_CASE("fast paths: AppendRepaired equals a byte-by-byte reference", "[text][fast]") {
  for (const std::string& s : Generate(kMixed, 90, 3000, 4)) {
    std::string got = "x", want = "x";
    size_t bad = AppendRepaired(s, &got);
    CHECK(bad == ReferenceRepaired(s, &want));
    CHECK(got == want);
  }
}

TEST_CASE("fast paths: DecodeJsonString undoes every form of escape", "[jsonl][fast]") {
  VARIANT();
  // Valid UTF-8 only (what a string token holds), each character written
  // as the writer escapes it (raw, or its short escape) or as \u escapes (a
  // surrogate pair above U+FFFF), chosen at random.
  const std::vector<std::string> valid = {"a",
                                          "b",
                                          " ",
                                          "\t",
                                          "\n",
                                          "\r",
                                          "\b",
                                          "\f",
                                          "\"",
                                          "\\",
                                          "/",
                                          "\x01",
                                          std::string("\0", 1),
                                          "\xC3\xA9",
                                          "\xE2\x82\xAC",
                                          "\xF0\x9F\x98\x80",
                                          "plain words"};
  std::mt19937 rng(5);
  for (const std::string& s : Generate(valid, 90, 2000, 5)) {
    std::string repaired;
    if (ReferenceRepaired(s, &repaired) != 0) continue;  // a boundary case with invalid bytes
    std::string token = "\"";
    for (size_t i = 0; i < s.size();) {
      size_t len = Utf8SequenceLength(s, i);
      REQUIRE(len);
      uint32_t cp = Utf8Decode(s, i, len);
      if (rng() % 2) {  // as the writer escapes it; "/" as "\/"
        std::string one;
        AppendJsonEscaped(s.substr(i, len), &one);
        token += one == "\"/\"" ? "\\/" : one.substr(1, one.size() - 2);
      } else {  // \u escapes
        char buf[16];
        if (cp < 0x10000) {
          std::snprintf(buf, sizeof buf, "\\u%04X", cp);
        } else {
          uint32_t v = cp - 0x10000;
          std::snprintf(buf, sizeof buf, "\\u%04x\\u%04x", 0xD800 + (v >> 10),
                        0xDC00 + (v & 0x3FF));
        }
        token += buf;
      }
      i += len;
    }
    token += "\"";
    INFO("token " << token);
    std::string got = "kept";
    DecodeJsonString(token, &got);
    CHECK(got == "kept" + s);
  }
}

TEST_CASE("fast paths: ScanJsonObject accepts the records nlohmann::json accepts",
          "[jsonl][fast]") {
  VARIANT();
  // Random string values (raw bytes: valid and invalid UTF-8, controls,
  // escapes good and bad) in a record; no \u escapes, whose lone
  // surrogates the two treat differently.
  const std::vector<std::string> pieces = {"a",
                                           "b c",
                                           "\\n",
                                           "\\\"",
                                           "\\\\",
                                           "\\/",
                                           "\\t",
                                           "\\x",
                                           "\\",
                                           "\"",
                                           "\x01",
                                           "\x1f",
                                           "\x7f",
                                           "\xC3\xA9",
                                           "\xE2\x82\xAC",
                                           "\xF0\x9F\x98\x80",
                                           "\xFF",
                                           "\x80",
                                           "\xC3",
                                           "\xED\xA0\x80",
                                           "\xE0\x80\x80",
                                           "\xF4\x90\x80\x80",
                                           "0123456789abcdef"};
  JsonObjectScan scan;
  std::string error;
  size_t accepted = 0, rejected = 0;
  for (const std::string& s : Generate(pieces, 60, 4000, 6)) {
    std::string line = "{\"id\": 1, \"text\": \"" + s + "\", \"n\": [true, null]}";
    bool want = nlohmann::json::accept(line);
    bool got = ScanJsonObject(line, &scan, &error);
    (got ? accepted : rejected) += 1;
    if (got != want) {
      INFO("record " << nlohmann::json(line).dump(-1, ' ', true,
                                                  nlohmann::json::error_handler_t::replace));
      CHECK(got == want);
    }
  }
  CHECK(accepted > 100);  // both outcomes are exercised
  CHECK(rejected > 100);
}

TEST_CASE("fast paths: LineCodePointSpans equals a line-by-line reference", "[jsonl][fast]") {
  VARIANT();
  const std::vector<std::string> pieces = {
      "a",
      "word",
      " ",
      "  ",
      "\t",
      "\r",
      "\r\n",
      "\n",
      "\n\n",
      "\f",
      "\v",
      "\xC3\xA9",
      "\xE2\x82\xAC",
      "\xF0\x9F\x98\x80",
      "\xFF",
      "\x80",
      "\xC2\xA0",
      "a long stretch of plain text that crosses a block boundary",
      "                                                                         \t"};
  auto inputs = Generate(pieces, 300, 3000, 7);
  for (std::string& s : std::vector<std::string>(inputs)) inputs.push_back("\xEF\xBB\xBF" + s);
  inputs.push_back("\xEF\xBB\xBF");
  std::vector<CodePointSpan> got;
  for (const std::string& s : inputs) {
    for (size_t max_lines : {size_t{0}, size_t{1}, size_t{3}, size_t{1000}}) {
      LineCodePointSpans(s, max_lines, &got);
      std::vector<CodePointSpan> want = ReferenceSpans(s, max_lines);
      bool same = got.size() == want.size();
      for (size_t i = 0; same && i < got.size(); ++i)
        same = got[i].start == want[i].start && got[i].end == want[i].end;
      if (!same) {
        INFO("text " << nlohmann::json(s).dump(-1, ' ', true,
                                               nlohmann::json::error_handler_t::replace)
                     << " max_lines " << max_lines);
        CHECK(same);
      }
    }
  }
}

TEST_CASE("fast paths: what DecodeJsonString appends is valid UTF-8 (JSONL skips the repair)",
          "[jsonl][fast]") {
  VARIANT();
  // Cleaner::set_input_valid_utf8 lets JSONL records skip the reader's
  // repair pass on that promise: every string the scanner accepts, lone
  // surrogate escapes and raw bytes included, decodes to valid UTF-8.
  const std::vector<std::string> pieces = {"a",
                                           "\\n",
                                           "\\u0000",
                                           "\\u00e9",
                                           "\\u20ac",
                                           "\\ud800",
                                           "\\udc00",
                                           "\\udbff\\udfff",
                                           "\\ud83d\\ude00",
                                           "\\ud83d",
                                           "\\ude00\\ud83d",
                                           "\\uDFFF",
                                           "\xC3\xA9",
                                           "\xF0\x9F\x98\x80",
                                           "\xED\xA0\x80",
                                           "\xFF",
                                           "\\\\",
                                           "\\\""};
  JsonObjectScan scan;
  std::string error;
  size_t decoded = 0;
  for (const std::string& s : Generate(pieces, 60, 3000, 8)) {
    std::string line = "{\"text\": \"" + s + "\"}";
    if (!ScanJsonObject(line, &scan, &error)) continue;
    const JsonMember& m = scan.members[0];
    std::string out, repaired;
    DecodeJsonString(std::string_view(line).substr(m.value_begin, m.value_end - m.value_begin),
                     &out);
    INFO("record " << line);
    CHECK(AppendRepaired(out, &repaired) == 0);
    ++decoded;
  }
  CHECK(decoded > 1000);
}

TEST_CASE("fast paths: the scanner's decoded string values equal a byte-by-byte reference",
          "[jsonl][fast]") {
  VARIANT();
  // Bodies of two string members: escapes of every kind (good, bad,
  // surrogate pairs and lone halves, \u cut short), raw UTF-8 valid and
  // not, control bytes; each escape also at every offset across the
  // 16-byte blocks, the string ending near the line's end or far from it.
  const std::vector<std::string> pieces = {"a",
                                           "bc ",
                                           "0123456789abcdef",
                                           "\\n",
                                           "\\\"",
                                           "\\\\",
                                           "\\/",
                                           "\\b",
                                           "\\f",
                                           "\\r",
                                           "\\t",
                                           "\\u00e9",
                                           "\\u00E9",
                                           "\\u20ac",
                                           "\\u0000",
                                           "\\u001F",
                                           "\\ud83d\\ude00",
                                           "\\uDBFF\\uDFFF",
                                           "\\ud800",
                                           "\\udc00",
                                           "\\ude00\\ud83d",
                                           "\\ud83d\\u0041",
                                           "\\ud83d\\",
                                           "\\u12",
                                           "\\uZZZZ",
                                           "\\u00g0",
                                           "\\x",
                                           "\\",
                                           "\"",
                                           "\x01",
                                           "\x1f",
                                           "\x7f",
                                           "\xC3\xA9",
                                           "\xE2\x82\xAC",
                                           "\xF0\x9F\x98\x80",
                                           "\xFF",
                                           "\x80",
                                           "\xC3",
                                           "\xED\xA0\x80"};
  std::vector<std::string> bodies = Generate(pieces, 70, 4000, 9);
  for (const char* esc :
       {"\\n", "\\u00fc", "\\u2019", "\\ud83d\\ude00", "\\ud800", "\\u12", "\\q", "\xC3\xA9",
        "\xF0\x9F\x98\x80", "\xC3", "\x02", "\\", "\\u00e9\\n\\u00e4"})
    for (size_t at = 0; at < 80; ++at)
      bodies.push_back(std::string(at, 'a') + esc + std::string(80 - at, 'b'));
  for (const std::string& b : Generate(pieces, 1500, 150, 19)) bodies.push_back(b);
  // Long plain runs (many whole 32-byte blocks) between escapes.
  for (size_t run : {31, 32, 33, 63, 64, 65, 200})
    bodies.push_back(std::string(run, 'x') + "\\n" + std::string(run, 'y') + "\\u00e9" +
                     std::string(run, 'z') + "\xC3\xA9" + std::string(run, 'w'));
  bodies.push_back("");
  JsonObjectScan scan;
  std::string error, want1, want2;
  size_t accepted = 0, rejected = 0;
  for (size_t k = 0; k < bodies.size(); ++k) {
    const std::string& b1 = bodies[k];
    const std::string& b2 = bodies[(k * 7 + 3) % bodies.size()];
    bool ok1 = ReferenceJsonDecode(b1, &want1), ok2 = ReferenceJsonDecode(b2, &want2);
    for (const std::string& line : {"{\"id\": 1, \"a\": \"" + b1 + "\", \"n\": {\"x\": \"" + b2 +
                                        "\"}, \"b\": \"" + b2 + "\"}",
                                    "{\"b\":\"" + b2 + "\",\"a\":\"" + b1 + "\"}"}) {
      INFO("record " << nlohmann::json(line).dump(-1, ' ', true,
                                                  nlohmann::json::error_handler_t::replace));
      bool got = ScanJsonObject(line, &scan, &error);
      CHECK(got == (ok1 && ok2));
      (got ? accepted : rejected) += 1;
      if (!got) {
        CHECK(error.rfind("column ", 0) == 0);
        continue;
      }
      const JsonMember* a = FindMember(line, scan, "a");
      const JsonMember* b = FindMember(line, scan, "b");
      REQUIRE(a);
      REQUIRE(b);
      CHECK(scan.Decoded(*a) == want1);
      CHECK(scan.Decoded(*b) == want2);
      // DecodeJsonString on the token alone agrees, after what *out held.
      std::string alone = "kept";
      DecodeJsonString(std::string_view(line).substr(a->value_begin, a->value_end - a->value_begin),
                       &alone);
      CHECK(alone == "kept" + want1);
    }
  }
  CHECK(accepted > 500);  // both outcomes are exercised
  CHECK(rejected > 500);
}

TEST_CASE("fast paths: the scanner's 32-byte blocks of escapes equal the byte-by-byte reference",
          "[jsonl][fast]") {
  // Long bodies (the AVX2 scanner takes whole blocks while 75 bytes are
  // left on the line) dense with escapes: \u runs, surrogate pairs, lone
  // halves and a high half before another escape, runs of backslashes
  // (escaped quotes and backslashes), bad escapes, raw UTF-8 and controls,
  // at random offsets of the blocks; each record scanned with the AVX2
  // variants and without: the same decoded text, or the same error (column
  // and problem), and that of the reference.
  const std::vector<std::string> pieces = {"a",
                                           "b",
                                           " ",
                                           "word ",
                                           "\\n",
                                           "\\n",
                                           "\\\"",
                                           "\\\\",
                                           "\\\\\\\"",
                                           "\\\\\\\\",
                                           "\\/",
                                           "\\t",
                                           "\\u00e9",
                                           "\\u00E9",
                                           "\\u0041",
                                           "\\u0000",
                                           "\\u041f\\u0440\\u0438",
                                           "\\u2019",
                                           "\\uFFFF",
                                           "\\ud83d\\ude00",
                                           "\\uDBFF\\uDFFF",
                                           "\\ud800",
                                           "\\udc00",
                                           "\\ud83d\\u0041",
                                           "\\ud83d\\n",
                                           "\\ud83d\\ud83d\\ude00",
                                           "\\ude00\\ud83d",
                                           "\xC3\xA9",
                                           "\xE2\x82\xAC",
                                           "\xF0\x9F\x98\x80"};
  const std::vector<std::string> bad = {"\\u12", "\\uZZZZ", "\\u00g0", "\\x",  "\\\x01",     "\"",
                                        "\x01",  "\x1f",    "\xFF",    "\xC3", "\\\xC3\xA9", "\\"};
  std::mt19937 rng(31);
  std::vector<std::string> bodies;
  for (int k = 0; k < 3000; ++k) {
    std::string b;
    const size_t len = 40 + rng() % 400;
    while (b.size() < len) b += pieces[rng() % pieces.size()];
    if (k % 4 == 0) b.insert(rng() % (b.size() + 1), bad[rng() % bad.size()]);
    bodies.push_back(b);
  }
  // Each escape at each offset of a 32-byte block, and across its end.
  for (const char* esc : {"\\u00fc", "\\ud83d\\ude00", "\\ud800\\u0041", "\\\\\\\"", "\\\\",
                          "\\n\\u2019", "\\uZZZZ", "\\\""})
    for (size_t at = 0; at < 70; ++at)
      bodies.push_back(std::string(at, 'a') + esc + std::string(100, 'b') + esc);
  std::string want;
  JsonObjectScan scan;
  size_t accepted = 0, rejected = 0;
  for (const std::string& body : bodies) {
    for (const std::string& line :
         {"{\"a\": \"" + body + "\", \"rest\": \"" + std::string(80, 'r') + "\"}",
          "{\"a\": \"" + body + "\"}"}) {
      INFO("record " << nlohmann::json(line).dump(-1, ' ', true,
                                                  nlohmann::json::error_handler_t::replace));
      const bool ok = ReferenceJsonDecode(body, &want);
      // With the AVX2 switch on (twice) and off: the decoder has one path
      // now, which the switch must not change.
      std::string got[3], error[3];
      bool scanned[3];
      for (int v = 0; v < 3; ++v) {
        avx2::ScopedForTesting variant(v < 2);
        scanned[v] = ScanJsonObject(line, &scan, &error[v]);
        if (scanned[v]) got[v] = std::string(scan.Decoded(scan.members[0]));
      }
      CHECK(scanned[0] == ok);
      CHECK(scanned[1] == ok);
      CHECK(scanned[2] == ok);
      if (ok) {
        CHECK(got[0] == want);
        CHECK(got[1] == want);
        CHECK(got[2] == want);
        ++accepted;
      } else {
        CHECK(error[0] == error[2]);
        CHECK(error[1] == error[2]);
        ++rejected;
      }
    }
  }
  CHECK(accepted > 1000);  // both outcomes are exercised
  CHECK(rejected > 500);
}

// BuildPage (cleaner/text/page.h) against a plain reference: the per-line reader
// its one-scan splitter replaced (memchr for each newline, TrimAscii, then
// AppendRepaired, which also counts invalid sequences), kept here as the
// definition of Page. Both must build the same page, with and without the
// caller vouching for valid UTF-8, from every dataset page and seed and from
// generated inputs made to hit the splitter's edges: 16-byte block
// boundaries, multi-byte UTF-8 split across them, invalid sequences
// anywhere (the splitter then starts over on the per-line path), lines to
// trim or not, CR, a BOM, the date header, no final newline.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "cleaner/base/avx2_dispatch.h"
#include "cleaner/base/options.h"
#include "cleaner/text/page.h"
#include "cleaner/report/span_report.h"
#include "cleaner/base/text_util.h"
#include "tests/test_support.h"

namespace fs = std::filesystem;
using namespace clean;

namespace {

// The page of valid (already trimmed of a BOM) or invalid bytes, one line
// at a time.
Page ReferencePage(std::string_view bytes) {
  Page page;
  page.input_bytes = bytes.size();
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    page.had_bom = true;
    bytes.remove_prefix(3);
  }
  page.final_newline = !bytes.empty() && (bytes.back() == '\n' || bytes.back() == '\r');
  size_t start = 0;
  while (start < bytes.size()) {
    // A line ends at '\n' or at a CR that no '\n' follows.
    size_t end = start;
    while (end < bytes.size() && bytes[end] != '\n' &&
           !(bytes[end] == '\r' && (end + 1 == bytes.size() || bytes[end + 1] != '\n')))
      ++end;
    std::string_view raw = bytes.substr(start, end - start);
    if (!raw.empty() && raw.back() == '\r') page.had_crlf = true;
    if (page.lines.empty()) {
      std::string_view first = raw;
      if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
      // " date YYYY-MM-DD", then a space or nothing.
      const bool date = first.size() >= 16 && first.substr(0, 6) == " date " &&
                        std::all_of(first.begin() + 6, first.begin() + 16,
                                    [](char c) { return (c >= '0' && c <= '9') || c == '-'; }) &&
                        first[10] == '-' && first[13] == '-' &&
                        std::count(first.begin() + 6, first.begin() + 16, '-') == 2 &&
                        (first.size() == 16 || first[16] == ' ');
      page.date_header = date;
      if (date) page.header_date = std::string(first.substr(6, 10));
    }
    LineSpan span;
    span.begin = static_cast<uint32_t>(page.text.size());
    page.invalid_utf8 += AppendRepaired(TrimAscii(raw), &page.text);
    span.end = static_cast<uint32_t>(page.text.size());
    page.text.push_back('\n');
    page.lines.push_back(span);
    start = end + 1;
  }
  return page;
}

bool ValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = Utf8SequenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// Builds the page both ways (and with valid_utf8 when the bytes are valid
// UTF-8, as a JSONL caller would, with the AVX2 variants and without, and
// then the code point spans of its lines too, which must equal
// LineCodePointSpans') and compares every field; returns the number of
// mismatches (each one reported).
size_t Compare(const std::string& name, std::string_view bytes) {
  const Page ref = ReferencePage(bytes);
  size_t bad = 0;
  for (int mode : {0, 1, 2}) {
    const bool vouch = mode > 0;
    if (vouch && !ValidUtf8(bytes)) continue;
    avx2::ScopedForTesting variant(mode != 2);
    Page page;
    page.text = "stale";  // Clear() is the caller's: it must drop this
    page.Clear();
    std::string error;
    std::vector<CodePointSpan> spans(1), want;
    REQUIRE(BuildPage(bytes, Options(), &page, &error, vouch, vouch ? &spans : nullptr));
    if (vouch) {
      LineCodePointSpans(bytes, bytes.size() + 1, &want);
      bool same_spans = spans.size() == want.size();
      for (size_t i = 0; same_spans && i < want.size(); ++i)
        same_spans = spans[i].start == want[i].start && spans[i].end == want[i].end;
      if (!same_spans && ++bad <= 3)
        FAIL_CHECK(name << (mode == 2 ? " (no AVX2)" : "") << ": the code point spans differ");
    }
    bool same = page.text == ref.text && page.lines.size() == ref.lines.size() &&
                page.input_bytes == ref.input_bytes && page.had_bom == ref.had_bom &&
                page.had_crlf == ref.had_crlf && page.final_newline == ref.final_newline &&
                page.invalid_utf8 == ref.invalid_utf8 && page.date_header == ref.date_header &&
                page.header_date == ref.header_date;
    for (size_t i = 0; same && i < ref.lines.size(); ++i)
      same = page.lines[i].begin == ref.lines[i].begin && page.lines[i].end == ref.lines[i].end;
    if (!same && ++bad <= 3)
      FAIL_CHECK(name << (vouch ? " (valid_utf8)" : "") << (mode == 2 ? " (no AVX2)" : "")
                      << ": the page differs; text \"" << page.text << "\" vs \"" << ref.text
                      << "\", " << page.lines.size() << " vs " << ref.lines.size()
                      << " lines, invalid " << page.invalid_utf8 << " vs " << ref.invalid_utf8
                      << ", crlf " << page.had_crlf << " vs " << ref.had_crlf << ", date "
                      << page.header_date << " vs " << ref.header_date);
  }
  return bad;
}

}  // namespace

TEST_CASE("page reference: every dataset page and seed", "[text][page]") {
  auto inputs = clean::testing::SharedTextPages();
  if (inputs.empty()) {
    WARN("no dataset at " CLEAN_SHARED_DIR ": skipped");
    return;
  }
  REQUIRE(inputs.size() >= 300);
  size_t bad = 0;
  for (const auto& p : inputs) {
    const std::string text = clean::testing::ReadFile(p.string());
    bad += Compare(p.filename().string(), text);
    // The same page with CRLF line ends: every line then needs trimming.
    std::string crlf;
    for (char c : text) {
      if (c == '\n') crlf += '\r';
      crlf += c;
    }
    bad += Compare(p.filename().string() + " (CRLF)", crlf);
  }
  CHECK(bad == 0);
}

TEST_CASE("page reference: generated inputs at every block offset", "[text][page]") {
  static const std::vector<std::string> pieces = {
      "a", "word", "The", " ", " ", "  ", "\t", "\r", "\n", "\n", "\n", "\r\n", "\f", "\v",
      "\xC2\xA0", "é", "Ж", "…", "北京", "\xF0\x9F\x98\x80", "\xEF\xBB\xBF",
      // invalid: stray continuation, truncated, overlong, surrogate, too big, bad leads
      "\x80", "\xBF", "\xC3", "\xE2\x80", "\xF0\x9F\x98", "\xC0\xAF", "\xE0\x80\xAF",
      "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF", "\xC1\xBF", "\xE0\x9F\xBF",
      "\xED\xBF\xBF", "\xF0\x8F\xBF\xBF", "\xF8\x88\x80\x80\x80", "\xE2\x28\xA1",
      // valid at the edges of those ranges
      "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80", "\xEF\xBF\xBF",
      "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF", " date 2025-07-10 ", " date 2025-07-1x"};
  std::mt19937 rng(5151);
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1), invalid_odds(0, 3);
  size_t bad = 0;
  for (int round = 0; round < 3000; ++round) {
    // A quarter of the inputs may hold invalid sequences; the rest only
    // valid pieces (the splitter's fast path, whole).
    const bool allow_invalid = invalid_odds(rng) == 0;
    std::string bytes(static_cast<size_t>(round % 37), round % 2 ? 'x' : ' ');
    const size_t target = static_cast<size_t>(round % 200);
    while (bytes.size() < target) {
      const std::string& piece = pieces[pick(rng)];
      if (!allow_invalid && !ValidUtf8(piece)) continue;
      bytes += piece;
    }
    if (round % 5 == 0) bytes = "\xEF\xBB\xBF" + bytes;
    if (round % 7 == 0) bytes = " date 2025-07-10 x\r\n" + bytes;
    bad += Compare("generated input " + std::to_string(round), bytes);
  }
  // Sequences cut short by the end of the input, at every offset in a block.
  for (size_t pad = 0; pad < 20; ++pad)
    for (std::string_view cut : {"\xC3", "\xE2\x80", "\xF0\x9F\x98", "\xF0\x9F", "\xE2"})
      bad += Compare("cut at " + std::to_string(pad), std::string(pad, 'a') + std::string(cut));
  for (std::string_view edge : {"",
                                "\n",
                                "\n\n",
                                "\r\n",
                                " ",
                                "x",
                                "x\n",
                                "\xEF\xBB\xBF",
                                "\xEF\xBB\xBF\n",
                                "\xC3",
                                "a\n\xC3",
                                "\xC3\n",
                                " date 2025-07-10",
                                " date 2025-07-10\r",
                                " date 2025-07-10\r\nx",
                                "\r",
                                "a\rb",
                                "a\r\rb\r",
                                "a\r\r\nb",
                                " date 2025-07-10\rx"})
    bad += Compare("edge \"" + std::string(edge) + "\"", edge);
  CHECK(bad == 0);
}

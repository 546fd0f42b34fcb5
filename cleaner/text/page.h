// A page of plain text split into lines. The working text holds every input
// line with its surrounding ASCII whitespace trimmed, joined by '\n'; lines
// are spans into it, so nothing is allocated per line.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace clean {

struct Options;

// A line of the original text in code points (Python str indices): [start,
// end) of the line trimmed of ASCII whitespace; an empty span at the line's
// end when it is all whitespace (see LineCodePointSpans, span_report.h).
struct CodePointSpan {
  uint64_t start = 0, end = 0;
};

struct LineSpan {
  uint32_t begin = 0, end = 0;  // [begin, end) in Page::text; begin == end: blank
  bool blank() const { return begin == end; }
};

struct Page {
  std::string name;             // input name as shown in messages and reports
  std::string text;             // trimmed lines joined by '\n' (valid UTF-8)
  std::vector<LineSpan> lines;  // one per input line, blank ones included

  // What the reader found and did.
  size_t input_bytes = 0;
  bool had_bom = false;   // a UTF-8 BOM was dropped
  bool had_crlf = false;  // some lines ended in "\r\n"
  bool final_newline = false;
  size_t invalid_utf8 = 0;   // invalid sequences, each replaced by U+FFFD
  bool date_header = false;  // line 1 is the scraper's " date YYYY-MM-DD ..."
  std::string header_date;   // its YYYY-MM-DD

  std::string_view line(size_t i) const {
    return std::string_view(text).substr(lines[i].begin, lines[i].end - lines[i].begin);
  }
  // The line holding byte `pos` of `text` ('\n' belongs to its line); the
  // page has a line.
  size_t LineAt(size_t pos) const;
  void Clear();
};

// Builds `page` from raw bytes (the page's buffers are reused). Returns false
// with *error set when the input is not text (a NUL byte in the first
// options.binary_sniff_bytes bytes) or too large for 32-bit offsets.
// `valid_utf8`: the caller vouches that `bytes` is valid UTF-8 (JSONL text
// decoded from a JSON string the scanner validated), so the repair pass,
// which would find nothing, is skipped.
// `spans` (with valid_utf8): also the code point spans of all the lines of
// `bytes` (LineCodePointSpans of them), worked out in the scan that splits
// the lines; cleared first.
bool BuildPage(std::string_view bytes, const Options& options, Page* page, std::string* error,
               bool valid_utf8 = false, std::vector<CodePointSpan>* spans = nullptr);

}  // namespace clean

// The per-record report of JSONL mode (--report): one JSON line per record,
// in the shape of dolma's attribute files, so it joins back on the id:
//   {"id": <the record's id value>, "version": 2, "offsets": "text",
//    "attributes": {"clean__body": [[0, 120, "heuristic.prose"], ...],
//    "clean__navigation": [...], ...}}
// Every non-blank line of the text the decisions were made on appears in
// exactly one span [start, end), in Unicode code points (Python str
// indices), trimmed of surrounding whitespace, with the rule or heuristic
// that decided its class. That text ("offsets") is the record's ORIGINAL
// text for a text record ("text"), and for an HTML record ("rendered") the
// page's lines as the HTML reader rendered them, joined by '\n' (line N is
// line N of --explain and of the per-page report; the text that
// `clean --input html --keep` with every class prints).
// Records over a limit get "over_limit": "max_bytes"|"time_budget"|
// "html_max_bytes" and no
// spans, plus "dropped": true when they were dropped.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cleaner/cleaner.h"

namespace clean {

// The span report's "version": 2 since its lines say which text the
// offsets index (HTML records: the rendered text, not the HTML).
inline constexpr int kSpanReportVersion = 2;

// The spans of the first `max_lines` lines of `original`, split as the page
// reader splits (a leading BOM dropped, lines on '\n', ASCII whitespace
// trimmed). A code point is a byte that does not continue a UTF-8 sequence.
void LineCodePointSpans(std::string_view original, size_t max_lines,
                        std::vector<CodePointSpan>* out);

// The spans of the lines of a page as it was read (Page::text: its lines
// trimmed, joined by '\n'); for HTML pages, the rendered text.
void PageCodePointSpans(const Page& page, std::vector<CodePointSpan>* out);

// `id_json`: the id member's raw JSON value, or "" for none (written null).
// `original`: the text the page was built from (a text page).
void WriteSpanReport(std::string_view id_json, std::string_view original, const CleanResult& r,
                     std::string* out);
// The same with the spans of `original` worked out before (LineCodePointSpans
// with max_lines at least r's line count): JSONL mode does it while the
// record's text is still in the cache, before cleaning.
void WriteSpanReport(std::string_view id_json, const std::vector<CodePointSpan>& spans,
                     const CleanResult& r, std::string* out);
void WriteLimitReport(std::string_view id_json, std::string_view limit, bool dropped,
                      std::string* out);

}  // namespace clean

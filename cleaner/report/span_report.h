// The per-record report of JSONL mode (--report): one JSON line per record,
// in the shape of dolma's attribute files, so it joins back on the id:
//   {"id": <the record's id value>, "version": 3, "offsets": "text",
//    "attributes": {"clean__body": [[0, 120, 1.0], ...],
//    "clean__title": [...], ... "clean__ad": [...],
//    "clean__rule__heuristic.prose": [[0, 120, 1.0], ...], ...}}
// Every non-blank line of the text the decisions were made on appears in
// exactly one span [start, end, score] of its class's attribute (all seven
// written, empty or not) and in the same span of the attribute of the rule
// or heuristic that decided it ("clean__rule__" + its id; those that
// decided a line, in rule-set order). Offsets are in Unicode code points
// (Python str indices), trimmed of surrounding whitespace. The score is a
// JSON number: the line's CleanResult::line_scores entry, 1.0 without one
// (rules decide, they do not weigh). That text ("offsets") is the record's
// ORIGINAL text for a text record ("text"), and for an HTML record
// ("rendered") the page's lines as the HTML reader rendered them, joined by
// '\n' (line N is line N of --explain and of the per-page report; the text
// that `clean --input html --keep` with every class prints).
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
// offsets index (HTML records: the rendered text, not the HTML); 3 since a
// span's third element is its score and the rule has its own attribute.
inline constexpr int kSpanReportVersion = 3;

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

// Signature lines of a comment thread without a rule's date line per
// comment: "Posted by: X at 3:14 PM", "by NAME (1234) on Monday July 23,
// @08:25PM", "Name 12 points 3 hours ago". Such a line is short, carries a
// time or a year, and its shape (names, numbers and dates masked) recurs in
// the page. The record-list pass (context.cc) takes them as record markers.
#pragma once
#include "cleaner/classify/features.h"
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cleaner/classify/page_work.h"

namespace clean {

// The shape of a line: each run of words starting with a capital (or a
// non-ASCII letter) becomes "A", each token with a digit "#" (runs of
// them one "#"), each lowercase word longer than max_word "a"; short
// lowercase words ("by", "at", "ago") and punctuation stay. Empty unless the line
// has a year (19xx, 20xx), or a time ("3:14", "@08:25PM") and a lowercase
// word; empty too past max_tokens tokens.
std::string SignatureShape(std::string_view line, int max_tokens, int max_word);

// Per line: 1 when the line is a signature line: not blank, not prose,
// at most options.signature_max_chars bytes, with a shape that at least
// options.record_list_min lines of the page have.
// `features` (features.h) lets lines with fewer than three digits, which
// can hold neither a year nor a time, be passed over unread.
std::vector<uint8_t> SignatureLines(const Page& page, const LineKind* kinds,
                                    const LineFeatures* features, const Options& o);

}  // namespace clean

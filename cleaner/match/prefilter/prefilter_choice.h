// Which prefilter suits a rule regex's byte reading (byte_pattern.h), from
// rough estimates of how often its bytes occur in news text. The choices
// only decide speed: every one of them is sound.
#pragma once
#include <cstddef>
#include <optional>

#include "cleaner/match/prefilter/byte_pattern.h"

namespace clean {

// True when every match starts at the line start (^) and the pattern is
// selective from there: a line-head automaton (line_head.h) decides most
// lines after a few bytes. False for patterns that open with a broad run
// (^.{0,150}..., ^[\p{L} ]{1,30}...) or are not anchored.
bool SuitsLineHead(const BytePattern& p);

// A part every match must contain, chosen to be rare in text: for
// /^.{0,80}\b(?:Akismet|reCAPTCHA)\b.{0,200}$/ the alternation. A line
// holding a match of the pattern holds a match of this part, ending on
// that line. Nothing when every such part is common (/^.{3,}$/).
std::optional<BytePattern> RarePart(const BytePattern& p);

// The fewest bytes a match of the pattern holds.
size_t MinBytes(const BytePattern& p);

// When every match of the pattern is its whole line (/^...$/), the bytes a
// match may hold: a line with any other byte cannot match. Nothing when
// the pattern is not so anchored or may hold any byte.
std::optional<ByteSet> LineAlphabet(const BytePattern& p);

}  // namespace clean

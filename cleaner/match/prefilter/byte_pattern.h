// A rule regex read into a pattern over bytes that matches at least every
// line the regex matches: the form the prefilters (line_head.h, the
// Hyperscan database of multi_regex.h; prefilter_choice.h picks) work on. The regex is taken as
// Regex::Compile takes it (PCRE2: UTF-8, multiline, \w \d \s \b ASCII-only,
// optionally caseless) and matched, as the rules are, against one line
// alone (no '\n' in the subject). The reading is sound, never exact:
//   - assertions other than ^ and $ (\b, lookarounds) match anywhere;
//   - a non-ASCII character PCRE2 may match without knowing which (a class
//     with \p{..}, a negated class, a caseless non-ASCII letter) becomes
//     "any one UTF-8 encoded character";
//   - caseless ASCII letters match both cases, and k, s also U+212A (Kelvin
//     sign) and U+017F (long s), the only non-ASCII characters PCRE2 folds
//     to ASCII letters (tests/test_byte_pattern.cc checks that).
// Syntax beyond what the rules need (backreferences, \Q..\E, inline option
// settings, recursion, verbs, ...) is not read: Parse returns nothing and
// the regex keeps the older prefilter (or PCRE2 alone).
#pragma once
#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clean {

using ByteSet = std::bitset<256>;

struct BytePattern {
  enum class Kind : uint8_t {
    kBytes,      // one byte of `bytes` (an empty set matches nothing)
    kConcat,     // kids in sequence (no kids: the empty string)
    kAlt,        // one of kids
    kRepeat,     // kids[0], min..max times
    kLineStart,  // ^
    kLineEnd,    // $
  };
  static constexpr int kUnbounded = -1;
  Kind kind = Kind::kConcat;
  ByteSet bytes;
  int min = 0, max = 0;
  std::vector<BytePattern> kids;

  // Reads `regex`; nothing when it uses syntax this reader does not take.
  static std::optional<BytePattern> Parse(std::string_view regex, bool caseless);

  // Builders: one byte of `b` (never '\n': a line holds none); the parts
  // in sequence; one of the parts (each once); p repeated min..max times.
  static BytePattern OfBytes(const ByteSet& b);
  static BytePattern Sequence(std::vector<BytePattern> parts);
  static BytePattern Alternatives(std::vector<BytePattern> parts);
  static BytePattern Repeated(BytePattern p, int min, int max);

  // Whether it can match the empty string; whether it can match anything.
  bool Nullable() const;
  bool Never() const;
  // A canonical text of the pattern (byte classes as \xHH, repeats as
  // {m,n}, every anchor): equal dumps, equal patterns.
  std::string Dump() const;
  bool operator==(const BytePattern& o) const = default;
};

// True when PCRE2's caseless matching matches `cp` only as itself: the
// non-ASCII punctuation and symbols the rules use (©, ’, », –, •, →, ...).
// A caseless rule keeps such characters exact. Checked against PCRE2 by
// tests/test_byte_pattern.cc.
bool CaselessInvariant(uint32_t cp);

// Bounded repeats wider than this become unbounded in the prefilters
// (X{2,60} -> X{2,}): matching more is sound, and automata stay small.
constexpr int kMaxExactRepeat = 8;

// The pattern in Hyperscan syntax, to compile in byte mode (no UTF-8 flag)
// with HS_FLAG_MULTILINE: bytes as \xHH, no byte class holds '\n', wide
// repeats unbounded, and ^ / $ kept only at the very start / end.
std::string ToHyperscan(const BytePattern& p);

}  // namespace clean

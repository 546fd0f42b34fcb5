// The candidate lines of the prefilter's regexes whose rare part is a small
// set of short literals (the breadcrumb separators "/", ">", "»", "›"): the
// lines holding one of them. Hyperscan is slow on literals of a byte or two
// (plan_prefilter.h gives them a database of their own for that reason, and
// it still cost 1.5 instructions a byte); this scanner looks for the
// literals' last bytes 128 bytes at a time (AVX2, chosen at run time, by a
// nibble table lookup or a compare per byte; a byte loop elsewhere), checks
// a multi-byte literal's earlier bytes only where its last byte is, and
// leaves a line as soon as every pattern has been found on it.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cleaner/match/prefilter/byte_pattern.h"
#include "cleaner/text/page.h"

namespace clean {

class ShortLiterals {
 public:
  // What a pattern may be: up to kMaxLiterals literals of 1..kMaxLiteralBytes
  // bytes ([\x2f\x3e] is two literals, a caseless letter two more).
  static constexpr size_t kMaxLiterals = 8;
  static constexpr size_t kMaxLiteralBytes = 4;
  // The distinct last bytes of all the patterns' literals the AVX2 loop
  // looks for: a pattern that would take it past this many is not taken
  // (Add).
  static constexpr size_t kMaxLastBytes = 8;
  // Patterns found on a line are kept as bits of one word.
  static constexpr size_t kMaxPatterns = 64;

  // Literals that end exactly where matches of `p` end (what a prefilter
  // reports), within the limits above: the strings `p` matches when they
  // are that few (no anchors, no unbounded repeat), except that a repeat
  // x{1,n} or x+ at the top stands for x. Sorted, each once. Nothing
  // otherwise.
  static std::optional<std::vector<std::string>> LiteralsOf(const BytePattern& p);

  // Pattern size() gets `literals` (as LiteralsOf gives them); false, and
  // nothing added, when the scanner cannot take it (see the limits above).
  bool Add(const std::vector<std::string>& literals);
  size_t size() const { return patterns_; }

  // A line that holds a literal of a pattern.
  struct Found {
    uint32_t line;
    uint32_t pattern;
  };
  // Appends, for each pattern, every line of `text` holding one of its
  // literals, once: in the order of the end of the line's first literal of
  // the pattern (ties: pattern order), as a Hyperscan pass would report them
  // (by end; its order within one end is its own). A literal
  // is on the line holding its last byte ('\n' belongs to its line); lines
  // are `lines[0..n)` (lines[0].begin == 0, begins increasing). The AVX2 or
  // the portable loop, as avx2::Enabled() says: the same result.
  void Scan(std::string_view text, const LineSpan* lines, size_t n, std::vector<Found>* out) const;
  // The portable loop, whatever the CPU (for tests).
  void ScanPortable(std::string_view text, const LineSpan* lines, size_t n,
                    std::vector<Found>* out) const;

  // One scan's walk over the positions a last byte is at (short_literals_walk.h).
  class Walk;

 private:
  struct Literal {
    std::array<unsigned char, kMaxLiteralBytes> bytes{};  // the last byte first
    uint8_t size = 0;
    uint8_t pattern = 0;
  };
  void ScanAvx2(std::string_view text, const LineSpan* lines, size_t n,
                std::vector<Found>* out) const;

  // Grouped by last byte, in pattern order within a group: the literals
  // ending in byte b are literals_[first_[b] .. first_[b + 1]).
  std::vector<Literal> literals_;
  std::array<uint16_t, 257> first_{};
  std::vector<unsigned char> last_bytes_;  // the distinct last bytes
  // How the AVX2 loop finds last bytes: 0, a compare with each; G (up to
  // kMaxLookUps), G lookups by low nibble in tables_[16 g .. 16 g + 16).
  static constexpr size_t kMaxLookUps = 2;
  uint8_t lookups_ = 0;
  std::array<unsigned char, 16 * kMaxLookUps> tables_{};
  size_t patterns_ = 0;
};

}  // namespace clean

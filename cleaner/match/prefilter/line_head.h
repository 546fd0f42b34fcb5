// A deterministic automaton over bytes, run from the start of each line,
// for the plan regexes whose every match starts there (SuitsLineHead in
// byte_pattern.h): it tells which of them may match the line. Most lines
// are decided after a few bytes ("The minister said..." leaves no
// pattern alive after "Th"). It is a prefilter like the Hyperscan database:
// every line a pattern matches is reported for it (the automaton accepts
// the pattern's byte reading, a superset), and PCRE2 confirms each one.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cleaner/match/prefilter/byte_pattern.h"
#include "cleaner/match/prefilter/huge_buffer.h"

namespace clean {

class LineHeadDfa {
 public:
  static constexpr size_t kMaxPatterns = 64;
  // Null when there are more than kMaxPatterns patterns, or the automaton
  // would have more than `max_states` (at most 65535) states. With a cache
  // directory (prefilter_cache.h), an automaton built before is loaded.
  static std::unique_ptr<LineHeadDfa> Build(const std::vector<const BytePattern*>& patterns,
                                            size_t max_states, const std::string& cache_dir = "");
  // What Build depends on (its cache entry's identity), and that hashed:
  // its cache key.
  static std::string Identity(const std::vector<const BytePattern*>& patterns, size_t max_states);
  static uint64_t Key(const std::vector<const BytePattern*>& patterns, size_t max_states);
  // The automaton Build cached for `identity`; null when the cache has none.
  static std::unique_ptr<LineHeadDfa> Load(std::string_view identity, const std::string& cache_dir);

  // Bit i set: pattern i may match `line` (one line, without its '\n').
  uint64_t Candidates(std::string_view line) const {
    const auto* p = reinterpret_cast<const unsigned char*>(line.data());
    return walk().Run(p, p + line.size());
  }

  // Candidates of every non-blank line of a page: emit(i, bits) for each
  // line i whose bits are not 0. `lines` are [begin, end) offsets into
  // `text` (LineSpan, page.h). The tables are copied into a local Walk
  // once for the page: called per line, the scan reloaded them from the
  // automaton after every push of a candidate, which may write anywhere.
  // The row length is a constant of each instantiation: a shift by a
  // register (CL) is two micro-ops on Intel cores, by a constant one, and
  // the walk is bound by its instructions once the rows it reads are in
  // cache (about 4% of its time on the corpus).
  template <class Span, class Emit>
  void EachLine(const char* text, const Span* lines, size_t count, Emit&& emit) const {
    switch (shift_) {  // Adopt takes at most 8
      case 0: return EachLineWith<0>(text, lines, count, emit);
      case 1: return EachLineWith<1>(text, lines, count, emit);
      case 2: return EachLineWith<2>(text, lines, count, emit);
      case 3: return EachLineWith<3>(text, lines, count, emit);
      case 4: return EachLineWith<4>(text, lines, count, emit);
      case 5: return EachLineWith<5>(text, lines, count, emit);
      case 6: return EachLineWith<6>(text, lines, count, emit);
      case 7: return EachLineWith<7>(text, lines, count, emit);
      default: return EachLineWith<8>(text, lines, count, emit);
    }
  }

  // The same, one byte and one test at a time: the plain definition the
  // tests hold Candidates to.
  uint64_t CandidatesStepwise(std::string_view line) const {
    uint32_t s = start_;
    uint64_t found = 0;
    for (unsigned char c : line) {
      s = next_[(s << shift_) | class_of_[c]];
      if (s >= first_reporting_) {
        found |= now_[s];
        if (s >= first_final_) return found;
      }
    }
    return found | at_end_[s];
  }

  size_t states() const { return states_; }
  // Rows hold 1 << row_shift() byte classes.
  uint32_t row_shift() const { return shift_; }

 private:
  // The tables the scan reads, by value (see EachLine).
  struct Walk {
    const uint16_t* next;
    const uint64_t* now;
    const uint64_t* at_end;
    const uint8_t* class_of;
    uint32_t start, first_reporting, first_final, shift;

    // The first four bytes are read without a test between them: most
    // lines are decided within them, and a test per byte was mispredicted
    // about once a line. Reading on past a final state changes nothing:
    // every pattern still alive there is reported already, and later
    // states only report patterns alive there (states that report nothing
    // have now_ 0).
    // kShift: the row length's shift when it is known at compile time,
    // else -1 (`shift` is read).
    template <int kShift = -1>
    uint64_t Run(const unsigned char* p, const unsigned char* end) const {
      const uint32_t sh = kShift >= 0 ? static_cast<uint32_t>(kShift) : shift;
      // A word, not a uint32_t: the index needs no widening before each
      // load (a copy of the state per byte otherwise).
      size_t s = start;
      uint64_t found = 0;
      if (end - p >= 4) {
        for (int k = 0; k < 4; ++k) {
          s = next[(s << sh) | class_of[p[k]]];
          found |= now[s];
        }
        if (s >= first_final) return found;
        p += 4;
      }
      for (; p < end; ++p) {
        s = next[(s << sh) | class_of[*p]];
        if (s >= first_reporting) {
          found |= now[s];
          if (s >= first_final) return found;
        }
      }
      return found | at_end[s];
    }
  };
  Walk walk() const {
    return {next_, now_, at_end_, class_of_, start_, first_reporting_, first_final_, shift_};
  }
  template <int kShift, class Span, class Emit>
  void EachLineWith(const char* text, const Span* lines, size_t count, Emit& emit) const {
    const Walk w = walk();
    const auto* t = reinterpret_cast<const unsigned char*>(text);
    for (size_t i = 0; i < count; ++i) {
      const Span& l = lines[i];
      if (l.begin == l.end) continue;
      if (uint64_t bits = w.Run<kShift>(t + l.begin, t + l.end)) emit(i, bits);
    }
  }

  LineHeadDfa() = default;
  // The saved form of the automaton of `patterns` (see Save in
  // line_head.cc); empty when it would have more than `max_states` states.
  static std::string Compile(const std::vector<const BytePattern*>& patterns, size_t max_states);
  // Points the tables into table_, which holds a saved automaton; false
  // when it is not a valid one.
  bool Adopt();
  // States are numbered: [0, first_reporting_) report nothing when entered,
  // [first_reporting_, first_final_) report now_, the rest also end the
  // scan: every pattern still alive is reported (the dead state is one).
  uint32_t start_ = 0, first_reporting_ = 0, first_final_ = 0;
  uint32_t shift_ = 0;  // row length: 1 << shift_ byte classes
  uint32_t states_ = 0;
  uint8_t class_of_[256] = {};
  HugeBuffer table_;                  // the saved automaton; the tables below point into it
  const uint16_t* next_ = nullptr;    // (state << shift_) | class -> state
  const uint64_t* now_ = nullptr;     // patterns known to match once here
  const uint64_t* at_end_ = nullptr;  // patterns that match if the line ends here
};

}  // namespace clean

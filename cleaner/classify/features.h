// Per-line features, computed in one pass over a line's bytes with no
// allocation: sizes, words, stop words per language, capitals, punctuation,
// list markers, and repetition within the page.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "cleaner/ruleset/lexicon.h"
#include "cleaner/text/page.h"

namespace clean {

// A line's stop words per language (16-bit counters, wrapping as its
// other counts do).
using StopCounts = std::array<uint16_t, kMaxLanguages>;

// 24 bytes a line: these live through the whole classification.
struct LineFeatures {
  uint32_t chars = 0;       // code points
  uint16_t words = 0;       // runs of word characters
  uint16_t stop_words = 0;  // for the page's language (filled by FinishPage)
  uint16_t letters = 0;     // letters (not digits) among word characters
  uint16_t uppers = 0;      // capital letters
  uint16_t digits = 0;
  uint16_t cap_words = 0;           // words starting with a capital
  uint16_t long_words = 0;          // words of 4+ characters
  bool terminal = false;            // ends a sentence: . ! ? … : ; or a closing quote after one
  bool list_marker = false;         // starts with "- ", "• ", "* ", "1. " ...
  bool has_sentence_break = false;  // ". X" inside the line: more than one sentence
  uint16_t repeats = 1;             // occurrences of this exact line in the page

  double stop_share() const { return words ? double(stop_words) / words : 0.0; }
  bool all_caps() const { return letters >= 8 && uppers * 10 >= letters * 9; }
};

struct PageFeatures {
  std::vector<LineFeatures> lines;  // one per page line (blank ones zeroed)
  int language = -1;                // index into Lexicon::languages(), -1: unknown
  uint32_t stop_hits = 0;           // stop words of that language in the page
  uint32_t words = 0;
};

// Reusable computation state (the scratch for lower-casing, the copy of a
// page's last lines and the tables for counting repeats keep their capacity
// across pages).
//
// A line is read in 64-byte chunks: 16-byte blocks, or two 32-byte halves
// with AVX2, classified at once (byte_classes.h) give masks of word bytes,
// capitals, digits and sentence punctuation; counts are popcounts, words are found from the masks'
// edges and each is looked up once in the lexicon, keyed straight from the line's bytes
// (word_key.h) unless it has a capital beyond ASCII. Only non-ASCII code points, words and sentence
// punctuation are visited one by one. The page's text must be valid UTF-8 (Page guarantees it).
// tests/test_features_reference.cc holds the plain per-code-point
// definition every field must match.
class FeatureExtractor {
 public:
  explicit FeatureExtractor(const Lexicon& lexicon);
  void Compute(const Page& page, PageFeatures* out);
  // The stop words per language of line i of the page computed last (its
  // stop_words are those of the page's language), for pages of at most
  // kScratchKeptLines lines.
  StopCounts stop_by_lang(size_t i) const;
  // A page of more lines has the per-line scratch below freed after its
  // features are computed (a huge page's scratch is not kept for the rest
  // of the batch, nor through its own classification).
  static constexpr size_t kScratchKeptLines = 1 << 16;

 private:
  // Longer words are never looked up (no stop word is this long).
  static constexpr size_t kMaxWordBytes = 64;
  const Lexicon& lexicon_;
  const size_t max_word_;  // words of more bytes are not looked up
  // A word with a capital beyond ASCII, lower-cased (16 bytes readable).
  char lower_[kMaxWordBytes + Lexicon::kShortBytes] = {};
  std::string tail_;              // a line too close to the text's end, zero-padded
  std::vector<uint32_t> hashes_;  // per line of the page: its digest, or its first's index
  std::vector<uint64_t> later_;   // per line, a bit: it repeats an earlier line
  std::vector<uint32_t> slots_;   // open-addressing table of line indices
  // Per line, its stop words per language in a byte each, 255 in every
  // byte when one is 255 or more: the line's counts are then in wide_stop_
  // (lines of 255+ words), in line order.
  std::vector<std::array<uint8_t, kMaxLanguages>> stop_;
  std::vector<std::pair<uint32_t, StopCounts>> wide_stop_;
};

}  // namespace clean

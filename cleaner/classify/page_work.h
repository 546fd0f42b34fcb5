// The page state the classifier's stages share: each line's kind, facts,
// decision and region flags, computed by the passes in the documented order
// (classifier.h) and kept between pages so that its vectors keep their
// capacity.
#pragma once
#include <cstdint>
#include <vector>

#include "cleaner/base/decision.h"
#include "cleaner/classify/features.h"
#include "cleaner/classify/matcher_scan.h"
#include "cleaner/classify/section_box.h"

namespace clean {

// How a line reads on its own, before any rule or neighbour.
enum class LineKind : uint8_t {
  kBlank,
  kProse,    // long, with sentences and stop words
  kMedium,   // a sentence or two
  kShort,    // a few words, no sentence
  kNoWords,  // no letters
};

// Everything the stages compute for a page, kept between pages so that its
// vectors keep their capacity.
struct PageWork {
  PageFeatures features;
  ScanResult scan;
  std::vector<LineKind> kinds;
  std::vector<Decision> decisions;
  // Non-zero when a rule decided the line: kByLineRule (a `line` rule, or
  // the input's date header) or kBySection (an open section or its header).
  std::vector<uint8_t> by_rule;
  static constexpr uint8_t kByLineRule = 1, kBySection = 2;
  uint32_t region_begin = 0, region_end = 0;  // the best main text block [begin, end)
  std::vector<uint8_t> in_region;             // 1 for lines in the best or a secondary block
  std::vector<double> scores;                 // per-line region score
  std::vector<uint8_t> list_item;             // 1 for items of a list after a lead-in ending in ':'
  // LocateRegion's scratch: the page's positive stretches of lines.
  struct Segment {
    uint32_t begin, end;
    double score;
  };
  std::vector<Segment> segments;
  // Per line, what the later passes ask of its features, computed once
  // with its kind (bits below).
  std::vector<uint8_t> facts;
  static constexpr uint8_t kRepeated = 1;   // repeats >= repeat_min
  static constexpr uint8_t kTitleLike = 2;  // title_like
  // kHeadlineLike, kTitleShape: title_like, no terminal punctuation, and at
  // least Options::headline_min_words / title_shape_min_words words.
  static constexpr uint8_t kHeadlineLike = 4;
  static constexpr uint8_t kTitleShape = 8;
  static constexpr uint8_t kListMarker = 16;  // starts with a list marker
  static constexpr uint8_t kFewWords = 32;    // at most few_words_max words
  bool has(uint32_t i, uint8_t fact) const { return (facts[i] & fact) != 0; }
  // Per line, what the context pass (context.h) asks of it (bits below):
  // Describe sets what the line's blank flag, kind and facts allow, the
  // heuristics mark body lines and rule lines, and the context pass keeps it
  // up to date, so that its scans read one byte a line (eight at a time
  // where none is wanted).
  std::vector<uint8_t> context;
  static constexpr uint8_t kCtxBlank = 1;     // a blank line
  static constexpr uint8_t kCtxBody = 2;      // not blank, decided body
  static constexpr uint8_t kCtxShortRun = 4;  // revisable, kShort, not repeated
  static constexpr uint8_t kCtxHeadline = 8;  // revisable, headline-like, not a title
  static constexpr uint8_t kCtxLabel = 16;    // revisable, kShort, few words, not a title
  // kProse or kMedium: a lead-in sentence may be one (set by Describe, read
  // by the lead-in pass before the heuristics run).
  static constexpr uint8_t kCtxSentence = 32;
  // Set by Classifier::DetectAndScan: `scan` holds this plan's hits for the
  // page already (Classify then does not scan again, and clears it).
  const MatchPlan* scanned = nullptr;
  // Set by Classifier::DetectAndScan: the page was scanned, so the
  // prefilter's candidates are there for another plan (MatcherScanner::Scan
  // `again`).
  bool prefiltered = false;
  // Set for an HTML page: a generic section ends with its header's box.
  const SectionBoxes* section_boxes = nullptr;
  // HTML, per line: 1 past the box of a generic section's header, where the
  // section would have run on without the box (the DOM pass does not take
  // such a line before the article's text for a lead-in of it).
  std::vector<uint8_t> past_section_box;
  // A few words, no sentence: a title or headline may look so.
  bool title_like(uint32_t i) const { return has(i, kTitleLike); }
};

}  // namespace clean

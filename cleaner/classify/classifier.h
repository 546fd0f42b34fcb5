// The decision stream for one page, in the documented precedence:
//   1. source rules (sections and line rules of rules/<source>.rules)
//   2. generic rules (rules/generic.rules)
//   3. heuristics on line features and the page's main text region
//   4. context (context.h): neighbours revise heuristic decisions
// A line decided by a rule keeps that decision; stages 3 and 4 decide the
// rest.
#pragma once
#include <cstdint>
#include <vector>

#include "cleaner/base/decision.h"
#include "cleaner/classify/features.h"
#include "cleaner/classify/matcher_scan.h"
#include "cleaner/base/options.h"
#include "cleaner/text/page.h"
#include "cleaner/ruleset/rule_set.h"

namespace clean {

// How a line reads on its own, before any rule or neighbour.
enum class LineKind : uint8_t {
  kBlank,
  kProse,   // long, with sentences and stop words
  kMedium,  // a sentence or two
  kShort,   // a few words, no sentence
  kNoWords, // no letters
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
  std::vector<uint8_t> in_region;  // 1 for lines in the best or a secondary block
  std::vector<double> scores;      // per-line region score
  std::vector<uint8_t> list_item;  // 1 for items of a list after a lead-in ending in ':'
  // Per line, what the later passes ask of its features, computed once
  // with its kind (bits below).
  std::vector<uint8_t> facts;
  static constexpr uint8_t kRepeated = 1;      // repeats >= repeat_min
  static constexpr uint8_t kTitleLike = 2;     // title_like
  static constexpr uint8_t kHeadlineLike = 4;  // title_like, 4+ words, no terminal punctuation
  static constexpr uint8_t kTitleShape = 8;    // title_like, 3+ words, no terminal punctuation
  static constexpr uint8_t kListMarker = 16;   // starts with a list marker
  static constexpr uint8_t kFewWords = 32;     // at most 4 words
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
  // A few words, no sentence: a title or headline may look so.
  bool title_like(uint32_t i) const { return has(i, kTitleLike); }
};

class Classifier {
 public:
  Classifier(const RuleSet& rules, MatchScratch& scratch)
      : rules_(rules), features_(rules.lexicon()), scanner_(rules, scratch) {}

  // Classifies every line of `page` with `source`'s rules (null: the generic
  // layer only). The result is in work->decisions, one per page line.
  void Classify(const Page& page, const Source* source, const Options& options, PageWork* work);

  // Auto-detection: the source whose fingerprints match most lines of the
  // page (at least one); null when none does. *decider names the winning
  // fingerprint.
  const Source* Detect(const Page& page, uint32_t* decider);
  // The same, found with the generic plan's scan in one pass: when no
  // source is found, work->scan holds the generic plan's hits for the
  // Classify of this page with the generic rules; when one is, Classify
  // confirms its plan's candidates of that scan (no second pass).
  const Source* DetectAndScan(const Page& page, uint32_t* decider, PageWork* work);

  void set_prefilter(bool on) { scanner_.set_prefilter(on); }

 private:
  // Returns the classes the rules gave lines: bit c for LineClass c.
  uint32_t ApplyRules(const Page& page, const Source* source, PageWork* w);
  void LocateRegion(const Page& page, const Options& o, PageWork* w);
  void MarkLeadInLists(const Page& page, const Options& o, PageWork* w);
  void ApplyHeuristics(const Page& page, const Options& o, PageWork* w);
  // Kinds, facts and blank flags of every line, from the features.
  void Describe(const Page& page, const Options& o, PageWork* w);
  // The source whose fingerprints have most hits among `hits` (see Detect).
  const Source* BestSource(const std::vector<Hit>& hits, uint32_t* decider) const;
  // in_generic_, on first use.
  void MarkGeneric();

  const RuleSet& rules_;
  FeatureExtractor features_;
  MatcherScanner scanner_;
  ScanResult detect_scan_;
  std::vector<uint8_t> in_generic_;  // per matcher id: 1 when the generic plan has it
  struct Segment {
    uint32_t begin, end;
    double score;
  };
  std::vector<Segment> segments_;
};

}  // namespace clean

// The decision stream for one page, in the documented precedence:
//   1. source rules (sections and line rules of rules/<source>.rules)
//   2. generic rules (rules/generic.rules)
//   3. heuristics on line features and the page's main text region
//      (describe.h, lead_in_lists.h, region.h, line_heuristics.h)
//   4. context (context.h): neighbours revise heuristic decisions
// A line decided by a rule keeps that decision; stages 3 and 4 decide the
// rest.
#pragma once
#include <cstdint>
#include <vector>

#include "cleaner/base/options.h"
#include "cleaner/classify/features.h"
#include "cleaner/classify/matcher_scan.h"
#include "cleaner/classify/page_work.h"
#include "cleaner/text/page.h"
#include "cleaner/ruleset/rule_set.h"

namespace clean {

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
  // The source whose fingerprints have most hits among `hits` (see Detect).
  const Source* BestSource(const std::vector<Hit>& hits, uint32_t* decider) const;
  // in_generic_, on first use.
  void MarkGeneric();

  const RuleSet& rules_;
  FeatureExtractor features_;
  MatcherScanner scanner_;
  ScanResult detect_scan_;
  std::vector<uint8_t> in_generic_;  // per matcher id: 1 when the generic plan has it
};

}  // namespace clean

// The context pass, in the spirit of jusText's context-sensitive stage:
// heuristic decisions are revised by their neighbours. Rule decisions are
// never changed.
//  - a short line (or a short run) between body paragraphs is body
//    (subheadings, list items);
//  - the title-like line just before the main text is the title, and its
//    repeats too;
//  - a run of headline-like lines outside the main text is a headline list,
//    and the short label opening it too;
//  - a short line next to a caption is its credit.
#pragma once
#include "cleaner/classify/page_work.h"

namespace clean {

// rule_classes: bit c set when a rule gave a line LineClass c (the
// classifier's ApplyRules), so that no pass over the lines looks for them.
// deciders: the rule set's, to find the rules that head a comment section.
void ApplyContext(const Page& page, const Options& options, uint32_t rule_classes,
                  const std::vector<Decider>& deciders, PageWork* work);

}  // namespace clean

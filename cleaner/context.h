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
#include "cleaner/classifier.h"

namespace clean {

void ApplyContext(const Page& page, const Options& options, PageWork* work);

}  // namespace clean

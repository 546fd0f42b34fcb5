// Lead-in lists: "... the draft includes:" followed by short lines. The
// lines are the list the sentence announces, and count as text for the
// main region (region.h) and the heuristics (line_heuristics.h).
#pragma once
#include "cleaner/base/options.h"
#include "cleaner/classify/page_work.h"
#include "cleaner/text/page.h"

namespace clean {

// Reads kinds, facts, context, by_rule and decisions (after the rules);
// writes work->list_item: 1 for each item of a list after a lead-in.
void MarkLeadInLists(const Page& page, const Options& options, PageWork* work);

}  // namespace clean

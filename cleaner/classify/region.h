// The page's main text region: the stretch of lines with the highest score
// (prose adds its length, boilerplate costs a penalty; a maximum-sum
// subarray), and the other stretches that score a good share of it.
#pragma once
#include "cleaner/base/options.h"
#include "cleaner/classify/page_work.h"

namespace clean {

// Reads features, kinds, facts, by_rule, decisions and list_item (after
// MarkLeadInLists); writes scores, in_region, region_begin and region_end.
void LocateRegion(const Options& options, PageWork* work);

}  // namespace clean

// The line heuristics: every line no rule decided gets a class by its kind,
// whether it repeats, whether it is a lead-in list item, and whether it
// lies in the main region (region.h); they also mark body lines for the
// context pass.
#pragma once
#include "cleaner/base/options.h"
#include "cleaner/classify/page_work.h"

namespace clean {

// Reads kinds, facts, by_rule, in_region, list_item and features; writes
// the decisions of lines no rule decided, and context.
void ApplyHeuristics(const Options& options, PageWork* work);

}  // namespace clean

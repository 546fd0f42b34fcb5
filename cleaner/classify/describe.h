// The first heuristic pass: each line's kind (prose, medium, short, no
// words, blank), the facts the later passes ask of its features (repeated,
// title-like, headline-like, list marker, few words), what the context pass
// may revise, and a fresh decision with its blank flag.
#pragma once
#include "cleaner/base/options.h"
#include "cleaner/classify/page_work.h"
#include "cleaner/text/page.h"

namespace clean {

// Reads work->features (computed for `page`); sizes and writes kinds,
// facts, context and decisions, and clears by_rule.
void Describe(const Page& page, const Options& options, PageWork* work);

}  // namespace clean

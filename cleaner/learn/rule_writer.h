// The rule file of a learned source: a header that says where it came
// from (the corpus, its pages, the thresholds), `source` and `domain`, one
// `line` rule per recurring line with the id learned.<source>.<n> (n in
// file order: the line's place on its pages, then its text), and an
// `expect` line per rule taken from the pages. A line that is the same on
// every page is an exact rule, one that varies in digits or dates a regex
// of its key (line_key.h); a line the classifier kept as body on most
// pages is written commented out, with its counts. After the line rules,
// one `section` rule per learned block (learner.h, LearnedSection), ids
// numbered on: it starts after its opener and ends at its closer or at a
// prose line, with an expect line of one of its lines after the opener.
// The same input gives the same bytes.
#pragma once
#include <string>

#include "cleaner/learn/learn_options.h"
#include "cleaner/learn/learner.h"

namespace clean {

// `corpus`: the inputs as given, for the header.
std::string WriteLearnedRules(const LearnedSource& s, const LearnOptions& options,
                              const std::string& corpus);

}  // namespace clean

// Author and company blurbs below the article: an "About Jane Doe" line
// (or a byline) and, below it, a paragraph about that name ("Jane Doe is a
// senior writer ...", "Jane covers ..."), which the body heuristics chained
// onto the article.
#pragma once
#include <vector>

#include "cleaner/base/decision.h"
#include "cleaner/base/options.h"
#include "cleaner/classify/page_work.h"
#include "cleaner/text/page.h"

namespace clean {

// The subject an "About NAME" line names: the run of one to four
// capitalised words after its label (the label ends at the line's last ':',
// else with its first word), up to a ',' ("Jane Doe" of "About Jane Doe",
// "Author: Jane Doe" and "By Jane Doe, Staff Writer"); empty when none
// follows the label.
std::string_view BlurbSubject(std::string_view line);

// A rule's line that fills the `about` or the `byline` field, with at least
// bio_min_article_chars of body text above it, names its subject when that
// has two words at least (a person's name; "About Logitech" heads a press
// release's company note, which some sites count as the release's text): each
// heuristic body line (prose or medium) among the next context_max_gap
// non-blank lines that starts with the subject, or with its first word
// followed by a lower-case word ("Jane covers ..."), is removed as
// navigation (`context.author-bio`). Rule decisions and the lines above the
// naming line are never touched.
void RemoveAuthorBios(const Page& page, const Options& options,
                      const std::vector<Decider>& deciders, PageWork* work);

}  // namespace clean

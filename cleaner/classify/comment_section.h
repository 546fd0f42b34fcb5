// Comment sections: the part of a page after a rule's comments heading
// ("12 Comments", "Leave a Reply", "3 Responses to ..."), whose prose the
// body heuristics chained onto the article.
#pragma once
#include <vector>

#include "cleaner/base/decision.h"
#include "cleaner/base/options.h"
#include "cleaner/classify/page_work.h"

namespace clean {

// Removes the heuristic body lines after the page's first comments heading
// (a line decided by a rule that fills the `comments` field) that has at
// least comment_section_min_article_chars of body text before it and is not
// above the page's best text block (where a byline's "0 Comments" is): every
// heuristic body line below it, to the end of the page, is navigation
// (`context.comment-section`). The lines above the heading, and every rule
// decision, are never touched.
void RemoveCommentSection(const Options& options, const std::vector<Decider>& deciders,
                          PageWork* work);

}  // namespace clean

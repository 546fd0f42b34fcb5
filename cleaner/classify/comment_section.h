// Comment sections: the part of a page after a rule's comments heading
// ("12 Comments", "Leave a Reply", "3 Responses to ..."), whose prose the
// body heuristics chained onto the article.
#pragma once
#include <cstdint>
#include <vector>

#include "cleaner/base/decision.h"
#include "cleaner/base/options.h"
#include "cleaner/classify/page_work.h"

namespace clean {

// Removes the heuristic body lines after the page's first comments heading
// that has at least comment_section_min_article_chars of body text before it
// and is not above the page's best text block (where a byline's "0 Comments"
// is), or that has some body text before it and a thread below it (as a
// `comments-label` needs; a photo post of one paragraph, a thread longer
// than the post): every heuristic body line below it, to the end of the page, is
// navigation (`context.comment-section`). The lines above the heading, and
// every rule decision, are never touched.
// A heading is a line decided by a rule that fills the `comments` field, or
// the `comments-label` field (a bare "Comments", which share bars and menus
// show above the article's text too) when at least record_list_min record
// markers follow it: signature lines (`signature`, comment_thread.h, 1 per
// such line) or a rule's meta lines that are not prose.
void RemoveCommentSection(const Options& options, const std::vector<Decider>& deciders,
                          const std::vector<uint8_t>& signature, PageWork* work);

}  // namespace clean

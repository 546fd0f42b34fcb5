// Card lists: teaser and related-story cards (a headline and a one-paragraph
// summary, repeated) that the body heuristics chained onto the article.
#pragma once
#include "cleaner/classify/page_work.h"

namespace clean {

// Removes the trailing card list of the page's body, if it has one: at the
// end of the body lines, at least card_list_min cards in a row, each a short
// line with no sentence end (the headline) followed by exactly one body line
// of at most card_summary_max_chars (the summary), after at least
// card_min_article_chars of body text. The article's own lines above the
// first card are never touched; rule decisions are never changed.
void RemoveCardLists(const Options& options, PageWork* work);

}  // namespace clean

// Card lists: teaser and related-story cards (a headline and a one-paragraph
// summary, repeated) that the body heuristics chained onto the article.
#pragma once
#include "cleaner/classify/page_work.h"

namespace clean {

// Removes the page's card lists: runs of at least card_list_min cards in a
// row (consecutive non-blank lines), each a short line with no sentence end
// (the headline: a heuristic body line or a removed line, never a rule's
// body line) followed by one heuristic body line of at most
// card_summary_max_chars (the summary), after at least card_min_article_chars
// of body text. A run whose first card does not follow a body line is set
// apart from the article: every heuristic body line below it goes too. The
// article's own lines above the first card are never touched; rule
// decisions are never changed.
void RemoveCardLists(const Options& options, PageWork* work);

}  // namespace clean

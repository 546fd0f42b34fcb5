#include "cleaner/base/heuristics.h"

namespace clean {

namespace {
using K = Decider::Kind;
constexpr HeuristicInfo kInfo[] = {
    {"input.date-header", K::kInput, "the scraper's ' date YYYY-MM-DD ...' first line"},
    {"heuristic.prose", K::kHeuristic, "long line of sentences with stop words"},
    {"heuristic.main-region", K::kHeuristic, "line inside the page's main text region"},
    {"heuristic.outside-region", K::kHeuristic, "line outside the page's main text region"},
    {"heuristic.short-label", K::kHeuristic, "short line that is no sentence: menu item, label"},
    {"heuristic.no-words", K::kHeuristic, "line without letters: separators, numbers, symbols"},
    {"heuristic.repeated", K::kHeuristic, "line repeated within the page"},
    {"heuristic.title", K::kHeuristic, "title-like line just before the main text"},
    {"heuristic.headline-run", K::kHeuristic, "run of title-like lines outside the main text"},
    {"context.between-body", K::kContext, "short line between body paragraphs"},
    {"context.list-in-body", K::kContext, "list item inside the body"},
    {"context.caption-credit", K::kContext, "credit line next to a caption"},
    {"context.section-header", K::kContext, "label that opens a run of removed lines"},
    {"dom.boilerplate", K::kHeuristic, "inside an element whose class, id or role is boilerplate"},
    {"dom.structure", K::kHeuristic, "inside nav, aside, footer or form, outside the main text"},
    {"dom.link-density", K::kHeuristic, "line that is mostly link text"},
    {"dom.figcaption", K::kHeuristic, "inside a figure caption"},
    {"dom.in-main", K::kHeuristic, "text block inside the page's main content element"},
    {"dom.outside-main", K::kHeuristic, "text outside the page's main content element"},
    {"heuristic.lead-in-list", K::kHeuristic,
     "item of a list introduced by a sentence ending in ':'"},
    {"dom.title", K::kHeuristic, "the page's <h1> that is its metadata title"},
    {"context.record-list", K::kContext,
     "text of a record list after the article: comments, teaser cards (meta line, text, repeated)"},
    {"context.card-list", K::kContext,
     "teaser cards at the end of the body: headline and one-line summary, repeated"},
    {"context.comment-thread", K::kContext,
     "comment thread after the article: a signature line of one shape (name, time), text, "
     "repeated"},
    {"context.comment-section", K::kContext,
     "text after the comments heading that follows the article (\"12 Comments\", \"Leave a "
     "Reply\")"},
    {"context.author-bio", K::kContext,
     "blurb below the article that starts with the name an \"About NAME\" line or a byline "
     "above it gives (\"Jane Doe is a senior writer ...\")"},
};
static_assert(sizeof(kInfo) / sizeof(kInfo[0]) == static_cast<size_t>(Heuristic::kCount));
}  // namespace

const HeuristicInfo& GetHeuristicInfo(Heuristic h) { return kInfo[static_cast<int>(h)]; }

std::string_view DeciderKindName(Decider::Kind k) {
  switch (k) {
    case K::kSourceRule: return "source_rule";
    case K::kGenericRule: return "generic_rule";
    case K::kHeuristic: return "heuristic";
    case K::kContext: return "context";
    case K::kInput: return "input";
    case K::kModel: return "model";
  }
  return "?";
}

}  // namespace clean

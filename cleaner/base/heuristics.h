// The named heuristics: every decision not made by a rule file names one of
// these, and the report shows the name. They are deciders 0..N-1 of every
// RuleSet.
#pragma once
#include <cstdint>
#include <string_view>

#include "cleaner/base/decision.h"

namespace clean {

enum class Heuristic : uint32_t {
  kDateHeader,      // input: the scraper's " date YYYY-MM-DD ..." first line
  kProse,           // long line with sentences and stop words
  kMainRegion,      // medium line inside the main content region
  kOutsideRegion,   // line outside the main content region
  kShortLabel,      // short line with no sentence: menu item, label
  kNoWords,         // no letters at all: separators, numbers, symbols
  kRepeated,        // line repeated within the page
  kTitle,           // title-like line just before the main region
  kHeadlineRun,     // run of title-like lines outside the body
  kBetweenBody,     // context: short line between body paragraphs
  kListInBody,      // context: list item inside the body
  kCaptionCredit,   // context: credit line next to a caption
  kSectionHeader,   // context: label opening a run of removed lines
  kDomBoilerplate,  // html: inside an element whose class/id/role is boilerplate
  kDomStructure,    // html: inside nav, aside, footer, form (outside the main text)
  kDomLinks,        // html: a line that is mostly link text
  kDomCaption,      // html: inside figcaption
  kDomInMain,       // html: text block inside the main content element
  kDomOutsideMain,  // html: text outside the main content element
  kLeadInList,      // item of a list introduced by a sentence ending in ':'
  kDomTitle,        // html: the page's <h1> that is its metadata title
  kRecordList,      // context: record after the text (comment, teaser card) of a repeated shape
  kCardList,        // context: trailing teaser cards (headline, one-line summary, repeated)
  kCommentThread,   // context: comment thread after the text, by repeated signature lines
  kCommentSection,  // context: heuristic body after a rule's comments heading
  kAuthorBio,       // context: blurb below the article starting with an "About NAME" name
  kCount
};

struct HeuristicInfo {
  std::string_view name;
  Decider::Kind kind;
  std::string_view doc;
};
const HeuristicInfo& GetHeuristicInfo(Heuristic h);
inline uint32_t DeciderOf(Heuristic h) { return static_cast<uint32_t>(h); }

}  // namespace clean

// The DOM pass of the HTML path. It runs after the rules, heuristics and
// context of the classifier and revises their heuristic decisions with what
// only the DOM knows (rule decisions stay, except that XPath rules decide
// the lines of their subtrees):
//   1. XPath rules of the source and the generic layer: `xpath` gives every
//      line of a matched subtree its class; `container` marks the main
//      content element.
//   2. The main content element: a `container` match, else the largest
//      itemprop=articleBody (with the others of its microdata item: their
//      nearest common ancestor), else the deepest element holding
//      Options::dom_main_share of the page's prose.
//   3. Lines inside an element outside the main content whose class, id or
//      role is in the boilerplate vocabulary (rules/dom/boilerplate.txt), or
//      inside nav/aside/footer/form, get that class; figcaption is caption.
//      Boxes that would leave the page without body text keep the text
//      heuristics' decisions (Options::dom_min_body_chars), and so do the
//      captions of a gallery (Options::dom_gallery_caption_share).
//   4. Inside the main element, text blocks (paragraphs, list items,
//      subheadings, quotes, cells) beside the article's text (BesideText)
//      that are not link lists are body up to its last prose line, and plain paragraphs after it up
//      to the last one ending a sentence (a subheading the text heuristics took for the title is
//      one of its blocks unless it is the <h1> or the metadata title); outside it, only long prose
//      stays body. Nothing is rescued from the first line the text pass put in a comment section
//      or thread, a record list or teaser cards on. The first <h1>, when it is the metadata title, is the page's title.
#pragma once
#include <cstdint>
#include <vector>

#include "cleaner/classify/page_work.h"
#include "cleaner/classify/dom_match.h"
#include "cleaner/html/html_page.h"
#include "cleaner/ruleset/rule_set.h"

namespace clean {

class XmlTree;

class DomClassifier {
 public:
  explicit DomClassifier(const RuleSet& rules);
  ~DomClassifier();
  void Apply(const Page& page, const HtmlPage& html, const Source* source, const Options& o,
             PageWork* w, StageTimes* times);
  uint32_t main_element() const { return main_; }
  // Per line of the last page: what its DOM decision matched.
  const DomMatches& matches() const { return matches_; }
  // Per line of the last page: 1 when it is inside the main element.
  const std::vector<uint8_t>& in_main() const { return in_main_; }

 private:
  void RunXPath(const HtmlPage& html, const Source* source, PageWork* w, StageTimes* times);
  void FindMain(const Page& page, const HtmlPage& html, const Options& o, const PageWork& w);
  // Marks the text containers of the main element, the elements whose
  // children are its body prose blocks (above wrappers that each hold one
  // block), and the article's container: the one of the most prose.
  void MarkTextContainers(const HtmlPage& html, const Options& o, const PageWork& w);
  // Whether a line of the main element outside the body may be the
  // article's text block: inside a text container, or before the last body
  // line of the article's container without standing in another cell of
  // the table row that holds it (a column of a layout table).
  bool BesideText(const DomTree& t, uint32_t block, uint32_t line, int64_t last_body) const;

  const RuleSet& rules_;
  std::unique_ptr<XmlTree> xml_;
  uint32_t main_ = kNoNode;
  std::vector<uint32_t> prose_;     // per node: prose characters in its subtree
  std::vector<uint32_t> blocks_;    // per node: prose lines in its subtree
  std::vector<uint8_t> main_path_;  // per node: 1 for the main element and its ancestors
  std::vector<uint8_t> in_main_;    // per line: inside the main element
  std::vector<std::pair<uint32_t, Decision>> boxed_;  // body lines a box took, and their decision
  std::vector<std::pair<uint32_t, Decision>> captions_;  // prose caption lines in the main element
  std::vector<uint8_t> text_container_;    // per node: parent of a body prose block in main
  std::vector<uint32_t> container_chars_;  // per node: body prose characters of its children
  std::vector<uint32_t> container_first_;  // per node: its first body prose line
  std::vector<uint32_t> container_last_;   // per node: its last body prose line
  uint32_t article_container_ = kNoNode;   // the text container of the most prose
  std::vector<int32_t> xpath_mark_;        // per node: index of the XPath rule, -1 none
  std::vector<uint32_t> matched_;          // XPath result scratch
  DomMatches matches_;
};

}  // namespace clean

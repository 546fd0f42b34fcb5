#include "cleaner/classify/dom_heuristics.h"

#include <algorithm>
#include <optional>

#include <chrono>

#include "cleaner/base/heuristics.h"
#include "cleaner/classify/section_box.h"
#include "cleaner/match/xml_tree.h"

namespace clean {

namespace {

bool StructuralTag(std::string_view t) {
  return t == "nav" || t == "aside" || t == "footer" || t == "form" || t == "menu";
}

// Tags whose text is a block of the article when it lies in the main element.
bool TextBlockTag(std::string_view t) {
  return t == "p" || t == "li" || t == "h2" || t == "h3" || t == "h4" || t == "h5" || t == "h6" ||
         t == "blockquote" || t == "dd" || t == "dt" || t == "td" || t == "th" || t == "pre" ||
         t == "div" || t == "section" || t == "article" || t == "main" || t == "span" || t == "b" ||
         t == "strong" || t == "em" || t == "i" || t == "font";
}

// Blocks of lists and tables.
bool ListBlockTag(std::string_view t) {
  return t == "li" || t == "td" || t == "th" || t == "dd" || t == "dt";
}

// Table cells: inside the main element, one of numbers only is a figure of
// a body table, not a no-words line.
bool TableCellTag(std::string_view t) { return t == "td" || t == "th"; }

// The parts of a table, where the cells of a layout table meet.
bool LayoutTableTag(std::string_view t) {
  return t == "table" || t == "tbody" || t == "thead" || t == "tfoot" || t == "tr" || t == "td" ||
         t == "th";
}

// The child of `ancestor` on the way down to `n`.
uint32_t ChildToward(const DomTree& t, uint32_t ancestor, uint32_t n) {
  while (n != kNoNode && t.node(n).parent != ancestor) n = t.node(n).parent;
  return n;
}

// Two elements of one tag and class attribute: items of one list.
bool SameShape(const DomTree& t, uint32_t a, uint32_t b) {
  return a != kNoNode && b != kNoNode && t.tag(a) == t.tag(b) &&
         t.attr(a, "class") == t.attr(b, "class");
}

// Elements that can hold an article's several blocks (not a paragraph,
// heading, list or table, whose parent is the container).
bool ContainerTag(std::string_view t) {
  return t == "div" || t == "article" || t == "main" || t == "section" || t == "span" ||
         t == "td" || t == "font" || t == "center" || t == "noscript" || t == "form" ||
         t == "body" || t == "content";
}

// The vocabulary's class for an element's class, id or role, if any, and
// what matched (*match, when given).
std::optional<LineClass> VocabularyClass(const DomTree& t, uint32_t n, const DomVocabulary& vocab,
                                         DomMatch* match = nullptr) {
  using Via = DomMatch::Via;
  static constexpr std::pair<std::string_view, Via> kAttrs[] = {
      {"class", Via::kClass}, {"id", Via::kId}, {"role", Via::kRole}};
  for (const auto& [a, via] : kAttrs) {
    std::string_view v = t.attr(n, a);
    if (v.empty()) continue;
    if (auto m = vocab.Match(v)) {
      if (match)
        *match = {via, n, m->line, static_cast<uint32_t>(m->word.data() - v.data()),
                  static_cast<uint32_t>(m->word.size())};
      return m->cls;
    }
  }
  return std::nullopt;
}

// An element named in the boilerplate vocabulary, or a nav, aside, footer,
// form or menu.
bool BoilerplateNamed(const DomTree& t, uint32_t n, const DomVocabulary& vocab) {
  return StructuralTag(t.tag(n)) || VocabularyClass(t, n, vocab).has_value();
}

// The nearest ancestor with an itemscope attribute (the microdata item an
// itemprop belongs to), or kNoNode.
uint32_t ItemOf(const DomTree& t, uint32_t n) {
  for (n = t.node(n).parent; n != kNoNode; n = t.node(n).parent) {
    bool found = false;
    t.attr(n, "itemscope", &found);
    if (found) return n;
  }
  return kNoNode;
}

// The nearest element that holds both a and b.
uint32_t CommonAncestor(const DomTree& t, uint32_t a, uint32_t b) {
  while (t.node(a).depth > t.node(b).depth) a = t.node(a).parent;
  while (t.node(b).depth > t.node(a).depth) b = t.node(b).parent;
  while (a != b) {
    a = t.node(a).parent;
    b = t.node(b).parent;
  }
  return a;
}

bool ProseKind(LineKind k) { return k == LineKind::kProse || k == LineKind::kMedium; }

void Set(PageWork* w, uint32_t i, LineClass c, uint32_t decider) {
  w->decisions[i].cls = c;
  w->decisions[i].decider = decider;
}

// A line the text pass put below the article's end: a comment section or
// thread, a record list, teaser cards.
bool ThreadDecided(uint32_t d) {
  return d == DeciderOf(Heuristic::kCommentSection) || d == DeciderOf(Heuristic::kCommentThread) ||
         d == DeciderOf(Heuristic::kRecordList) || d == DeciderOf(Heuristic::kCardList);
}

bool DomDecided(uint32_t d) {
  return d == DeciderOf(Heuristic::kDomBoilerplate) || d == DeciderOf(Heuristic::kDomStructure) ||
         d == DeciderOf(Heuristic::kDomCaption) || d == DeciderOf(Heuristic::kDomLinks) ||
         d == DeciderOf(Heuristic::kDomTitle);
}

// A line that may continue the article's body after its last prose line:
// a plain paragraph of words that no rule or box claimed, not a link, not
// repeated on the page, not a lead-in to a list.
bool ContinuesBody(const DomTree& t, const DomLine& dl, std::string_view text, const PageWork* w,
                   uint32_t i, const Options& o) {
  if (w->by_rule[i] || DomDecided(w->decisions[i].decider)) return false;
  if (t.tag(dl.block) != "p" || dl.link_density() >= o.dom_link_density) return false;
  if (w->kinds[i] == LineKind::kNoWords || w->features.lines[i].repeats >= o.repeat_min)
    return false;
  return !text.empty() && text.back() != ':';
}

}  // namespace

DomClassifier::DomClassifier(const RuleSet& rules) : rules_(rules), xml_(new XmlTree) {}
DomClassifier::~DomClassifier() = default;

void DomClassifier::RunXPath(const HtmlPage& html, const Source* source, PageWork* w,
                             StageTimes* times) {
  const DomTree& t = html.tree;
  xpath_mark_.assign(t.size(), -1);
  const Source* layers[2] = {source, &rules_.generic()};
  bool any = false;
  for (const Source* s : layers) any = any || (s && !s->xpaths.empty());
  if (!any) return;
  auto t0 = std::chrono::steady_clock::now();
  xml_->Build(t);
  auto t1 = std::chrono::steady_clock::now();
  times->copy += std::chrono::duration<double>(t1 - t0).count();
  // Later rules do not override earlier ones: source rules first, then generic.
  for (const Source* s : layers) {
    if (!s) continue;
    for (size_t r = 0; r < s->xpaths.size(); ++r) {
      const XPathRule& rule = s->xpaths[r];
      matched_.clear();
      xml_->Select(*rule.expr, &matched_);
      if (rule.container) {
        if (main_ == kNoNode && !matched_.empty()) main_ = matched_.front();
        continue;
      }
      int32_t tag = static_cast<int32_t>(rule.decider);
      for (uint32_t m : matched_)
        if (xpath_mark_[m] < 0) xpath_mark_[m] = tag;
    }
  }
  // Lines inside a marked subtree take the nearest mark.
  for (uint32_t i = 0; i < html.lines.size(); ++i) {
    if (w->decisions[i].blank) continue;
    for (uint32_t n = html.lines[i].owner; n != kNoNode; n = t.node(n).parent) {
      if (xpath_mark_[n] < 0) continue;
      uint32_t decider = static_cast<uint32_t>(xpath_mark_[n]);
      for (const Source* s : layers)
        if (s)
          for (const XPathRule& rule : s->xpaths)
            if (rule.decider == decider) Set(w, i, rule.cls, decider);
      w->by_rule[i] = 1;
      break;
    }
  }
  times->xpath += std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
}

void DomClassifier::FindMain(const Page& page, const HtmlPage& html, const Options& o,
                             const PageWork& w) {
  (void)page;
  const DomTree& t = html.tree;
  prose_.assign(t.size(), 0);
  blocks_.assign(t.size(), 0);
  for (uint32_t i = 0; i < html.lines.size(); ++i) {
    const DomLine& dl = html.lines[i];
    if (w.decisions[i].blank || !ProseKind(w.kinds[i])) continue;
    if (w.by_rule[i] && w.decisions[i].cls != LineClass::kBody) continue;
    if (dl.link_density() >= o.dom_link_density) continue;
    for (uint32_t n = dl.block; n != kNoNode; n = t.node(n).parent) {
      prose_[n] += dl.chars;
      ++blocks_[n];
    }
  }
  if (main_ == kNoNode) {
    // The largest itemprop=articleBody holding prose; when others of the
    // same item (the same nearest itemscope: one article, not teaser cards
    // that each mark their excerpt) hold prose too (a page that marks each
    // paragraph so), their nearest common ancestor below <body>.
    uint32_t best = 0;
    auto article_body = [&](uint32_t n) {
      return t.is_element(n) && prose_[n] > 0 && t.attr(n, "itemprop") == "articleBody";
    };
    for (uint32_t n = 0; n < t.size(); ++n)
      if (article_body(n) && prose_[n] > best) {
        best = prose_[n];
        main_ = n;
      }
    if (main_ != kNoNode) {
      uint32_t item = ItemOf(t, main_), common = main_;
      for (uint32_t n = 0; n < t.size(); ++n)
        if (n != main_ && article_body(n) && ItemOf(t, n) == item)
          common = CommonAncestor(t, common, n);
      if (common > 1) main_ = common;  // node 0 is <html>, 1 <body>
    }
  }
  if (main_ == kNoNode && t.size() > 1 && prose_[1] > 0) {
    // Descend from <body> while one child holds the share of the prose.
    // A child named as boilerplate (comments, sidebar) is passed over, and
    // its prose leaves the page's total, when a plainly named sibling holds
    // prose of its own: the article's comments outweigh a short article.
    // The main element is a container: the descent stops above a single
    // paragraph, list or table, and above elements of few text blocks.
    const DomVocabulary& vocab = rules_.dom_vocab();
    uint32_t total = prose_[1];
    uint32_t n = 1;
    for (;;) {
      uint32_t best = kNoNode, best_plain = kNoNode, boiler_prose = 0;
      for (uint32_t c = t.node(n).first_child; c != kNoNode; c = t.node(c).next_sibling) {
        if (!t.is_element(c) || prose_[c] == 0) continue;
        if (best == kNoNode || prose_[c] > prose_[best]) best = c;
        if (BoilerplateNamed(t, c, vocab))
          boiler_prose += prose_[c];
        else if (best_plain == kNoNode || prose_[c] > prose_[best_plain])
          best_plain = c;
      }
      if (best_plain != kNoNode && best_plain != best &&
          prose_[best_plain] >= static_cast<uint32_t>(o.dom_main_min_chars)) {
        best = best_plain;
        total -= boiler_prose;
      }
      if (best == kNoNode || prose_[best] < o.dom_main_share * total) break;
      if (!ContainerTag(t.tag(best)) ||
          blocks_[best] < static_cast<uint32_t>(o.dom_main_min_blocks))
        break;
      n = best;
    }
    main_ = n;
  }
  main_path_.assign(t.size(), 0);
  for (uint32_t n = main_; n != kNoNode; n = t.node(n).parent) main_path_[n] = 1;
}

void DomClassifier::MarkTextContainers(const HtmlPage& html, const Options& o, const PageWork& w) {
  const DomTree& t = html.tree;
  text_container_.assign(t.size(), 0);
  container_chars_.assign(t.size(), 0);
  container_last_.assign(t.size(), 0);
  container_first_.assign(t.size(), 0);
  article_container_ = kNoNode;
  for (uint32_t i = 0; i < html.lines.size(); ++i) {
    const DomLine& dl = html.lines[i];
    if (!in_main_[i] || w.decisions[i].blank || w.decisions[i].cls != LineClass::kBody) continue;
    if (!ProseKind(w.kinds[i]) || dl.link_density() >= o.dom_link_density) continue;
    uint32_t c = dl.block == main_ ? main_ : BlockContainer(t, dl.block, main_);
    if (!text_container_[c]) container_first_[c] = i;
    text_container_[c] = 1;
    container_chars_[c] += dl.chars;
    container_last_[c] = i;
    if (article_container_ == kNoNode || container_chars_[c] > container_chars_[article_container_])
      article_container_ = c;
  }
}

bool DomClassifier::BesideText(const DomTree& t, uint32_t block, uint32_t line,
                               int64_t last_body) const {
  if (article_container_ == kNoNode) return true;  // no prose: the main element is the text
  for (uint32_t n = block; n != kNoNode; n = t.node(n).parent) {
    if (text_container_[n]) return true;
    if (n == main_) break;
  }
  uint32_t common = CommonAncestor(t, block, article_container_);
  // Two cells of one table row: columns of a layout (a sidebar beside the text).
  if (t.tag(common) == "tr") return false;
  if (line < container_first_[article_container_]) return true;
  // After the article's first line: the rows of a layout table and tables
  // nested in its cell are other boxes, and so is any other element than an
  // item of the article's own shape (the posts of a live blog).
  if (LayoutTableTag(t.tag(common)) || static_cast<int64_t>(line) >= last_body) return false;
  return SameShape(t, ChildToward(t, common, block), ChildToward(t, common, article_container_));
}

void DomClassifier::Apply(const Page& page, const HtmlPage& html, const Source* source,
                          const Options& o, PageWork* w, StageTimes* times) {
  main_ = kNoNode;
  const DomTree& t = html.tree;
  size_t n_lines = html.lines.size();
  matches_.lines.assign(n_lines, DomMatch{});
  matches_.main = kNoNode;
  in_main_.assign(n_lines, 0);
  if (t.size() < 2) return;
  RunXPath(html, source, w, times);
  FindMain(page, html, o, *w);
  matches_.main = main_;
  const DomVocabulary& vocab = rules_.dom_vocab();
  // Where the text pass found the article's end: the first line it put in
  // a comment section or thread, or in a record list below the article.
  // The DOM pass's rescue stops there: the main element often holds the
  // comments below the article.
  uint32_t thread_begin = static_cast<uint32_t>(n_lines);
  for (uint32_t i = 0; i < n_lines && thread_begin == n_lines; ++i)
    if (!w->decisions[i].blank && ThreadDecided(w->decisions[i].decider)) thread_begin = i;
  boxed_.clear();
  captions_.clear();
  uint64_t caption_chars = 0;
  uint64_t body_chars = 0;  // of the lines body after the DOM pass's boxes
  for (uint32_t i = 0; i < n_lines; ++i) {
    if (w->decisions[i].blank) continue;
    const DomLine& dl = html.lines[i];
    bool caption = false, structure = false;
    std::optional<LineClass> boiler;
    DomMatch& match = matches_.lines[i];  // the box, else the figcaption
    uint32_t top = dl.owner;              // the first of the line's ancestors on the main path
    while (top != kNoNode && !main_path_[top]) top = t.node(top).parent;
    in_main_[i] = top != kNoNode && top == main_;
    // Inside the main element, a box is measured against the main element's
    // prose: a wrapper of most of the article is none (live blogs, recipes).
    double box_max = o.dom_boiler_max_share * prose_[in_main_[i] ? main_ : 1];
    for (uint32_t n = dl.owner; n != top; n = t.node(n).parent) {
      std::string_view tag = t.tag(n);
      if (tag == "figcaption" && !caption) {
        caption = true;
        if (!boiler && !structure) match = {DomMatch::Via::kTag, n};
      }
      // A subtree holding much of the page's prose is no boilerplate box,
      // whatever its class says (layout wrappers: "widget", "has-sidebar").
      bool small = prose_[n] <= box_max;
      if (!boiler && !structure && small) {
        boiler = VocabularyClass(t, n, vocab, &match);
        if (!boiler && StructuralTag(tag)) {
          structure = true;
          match = {DomMatch::Via::kTag, n};
        }
      }
    }
    if (w->by_rule[i]) continue;
    LineKind k = w->kinds[i];
    bool linky = dl.link_density() >= o.dom_link_density;
    if (boiler && w->decisions[i].cls == LineClass::kBody) boxed_.push_back({i, w->decisions[i]});
    bool captioned = caption || (boiler && *boiler == LineClass::kCaption);
    if (captioned && in_main_[i] && ProseKind(k)) {
      captions_.push_back({i, w->decisions[i]});
      caption_chars += dl.chars;
    }
    if (boiler)
      Set(w, i, *boiler, DeciderOf(Heuristic::kDomBoilerplate));
    else if (structure)
      Set(w, i, LineClass::kNavigation, DeciderOf(Heuristic::kDomStructure));
    else if (caption)
      Set(w, i, LineClass::kCaption, DeciderOf(Heuristic::kDomCaption));
    else if (linky && w->decisions[i].cls == LineClass::kBody && !ProseKind(k))
      Set(w, i, LineClass::kNavigation, DeciderOf(Heuristic::kDomLinks));
    if (w->decisions[i].cls == LineClass::kBody) body_chars += dl.chars;
  }
  // Boxes named as boilerplate that would leave the page without body text
  // are its content (live blogs whose posts are "comments", galleries of
  // "caption" slides): the text heuristics' body decisions stand.
  uint64_t boxed_chars = 0;
  for (const auto& [i, d] : boxed_) boxed_chars += html.lines[i].chars;
  if (body_chars < static_cast<uint64_t>(o.dom_min_body_chars) &&
      boxed_chars >= static_cast<uint64_t>(o.dom_min_body_chars))
    for (const auto& [i, d] : boxed_) w->decisions[i] = d;
  if (main_ == kNoNode) return;
  // A gallery: when captions (figcaption, or a box named as caption) hold
  // most of the main element's prose, they are its text, and the text
  // heuristics' decisions stand.
  if (caption_chars > o.dom_gallery_caption_share * prose_[main_])
    for (const auto& [i, d] : captions_) w->decisions[i] = d;
  // The main text's extent in line order: its last line, and its last
  // body line (what follows it inside the element is bios, tags, prompts).
  int64_t last_main = -1, last_body = -1;
  for (uint32_t i = 0; i < std::min<size_t>(n_lines, thread_begin); ++i) {
    if (!in_main_[i]) continue;
    last_main = i;
    if (ProseKind(w->kinds[i]) && html.lines[i].link_density() < o.dom_link_density &&
        (!w->by_rule[i] || w->decisions[i].cls == LineClass::kBody) &&
        (w->past_section_box.empty() || !w->past_section_box[i]))
      last_body = i;
  }
  // Paragraphs right after the last body line go on with the article
  // (a closing sentence in a language of few stop words, an update note,
  // items written as paragraphs) while they are plain paragraphs, up to the
  // last of them that ends a sentence: the run stops at a rule's or a box's
  // line, a link, a repeated line, a lead-in ending in ':' ("Read more:"),
  // a heading or another block, and credits, signatures and calls to action
  // at its end rarely end a sentence.
  int64_t tail_end = last_body;
  if (last_body >= 0) {
    for (uint32_t i = static_cast<uint32_t>(last_body) + 1; i < n_lines; ++i) {
      if (w->decisions[i].blank) continue;
      if (!in_main_[i] || !ContinuesBody(t, html.lines[i], page.line(i), w, i, o)) break;
      if (w->features.lines[i].terminal) tail_end = i;
    }
  }
  // The page's title: its first <h1> when that is the metadata title (or a
  // start of it: "Title | Site"), or when there is no metadata title. The
  // text heuristics can take it for a headline next to a menu.
  for (uint32_t i = 0; i < n_lines; ++i) {
    if (w->decisions[i].blank || t.tag(html.lines[i].block) != "h1") continue;
    std::string_view line = page.line(i);
    const std::string& meta = html.meta.title;
    bool is_title = meta.empty() || meta.compare(0, line.size(), line) == 0;
    if (is_title && !w->by_rule[i] && !DomDecided(w->decisions[i].decider) &&
        w->decisions[i].cls != LineClass::kBody && w->decisions[i].cls != LineClass::kTitle &&
        html.lines[i].link_density() < o.dom_link_density)
      Set(w, i, LineClass::kTitle, DeciderOf(Heuristic::kDomTitle));
    break;
  }
  MarkTextContainers(html, o, *w);
  for (uint32_t i = 0; i < n_lines; ++i) {
    if (w->decisions[i].blank || w->by_rule[i]) continue;
    if (DomDecided(w->decisions[i].decider)) continue;
    const DomLine& dl = html.lines[i];
    LineKind k = w->kinds[i];
    bool linky = dl.link_density() >= o.dom_link_density;
    LineClass cls = w->decisions[i].cls;
    // The text heuristics take the title-like line nearest before the body
    // text for the title; inside the main element that is a subheading
    // unless it is the page's <h1> or its metadata title.
    if (cls == LineClass::kTitle && in_main_[i] && t.tag(dl.block) != "h1" &&
        page.line(i) != html.meta.title)
      cls = LineClass::kNavigation;
    if (in_main_[i]) {
      if (i >= thread_begin) continue;  // the text pass's decisions stand
      // After the last paragraph, lists and tables of the article (steps,
      // ingredients, references) are still its body.
      bool listed = ListBlockTag(t.tag(dl.block));
      // A short line after a headline list's box, above the article's text,
      // is no lead-in of it.
      bool past_box = !w->past_section_box.empty() && w->past_section_box[i] && !ProseKind(k) &&
                      article_container_ != kNoNode && i < container_first_[article_container_];
      if ((static_cast<int64_t>(i) <= tail_end || listed) && cls != LineClass::kBody && !past_box &&
          BesideText(t, dl.block, i, last_body) && cls != LineClass::kTitle && !linky &&
          (k != LineKind::kNoWords || TableCellTag(t.tag(dl.block))) &&
          w->features.lines[i].repeats < o.repeat_min && TextBlockTag(t.tag(dl.block)))
        Set(w, i, LineClass::kBody, DeciderOf(Heuristic::kDomInMain));
    } else if (cls == LineClass::kBody) {
      bool after = static_cast<int64_t>(i) > last_main;
      bool long_prose =
          k == LineKind::kProse &&
          w->features.lines[i].chars >= static_cast<uint32_t>(o.dom_after_main_keep_chars);
      if (linky || !ProseKind(k) || (after && !long_prose))
        Set(w, i, LineClass::kNavigation, DeciderOf(Heuristic::kDomOutsideMain));
    }
  }
}

}  // namespace clean

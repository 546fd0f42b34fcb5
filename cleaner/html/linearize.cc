#include "cleaner/html/linearize.h"

#include <algorithm>

#include "cleaner/base/text_util.h"

namespace clean {

bool IsBlockTag(std::string_view tag) {
  static constexpr std::string_view kBlock[] = {
      "address",    "article",  "aside",  "blockquote", "body",      "center",  "dd",
      "details",    "dialog",   "dir",    "div",        "dl",        "dt",      "fieldset",
      "figcaption", "figure",   "footer", "form",       "frameset",  "h1",      "h2",
      "h3",         "h4",       "h5",     "h6",         "header",    "hgroup",  "hr",
      "html",       "legend",   "li",     "listing",    "main",      "menu",    "nav",
      "ol",         "optgroup", "option", "p",          "plaintext", "pre",     "search",
      "section",    "summary",  "ul",     "xmp",        "table",     "caption", "thead",
      "tbody",      "tfoot",    "tr",     "td",         "th",        "select"};
  return std::find(std::begin(kBlock), std::end(kBlock), tag) != std::end(kBlock);
}

namespace {

// Python's str.isspace() beyond ASCII: what render_text.py's strip() removes
// at the ends of a line (U+00A0 inside a line is kept).
bool UnicodeSpace(uint32_t cp) {
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 ||
         (cp >= 0x1C && cp <= 0x1F);
}

void TrimUnicodeSpace(const std::string& text, LineSpan* span) {
  std::string_view s(text);
  for (;;) {  // leading
    if (span->begin >= span->end) return;
    size_t len = Utf8SequenceLength(s, span->begin);
    uint32_t cp = len ? Utf8Decode(s, span->begin, len) : 0xFFFD;
    if (!UnicodeSpace(cp) && !IsAsciiSpace(static_cast<unsigned char>(s[span->begin]))) break;
    span->begin += static_cast<uint32_t>(len ? len : 1);
  }
  for (;;) {  // trailing: step back to the start of the last code point
    if (span->end <= span->begin) return;
    uint32_t b = span->end - 1;
    while (b > span->begin && (static_cast<unsigned char>(s[b]) & 0xC0) == 0x80) --b;
    size_t len = Utf8SequenceLength(s, b);
    uint32_t cp = len ? Utf8Decode(s, b, len) : 0xFFFD;
    if (!UnicodeSpace(cp) && !IsAsciiSpace(static_cast<unsigned char>(s[b]))) break;
    span->end = b;
  }
}

}  // namespace

void Linearizer::AddText(std::string_view t, uint32_t owner, bool in_link) {
  uint32_t solid = 0;
  for (char c : t) solid += !IsAsciiSpace(static_cast<unsigned char>(c));
  if (solid && cur_line_.owner == kNoNode) {
    cur_line_.owner = owner;
    cur_line_.block = blocks_.empty() ? owner : blocks_.back();
  }
  cur_line_.chars += solid;
  if (in_link) cur_line_.link_chars += solid;
  cur_.append(t);
}

void Linearizer::Break(Page* page, std::vector<DomLine>* lines) {
  if (cur_line_.chars > 0) {
    // Collapse ASCII whitespace runs to one space and trim.
    LineSpan span;
    span.begin = static_cast<uint32_t>(page->text.size());
    bool pending_space = false;
    for (char c : cur_) {
      if (IsAsciiSpace(static_cast<unsigned char>(c))) {
        pending_space = page->text.size() > span.begin;
        continue;
      }
      if (pending_space) page->text.push_back(' ');
      pending_space = false;
      page->text.push_back(c);
    }
    uint32_t start = span.begin;
    span.end = static_cast<uint32_t>(page->text.size());
    TrimUnicodeSpace(page->text, &span);
    if (span.end == span.begin) {
      page->text.resize(start);
    } else {
      if (span.begin > start) {  // keep the text contiguous: lines are "\n"-joined
        page->text.erase(start, span.begin - start);
        span.end -= span.begin - start;
        span.begin = start;
      }
      page->text.resize(span.end);
      page->text.push_back('\n');
      page->lines.push_back(span);
      lines->push_back(cur_line_);
    }
  }
  cur_.clear();
  cur_line_ = DomLine();
}

void Linearizer::Run(const DomTree& tree, Page* page, std::vector<DomLine>* lines, bool noscript) {
  cur_.clear();
  cur_line_ = DomLine();
  blocks_.clear();
  stack_.clear();
  if (tree.size() < 2) return;
  uint32_t link_depth = 0, pre_depth = 0;
  stack_.push_back({1, false});  // <body>
  while (!stack_.empty()) {
    Frame& f = stack_.back();
    uint32_t n = f.node;
    if (!tree.is_element(n)) {
      std::string_view t = tree.text(n);
      uint32_t parent = tree.node(n).parent;
      if (pre_depth == 0) {
        AddText(t, parent, link_depth > 0);
      } else {
        // Inside <pre> a newline ends a line.
        size_t start = 0;
        while (start <= t.size()) {
          size_t nl = t.find('\n', start);
          if (nl == std::string_view::npos) nl = t.size();
          std::string_view piece = t.substr(start, nl - start);
          if (!piece.empty() && piece.back() == '\r') piece.remove_suffix(1);
          AddText(piece, parent, link_depth > 0);
          if (nl == t.size()) break;
          Break(page, lines);
          start = nl + 1;
        }
      }
      stack_.pop_back();
      continue;
    }
    std::string_view tag = tree.tag(n);
    if (!noscript && tag == "noscript") {
      stack_.pop_back();
      continue;
    }
    bool block = IsBlockTag(tag);
    if (!f.entered) {
      f.entered = true;
      if (block || tag == "br") Break(page, lines);
      if (block) blocks_.push_back(n);
      if (tag == "pre") ++pre_depth;
      if (tag == "a") ++link_depth;
      // Children in order: push them reversed.
      size_t mark = stack_.size();
      for (uint32_t c = tree.node(n).first_child; c != kNoNode; c = tree.node(c).next_sibling)
        stack_.push_back({c, false});
      std::reverse(stack_.begin() + mark, stack_.end());
      continue;
    }
    if (tag == "pre") --pre_depth;
    if (tag == "a") --link_depth;
    if (block) {
      Break(page, lines);
      blocks_.pop_back();
    }
    stack_.pop_back();
  }
  Break(page, lines);
}

}  // namespace clean

#include "cleaner/html/html_parse.h"

#include "cleaner/html/attribute_cut.h"

#include <gumbo.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <new>

namespace clean {

void HtmlHead::Clear() {
  title.clear();
  metas.clear();
  canonical.clear();
  json_ld.clear();
}

void HtmlParseStats::Clear() { *this = HtmlParseStats(); }

GumboArena::~GumboArena() {
  Reset();
  for (const Block& b : blocks_) munmap(b.data, b.size);
}

char* GumboArena::Map(size_t size) {
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  return static_cast<char*>(p);
}

void* GumboArena::Allocate(size_t n) {
  size_t align = n == 0 ? 1 : std::min<size_t>(n & (~n + 1), 8);
  uintptr_t at = (reinterpret_cast<uintptr_t>(next_) + align - 1) & ~(uintptr_t{align} - 1);
  if (next_ && at + n <= reinterpret_cast<uintptr_t>(end_)) {
    char* p = reinterpret_cast<char*>(at);
    used_ += p + n - next_;
    next_ = p + n;
    return p;
  }
  return AllocateSlow(n);
}

void* GumboArena::AllocateSlow(size_t n) {
  if (n > kBlockBytes / 2) {  // a block of its own (mapped memory is page-aligned)
    size_t size = (n + 4095) & ~size_t{4095};
    large_.push_back({Map(size), size});
    capacity_ += size;
    used_ += n;
    return large_.back().data;
  }
  if (current_ == blocks_.size()) {
    blocks_.push_back({Map(kBlockBytes), kBlockBytes});
    capacity_ += kBlockBytes;
  }
  next_ = blocks_[current_].data;
  end_ = next_ + blocks_[current_].size;
  ++current_;
  return Allocate(n);  // fits now: n is at most half a block, align at most 8
}

void GumboArena::Deallocate(void* p) {
  // Only a large block starts a page; the last one mapped is the likeliest.
  if ((reinterpret_cast<uintptr_t>(p) & 4095) != 0) return;
  for (size_t i = large_.size(); i-- > 0;)
    if (large_[i].data == p) {
      munmap(large_[i].data, large_[i].size);
      capacity_ -= large_[i].size;
      large_[i] = large_.back();
      large_.pop_back();
      return;
    }
}

void GumboArena::Reset() {
  for (const Block& b : large_) {
    munmap(b.data, b.size);
    capacity_ -= b.size;
  }
  large_.clear();
  while (capacity_ > kKeepBytes && !blocks_.empty()) {
    munmap(blocks_.back().data, blocks_.back().size);
    capacity_ -= blocks_.back().size;
    blocks_.pop_back();
  }
  current_ = 0;
  next_ = end_ = nullptr;
  used_ = 0;
}

namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsNameChar(char c) { return IsAlpha(c) || (c >= '0' && c <= '9') || c == '-' || c == ':'; }

// Position of `lower_needle` in hay[from..), case-insensitively; npos if absent.
size_t FindCI(std::string_view hay, std::string_view lower_needle, size_t from) {
  if (lower_needle.empty()) return from;
  char first = lower_needle[0];
  for (size_t i = from; i + lower_needle.size() <= hay.size(); ++i) {
    if (Lower(hay[i]) != first) continue;
    size_t k = 1;
    while (k < lower_needle.size() && Lower(hay[i + k]) == lower_needle[k]) ++k;
    if (k == lower_needle.size()) return i;
  }
  return std::string_view::npos;
}

// Elements the depth guard does not count: void elements and those whose
// end tag may be left out (the parser closes them itself).
bool Uncounted(std::string_view n) {
  static constexpr std::string_view kNames[] = {
      "area",  "base",  "br",    "col",      "embed",    "hr",   "img",    "input",
      "link",  "meta",  "param", "source",   "track",    "wbr",  "keygen", "p",
      "li",    "dt",    "dd",    "option",   "optgroup", "tr",   "td",     "th",
      "thead", "tbody", "tfoot", "colgroup", "caption",  "rb",   "rt",     "rp",
      "rtc",   "html",  "head",  "body",     "script",   "style"};
  return std::find(std::begin(kNames), std::end(kNames), n) != std::end(kNames);
}

// Elements that never render (render_text.py's DROP set).
bool NeverRendered(std::string_view n) {
  static constexpr std::string_view kNames[] = {
      "head",  "script", "style",  "noscript", "template", "iframe",   "object",
      "embed", "svg",    "canvas", "video",    "audio",    "textarea", "datalist",
      "title", "link",   "meta",   "base",     "math"};
  return std::find(std::begin(kNames), std::end(kNames), n) != std::end(kNames);
}

// Elements whose text the HTML parser reads raw up to their end tag: one
// left open swallows the rest of the page (script and style are cut apart).
constexpr std::string_view kRawTextNames[] = {"title",  "textarea", "xmp",
                                              "iframe", "noembed",  "noframes"};

// Position of the first end tag for `lower_name` in in[from..) as the
// parser reads one, "</name" then whitespace, '/' or '>' ("</titlefoo" is
// not one); npos if none.
size_t FindEndTag(std::string_view in, std::string_view lower_name, size_t from) {
  for (size_t at = from;; at += 2) {
    at = in.find("</", at);
    if (at == std::string_view::npos) return at;
    size_t e = at + 2 + lower_name.size();
    if (e > in.size()) return std::string_view::npos;
    if (FindCI(in.substr(at + 2, lower_name.size()), lower_name, 0) != 0) continue;
    if (e == in.size()) return at;
    char c = in[e];
    if (c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f')
      return at;
  }
}

// The end tags of raw-text elements, found once per name: NextEnd(in,
// name, from) is the first end tag for `name` at or after `from` (npos:
// none), remembered per name, so a page of many such start tags (a
// forward scan: `from` never decreases) is read once per name, not once
// per tag.
class OpenRawText {
 public:
  size_t NextEnd(std::string_view in, std::string_view name, size_t from) {
    size_t i = 0;
    while (i < std::size(kNames) && kNames[i] != name) ++i;
    if (i == std::size(kNames)) return FindEndTag(in, name, from);
    if (next_end_[i] == kUnknown || (next_end_[i] != std::string_view::npos && next_end_[i] < from))
      next_end_[i] = FindEndTag(in, name, from);
    return next_end_[i];
  }
  // Whether a raw-text start tag `name` (one of kRawTextNames) ending at
  // `from` is left open.
  bool LeftOpen(std::string_view in, std::string_view name, size_t from) {
    if (std::find(std::begin(kRawTextNames), std::end(kRawTextNames), name) ==
        std::end(kRawTextNames))
      return false;
    return NextEnd(in, name, from) == std::string_view::npos;
  }

 private:
  static constexpr std::string_view kNames[] = {"title",   "textarea", "xmp",     "iframe",
                                                "noembed", "noframes", "noscript"};
  static constexpr size_t kUnknown = std::string_view::npos - 1;
  size_t next_end_[std::size(kNames)] = {kUnknown, kUnknown, kUnknown, kUnknown,
                                         kUnknown, kUnknown, kUnknown};
};

// Start tags that end an <svg> element's foreign content in the HTML
// parser (the standard's list; "font" whatever its attributes): what
// follows them is HTML again.
bool BreaksOutOfSvg(std::string_view n) {
  static constexpr std::string_view kNames[] = {
      "b",      "big",  "blockquote", "body",  "br",       "center", "code",    "dd",   "div",
      "dl",     "dt",   "em",         "embed", "h1",       "h2",     "h3",      "h4",   "h5",
      "h6",     "head", "hr",         "i",     "img",      "li",     "listing", "menu", "meta",
      "nobr",   "ol",   "p",          "pre",   "ruby",     "s",      "small",   "span", "strong",
      "strike", "sub",  "sup",        "table", "tt",       "u",      "ul",      "var",  "font",
      "math",   "html", "frameset",   "frame", "plaintext"};
  return std::find(std::begin(kNames), std::end(kNames), n) != std::end(kNames);
}

// Elements whose text the tokenizer reads raw to their end tag in HTML
// content: an <svg> inside one is text, not an element.
bool RawTextStart(std::string_view n) {
  return n == "plaintext" || n == "noscript" ||
         std::find(std::begin(kRawTextNames), std::end(kRawTextNames), n) !=
             std::end(kRawTextNames);
}

// Whether `in` has a start tag `lower_name` ("<NAME" in any case, then a
// byte that ends a tag name).
bool HasTag(std::string_view in, std::string_view lower_name) {
  for (size_t at = in.find('<'); at != std::string_view::npos; at = in.find('<', at + 1)) {
    const size_t e = at + 1 + lower_name.size();
    if (e < in.size() && FindCI(in.substr(at + 1, lower_name.size()), lower_name, 0) == 0 &&
        !IsNameChar(in[e]))
      return true;
  }
  return false;
}

// Reads a tag name at s[i..] into a lower-cased fixed buffer view.
std::string_view TagName(std::string_view s, size_t i, char (&buf)[24]) {
  size_t n = 0;
  while (i + n < s.size() && IsNameChar(s[i + n]) && n < sizeof buf) {
    buf[n] = Lower(s[i + n]);
    ++n;
  }
  return std::string_view(buf, n);
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

// Appends t to *out with each run of two or more whitespace bytes as its
// first byte; returns the bytes left out.
size_t AppendCollapsed(std::string_view t, std::string* out) {
  size_t cut = 0, from = 0;
  const size_t n = t.size();
  for (size_t i = 0; i + 1 < n; ++i) {
    if (!IsSpace(t[i]) || !IsSpace(t[i + 1])) continue;
    out->append(t.substr(from, i + 1 - from));
    size_t j = i + 2;
    while (j < n && IsSpace(t[j])) ++j;
    cut += j - i - 1;
    from = i = j;
  }
  out->append(t.substr(from));
  return cut;
}

// One tag tokenized as the HTML standard's tokenizer does (tag name, then
// attributes: names, '=', quoted or unquoted values; a stray '/' is
// skipped), up to `keep` attributes that end within `max_bytes` of `p`.
struct TagScan {
  size_t end = 0;         // one past the closing '>'; the input's size when it has none
  size_t keep_end = 0;    // one past the last attribute kept (or the name)
  size_t attributes = 0;  // all of them, duplicates included
  size_t kept = 0;
  bool closed = false;        // it has its '>'
  bool self_closing = false;  // "/>"
};

TagScan ScanTag(std::string_view in, size_t p, size_t name_at, size_t keep, size_t max_bytes) {
  TagScan t;
  const size_t n = in.size();
  size_t i = name_at;
  while (i < n && !IsSpace(in[i]) && in[i] != '/' && in[i] != '>') ++i;
  t.keep_end = i;
  for (;;) {
    while (i < n && (IsSpace(in[i]) || (in[i] == '/' && i + 1 < n && in[i + 1] != '>'))) ++i;
    if (i >= n) break;
    if (in[i] == '>' || in[i] == '/') {  // "/>" or '>'
      t.self_closing = in[i] == '/';
      i += t.self_closing ? 2 : 1;
      t.closed = true;
      break;
    }
    ++i;  // a name's first character may be '='
    while (i < n && !IsSpace(in[i]) && in[i] != '/' && in[i] != '>' && in[i] != '=') ++i;
    size_t j = i;
    while (j < n && IsSpace(in[j])) ++j;
    if (j < n && in[j] == '=') {
      ++j;
      while (j < n && IsSpace(in[j])) ++j;
      if (j < n && (in[j] == '"' || in[j] == '\'')) {
        size_t q = in.find(in[j], j + 1);
        i = q == std::string_view::npos ? n : q + 1;
      } else {
        while (j < n && !IsSpace(in[j]) && in[j] != '>') ++j;
        i = j;
      }
    }
    ++t.attributes;
    if (t.kept < keep && i - p <= max_bytes) {
      ++t.kept;
      t.keep_end = i;
    }
  }
  t.end = i;
  return t;
}

std::string_view Attr(const GumboElement& e, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&e.attributes, name);
  return a ? std::string_view(a->value) : std::string_view();
}

bool HiddenStyle(std::string_view style) {
  // display:none or visibility:hidden, any case, any spaces around ':'
  std::string s;
  s.reserve(style.size());
  for (char c : style)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f') s.push_back(Lower(c));
  return s.find("display:none") != std::string::npos ||
         s.find("visibility:hidden") != std::string::npos;
}

bool Hidden(const GumboElement& e, std::string_view tag) {
  if (tag == "html" || tag == "body") return false;
  if (gumbo_get_attribute(&e.attributes, "hidden")) return true;
  if (tag == "input") {
    std::string_view t = Attr(e, "type");
    if (t.size() == 6 && FindCI(t, "hidden", 0) == 0) return true;
  }
  std::string_view style = Attr(e, "style");
  return !style.empty() && HiddenStyle(style);
}

std::string_view ElementTag(const GumboElement& e, std::string* scratch) {
  if (e.tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(e.tag);
  GumboStringPiece piece = e.original_tag;
  gumbo_tag_from_original_text(&piece);
  scratch->assign(piece.data ? piece.data : "", piece.data ? piece.length : 0);
  for (char& c : *scratch) c = Lower(c);
  if (scratch->empty()) scratch->assign("unknown");
  return *scratch;
}

std::string ChildText(const GumboNode* n) {
  std::string out;
  const GumboVector& kids = n->v.element.children;
  for (unsigned i = 0; i < kids.length; ++i) {
    auto* c = static_cast<const GumboNode*>(kids.data[i]);
    if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_WHITESPACE ||
        c->type == GUMBO_NODE_CDATA)
      out += c->v.text.text;
  }
  return out;
}

void Count(std::vector<std::pair<std::string, uint32_t>>* v, std::string_view tag) {
  for (auto& p : *v)
    if (p.first == tag) {
      ++p.second;
      return;
    }
  v->emplace_back(std::string(tag), 1);
}

// What the page says about itself, from any element of the document.
void ReadHeadElement(const GumboNode* n, std::string_view tag, HtmlHead* head) {
  const GumboElement& e = n->v.element;
  if (tag == "title") {
    if (head->title.empty()) head->title = ChildText(n);
  } else if (tag == "meta") {
    std::string_view key;
    for (const char* k : {"property", "name", "itemprop", "http-equiv"}) {
      key = Attr(e, k);
      if (!key.empty()) break;
    }
    std::string_view content = Attr(e, "content");
    if (!key.empty() && !content.empty()) {
      std::string k(key);
      for (char& c : k) c = Lower(c);
      head->metas.emplace_back(std::move(k), std::string(content));
    }
  } else if (tag == "link") {
    std::string_view rel = Attr(e, "rel");
    if (head->canonical.empty() && rel.size() == 9 && FindCI(rel, "canonical", 0) == 0)
      head->canonical = std::string(Attr(e, "href"));
  } else if (tag == "script") {
    if (FindCI(Attr(e, "type"), "ld+json", 0) != std::string_view::npos)
      head->json_ld.push_back(ChildText(n));
  }
}

}  // namespace

std::string_view HtmlParser::CapTag(std::string_view in, size_t p, size_t name_at, const Options& o,
                                    HtmlParseStats* stats, size_t* end) {
  size_t gt = in.find('>', name_at);
  *end = gt == std::string_view::npos ? in.size() : gt + 1;
  const size_t max_bytes = static_cast<size_t>(o.html_max_tag_bytes);
  const size_t keep = static_cast<size_t>(o.html_max_attributes);
  // A tag that ends within the caps at its first '>', with no quoted value
  // that could hold a '>', is within them (an attribute takes 2 bytes at least).
  if (*end - p <= max_bytes && *end - p <= 2 * keep &&
      in.substr(p, *end - p).find_first_of("\"'") == std::string_view::npos)
    return in.substr(p, *end - p);
  TagScan t = ScanTag(in, p, name_at, keep, max_bytes);
  if (t.kept == t.attributes && t.end - p <= max_bytes) return in.substr(p, *end - p);
  ++stats->capped_tags;
  stats->capped_attributes += t.attributes - t.kept;
  capped_.assign(in.substr(p, t.keep_end - p));
  if (t.closed) capped_.append(t.self_closing ? "/>" : ">");
  stats->capped_bytes += (t.end - p) - capped_.size();
  *end = t.end;
  return capped_;
}

size_t HtmlParser::SvgContentEnd(std::string_view in, size_t from, size_t room, const Options& o,
                                 HtmlParseStats* delta) {
  svg_stack_.clear();
  char buf[24];
  for (size_t pos = from;;) {
    size_t p = in.find('<', pos);
    if (p == std::string_view::npos || p + 1 >= in.size()) return std::string_view::npos;
    if (in.compare(p, 4, "<!--") == 0) {  // as the pre-scan: cut, counted
      size_t e = in.find("-->", p + 4);
      if (e == std::string_view::npos) return std::string_view::npos;
      ++delta->comments;
      pos = e + 3;
      continue;
    }
    const bool end_tag = in[p + 1] == '/';
    const size_t name_at = p + (end_tag ? 2 : 1);
    if (in[p + 1] == '!' || in[p + 1] == '?' ||
        (end_tag && (name_at >= in.size() || !IsAlpha(in[name_at]))))
      return std::string_view::npos;  // CDATA, a bogus comment: not followed here
    if (!IsAlpha(in[name_at])) {      // a '<' of the text
      pos = p + 1;
      continue;
    }
    const std::string_view name = TagName(in, name_at, buf);
    if (name.size() == sizeof buf) return std::string_view::npos;
    if (end_tag) {
      const size_t gt = in.find('>', name_at);
      if (gt == std::string_view::npos ||
          in.substr(name_at, gt - name_at).find_first_of("\"'") != std::string_view::npos)
        return std::string_view::npos;
      if (svg_stack_.empty()) return name == "svg" ? p : std::string_view::npos;
      if (svg_stack_.back() != name) return std::string_view::npos;  // it could close HTML
      svg_stack_.pop_back();
      pos = gt + 1;
      continue;
    }
    // A start tag: none inside title or desc, whose content is HTML.
    if (BreaksOutOfSvg(name) || name == "foreignobject" ||
        (!svg_stack_.empty() && (svg_stack_.back() == "title" || svg_stack_.back() == "desc")))
      return std::string_view::npos;
    size_t te = 0;
    const std::string_view tag = CapTag(in, p, name_at, o, delta, &te);
    const bool self_closing = tag.size() >= 2 && tag[tag.size() - 2] == '/';
    if (!self_closing) {
      if (svg_stack_.size() + 1 >= room) return std::string_view::npos;  // the depth guard's
      svg_stack_.emplace_back(name);
    }
    pos = te;
    if (!self_closing && (name == "script" || name == "style")) {  // bodies as the pre-scan's
      if (name == "script" && FindCI(tag, "ld+json", 0) != std::string_view::npos)
        return std::string_view::npos;
      const size_t body_end = FindCI(in, name == "script" ? "</script" : "</style", te);
      if (body_end == std::string_view::npos) return std::string_view::npos;
      delta->script_bytes += body_end - te;
      pos = body_end;
    }
  }
}

// The pre-scan: one pass over the page's bytes that copies what gumbo needs
// into prepared_: the page cut at html_max_bytes, tags past html_max_depth
// dropped, comments, script and style bodies, inline <svg> content and
// over-long attributes cut, each counted in stats. It is one loop whose
// position, depth and raw-text state every branch shares, so it stays whole.
void HtmlParser::Prescan(std::string_view in, const Options& o, HtmlParseStats* stats) {
  prepared_.clear();
  stats->max_attributes = o.html_max_attributes;
  stats->max_tag_bytes = o.html_max_tag_bytes;
  size_t limit = in.size();
  if (o.html_max_bytes > 0 && limit > static_cast<size_t>(o.html_max_bytes)) {
    limit = static_cast<size_t>(o.html_max_bytes);
    size_t lt = in.rfind('<', limit);
    if (lt != std::string_view::npos && lt > 0) limit = lt;
    stats->size_cut_bytes = in.size() - limit;
  }
  in = in.substr(0, limit);
  prepared_.reserve(in.size());
  size_t pos = 0, depth = 0, excess = 0;
  const size_t max_depth = static_cast<size_t>(o.html_max_depth);
  char buf[24];
  OpenRawText open_raw;
  // Where an <svg> start tag may be an element whose content is cut: not
  // before raw_until (inside a raw-text element, as text), nor inside a
  // <select> (the parser ignores the tag there and keeps its text), nor in
  // a page with a <frameset> (text in an svg stops one from replacing the
  // body: 0 unknown, 1 none, 2 some).
  size_t raw_until = 0;
  bool in_select = false;
  int frameset = 0;
  // Unread attributes are cut from start tags, and whitespace runs from
  // text, at or after cut_from: not inside a tag whose quoted value holds a
  // '>' (the pre-scan takes its first '>' for its end; the tokenizer reads
  // on to cut_from). Runs stay whole from the first <pre> or <listing> on
  // (a newline ends a line there; its end tag may not close it).
  const bool cut_attributes = o.html_cut_attributes != 0 && !keep_markup_;
  const bool collapse_space = o.html_collapse_space != 0 && !keep_markup_;
  bool pre_seen = false;
  size_t cut_from = 0;
  auto append_text = [&](size_t from, size_t to) {
    if (collapse_space && !pre_seen && from >= raw_until && from >= cut_from)
      stats->space_bytes += AppendCollapsed(in.substr(from, to - from), &prepared_);
    else
      prepared_.append(in.substr(from, to - from));
  };
  auto resync = [&](std::string_view tag, size_t p, size_t name_at) {
    if ((cut_attributes || collapse_space) && tag.data() != capped_.data() &&
        tag.find_first_of("\"'") != std::string_view::npos)
      cut_from = std::max(cut_from, ScanTag(in, p, name_at, SIZE_MAX, SIZE_MAX).end);
  };
  while (pos < in.size()) {
    const void* lt = std::memchr(in.data() + pos, '<', in.size() - pos);
    if (!lt) {
      append_text(pos, in.size());
      break;
    }
    size_t p = static_cast<const char*>(lt) - in.data();
    append_text(pos, p);
    if (in.compare(p, 4, "<!--") == 0) {
      size_t e = in.find("-->", p + 4);
      pos = e == std::string_view::npos ? in.size() : e + 3;
      ++stats->comments;
      continue;
    }
    bool end_tag = p + 1 < in.size() && in[p + 1] == '/';
    size_t name_at = p + (end_tag ? 2 : 1);
    if (name_at >= in.size() || !IsAlpha(in[name_at])) {
      prepared_.push_back('<');
      pos = p + 1;
      continue;
    }
    std::string_view name = TagName(in, name_at, buf);
    size_t te = 0;  // one past the tag
    std::string_view tag = CapTag(in, p, name_at, o, stats, &te);
    bool counted = !Uncounted(name);
    if (end_tag && name == "select") in_select = false;
    if (!end_tag && (name == "pre" || name == "listing")) pre_seen = true;
    if (end_tag) {
      resync(tag, p, name_at);
      if (counted && excess > 0) {
        --excess;  // the end of a start tag the guard dropped
      } else {
        if (counted && depth > 0) --depth;
        prepared_.append(tag);
      }
      pos = te;
      continue;
    }
    if (name == "script" || name == "style") {
      size_t body_end = FindCI(in, name == "script" ? "</script" : "</style", te);
      if (body_end == std::string_view::npos) body_end = in.size();
      bool keep = name == "script" && FindCI(tag, "ld+json", 0) != std::string_view::npos;
      prepared_.append(tag);
      if (keep) {
        prepared_.append(in.substr(te, body_end - te));
      } else {
        stats->script_bytes += body_end - te;
      }
      pos = body_end;
      continue;
    }
    bool self_closing = tag.size() >= 2 && tag[tag.size() - 2] == '/';
    if (name == "select") in_select = true;
    if (RawTextStart(name)) {
      size_t e = name == "plaintext" ? std::string_view::npos : open_raw.NextEnd(in, name, te);
      raw_until = std::max(raw_until, e == std::string_view::npos ? in.size() : e);
    }
    if (name == "svg" && !self_closing && p >= raw_until && !in_select && depth + 1 < max_depth &&
        o.html_cut_svg) {
      if (frameset == 0) frameset = HasTag(in, "frameset") ? 2 : 1;
      std::string svg_tag;  // SvgContentEnd caps tags into capped_, which `tag` may be
      if (tag.data() == capped_.data()) tag = svg_tag = capped_;
      HtmlParseStats delta;
      const size_t end = frameset == 1 ? SvgContentEnd(in, te, max_depth - depth - 1, o, &delta)
                                       : std::string_view::npos;
      if (end != std::string_view::npos) {
        // Its content never renders and never leaves it: the element stays
        // (counted as skipped where the tree is copied), empty.
        resync(tag, p, name_at);
        prepared_.append(tag);
        ++depth;
        stats->comments += delta.comments;
        stats->script_bytes += delta.script_bytes;
        stats->capped_tags += delta.capped_tags;
        stats->capped_attributes += delta.capped_attributes;
        stats->capped_bytes += delta.capped_bytes;
        stats->svg_bytes += end - te;
        pos = end;
        continue;
      }
    }
    if (!self_closing && open_raw.LeftOpen(in, name, te)) {
      // Left open, it would hold the rest of the page as its text: close
      // it where its text would end in a lenient parser, at the next tag.
      size_t text_end = std::min(in.find('<', te), in.size());
      resync(tag, p, name_at);
      prepared_.append(tag);
      prepared_.append(in.substr(te, text_end - te));
      prepared_.append("</").append(name).append(">");
      ++stats->unclosed_closed;
      pos = text_end;
      continue;
    }
    if (counted && !self_closing) {
      if (depth >= max_depth) {
        ++excess;
        ++stats->depth_cut_tags;
        pos = te;
        continue;
      }
      ++depth;
    }
    if (cut_attributes && p >= raw_until && p >= cut_from) {
      const AttributeCut cut = AppendReadAttributes(tag, &prepared_);
      stats->attribute_bytes += cut.bytes;
      if (cut.open_quote) resync(tag, p, name_at);
      if (cut.rewritten) {
        pos = te;
        continue;
      }
    } else {
      resync(tag, p, name_at);
    }
    prepared_.append(tag);
    pos = te;
  }
}

namespace {

// Reserves room in *tree for every node and attribute under root (more
// than are copied: the head, hidden elements; room never written is never
// touched).
void ReserveNodes(const GumboNode* root, DomTree* tree) {
  size_t nodes = 2, attrs = 0;  // and the <html> and <body> made up front
  struct Frame {
    const GumboVector* kids;
    unsigned next;
  };
  std::vector<Frame> stack;  // as deep as the tree
  auto visit = [&](const GumboNode* n) {
    ++nodes;
    if (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE) {
      attrs += n->v.element.attributes.length;
      stack.push_back({&n->v.element.children, 0});
    } else if (n->type == GUMBO_NODE_DOCUMENT) {
      stack.push_back({&n->v.document.children, 0});
    }
  };
  visit(root);
  while (!stack.empty()) {
    Frame& f = stack.back();
    if (f.next >= f.kids->length) {
      stack.pop_back();
      continue;
    }
    visit(static_cast<const GumboNode*>(f.kids->data[f.next++]));
  }
  tree->Reserve(nodes, attrs);
}

}  // namespace

void HtmlParser::Parse(std::string_view utf8, const Options& o, DomTree* tree, HtmlHead* head,
                       HtmlParseStats* stats) {
  tree->Clear();
  head->Clear();
  stats->Clear();
  using Clock = std::chrono::steady_clock;
  auto t0 = Clock::now();
  Prescan(utf8, o, stats);
  auto t1 = Clock::now();

  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // the error list costs time and nobody reads it
  options.allocator = [](void* arena, size_t n) {
    return static_cast<GumboArena*>(arena)->Allocate(n);
  };
  options.deallocator = [](void* arena, void* p) {
    static_cast<GumboArena*>(arena)->Deallocate(p);
  };
  options.userdata = &arena_;
  // The whole tree goes at once when this returns (or throws).
  struct ResetArena {
    GumboArena* arena;
    ~ResetArena() { arena->Reset(); }
  } reset{&arena_};
  const GumboOutput* out = gumbo_parse_with_options(&options, prepared_.data(), prepared_.size());
  last_prescan_seconds_ = std::chrono::duration<double>(t1 - t0).count();
  last_gumbo_seconds_ = std::chrono::duration<double>(Clock::now() - t1).count();
  last_arena_used_ = arena_.used();
  last_arena_capacity_ = arena_.capacity();

  if (out && out->root) ReserveNodes(out->root, tree);
  uint32_t html = tree->AddElement(kNoNode, "html");
  if (out && out->root && out->root->type == GUMBO_NODE_ELEMENT) {
    std::string_view lang = Attr(out->root->v.element, "lang");
    if (!lang.empty()) tree->AddAttr("lang", lang);
  }
  uint32_t body = tree->AddElement(html, "body");
  if (!out || !out->root) {
    tree->Finish();
    return;
  }

  // Iterative walk (the tree may be deep): copy the body, read head facts.
  struct Frame {
    const GumboNode* node;
    unsigned next;
    uint32_t dom;  // the DomTree parent for children; kNoNode: not copied
  };
  std::vector<Frame> stack;
  stack.push_back({out->root, 0, kNoNode});
  std::string scratch;
  const bool copy_all = o.html_cut_attributes == 0 || keep_markup_;
  auto copy_attributes = [&](const GumboElement& e, std::string_view tag) {
    for (unsigned k = 0; k < e.attributes.length; ++k) {
      auto* a = static_cast<const GumboAttribute*>(e.attributes.data[k]);
      if (copy_all || AttributeRead(tag, a->name)) tree->AddAttr(a->name, a->value);
    }
  };
  while (!stack.empty()) {
    Frame& f = stack.back();
    const GumboVector* kids = nullptr;
    if (f.node->type == GUMBO_NODE_ELEMENT || f.node->type == GUMBO_NODE_TEMPLATE)
      kids = &f.node->v.element.children;
    else if (f.node->type == GUMBO_NODE_DOCUMENT)
      kids = &f.node->v.document.children;
    if (!kids || f.next >= kids->length) {
      stack.pop_back();
      continue;
    }
    auto* c = static_cast<const GumboNode*>(kids->data[f.next++]);
    uint32_t parent = f.dom;
    switch (c->type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_WHITESPACE:
      case GUMBO_NODE_CDATA:
        if (parent != kNoNode) tree->AddText(parent, c->v.text.text);
        break;
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE: {
        const GumboElement& e = c->v.element;
        std::string_view tag = ElementTag(e, &scratch);
        ReadHeadElement(c, tag, head);
        if (c->type == GUMBO_NODE_TEMPLATE) tag = "template";
        if (tag == "html") {
          stack.push_back({c, 0, kNoNode});
        } else if (tag == "body") {
          copy_attributes(e, tag);
          stack.push_back({c, 0, body});
        } else if (NeverRendered(tag)) {
          if (parent != kNoNode) Count(&stats->skipped, tag);
          if (tag == "head") stack.push_back({c, 0, kNoNode});  // for its <meta>s
          // <noscript> is kept in the tree, unrendered: the reader renders
          // it when the rest of the page holds (almost) no text.
          if (tag == "noscript" && parent != kNoNode)
            stack.push_back({c, 0, tree->AddElement(parent, "noscript")});
        } else if (parent != kNoNode && Hidden(e, tag)) {
          ++stats->hidden;
        } else {
          uint32_t me = kNoNode;
          if (parent != kNoNode) {
            me = tree->AddElement(parent, tag);
            copy_attributes(e, tag);
          }
          stack.push_back({c, 0, me});
        }
        break;
      }
      default:  // comments left after the pre-scan, the document node
        break;
    }
  }
  arena_.Reset();  // before Finish adds to the tree
  tree->Finish();
}

}  // namespace clean

// The gumbo adapter: the only file that includes gumbo.h. HTML bytes (UTF-8)
// in, a DomTree of the <body> out, plus what the page says about itself
// (<title>, <meta>, canonical link, JSON-LD) and what was left out.
//
// Before gumbo sees the bytes, a linear pre-scan removes what the parser
// need not see: comments, the bodies of <script> (JSON-LD is kept) and
// <style>, and the content of an inline <svg> (never rendered) when the
// parser would keep all of it inside the element (Options::html_cut_svg). It also guards gumbo,
// which crawls on deep nesting: start tags nested deeper than Options::html_max_depth are dropped
// (their text stays), and input past Options::html_max_bytes is cut at a tag boundary. Both are
// recorded in HtmlParseStats and named in the report. Gumbo's tokenizer is
// also quadratic in the attributes of one tag: a tag keeps its first
// Options::html_max_attributes attributes, and those that end within
// Options::html_max_tag_bytes of its '<'; the rest are dropped (tokenized as
// the HTML standard does, quoted values and all), and counted. Attributes
// nobody reads are cut from start tags and not copied into the tree
// (attribute_cut.h, Options::html_cut_attributes), and whitespace runs in
// text are given as one byte (Options::html_collapse_space), unless
// set_keep_markup.
//
// Elements that never render (script, style, noscript, template, iframe,
// svg, video, ... — the convention of ../shared/datasets/render_text.py) and
// hidden ones (`hidden`, inline display:none / visibility:hidden, input
// type=hidden) are not copied; each is counted by tag. <noscript> is the
// exception: counted, but copied (the linearizer leaves it out unless asked).
//
// Gumbo allocates from a GumboArena that the parser keeps across pages:
// bump allocation in blocks, frees ignored, the whole tree dropped at once
// when the page's DomTree is made (gumbo_destroy_output is never called).
#pragma once
#include <cstdint>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "cleaner/html/dom_tree.h"
#include "cleaner/base/options.h"

namespace clean {

struct HtmlHead {
  std::string title;  // <title>
  // <meta name|property|itemprop|http-equiv=KEY content=VALUE>, key lower-cased
  std::vector<std::pair<std::string, std::string>> metas;
  std::string canonical;             // <link rel=canonical href>
  std::vector<std::string> json_ld;  // bodies of <script type=application/ld+json>
  void Clear();
};

struct HtmlParseStats {
  size_t comments = 0;           // comments removed before parsing
  size_t script_bytes = 0;       // script and style bodies removed before parsing
  size_t depth_cut_tags = 0;     // start tags dropped by the depth guard
  size_t size_cut_bytes = 0;     // bytes cut by the size guard
  size_t unclosed_closed = 0;    // raw-text elements (title, textarea...) with no end
                                 // tag, closed at the next tag
  size_t capped_tags = 0;        // tags whose attributes the attribute/tag-size caps cut
  size_t capped_attributes = 0;  // attributes they dropped
  size_t capped_bytes = 0;       // bytes of those tags dropped with them
  int max_attributes = 0;        // the caps that applied (Options::html_max_attributes,
  int max_tag_bytes = 0;         // Options::html_max_tag_bytes)
  size_t svg_bytes = 0;          // bytes of inline <svg> content removed before parsing
  size_t attribute_bytes = 0;    // bytes of unread attributes removed before parsing
  size_t space_bytes = 0;        // bytes of whitespace runs removed before parsing
  size_t hidden = 0;             // hidden elements not copied
  std::vector<std::pair<std::string, uint32_t>> skipped;  // non-rendering tag -> count
  void Clear();
};

// Gumbo's allocator: bump allocation in blocks of kBlockBytes mapped from
// the system (an allocation over half a block gets a block of its own,
// which Deallocate unmaps: a growing vector's old copies); Deallocate
// ignores the rest. Reset drops everything allocated at once and
// keeps at most kKeepBytes of blocks for the next page; the rest (all of a
// huge page's blocks) go back to the system, so a long stream's memory does
// not keep the largest page's tree. Allocation failure throws
// std::bad_alloc.
class GumboArena {
 public:
  static constexpr size_t kBlockBytes = 1 << 20;
  static constexpr size_t kKeepBytes = 4 << 20;
  GumboArena() = default;
  ~GumboArena();
  GumboArena(const GumboArena&) = delete;
  GumboArena& operator=(const GumboArena&) = delete;
  // n bytes aligned for any type of that size (to the largest power of two
  // up to 8 that divides n: gumbo's types hold no wider scalars).
  void* Allocate(size_t n);
  void Deallocate(void* p);
  void Reset();
  // Bytes of blocks held now, allocated or not.
  size_t capacity() const { return capacity_; }
  // Bytes handed out since the last Reset (padding included).
  size_t used() const { return used_; }

 private:
  struct Block {
    char* data;
    size_t size;
  };
  static char* Map(size_t size);
  void* AllocateSlow(size_t n);
  std::vector<Block> blocks_;  // of kBlockBytes; blocks_[current_ - 1] is being filled
  std::vector<Block> large_;   // one allocation each
  size_t current_ = 0;
  char* next_ = nullptr;
  char* end_ = nullptr;
  size_t capacity_ = 0, used_ = 0;
};

class HtmlParser {
 public:
  // Parses `utf8` into *tree (root <html>, one <body> child holding the
  // body), *head and *stats (all cleared first).
  void Parse(std::string_view utf8, const Options& o, DomTree* tree, HtmlHead* head,
             HtmlParseStats* stats);
  // Keep every attribute and whitespace run whatever
  // Options::html_cut_attributes and html_collapse_space say (an XPath rule
  // may read any attribute or text).
  void set_keep_markup(bool keep) { keep_markup_ = keep; }
  // Gumbo's memory kept for the next page (GumboArena::capacity()), and
  // what the last page's tree took of it when complete (used, capacity).
  size_t arena_capacity() const { return arena_.capacity(); }
  size_t last_arena_used() const { return last_arena_used_; }
  size_t last_arena_capacity() const { return last_arena_capacity_; }
  // Seconds the last Parse spent in the pre-scan and in gumbo (the rest is
  // the copy into the DomTree).
  double last_prescan_seconds() const { return last_prescan_seconds_; }
  double last_gumbo_seconds() const { return last_gumbo_seconds_; }

 private:
  void Prescan(std::string_view in, const Options& o, HtmlParseStats* stats);
  // The tag at in[p..] (name at name_at) as gumbo may see it: itself, or,
  // over html_max_attributes or html_max_tag_bytes, rewritten without the
  // excess attributes (into capped_). *end: one past the tag as the prescan
  // goes on after it (the first '>' unless the tag was rewritten).
  std::string_view CapTag(std::string_view in, size_t p, size_t name_at, const Options& o,
                          HtmlParseStats* stats, size_t* end);
  // The position of the "</svg" that closes an <svg> whose content starts
  // at `from`, when that content can be cut: the parser would keep all of
  // it inside the element (no tag that leaves foreign content, every end
  // tag closing the element opened last, no CDATA), and the pre-scan would
  // change nothing in it but what *delta counts (comments, script and
  // style bodies, capped tags), with fewer than `room` elements open at
  // once (the depth guard cuts none); npos otherwise.
  size_t SvgContentEnd(std::string_view in, size_t from, size_t room, const Options& o,
                       HtmlParseStats* delta);
  std::string prepared_;
  std::string capped_;
  std::vector<std::string> svg_stack_;  // SvgContentEnd's open elements
  GumboArena arena_;
  bool keep_markup_ = false;
  size_t last_arena_used_ = 0, last_arena_capacity_ = 0;
  double last_prescan_seconds_ = 0, last_gumbo_seconds_ = 0;
};

}  // namespace clean

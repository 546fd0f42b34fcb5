// Gumbo's arena (html_parse.h): aligned bump allocation, pages parsed with a
// reused arena give the same trees, and a huge page's memory is released.
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

#include "cleaner/html/html_parse.h"

using namespace clean;

namespace {

// Everything a parse produced, as one string (tree, head and stats).
std::string Dump(const DomTree& t, const HtmlHead& h, const HtmlParseStats& s) {
  std::string out;
  for (uint32_t i = 0; i < t.size(); ++i) {
    const DomNode& n = t.node(i);
    out += std::to_string(i) + " " + std::to_string(n.parent) + " " + std::to_string(n.depth) +
           (t.is_element(i) ? " <" + std::string(t.tag(i)) : " \"" + std::string(t.text(i))) + "|";
    for (uint32_t k = 0; k < t.attr_count(i); ++k)
      out += std::string(t.attr_name(i, k)) + "=" + std::string(t.attr_value(i, k)) + " ";
    out += "\n";
  }
  out += "title=" + h.title + " canonical=" + h.canonical + "\n";
  for (const auto& [k, v] : h.metas) out += "meta " + k + "=" + v + "\n";
  for (const auto& j : h.json_ld) out += "ld " + j + "\n";
  out += std::to_string(s.comments) + " " + std::to_string(s.script_bytes) + " " +
         std::to_string(s.hidden) + "\n";
  for (const auto& [tag, n] : s.skipped) out += tag + " " + std::to_string(n) + "\n";
  return out;
}

std::string Parse(HtmlParser& p, const std::string& html) {
  DomTree tree;
  HtmlHead head;
  HtmlParseStats stats;
  p.Parse(html, Options(), &tree, &head, &stats);
  return Dump(tree, head, stats);
}

const char kPage[] =
    "<!doctype html><html lang=en><head><title>A title</title>"
    "<meta property='og:url' content='https://example.com/a'>"
    "<link rel=canonical href='https://example.com/a'>"
    "<script type='application/ld+json'>{\"@type\":\"NewsArticle\"}</script>"
    "<style>p{color:red}</style></head><body class=b>"
    "<!-- a comment --><nav id=menu><a href='/'>Home</a> <a href='/x'>X</a></nav>"
    "<article itemprop=articleBody><h1>Headline</h1><p>First &amp; second.<br>Third"
    "<p>Fourth <b>bold</b> <i>italic</i><div hidden>gone</div>"
    "<svg><path d='M0 0'/></svg><noscript>no script</noscript>"
    "<table><tr><td>1<td>2</table><pre>a\n b</pre></article></body></html>";

}  // namespace

TEST_CASE("gumbo arena: allocations are aligned to their size and disjoint", "[html][arena]") {
  GumboArena a;
  char* prev = nullptr;
  for (size_t n : {1, 3, 8, 2, 16, 24, 5, 128, 12, 4, 0, 40}) {
    char* p = static_cast<char*>(a.Allocate(n));
    REQUIRE(p != nullptr);
    size_t align = n == 0 ? 1 : std::min<size_t>(n & (~n + 1), 8);
    CHECK(reinterpret_cast<uintptr_t>(p) % align == 0);
    if (prev) CHECK(p >= prev);  // bump order within a block
    std::fill(p, p + n, 'x');
    prev = p + n;
  }
  CHECK(a.used() > 0);
  CHECK(a.capacity() == GumboArena::kBlockBytes);
  a.Reset();
  CHECK(a.used() == 0);
  CHECK(a.capacity() == GumboArena::kBlockBytes);  // kept for the next page
}

TEST_CASE("gumbo arena: large allocations get their own block, released on reset",
          "[html][arena]") {
  GumboArena a;
  a.Allocate(10);
  char* big = static_cast<char*>(a.Allocate(3 * GumboArena::kBlockBytes));
  std::fill(big, big + 3 * GumboArena::kBlockBytes, 'y');
  CHECK(a.capacity() >= 4 * GumboArena::kBlockBytes);
  for (int i = 0; i < 20; ++i) a.Allocate(GumboArena::kBlockBytes / 2);  // 10 more blocks
  CHECK(a.capacity() > GumboArena::kKeepBytes);
  a.Reset();
  CHECK(a.capacity() <= GumboArena::kKeepBytes);
  CHECK(a.capacity() > 0);
}

TEST_CASE("gumbo arena: a freed large block (a vector's old copy) goes back at once",
          "[html][arena]") {
  GumboArena a;
  a.Allocate(24);
  size_t before = a.capacity();
  void* old_copy = a.Allocate(GumboArena::kBlockBytes);
  void* grown = a.Allocate(2 * GumboArena::kBlockBytes);
  CHECK(a.capacity() == before + 3 * GumboArena::kBlockBytes);
  a.Deallocate(old_copy);
  CHECK(a.capacity() == before + 2 * GumboArena::kBlockBytes);
  void* small = a.Allocate(64);
  a.Deallocate(small);  // ignored: in a block
  CHECK(a.capacity() == before + 2 * GumboArena::kBlockBytes);
  a.Deallocate(grown);
  CHECK(a.capacity() == before);
}

TEST_CASE("gumbo arena: a page parsed again with the reused arena gives the same result",
          "[html][arena]") {
  HtmlParser p;
  std::string first = Parse(p, kPage);
  CHECK(first.find("<article") != std::string::npos);
  CHECK(first.find("title=A title") != std::string::npos);
  CHECK(p.arena_capacity() > 0);  // kept
  std::string other = Parse(p, "<p>another page</p>");
  CHECK(other != first);
  CHECK(Parse(p, kPage) == first);
  HtmlParser fresh;
  CHECK(Parse(fresh, kPage) == first);
}

TEST_CASE("gumbo arena: a huge page's memory is released, small pages after it reuse",
          "[html][arena]") {
  HtmlParser p;
  Parse(p, kPage);
  size_t small = p.last_arena_used();
  CHECK(small > 0);
  CHECK(p.last_arena_capacity() <= GumboArena::kKeepBytes);
  std::string huge = "<html><body>";
  for (int i = 0; i < 200000; ++i) huge += "a<br>";  // about 50 MB of gumbo nodes
  std::string dump = Parse(p, huge);
  CHECK(p.last_arena_capacity() > 8 * GumboArena::kKeepBytes);
  CHECK(p.arena_capacity() <= GumboArena::kKeepBytes);  // the rest went back
  std::string first = Parse(p, kPage);
  CHECK(p.last_arena_used() == small);  // as much as the first time
  CHECK(p.last_arena_capacity() <= GumboArena::kKeepBytes);
  CHECK(p.arena_capacity() <= GumboArena::kKeepBytes);
  HtmlParser fresh;
  CHECK(Parse(fresh, kPage) == first);
}

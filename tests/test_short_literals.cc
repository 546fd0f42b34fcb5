// short_literals: which rare parts are small literal sets, and that the
// scanner (its AVX2 blocks and its portable loop) names exactly the lines a
// naive search names, in the same order, on text built to trip it:
// literals across 32- and 64-byte block borders, a multi-byte literal's
// first bytes in the block before, last bytes without their first ones,
// empty lines, lines of every length, pages with and without a final '\n',
// pages shorter than a block, lines with thousands of last bytes.
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "cleaner/base/avx2_dispatch.h"
#include "cleaner/match/prefilter/byte_pattern.h"
#include "cleaner/match/prefilter/short_literals.h"

using namespace clean;

namespace {

std::optional<std::vector<std::string>> Literals(const char* regex, bool caseless = false) {
  std::optional<BytePattern> p = BytePattern::Parse(regex, caseless);
  REQUIRE(p);
  return ShortLiterals::LiteralsOf(*p);
}

// The lines of `text` as Page makes them: split at each '\n', which is not
// part of the span (but is on its line for a literal ending there).
std::vector<LineSpan> Lines(const std::string& text) {
  std::vector<LineSpan> lines;
  uint32_t begin = 0;
  for (uint32_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '\n') {
      lines.push_back({begin, i});
      begin = i + 1;
    }
  }
  return lines;
}

// What Scan promises, the slow way: every end of every literal in the text,
// in increasing end (ties: pattern order), put on its line by a search of
// the spans, and each (line, pattern) kept the first time.
std::vector<ShortLiterals::Found> Reference(const std::string& text,
                                            const std::vector<LineSpan>& lines,
                                            const std::vector<std::vector<std::string>>& patterns) {
  std::vector<ShortLiterals::Found> out;
  for (size_t end = 0; end < text.size(); ++end) {
    size_t line = 0;
    while (line + 1 < lines.size() && lines[line + 1].begin <= end) ++line;
    for (uint32_t k = 0; k < patterns.size(); ++k) {
      bool found = false;
      for (const std::string& l : patterns[k])
        found |= l.size() <= end + 1 && text.compare(end + 1 - l.size(), l.size(), l) == 0;
      const ShortLiterals::Found f{static_cast<uint32_t>(line), k};
      const bool seen = std::any_of(out.begin(), out.end(), [&f](const ShortLiterals::Found& o) {
        return o.line == f.line && o.pattern == f.pattern;
      });
      if (found && !seen) out.push_back(f);
    }
  }
  return out;
}

std::string Describe(const std::vector<ShortLiterals::Found>& v) {
  std::string s;
  for (const auto& f : v) s += std::to_string(f.line) + ":" + std::to_string(f.pattern) + " ";
  return s;
}

}  // namespace

TEST_CASE("short literals: which rare parts are small literal sets", "[short]") {
  using V = std::vector<std::string>;
  // The breadcrumb separators (gen.breadcrumb's rare part).
  CHECK(Literals("[»›>\\/]") == V{"/", ">", "\xc2\xbb", "\xe2\x80\xba"});
  CHECK(Literals("ab", true) == V{"AB", "Ab", "aB", "ab"});
  CHECK(Literals("(?:AP|AFP)") == V{"AFP", "AP"});
  CHECK(Literals("xa{1,3}") == V{"xa", "xaa", "xaaa"});
  CHECK(Literals("x[ab]?") == V{"x", "xa", "xb"});
  // A repeat at the top ends where its one instance ends.
  CHECK(Literals("(?:»|›)+") == V{"\xc2\xbb", "\xe2\x80\xba"});
  CHECK(Literals("(?:a{1,5}|bc)") == V{"a", "bc"});
  CHECK_FALSE(Literals("ba+"));  // unbounded
  CHECK_FALSE(Literals("a{2,}"));
  CHECK(Literals("a{2}") == V{"aa"});
  CHECK_FALSE(Literals("[a-z]"));             // 26 literals
  CHECK_FALSE(Literals("[ab][cd][ef][gh]"));  // 16 literals
  CHECK_FALSE(Literals("abcde"));             // 5 bytes
  CHECK_FALSE(Literals("^a"));                // an anchor
  CHECK_FALSE(Literals("a$"));
  CHECK_FALSE(Literals("a?"));  // the empty string

  ShortLiterals s;
  CHECK(s.Add({"/", ">", "\xc2\xbb", "\xe2\x80\xba"}));
  CHECK(s.Add({"ab", "b"}));                 // last bytes b: 5 of 8
  CHECK_FALSE(s.Add({"1", "2", "3", "4"}));  // 9 last bytes
  CHECK(s.size() == 2);
  CHECK(s.Add({"1", "2", "3"}));
  CHECK(s.size() == 3);
  CHECK_FALSE(s.Add({}));
  CHECK_FALSE(s.Add({"abcde"}));
}

TEST_CASE("short literals: the scanner names the lines a naive search names", "[short]") {
  // The AVX2 loop finds the last bytes by one table lookup (l1), two (l2)
  // or compares (c): each way is here.
  const std::vector<std::vector<std::vector<std::string>>> sets = {
      {{"/", ">", "\xc2\xbb", "\xe2\x80\xba"}},                        // the breadcrumb's (l1)
      {{"/"}},                                                         // one byte (c)
      {{"\xe2\x80\xba", "\xc2\xbb"}, {"/", "ab"}, {"b", "\xc2\xbb"}},  // shared last bytes (l1)
      {{"abcd", "bcd", "\xf0\x9f\x98\x80"}, {"d"}},              // 4 bytes; one in another (c)
      {{"\n"}, {"a\n"}},                                         // on the '\n''s line (c)
      {{"1"}, {"2"}, {"3"}, {"4"}, {"5"}, {"6"}, {"7"}, {"8"}},  // 8 last bytes (l1)
      {{"a", "q"}, {"b"}, {"r"}},                                // low nibbles 1 1 2 2 (l2)
      {{"a"}, {"q"}, {"A"}, {"rb"}},                             // low nibbles 1 1 1 2 (c)
  };
  // Pieces of text: the literals, their parts alone, bytes that share a
  // last byte (Cyrillic "л" D0 BB, "к" D0 BA), fillers, line breaks.
  const std::vector<std::string> pieces = {
      "q",
      "r",
      "A",
      "/",
      ">",
      "\xc2\xbb",
      "\xe2\x80\xba",
      "\xc2",
      "\xe2\x80",
      "\x80\xba",
      "\xd0\xbb",
      "\xd0\xba",
      "a",
      "b",
      "ab",
      "abc",
      "bcd",
      "abcd",
      "d",
      "\xf0\x9f\x98",
      "\xf0\x9f\x98\x80",
      "1",
      "5",
      "8",
      "\n",
      "\n",
      "\n\n",
      " ",
      "x",
      "word ",
      "a longer run of plain words ",
      "0123456789012345678901234567890123456789012345678901234567890",
  };
  std::mt19937 rng(7);
  for (size_t si = 0; si < sets.size(); ++si) {
    ShortLiterals s;
    for (const auto& p : sets[si]) REQUIRE(s.Add(p));
    for (int round = 0; round < 400; ++round) {
      std::string text;
      // Some pages a run of one piece, so that literals sit at every offset
      // of a block; the others a random mix, sparse or dense.
      const size_t len = rng() % (round < 40 ? 40 : 700);
      const int density = static_cast<int>(rng() % 4);
      while (text.size() < len) {
        size_t i = rng() % pieces.size();
        if (density == 0 && i < 24 && rng() % 8 != 0) i = pieces.size() - 1 - rng() % 5;
        text += pieces[i];
      }
      if (round % 3 == 0) text += '\n';
      if (round % 50 == 1) text = std::string(64 * (1 + round % 3) - 1, 'x') + "\xe2\x80\xba";
      if (round % 50 == 2) text = std::string(63, 'x') + "\xc2\xbb" + std::string(30, 'y');
      if (round % 50 == 3) text = "";
      if (round % 50 == 4) text = "\n\n\n/\n\n";
      // More positions than one batch of the AVX2 loop holds, on one line.
      if (round % 50 == 5) text = std::string(3000, 'b') + "ab\n" + std::string(1000, '/') + "1234";
      const std::vector<LineSpan> lines = Lines(text);
      const auto want = Reference(text, lines, sets[si]);
      INFO("set " << si << ", round " << round << ", text size " << text.size());
      INFO("want " << Describe(want));
      std::vector<ShortLiterals::Found> got;
      s.ScanPortable(text, lines.data(), lines.size(), &got);
      CHECK(Describe(got) == Describe(want));
      for (bool avx2 : {true, false}) {
        avx2::ScopedForTesting variant(avx2);
        got.clear();
        s.Scan(text, lines.data(), lines.size(), &got);
        CHECK(Describe(got) == Describe(want));
      }
    }
  }
}

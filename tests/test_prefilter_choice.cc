// prefilter_choice: which regexes suit the line-head automaton, and which
// part of a regex the Hyperscan database looks for.
#include <catch2/catch.hpp>

#include "cleaner/match/prefilter/prefilter_choice.h"

using namespace clean;

TEST_CASE("prefilter_choice: line-head patterns are anchored and selective", "[prefilter_choice]") {
  auto suits = [](const char* regex, bool caseless = false) {
    auto p = BytePattern::Parse(regex, caseless);
    REQUIRE(p.has_value());
    return SuitsLineHead(*p);
  };
  CHECK(suits("^(?:Advertisement|Anzeige)\\s*:?$", true));
  CHECK(suits("^\\d{1,2}:\\d{2}$"));
  CHECK(suits("^(?:Tags?|Themen)\\s*:.{0,300}$", true));      // the tail is "any rest of line"
  CHECK(suits("^(?=.{1,200}$)By\\s+\\p{Lu}[\\p{L}' -]*$"));   // a broad run after "By"
  CHECK_FALSE(suits("\\bPhoto by\\b"));                       // not anchored
  CHECK_FALSE(suits("^.{0,150}All rights reserved$", true));  // opens with a broad run
  CHECK_FALSE(suits("^[\\p{L} ]{1,30}[»/]"));
  CHECK_FALSE(suits("^[A-Z][A-Za-z0-9 .,'/-]{1,80}\\(Reuters\\) - "));
}

TEST_CASE("prefilter_choice: the rare part of a pattern", "[prefilter_choice]") {
  auto part = [](const char* regex, bool caseless = false) {
    auto p = BytePattern::Parse(regex, caseless);
    REQUIRE(p.has_value());
    auto r = RarePart(*p);
    return r ? ToHyperscan(*r) : std::string("<none>");
  };
  // Broad runs and lookaheads are dropped; the literal core is kept.
  CHECK(part("^.{0,80}\\b(?:Akismet|reCAPTCHA)\\b.{0,200}$") ==
        "(?:\\x41\\x6b\\x69\\x73\\x6d\\x65\\x74|\\x72\\x65\\x43\\x41\\x50\\x54\\x43\\x48\\x41)");
  // Two words around a broad run: both, in their order, anything between
  // them (each branch its own order).
  CHECK(part("^(?=.{1,200}$)(?:.*\\bnews.*\\bnewsletter|.*\\bnewsletter.*\\bnews)") ==
        "(?:\\x6e\\x65\\x77\\x73(?:[\\x00-\\x09\\x0b-\\xff])*"
        "\\x6e\\x65\\x77\\x73\\x6c\\x65\\x74\\x74\\x65\\x72|"
        "\\x6e\\x65\\x77\\x73\\x6c\\x65\\x74\\x74\\x65\\x72(?:[\\x00-\\x09\\x0b-\\xff])*"
        "\\x6e\\x65\\x77\\x73)");
  CHECK(
      part("\\bPhoto\\b.{0,80}\\b(?:AFP|dpa)\\b") ==
      "\\x50\\x68\\x6f\\x74\\x6f(?:[\\x00-\\x09\\x0b-\\xff])*(?:\\x41\\x46\\x50|\\x64\\x70\\x61)");
  // Anchors kept where they stand at the ends.
  CHECK(part("^.{0,150}(?:reserved|vorbehalten)\\.?$") ==
        "(?:\\x72\\x65\\x73\\x65\\x72\\x76\\x65\\x64|"
        "\\x76\\x6f\\x72\\x62\\x65\\x68\\x61\\x6c\\x74\\x65\\x6e)(?:\\x2e)?$");
  // Only separators between broad runs, repeated: one of them.
  CHECK(part("^(?:[\\p{L} -]{1,30}\\s*[>/]\\s*){2,}[\\p{L} -]{1,60}$") == "[\\x2f\\x3e]");
  // Nothing but a broad run: no part.
  CHECK(part("^.{3,}$") == "<none>");
}

TEST_CASE("prefilter_choice: the bytes a whole-line pattern may hold", "[prefilter_choice]") {
  auto alphabet = [](const char* regex, bool caseless = false) {
    auto p = BytePattern::Parse(regex, caseless);
    REQUIRE(p.has_value());
    return LineAlphabet(*p);
  };
  auto crumbs = alphabet("^(?:[a-z ]{1,30}\\s*[>/]\\s*){2,}[a-z ]{1,60}$");
  REQUIRE(crumbs.has_value());
  CHECK((*crumbs)['a']);
  CHECK((*crumbs)['/']);
  CHECK((*crumbs)['\t']);  // \s
  CHECK_FALSE((*crumbs)['A']);
  CHECK_FALSE((*crumbs)[',']);
  auto caseless = alphabet("^(?:Home|Menu)$", true);
  REQUIRE(caseless.has_value());
  CHECK((*caseless)['H']);
  CHECK((*caseless)['h']);
  CHECK_FALSE((*caseless)['x']);
  CHECK_FALSE(alphabet("\\bPhoto by\\b").has_value());      // not anchored
  CHECK_FALSE(alphabet("^Photo by").has_value());           // not to the end
  CHECK_FALSE(alphabet("^(?:a$|b)").has_value());           // not every branch
  CHECK_FALSE(alphabet("^.{0,150}reserved$").has_value());  // any byte
}

TEST_CASE("prefilter_choice: the fewest bytes a match holds", "[prefilter_choice]") {
  auto min_bytes = [](const char* regex) {
    auto p = BytePattern::Parse(regex, false);
    REQUIRE(p.has_value());
    return MinBytes(*p);
  };
  CHECK(min_bytes("[/>]") == 1);
  CHECK(min_bytes("»") == 2);  // two bytes of UTF-8
  CHECK(min_bytes("^(?:AP|AFP)$") == 2);
  CHECK(min_bytes("a{3,5}b?") == 3);
  CHECK(min_bytes("^$") == 0);
}

// FeatureExtractor (cleaner/classify/features.h) with the project's stop-word lists:
// word and character counts, stop words, the page language, sentence
// punctuation, list markers, capitals, repeated lines.
#include <catch2/catch.hpp>
#include <cstring>
#include <string>
#include <vector>

#include "cleaner/classify/features.h"
#include "cleaner/base/options.h"
#include "tests/test_support.h"

using namespace clean;
using clean::testing::ProjectRules;

namespace {

struct Computed {
  Page page;
  PageFeatures features;
  std::vector<StopCounts> stops;  // per line: FeatureExtractor::stop_by_lang
  std::string language() const {
    return features.language < 0 ? std::string()
                                 : ProjectRules().lexicon().languages()[features.language];
  }
  const LineFeatures& line(size_t i) const { return features.lines.at(i); }
};

Computed Compute(std::string_view text) {
  Computed c;
  std::string error;
  REQUIRE(BuildPage(text, Options(), &c.page, &error));
  FeatureExtractor fe(ProjectRules().lexicon());
  fe.Compute(c.page, &c.features);
  REQUIRE(c.features.lines.size() == c.page.lines.size());
  for (size_t i = 0; i < c.page.lines.size(); ++i) c.stops.push_back(fe.stop_by_lang(i));
  return c;
}

// Features of a single line.
LineFeatures One(std::string_view line) {
  Computed c = Compute(line);
  REQUIRE(c.features.lines.size() == 1);
  return c.features.lines[0];
}

int LangIndex(const std::string& name) {
  const auto& langs = ProjectRules().lexicon().languages();
  for (size_t i = 0; i < langs.size(); ++i)
    if (langs[i] == name) return static_cast<int>(i);
  return -1;
}

const char* kEnglish =
    "The quick brown fox jumps over the lazy dog.\n"
    "\n"
    "It was the best of times, it was the worst of times, and nobody was ready for it.\n"
    "The meeting came as Russia launched its second night of attacks on the capital.\n";

const char* kGerman =
    "Der Außenminister ist am Donnerstag nach Malaysia gereist.\n"
    "\n"
    "Er sagte, dass die Gespräche mit dem russischen Kollegen nicht einfach waren und "
    "dass es noch keine Einigung gibt.\n"
    "Die Regierung will die Hilfe für das Land in diesem Jahr weiter ausbauen.\n";

}  // namespace

TEST_CASE("features: word, character and letter counts", "[features]") {
  LineFeatures f = One("The quick brown fox jumps over the lazy dog.");
  CHECK(f.chars == 44);
  CHECK(f.words == 9);
  CHECK(f.letters == 35);
  CHECK(f.digits == 0);
  CHECK(f.uppers == 1);
  CHECK(f.cap_words == 1);
  CHECK(f.long_words == 5);  // quick, brown, jumps, over, lazy: 4+ characters
  CHECK(f.terminal);

  LineFeatures g = One("NATO met in 2025 with Kyiv");
  CHECK(g.words == 6);
  CHECK(g.digits == 4);
  CHECK(g.letters == 17);
  CHECK(g.uppers == 5);      // N A T O K
  CHECK(g.cap_words == 2);   // NATO, Kyiv (2025 is no capital)
  CHECK(g.long_words == 4);  // NATO, 2025, with, Kyiv
  CHECK_FALSE(g.terminal);

  // Characters are code points, not bytes.
  LineFeatures h = One("Привет мир, Grüße!");
  CHECK(h.chars == 18);
  CHECK(h.words == 3);
  CHECK(h.letters == 14);
  CHECK(h.cap_words == 2);

  // Punctuation splits words; symbols alone are no words.
  CHECK(One("don't stop-gap").words == 4);
  LineFeatures sym = One("*** --- ***");
  CHECK(sym.words == 0);
  CHECK(sym.letters == 0);
  CHECK(sym.chars == 11);
}

TEST_CASE("features: stop words for an English page", "[features]") {
  Computed c = Compute(kEnglish);
  REQUIRE(c.language() == "en");
  int en = LangIndex("en");
  REQUIRE(en >= 0);
  // "the", "over", "the" are English stop words in line 1.
  const LineFeatures& f = c.line(0);
  CHECK(f.stop_words >= 3);
  CHECK(f.stop_words == c.stops[0][en]);
  CHECK(f.stop_words < f.words);  // fox, dog, quick... are not
  CHECK(f.stop_share() == Approx(double(f.stop_words) / f.words));
  // Each line's stop words are those of the page language.
  for (size_t i = 0; i < c.features.lines.size(); ++i)
    CHECK(c.line(i).stop_words == c.stops[i][en]);
  // Page totals.
  uint32_t words = 0, stops = 0;
  for (const auto& l : c.features.lines) {
    words += l.words;
    stops += l.stop_words;
  }
  CHECK(c.features.words == words);
  CHECK(c.features.stop_hits == stops);
  // A blank line has zero features.
  CHECK(c.line(1).words == 0);
  CHECK(c.line(1).chars == 0);
  CHECK(c.line(1).stop_words == 0);
}

TEST_CASE("features: stop words are matched case-insensitively", "[features]") {
  Computed lower = Compute("the cat and the dog are in the house of a friend.\n");
  Computed upper = Compute("THE cat AND The dog ARE IN THE house OF A friend.\n");
  REQUIRE(lower.language() == "en");
  REQUIRE(upper.language() == "en");
  CHECK(lower.line(0).stop_words == upper.line(0).stop_words);
  CHECK(lower.line(0).stop_words >= 6);
}

TEST_CASE("features: language detection", "[features]") {
  CHECK(Compute(kEnglish).language() == "en");
  CHECK(Compute(kGerman).language() == "de");
  // German stop words count on the German page.
  Computed de = Compute(kGerman);
  CHECK(de.line(0).stop_words >= 2);  // der, ist, am, nach
  CHECK(de.features.stop_hits >= 10);
}

TEST_CASE("features: too few stop words leave the language unknown", "[features]") {
  for (const char* text :
       {"", "\n\n", "Menu\nHome\nSearch\n", "12345 67890\n", "東京の天気は晴れです。\n"}) {
    INFO("page: " << text);
    Computed c = Compute(text);
    CHECK(c.features.language == -1);
    CHECK(c.language().empty());
    for (const auto& l : c.features.lines) CHECK(l.stop_words == 0);
  }
}

TEST_CASE("features: terminal punctuation including closing quotes", "[features]") {
  struct Case {
    const char* line;
    bool terminal;
  };
  const Case kCases[] = {
      {"He left.", true},
      {"Really?", true},
      {"Stop!", true},
      {"Wait for it…", true},
      {"Note:", true},
      {"First; second;", true},
      {"Trailing spaces are trimmed.   ", true},
      {"He said \"yes.\"", true},
      {"He said 'no!'", true},
      {"He said “maybe?”", true},
      {"She wrote ‘fine.’", true},
      {"Il a dit « oui. »", true},
      {"(See above.)", true},
      {"A headline without a stop", false},
      {"He said \"yes\"", false},
      {"Ends in a comma,", false},
      {"Ends in a dash -", false},
      {"(aside)", false},
      {"Version 2.0", false},
  };
  for (const auto& c : kCases) {
    INFO("line: " << c.line);
    CHECK(One(c.line).terminal == c.terminal);
  }
}

TEST_CASE("features: sentence breaks inside a line", "[features]") {
  CHECK(One("First sentence here. Second one follows.").has_sentence_break);
  CHECK(One("Is it? Yes it is.").has_sentence_break);
  CHECK_FALSE(One("One sentence only.").has_sentence_break);
  CHECK_FALSE(One("Version 2.5 is out").has_sentence_break);
  CHECK_FALSE(One("e.g. something lower case").has_sentence_break);
  CHECK_FALSE(One("Time: Monday").has_sentence_break);  // ':' opens no sentence
}

TEST_CASE("features: a sentence ending in a closing quote breaks the line", "[features]") {
  // `terminal` accepts a closing quote after . ! ? (He said "yes."), and so
  // does has_sentence_break: two sentences with quoted speech are two.
  CHECK(One("He said \"Go.\" Then he left.").has_sentence_break);
  CHECK(One("“We are ready.” The minister left.").has_sentence_break);
}

TEST_CASE("features: list markers", "[features]") {
  for (const char* yes : {"- item", "* item", "+ item", "• item", "▪ item", "◦ item", "· item",
                          "– item", "— item", "1. item", "12. item", "3) item", "100. item"}) {
    INFO("line: " << yes);
    CHECK(One(yes).list_marker);
  }
  for (const char* no : {"-item", "*bold*", "1.5 million people", "2025. A year", "1234. x", "1.",
                         "-", "a. item", "Item - one", "(1) item"}) {
    INFO("line: " << no);
    CHECK_FALSE(One(no).list_marker);
  }
}

TEST_CASE("features: all_caps", "[features]") {
  CHECK(One("BREAKING NEWS TODAY").all_caps());
  CHECK(One("RUSSIA EXCEEDS PREVIOUS RECORD WITH NEWEST AERIAL ASSAULT").all_caps());
  CHECK(One("ПОСЛЕДНИЕ НОВОСТИ").all_caps());
  CHECK(One("BREAKING NEWS: 2025 UPDATE!").all_caps());  // digits and punctuation do not count
  CHECK_FALSE(One("NATO").all_caps());                   // too few letters
  CHECK_FALSE(One("NATO EU").all_caps());
  CHECK_FALSE(One("Breaking News Today").all_caps());
  CHECK_FALSE(One("BREAKING NEWS today").all_caps());
  CHECK_FALSE(One("1234567890").all_caps());
}

TEST_CASE("features: repeats are counted for duplicate lines", "[features]") {
  Computed c = Compute(
      "Menu\n"
      "Some text here.\n"
      "Menu\n"
      "\n"
      "  Menu  \n"  // the same after trimming
      "Share\n"
      "\n"
      "Share\n"
      "menu\n");  // case matters
  REQUIRE(c.features.lines.size() == 9);
  CHECK(c.line(0).repeats == 3);
  CHECK(c.line(2).repeats == 3);
  CHECK(c.line(4).repeats == 3);
  CHECK(c.line(1).repeats == 1);
  CHECK(c.line(5).repeats == 2);
  CHECK(c.line(7).repeats == 2);
  CHECK(c.line(8).repeats == 1);
  // Blank lines are not counted as repeats of each other.
  CHECK(c.line(3).repeats <= 1);
  CHECK(c.line(6).repeats <= 1);
}

TEST_CASE("features: repeats on a larger page", "[features]") {
  // Many distinct lines plus one line repeated 50 times: the open-addressing
  // table must grow and keep counts right.
  std::string text;
  for (int i = 0; i < 2000; ++i) {
    text += "Distinct line number " + std::to_string(i) + "\n";
    if (i % 40 == 0) text += "Repeated footer\n";
  }
  Computed c = Compute(text);
  size_t footer = 0;
  for (size_t i = 0; i < c.page.lines.size(); ++i) {
    if (c.page.line(i) == "Repeated footer") {
      ++footer;
      CHECK(c.line(i).repeats == 50);
    } else {
      CHECK(c.line(i).repeats == 1);
    }
  }
  CHECK(footer == 50);
}

TEST_CASE("features: an extractor can be reused across pages", "[features]") {
  FeatureExtractor fe(ProjectRules().lexicon());
  Page p1, p2;
  std::string error;
  REQUIRE(BuildPage(kGerman, Options(), &p1, &error));
  REQUIRE(BuildPage("A\nB\nA\n", Options(), &p2, &error));
  PageFeatures f;
  fe.Compute(p1, &f);
  CHECK(f.language == LangIndex("de"));
  fe.Compute(p2, &f);
  REQUIRE(f.lines.size() == 3);
  CHECK(f.language == -1);
  CHECK(f.lines[0].repeats == 2);
  CHECK(f.lines[1].repeats == 1);
  CHECK(f.words == 3);
}

TEST_CASE("lexicon: the short table's filter lets every stop word through", "[features]") {
  const Lexicon& lexicon = ProjectRules().lexicon();
  const std::vector<std::string> words = lexicon.ShortWords();
  // Every shipped stop word is short (the short table holds them all).
  CHECK(words.size() > 1500);
  const Lexicon::ShortTable t = lexicon.short_table();
  // The slot a filtered-out word reads (at offset 0): empty, no languages.
  const auto& empty = *reinterpret_cast<const Lexicon::Slot*>(t.base);
  CHECK(empty.lo == 0);
  CHECK(empty.hi == 0);
  for (uint8_t l : empty.langs) CHECK(l == 0);
  // The header as the AVX2 pass reads it; the slots after the buckets.
  CHECK(t.BucketShift() < 64);
  CHECK(t.SlotCount() >= words.size());
  CHECK((t.SlotCount() & (t.SlotCount() - 1)) == 0);
  CHECK(reinterpret_cast<const char*>(t.Slots()) >=
        t.base + Lexicon::ShortTable::kBucketsAt + (size_t{8} << (64 - t.BucketShift())));
  for (const std::string& w : words) {
    INFO(w);
    REQUIRE(lexicon.Lookup(w) != 0);
    CHECK(lexicon.LookupFiltered(w) == lexicon.Lookup(w));
    uint64_t lo = 0, hi = 0;
    char padded[Lexicon::kShortBytes] = {};
    std::memcpy(padded, w.data(), w.size());
    std::memcpy(&lo, padded, 8);
    std::memcpy(&hi, padded + 8, 8);
    const uint64_t h = t.HashOf(lo, hi);
    CHECK(t.MayHold(h));
    CHECK(t.FilteredOffsetOf(h) == t.OffsetOf(h));
    CHECK(t.OffsetOf(h) != 0);
    REQUIRE(t.SlotOf(h) < t.SlotCount());
    CHECK(t.Slots()[t.SlotOf(h)].lo == lo);
    CHECK(t.Slots()[t.SlotOf(h)].hi == hi);
  }
}

TEST_CASE("lexicon: the filter holds for a big table and for an empty one", "[features]") {
  // Thousands of words (a table of 16384 slots): every word passes; words
  // of no list read as none.
  using clean::testing::NumberedWords;
  Lexicon lexicon;
  clean::testing::LoadLexicon({{"de.txt", "der\nund\nüber\n" + NumberedWords(4500, 2, 1)},
                               {"en.txt", "the\nand\n" + NumberedWords(4500, 2, 0)}},
                              &lexicon);
  const std::vector<std::string> words = lexicon.ShortWords();
  CHECK(words.size() == 9005);
  for (const std::string& w : words) CHECK(lexicon.LookupFiltered(w) == lexicon.Lookup(w));
  for (int k = 0; k < 9000; ++k) {
    std::string w = std::to_string(k * 7919 + 1);
    w.insert(w.begin(), 'w');
    CHECK(lexicon.LookupFiltered(w) == 0);
    CHECK(lexicon.Lookup(w) == 0);
  }
  CHECK(lexicon.LookupFiltered("der") == 1);
  CHECK(lexicon.LookupFiltered("and") == 2);
  // A copy reads its own block (the table is addressed from it).
  const Lexicon copy = lexicon;
  CHECK(copy.short_table().base != lexicon.short_table().base);
  CHECK(copy.LookupFiltered("der") == 1);
  CHECK(copy.LookupFiltered("and") == 2);
  CHECK(copy.LookupFiltered("die") == 0);
  // A lexicon that loaded nothing matches nothing.
  Lexicon empty;
  CHECK(empty.LookupFiltered("the") == 0);
  CHECK(empty.Lookup("the") == 0);
  CHECK(empty.ShortWords().empty());
}

TEST_CASE("features: repeats when the table grows past a page of distinct lines", "[features]") {
  // More distinct lines than the table starts with room for
  // (kScratchKeptLines), each of the first ones repeated after it grew,
  // and one line repeated 65,537 times (its count wraps, as the 16-bit
  // counts do: every occurrence has the first's).
  const size_t distinct = FeatureExtractor::kScratchKeptLines + 5000;
  std::string text;
  for (size_t i = 0; i < distinct; ++i) text += "line " + std::to_string(i) + "\n";
  for (size_t i = 0; i < 100; ++i) text += "line " + std::to_string(i) + "\n";
  for (size_t i = 0; i < 65537; ++i) text += "x\n";
  Page page;
  std::string error;
  REQUIRE(BuildPage(text, Options(), &page, &error));
  REQUIRE(page.lines.size() == distinct + 100 + 65537);
  FeatureExtractor fe(ProjectRules().lexicon());
  PageFeatures f;  // (stop_by_lang is not kept for a page this long)
  fe.Compute(page, &f);
  for (size_t i = 0; i < distinct; ++i) {
    INFO(i);
    REQUIRE(f.lines[i].repeats == (i < 100 ? 2 : 1));
  }
  for (size_t i = distinct; i < distinct + 100; ++i) REQUIRE(f.lines[i].repeats == 2);
  for (size_t i = distinct + 100; i < page.lines.size(); ++i) REQUIRE(f.lines[i].repeats == 1);
}

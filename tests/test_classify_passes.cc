// The classifier's heuristic passes one at a time, over a page state built
// by the passes before them (no rules apply: the pages match none):
// Describe, MarkLeadInLists, LocateRegion, ApplyHeuristics.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "cleaner/base/heuristics.h"
#include "cleaner/base/options.h"
#include "cleaner/classify/describe.h"
#include "cleaner/classify/features.h"
#include "cleaner/classify/lead_in_lists.h"
#include "cleaner/classify/line_heuristics.h"
#include "cleaner/classify/region.h"
#include "cleaner/text/page.h"
#include "tests/test_support.h"

using namespace clean;

namespace {

const std::string kProseA =
    "The council voted on Tuesday to approve the new budget, which the mayor said would fund "
    "two more schools and repair the roads that flooded in the spring.";
const std::string kProseB =
    "Opponents of the plan argued that the city could not afford it, and they promised to "
    "raise the question again when the council meets in the autumn.";
const std::string kProseC =
    "The budget now goes to the state, where officials are expected to review it before the "
    "end of the year and to publish their findings in a report.";

// A page state after the passes up to `stage` (1 Describe, 2 lead-in
// lists, 3 region, 4 heuristics).
struct State {
  Options options;
  Page page;
  PageWork work;

  State(const std::vector<std::string>& lines, int stage, const Options& o = Options())
      : options(o) {
    std::string text;
    for (const auto& l : lines) text += l + "\n";
    std::string error;
    REQUIRE(BuildPage(text, options, &page, &error));
    REQUIRE(page.lines.size() == lines.size());
    FeatureExtractor features(clean::testing::ProjectRules().lexicon());
    features.Compute(page, &work.features);
    Describe(page, options, &work);
    if (stage >= 2) MarkLeadInLists(page, options, &work);
    if (stage >= 3) LocateRegion(options, &work);
    if (stage >= 4) ApplyHeuristics(options, &work);
  }
  LineKind kind(size_t i) const { return work.kinds[i]; }
  uint32_t decider(size_t i) const { return work.decisions[i].decider; }
  LineClass cls(size_t i) const { return work.decisions[i].cls; }
};

}  // namespace

TEST_CASE("describe: each line's kind and facts come from its features", "[passes]") {
  State s({kProseA, "Home", "", "12:30 | 45", "The mayor speaks to reporters about it today.",
           "Home", "- first item"},
          1);
  CHECK(s.kind(0) == LineKind::kProse);
  CHECK(s.kind(1) == LineKind::kShort);
  CHECK(s.kind(2) == LineKind::kBlank);
  CHECK(s.kind(3) == LineKind::kNoWords);
  CHECK(s.kind(4) == LineKind::kMedium);
  CHECK(s.work.decisions[2].blank);
  CHECK_FALSE(s.work.decisions[1].blank);
  // "Home" twice: repeated; a one-word line is title-like and of few words.
  CHECK(s.work.has(1, PageWork::kRepeated));
  CHECK(s.work.has(5, PageWork::kRepeated));
  CHECK_FALSE(s.work.has(0, PageWork::kRepeated));
  CHECK(s.work.title_like(1));
  CHECK(s.work.has(1, PageWork::kFewWords));
  CHECK_FALSE(s.work.title_like(0));
  CHECK(s.work.has(6, PageWork::kListMarker));
  CHECK_FALSE(s.work.has(1, PageWork::kListMarker));
  // What the context pass may revise: a sentence, a label, a blank line.
  CHECK((s.work.context[0] & PageWork::kCtxSentence) != 0);
  CHECK((s.work.context[2] & PageWork::kCtxBlank) != 0);
  CHECK((s.work.context[5] & PageWork::kCtxShortRun) == 0);  // repeated: not a run item
}

TEST_CASE("describe: a longer line limit makes a long line medium", "[passes]") {
  State s({"The mayor said on Tuesday that the vote would come next week, after the hearing."}, 1);
  CHECK(s.kind(0) == LineKind::kMedium);
  Options o;
  o.long_line_chars = 40;
  Describe(s.page, o, &s.work);
  CHECK(s.kind(0) == LineKind::kProse);
}

TEST_CASE("lead-in lists: the items a sentence ending in ':' announces", "[passes]") {
  std::vector<std::string> lines = {kProseA,
                                    "The new budget includes these items for the city:",
                                    "- two new schools",
                                    "- road repairs",
                                    "- a library",
                                    kProseB};
  State s(lines, 2);
  CHECK(s.work.list_item == std::vector<uint8_t>{0, 0, 1, 1, 1, 0});

  // Unmarked items followed by the page's tail (no text goes on) are no list.
  State tail({kProseA, "Follow us on these networks:", "Facebook", "Twitter"}, 2);
  CHECK(tail.work.list_item == std::vector<uint8_t>{0, 0, 0, 0});

  // One item is no list.
  State one({kProseA, "The budget includes one item for the city:", "a library", kProseB}, 2);
  CHECK(one.work.list_item == std::vector<uint8_t>{0, 0, 0, 0});
}

TEST_CASE("region: the best-scoring stretch of lines is the main text", "[passes]") {
  std::vector<std::string> lines = {"Home",  "News",         "Sport", "Weather", kProseA,
                                    kProseB, "A short line", kProseC, "Contact", "Privacy",
                                    "Terms", "Jobs",         "Help"};
  State s(lines, 3);
  CHECK(s.work.region_begin == 4);
  CHECK(s.work.region_end == 8);
  for (size_t i = 0; i < lines.size(); ++i) {
    INFO("line " << i);
    CHECK(s.work.in_region[i] == (i >= 4 && i < 8 ? 1 : 0));
  }
  CHECK(s.work.scores[4] > 0);
  CHECK(s.work.scores[0] < 0);
}

TEST_CASE("region: a second stretch joins when it scores a good share of the best", "[passes]") {
  std::vector<std::string> lines = {kProseA, kProseB, "Menu", "Home",  "News",  "Sport", "Weather",
                                    "Jobs",  "Help",  "Shop", "Games", "Radio", kProseC};
  State s(lines, 3);
  CHECK(s.work.region_begin == 0);
  CHECK(s.work.region_end == 2);
  CHECK(s.work.in_region[12] == 1);  // about half the best stretch's score
  CHECK(s.work.in_region[4] == 0);

  Options strict;
  strict.region_secondary_share = 0.9;
  LocateRegion(strict, &s.work);
  CHECK(s.work.in_region[12] == 0);
}

TEST_CASE("region: a stretch far below the best one needs the far share", "[passes]") {
  // The stretch at line 12 starts 10 lines below the best one's end (2).
  std::vector<std::string> lines = {kProseA, kProseB, "Menu", "Home",  "News",  "Sport", "Weather",
                                    "Jobs",  "Help",  "Shop", "Games", "Radio", kProseC};
  Options o;
  o.region_secondary_far_share = 0.9;
  o.region_secondary_far_lines = 9;
  State far(lines, 3, o);
  REQUIRE(far.work.region_end == 2);
  CHECK(far.work.in_region[12] == 0);
  o.region_secondary_far_lines = 10;  // not past it: the near share (0.2)
  State near(lines, 3, o);
  CHECK(near.work.in_region[12] == 1);
  // A stretch above the best one is never far.
  std::vector<std::string> above = {kProseC, "Menu", "Home",  "News",  "Sport", "Weather", "Jobs",
                                    "Help",  "Shop", "Games", "Radio", kProseA, kProseB};
  o.region_secondary_far_lines = 0;
  State up(above, 3, o);
  REQUIRE(up.work.region_begin == 11);
  CHECK(up.work.in_region[0] == 1);
}

TEST_CASE("heuristics: lines no rule decided get a class by kind and region", "[passes]") {
  std::vector<std::string> lines = {
      "Home", "News", kProseA, "The vote was close, with five in favour.",
      "Home", "----", kProseB, "Sport"};
  State s(lines, 4);
  auto is = [&](size_t i, LineClass c, Heuristic h) {
    INFO("line " << i);
    CHECK(s.cls(i) == c);
    CHECK(s.decider(i) == DeciderOf(h));
  };
  is(0, LineClass::kNavigation, Heuristic::kRepeated);
  is(1, LineClass::kNavigation, Heuristic::kOutsideRegion);
  is(2, LineClass::kBody, Heuristic::kProse);
  is(3, LineClass::kBody, Heuristic::kMainRegion);
  is(4, LineClass::kNavigation, Heuristic::kRepeated);
  is(5, LineClass::kNavigation, Heuristic::kNoWords);
  is(6, LineClass::kBody, Heuristic::kProse);
  is(7, LineClass::kNavigation, Heuristic::kOutsideRegion);
  CHECK(s.work.context[2] == PageWork::kCtxBody);
}

TEST_CASE("heuristics: long prose outside the region is kept, short prose is not", "[passes]") {
  // Short lines cost so much here that each stretch of prose is a region
  // candidate of its own, and only the best one is the region.
  Options o;
  o.region_short_penalty = 1000;
  o.region_secondary_share = 0.9;
  const std::string big = kProseA + " " + kProseB + " " + kProseC;
  std::string very_long;
  while (very_long.size() < 450) very_long += kProseB + " ";
  very_long.pop_back();
  std::vector<std::string> lines = {big,    big,     "Menu",    "Home",   kProseC,
                                    "News", "Sport", very_long, "Weather"};
  State s(lines, 4, o);
  REQUIRE(s.work.region_begin == 0);
  REQUIRE(s.work.region_end == 2);
  REQUIRE(s.work.in_region[4] == 0);
  REQUIRE(s.work.in_region[7] == 0);
  CHECK(s.cls(4) == LineClass::kNavigation);
  CHECK(s.decider(4) == DeciderOf(Heuristic::kOutsideRegion));
  CHECK(s.cls(7) == LineClass::kBody);
  CHECK(s.decider(7) == DeciderOf(Heuristic::kProse));
  CHECK(s.cls(2) == LineClass::kNavigation);

  // The same page with the keep length above the line's: it goes too.
  o.region_outside_keep_chars = 10000;
  State strict(lines, 4, o);
  CHECK(strict.cls(7) == LineClass::kNavigation);
  CHECK(strict.decider(7) == DeciderOf(Heuristic::kOutsideRegion));
}

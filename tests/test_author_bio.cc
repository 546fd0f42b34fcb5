// Author blurbs below the article (cleaner/classify/author_bio.h): the
// subject an "About NAME" line or a byline names, and the body line below
// it that starts with that name, through Cleaner with the project's rules.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "cleaner/classify/author_bio.h"
#include "cleaner/cleaner.h"
#include "tests/test_support.h"

using namespace clean;
using clean::testing::Deciders;
using clean::testing::kP1;
using clean::testing::kP2;
using clean::testing::kP3;
using clean::testing::kP4;
using clean::testing::ProjectRules;

namespace {

const std::string kBio =
    "Dima Aryeh is a Russian obsessed with all things tech, who does photography, runs a "
    "small phone modding forum and writes about mobile devices for the site.";

}  // namespace

TEST_CASE("author bio: the subject after the label", "[context]") {
  CHECK(BlurbSubject("About Dima Aryeh") == "Dima Aryeh");
  CHECK(BlurbSubject("About the author: Jane Doe") == "Jane Doe");
  CHECK(BlurbSubject("By Jane Doe, Staff Writer") == "Jane Doe");
  CHECK(BlurbSubject("About Jane Mary Ann Doe Smith") == "Jane Mary Ann Doe");
  CHECK(BlurbSubject("About us") == "");
  CHECK(BlurbSubject("About") == "");
}

TEST_CASE("author bio: a paragraph below the article that starts with the named name",
          "[context]") {
  const std::vector<std::string> page = {kP1, kP2, kP3, kP4, "About Dima Aryeh", kBio};
  const std::vector<std::string> ids = Deciders(page);
  for (size_t i : {0, 1, 2, 3}) CHECK(ids[i] == "heuristic.prose");
  CHECK(ids[4] == "gen.about-name");
  CHECK(ids[5] == "context.author-bio");
  // The first name alone, then a lower-case word: "Dima covers ...".
  const std::string first =
      "Dima covers phones and tablets for the site, and before that he ran a small forum for "
      "people who modify the software of their own phones.";
  const std::vector<std::string> fpage = {kP1, kP2, kP3, kP4, "About Dima Aryeh", first};
  CHECK(Deciders(fpage)[5] == "context.author-bio");
}

TEST_CASE("author bio: no blurb above the article, of another name, or of a company", "[context]") {
  // Above the article's text (less than bio_min_article_chars of body above).
  const std::vector<std::string> top = {"About Dima Aryeh", kBio, kP1, kP2};
  CHECK(Deciders(top)[1] != "context.author-bio");
  // A paragraph about someone else.
  const std::vector<std::string> other = {kP1, kP2, kP3, kP4, "About Jane Doe", kBio};
  CHECK(Deciders(other)[5] != "context.author-bio");
  // A one-word subject: a company's note, not an author's.
  const std::string company =
      "Logitech is a world leader in personal peripherals, driving innovation in navigation, "
      "internet communications, digital music and home entertainment.";
  const std::vector<std::string> note = {kP1, kP2, kP3, kP4, "About Logitech", company};
  CHECK(Deciders(note)[5] != "context.author-bio");
}

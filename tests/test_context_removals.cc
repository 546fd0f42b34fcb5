// The context passes that take text below the article off it, through
// Cleaner with the project's rules: a record list below the article when
// the article's own date line stands above it, the page below a record
// list, a bare "Comments" label that opens the comment section only when a
// thread follows it, and teaser card lists anywhere below the article.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

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

const std::string kC1 =
    "I have been reading about this for weeks and I still do not see why the two sides "
    "cannot simply agree on the obvious things first.";
const std::string kC2 =
    "The ministry has said the same thing every year since I can remember, and nothing "
    "has changed for the farmers who sell the grain.";
const std::string kC3 =
    "Good to see the talks going on at all, given how badly the last round went for "
    "everybody who took part in it.";

}  // namespace

TEST_CASE("record lists: the article's own date line above it starts no chain", "[context]") {
  // The date line above the article is a record marker too: a chain from
  // it would hold the article, which has no text above it, and the thread
  // below was passed over with it.
  const std::vector<std::string> page = {"March 3, 2012",
                                         "Talks on grain exports end without a deal",
                                         kP1,
                                         kP2,
                                         kP3,
                                         kP4,
                                         "Maria Lopez — March 3rd, 2012, 9:14 am",
                                         kC1,
                                         "Tom Becker — March 3rd, 2012, 9:40 am",
                                         kC2,
                                         "Ann Smith — March 3rd, 2012, 10:02 am",
                                         kC3};
  const std::vector<std::string> ids = Deciders(page);
  CHECK(ids[0] == "gen.date-en");
  for (size_t i : {2, 3, 4, 5}) CHECK(ids[i] == "heuristic.prose");
  for (size_t i : {7, 9, 11}) CHECK(ids[i] == "context.record-list");
}

TEST_CASE("comment section: a bare Comments label opens it when a thread follows", "[context]") {
  const std::vector<std::string> page = {kP1,
                                         kP2,
                                         kP3,
                                         kP4,
                                         "Comments",
                                         kC1,
                                         "Posted by: Jane Doe at November 7, 2012 7:00 AM",
                                         kC2,
                                         "Posted by: John King at November 7, 2012 7:21 AM",
                                         kC3,
                                         "Posted by: Ann Smith at November 7, 2012 7:39 AM"};
  const std::vector<std::string> ids = Deciders(page);
  CHECK(ids[4] == "gen.comment-count");
  for (size_t i : {0, 1, 2, 3}) CHECK(ids[i] == "heuristic.prose");
  for (size_t i : {5, 7, 9}) CHECK(ids[i] == "context.comment-section");
}

TEST_CASE("comment section: a bare Comments label with no thread below is no heading",
          "[context]") {
  // A share bar's "Comments" link inside the article: the text goes on.
  const std::vector<std::string> page = {kP1, kP2, kP3, kP4, "Comments", kC1, kC2, kC3};
  const std::vector<std::string> ids = Deciders(page);
  CHECK(ids[4] == "gen.comment-count");
  for (size_t i : {5, 6, 7}) CHECK(ids[i] == "heuristic.prose");
  // The same label with a heading's count ("4 Comments") opens the section.
  const std::vector<std::string> counted = {kP1, kP2, kP3, kP4, "4 Comments", kC1, kC2, kC3};
  const std::vector<std::string> cids = Deciders(counted);
  CHECK(cids[4] == "gen.comment-count-n");
  for (size_t i : {5, 6, 7}) CHECK(cids[i] == "context.comment-section");
}

TEST_CASE("record lists: the page below a record list is not the article's", "[context]") {
  // Past the chain's reach (more than record_max_lines lines after its last
  // record), a long paragraph of the footer is removed with the thread.
  const std::string footer =
      "The Daily Example is written and edited by a small team of volunteers in the valley, "
      "who have been reporting on the farms, the markets and the town council since the paper "
      "was founded, and who welcome letters from readers about anything they have read here, "
      "as long as the letters are signed and stay polite to the people they are about, which "
      "is the only rule the editors have ever needed to keep the discussion friendly.";
  std::vector<std::string> page = {kP1,
                                   kP2,
                                   kP3,
                                   kP4,
                                   "Maria Lopez — March 3rd, 2012, 9:14 am",
                                   kC1,
                                   "Tom Becker — March 3rd, 2012, 9:40 am",
                                   kC2,
                                   "Ann Smith — March 3rd, 2012, 10:02 am",
                                   kC3};
  const size_t gap = static_cast<size_t>(Options().record_max_lines) + 1;
  for (size_t i = 0; i < gap; ++i) page.push_back("Reply");
  page.push_back(footer);
  const std::vector<std::string> ids = Deciders(page);
  for (size_t i : {0, 1, 2, 3}) CHECK(ids[i] == "heuristic.prose");
  for (size_t i : {5, 7, 9}) CHECK(ids[i] == "context.record-list");
  CHECK(ids.back() == "context.record-list");
}

namespace {

// Three teaser cards: a headline (no sentence end) and a one-line summary.
const std::vector<std::string> kCards = {
    "Farmers protest new rules on water use",
    "Hundreds of farmers drove their tractors into the capital on Monday to protest against "
    "rules that would limit how much water they may take from the rivers.",
    "Port strike ends after three weeks",
    "Dock workers voted to accept a new pay offer on Sunday, ending a strike that had left "
    "dozens of ships waiting outside the harbour since the start of the month.",
    "New bridge opens to traffic a year late",
    "The bridge over the estuary opened to cars on Friday, a year later than planned and at "
    "twice the cost that the regional government had promised when work began."};

const std::string kFooter =
    "The Daily Example is written and edited by a small team of volunteers in the valley, "
    "who have been reporting on the farms, the markets and the town council since the paper "
    "was founded, and who welcome letters from readers about anything they have read here.";

std::vector<std::string> Article() { return {kP1, kP2, kP3, kP4, kC1, kC2, kC3}; }

}  // namespace

TEST_CASE("card lists: a run set apart from the article takes the page below it", "[context]") {
  // A headline list's header and first item, then cards: the run follows
  // no body line, so the footer's prose below it goes too.
  std::vector<std::string> page = Article();
  page.push_back("More Stories");
  page.insert(page.end(), kCards.begin(), kCards.end());
  page.push_back(kFooter);
  const std::vector<std::string> ids = Deciders(page);
  for (size_t i = 0; i < 7; ++i) CHECK(ids[i] == "heuristic.prose");
  CHECK(ids[7] == "gen.more-stories");  // the header; the section ends at the summary
  for (size_t i = 9; i < page.size(); i += 2) CHECK(ids[i] == "context.card-list");
  CHECK(ids.back() == "context.card-list");
}

TEST_CASE("card lists: a run right below the article's text takes only its cards", "[context]") {
  std::vector<std::string> page = Article();
  page.insert(page.end(), kCards.begin(), kCards.end());
  page.push_back(kFooter);
  const std::vector<std::string> ids = Deciders(page);
  for (size_t i = 0; i < 7; ++i) CHECK(ids[i] == "heuristic.prose");
  for (size_t i = 7; i < 13; ++i) CHECK(ids[i] == "context.card-list");
  CHECK(ids.back() == "heuristic.prose");
}

TEST_CASE("comment section: a count heading below a short post opens it when a thread follows",
          "[context]") {
  // A photo post of one paragraph (less than comment_section_min_article_chars
  // of text above the heading): the comments below it are not its text.
  const std::string post =
      "She looks like she has walked out of the pages of an old magazine in her red coat and "
      "silver belt, and we could not stop looking at the picture all morning.";
  REQUIRE(post.size() < static_cast<size_t>(Options().comment_section_min_article_chars));
  const std::vector<std::string> page = {post,
                                         "57 Comments",
                                         "Eva",
                                         "September 29, 2012, | Permalink",
                                         kC1,
                                         "Maria",
                                         "September 29, 2012, | Permalink",
                                         kC2,
                                         "Chuck",
                                         "September 29, 2012, | Permalink",
                                         kC3};
  const std::vector<std::string> ids = Deciders(page);
  CHECK(ids[0] == "heuristic.prose");
  CHECK(ids[1] == "gen.comment-count-n");
  for (size_t i : {4, 7, 10}) CHECK(ids[i] == "context.comment-section");
  // Without a thread below, the same heading above so little text opens
  // nothing (a byline's "3 Comments" over the article's first paragraphs).
  const std::vector<std::string> lone = {post, "57 Comments", kC1, kC2, kC3};
  const std::vector<std::string> lids = Deciders(lone);
  for (size_t i : {2, 3, 4}) CHECK(lids[i] != "context.comment-section");
}

TEST_CASE("record lists: a comment's action line repeated below the article marks records",
          "[context]") {
  // Comments with no signature of one shape, each closed by "Reply" (a
  // rule line `as record`): the thread below the article is a record list.
  const std::vector<std::string> page = {
      kP1, kP2, kP3, kP4, kC1, "Reply", kC2, "Reply", kC3, "Reply", kC1 + " Really."};
  const std::vector<std::string> ids = Deciders(page);
  CHECK(ids[5] == "gen.comment-action");
  for (size_t i : {0, 1, 2, 3}) CHECK(ids[i] == "heuristic.prose");
  for (size_t i : {6, 8, 10}) CHECK(ids[i] == "context.record-list");
}

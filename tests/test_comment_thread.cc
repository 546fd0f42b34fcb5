// The comment-signature pass (classify/comment_thread.h): the shapes it
// documents, and SignatureShape / SignatureLines against a plain reference
// (a string per line and per token, a map of shapes to counts).
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "cleaner/base/options.h"
#include "cleaner/classify/comment_thread.h"
#include "cleaner/text/page.h"

namespace clean {
namespace {

bool Digit(char c) { return c >= '0' && c <= '9'; }
bool Letter(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

bool RefHasTime(std::string_view t) {
  for (size_t i = 1; i + 2 < t.size(); ++i)
    if (t[i] == ':' && Digit(t[i - 1]) && Digit(t[i + 1]) && Digit(t[i + 2])) return true;
  return false;
}

bool RefHasYear(std::string_view t) {
  for (size_t i = 0; i + 4 <= t.size(); ++i) {
    if (i > 0 && Digit(t[i - 1])) continue;
    if (!(Digit(t[i]) && Digit(t[i + 1]) && Digit(t[i + 2]) && Digit(t[i + 3]))) continue;
    if (i + 4 < t.size() && Digit(t[i + 4])) continue;
    if ((t[i] == '1' && t[i + 1] == '9') || (t[i] == '2' && t[i + 1] == '0')) return true;
  }
  return false;
}

// The definition, token by token: each token's year and time looked for in
// it, its mark chosen, the shape built as a string.
std::string RefShape(std::string_view line, int max_tokens, int max_word) {
  std::vector<std::string_view> tokens;
  for (size_t i = 0; i < line.size();) {
    if (line[i] == ' ' || line[i] == '\t') {
      ++i;
      continue;
    }
    size_t e = i;
    while (e < line.size() && line[e] != ' ' && line[e] != '\t') ++e;
    tokens.push_back(line.substr(i, e - i));
    i = e;
  }
  if (tokens.size() > static_cast<size_t>(max_tokens)) return {};
  std::string shape;
  bool year = false, time = false, word = false;
  for (std::string_view t : tokens) {
    year = year || RefHasYear(t);
    time = time || RefHasTime(t);
    auto edge = [](char c) {
      return Letter(c) || Digit(c) || static_cast<unsigned char>(c) >= 0x80;
    };
    size_t b = 0, z = t.size();
    while (b < z && !edge(t[b])) ++b;
    while (z > b && !edge(t[z - 1])) --z;
    std::string lead(t.substr(0, b)), core(t.substr(b, z - b)), tail(t.substr(z));
    bool digits = false;
    for (char c : core) digits = digits || Digit(c);
    std::string mark;
    if (digits)
      mark = "#";
    else if (!core.empty() &&
             ((core[0] >= 'A' && core[0] <= 'Z') || static_cast<unsigned char>(core[0]) >= 0x80))
      mark = "A";
    else if (core.size() <= static_cast<size_t>(max_word))
      mark = core;
    else
      mark = "a";
    word = word || (!core.empty() && mark == core);
    bool run = lead.empty() && (mark == "A" || mark == "#" || mark == "a") && shape.size() >= 2 &&
               shape.back() == mark[0] && shape[shape.size() - 2] == ' ';
    if (run) {
      shape += tail;
    } else {
      if (!shape.empty()) shape += ' ';
      shape += lead + mark + tail;
    }
  }
  return year || (time && word) ? shape : std::string();
}

TEST_CASE("comment signatures: the shapes the header documents", "[comment]") {
  CHECK(SignatureShape("by greenreader (4412) on Monday July 23, @08:25PM", 16, 4) ==
        "by a (#) on A #, @#");
  CHECK(SignatureShape("Posted by: Jane Doe at 3:14 PM", 16, 4) == "A by: A at # A");
  CHECK(SignatureShape("Name 12 points 3 hours ago", 16, 4).empty());  // no year, no time
  CHECK(SignatureShape("Jane 12 points 2012 hours ago", 16, 4) == "A # a # a ago");
  // A time alone needs a lowercase word; a year does not.
  CHECK(SignatureShape("21:22 Frances Watkins", 16, 4).empty());
  CHECK(SignatureShape("March 3rd, 2012, 9:14 am", 16, 4) == "A #, #, # am");
  // Past max_tokens tokens: none.
  CHECK(SignatureShape("a b c 2012", 3, 4).empty());
  CHECK(SignatureShape("a b 2012", 3, 4) == "a b #");
  CHECK(SignatureShape("", 16, 4).empty());
}

TEST_CASE("comment signatures: SignatureShape equals the token-by-token definition", "[comment]") {
  // Lines of tokens drawn from pieces that make every case: years, times,
  // digit runs of other lengths, names, short and long lowercase words,
  // punctuation around and inside, non-ASCII letters, tabs and runs of spaces.
  const std::vector<std::string> pieces = {
      "2012", "1999", "20123", "12",   "3:14", "08:25PM", "@08:25",      "(4412)", "9:1",
      ":30",  "Jane", "DOE",   "by",   "at",   "ago",     "greenreader", "on",     "a",
      "A",    "#",    "--",    ",",    "(",    ")",       "\"",          "x",      "Ünal",
      "é",    "—",    "2012,", "July", "23,",  "am",      "…",           "1:2:34", "19"};
  const std::vector<std::string> gaps = {" ", " ", " ", "  ", "\t", ""};
  std::mt19937 rng(20);
  for (int k = 0; k < 20000; ++k) {
    std::string line;
    const int n = static_cast<int>(rng() % 12);
    for (int j = 0; j < n; ++j) line += pieces[rng() % pieces.size()] + gaps[rng() % gaps.size()];
    const int max_tokens = 1 + static_cast<int>(rng() % 16);
    const int max_word = static_cast<int>(rng() % 6);
    INFO("line: [" << line << "] max_tokens " << max_tokens << " max_word " << max_word);
    REQUIRE(SignatureShape(line, max_tokens, max_word) == RefShape(line, max_tokens, max_word));
  }
}

TEST_CASE("comment signatures: a shape recurring record_list_min times marks its lines",
          "[comment]") {
  Options o;
  const std::string text =
      "by greenreader (4412) on Monday July 23, @08:25PM\n"
      "A comment that says something about the article and goes on for a while.\n"
      "by mpatel (90731) on Monday July 23, @08:41PM\n"
      "Posted 2012 by Jane\n"
      "by oldtimer (1203) on Tuesday July 24, @09:02PM\n"
      "Posted 2013 by John\n"
      "Short 12 line\n";
  Page page;
  std::string error;
  REQUIRE(BuildPage(text, o, &page, &error));
  const size_t n = page.lines.size();
  REQUIRE(n == 7);
  std::vector<LineKind> kinds(n, LineKind::kShort);
  kinds[1] = LineKind::kProse;
  std::vector<LineFeatures> features(n);
  for (size_t i = 0; i < n; ++i)
    for (char c : page.line(i)) features[i].digits += Digit(c);

  o.record_list_min = 3;
  CHECK(SignatureLines(page, kinds.data(), features.data(), o) ==
        std::vector<uint8_t>{1, 0, 1, 0, 1, 0, 0});
  o.record_list_min = 2;  // "Posted # by A" twice
  CHECK(SignatureLines(page, kinds.data(), features.data(), o) ==
        std::vector<uint8_t>{1, 0, 1, 1, 1, 1, 0});
  o.record_list_min = 4;
  CHECK(SignatureLines(page, kinds.data(), features.data(), o) == std::vector<uint8_t>(n, 0));
  // A prose line, or one past signature_max_chars, is never one.
  o.record_list_min = 3;
  kinds[2] = LineKind::kProse;
  CHECK(SignatureLines(page, kinds.data(), features.data(), o) == std::vector<uint8_t>(n, 0));
  kinds[2] = LineKind::kShort;
  o.signature_max_chars = 45;  // the first line is 49 bytes
  CHECK(SignatureLines(page, kinds.data(), features.data(), o) == std::vector<uint8_t>(n, 0));
}

}  // namespace
}  // namespace clean

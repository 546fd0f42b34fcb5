// The DOM pass: boilerplate vocabulary, structural elements, the main
// content element, metadata; and conservation over every dataset page.
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <nlohmann/json.hpp>

#include "cleaner/cleaner.h"
#include "cleaner/report/explain.h"
#include "cleaner/report/report.h"
#include "tests/test_support.h"

using namespace clean;
using clean::testing::kP1;
using clean::testing::kP2;
using clean::testing::kP3;
namespace fs = std::filesystem;

namespace {
struct Lines {
  std::vector<std::pair<std::string, std::string>> items;  // text, class
  std::string decider(const std::string& text) const {
    for (const auto& [t, c] : items)
      if (t == text) return c;
    return "<absent>";
  }
};

Lines Classify(const std::string& html, nlohmann::json* report = nullptr) {
  static Cleaner c(clean::testing::ProjectRules(), Options(), nullptr);
  c.set_input_format(InputFormat::kHtml);
  CleanResult r;
  std::string err;
  REQUIRE(c.Clean("p.html", html, &r, &err));
  Lines out;
  for (size_t i = 0; i < r.page->lines.size(); ++i) {
    const Decision& d = r.decisions()[i];
    out.items.emplace_back(std::string(r.page->line(i)),
                           std::string(ClassName(d.cls)) + " " + r.rules->deciders()[d.decider].id);
  }
  if (report) {
    std::string s;
    WriteReport(r, KeepSet(), &s);
    *report = nlohmann::json::parse(s);
  }
  return out;
}
}  // namespace

TEST_CASE("dom: nav, footer and vocabulary boxes outside the main text are removed",
          "[html][dom]") {
  Lines l = Classify(
      "<body><nav><a href=/>World news today and more</a></nav>"
      "<div class=content><p>" +
      kP1 + "</p><p>" + kP2 +
      "</p>"
      "<div class='share-buttons'><span>Send us your pictures from the event</span></div>"
      "<p>" +
      kP3 +
      "</p></div>"
      "<div class='related-stories'><h3>" +
      kP1.substr(0, 60) +
      "</h3></div>"
      "<footer><p>All rights reserved by the company that made it</p></footer></body>");
  CHECK(l.decider(kP1) == "body heuristic.prose");
  CHECK(l.decider("World news today and more") == "navigation dom.structure");
  CHECK(l.decider("Send us your pictures from the event") == "navigation dom.boilerplate");
  CHECK(l.decider(kP1.substr(0, 60)) == "headline_list dom.boilerplate");
  CHECK(l.decider("All rights reserved by the company that made it").substr(0, 10) == "navigation");
}

namespace {
// The line of rules/dom/boilerplate.txt that lists `token`, read from the file.
int VocabularyLine(const std::string& token) {
  std::ifstream in(std::string(CLEAN_RULES_DIR) + "/dom/boilerplate.txt");
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    std::istringstream words(line.substr(0, line.find('#')));
    std::string w;
    words >> w;  // the class
    while (words >> w)
      if (w == token) return n;
  }
  return 0;
}
}  // namespace

TEST_CASE("dom: the report and --explain name the vocabulary entry and the element matched",
          "[html][dom][report]") {
  static Cleaner c(clean::testing::ProjectRules(), Options(), nullptr);
  c.set_input_format(InputFormat::kHtml);
  CleanResult r;
  std::string err;
  std::string html =
      "<body><nav><a href=/>World news today and more</a></nav>"
      "<article class='story main-story' id=story><p>" +
      kP1 + "</p><p>" + kP2 + "</p><p>" + kP3 +
      "</p></article>"
      "<div class='box comment-list'><p>Send us your pictures from the event</p></div>"
      "<div id=share-bar><p>Tell your friends about this story now</p></div>"
      "<div role=complementary><p>Our other sites in the region today</p></div>"
      "<figure><img src=a.jpg><figcaption>The harbour at dawn</figcaption></figure>"
      "</body>";
  REQUIRE(c.Clean("p.html", html, &r, &err));
  std::string s;
  WriteReport(r, KeepSet(), &s);
  nlohmann::json rep = nlohmann::json::parse(s);
  auto removed = [&](const std::string& text) {
    for (const auto& e : rep["removed"])
      if (e["text"] == text) return e;
    return nlohmann::json();
  };
  std::string vocab = "rules/dom/boilerplate.txt:";
  REQUIRE(VocabularyLine("comment") > 0);
  nlohmann::json e = removed("Send us your pictures from the event");
  CHECK(e["rule"] == "dom.boilerplate");
  CHECK(e["where"] == vocab + std::to_string(VocabularyLine("comment")));
  CHECK(e["matched"] == "div.comment-list");
  e = removed("Tell your friends about this story now");
  CHECK(e["where"] == vocab + std::to_string(VocabularyLine("share")));
  CHECK(e["matched"] == "div#share-bar");
  e = removed("Our other sites in the region today");
  CHECK(e["where"] == vocab + std::to_string(VocabularyLine("complementary")));
  CHECK(e["matched"] == "div[role=complementary]");
  e = removed("World news today and more");
  CHECK(e["rule"] == "dom.structure");
  CHECK(e["where"] == "dom.structure");
  CHECK(e["matched"] == "nav");
  e = removed("The harbour at dawn");
  CHECK(e["rule"] == "dom.figcaption");
  CHECK(e["matched"] == "figcaption");
  // Rules and heuristics keep their shape: no "matched" key.
  for (const auto& x : rep["removed"])
    if (x["rule"].get<std::string>().rfind("dom.", 0) != 0) CHECK(!x.contains("matched"));

  std::string ex;
  WriteExplain(r, KeepSet(), &ex);
  std::istringstream lines(ex);
  std::string line, comment_line;
  while (std::getline(lines, line))
    if (line.find("Send us your pictures") != std::string::npos) comment_line = line;
  CHECK(comment_line.find(vocab + std::to_string(VocabularyLine("comment")) + " ") !=
        std::string::npos);
  CHECK(comment_line.find("[matched div.comment-list]") != std::string::npos);
}

TEST_CASE("dom: a boilerplate-named wrapper of the main text is not boilerplate", "[html][dom]") {
  Lines l = Classify("<body><div class='layout has-sidebar'><article><p>" + kP1 + "</p><p>" + kP2 +
                     "</p></article><aside><p>Sidebar teaser line</p></aside></div></body>");
  CHECK(l.decider(kP1) == "body heuristic.prose");
  CHECK(l.decider("Sidebar teaser line") != "body heuristic.prose");
}

TEST_CASE("dom: short blocks inside the main element between body text are body", "[html][dom]") {
  Lines l =
      Classify("<body><div id=menu-top><a href=/a>Home</a></div><article><p>" + kP1 +
               "</p><h2>What comes next</h2><ul><li>Item one</li><li>Item two</li></ul><p>" + kP2 +
               "</p><figure><img><figcaption>A photo of the minister</figcaption>"
               "</figure><p>" +
               kP3 + "</p></article></body>");
  CHECK(l.decider("What comes next") == "body context.between-body");
  CHECK(l.decider("Item one").substr(0, 4) == "body");
  CHECK(l.decider("A photo of the minister") == "caption dom.figcaption");
}

TEST_CASE("dom: the article is the main element even when its comments hold more prose",
          "[html][dom]") {
  std::string comments;
  for (int i = 0; i < 3; ++i)
    comments +=
        "<div class=comment-body><p>" + kP1 + "</p><p>" + kP2 + "</p><p>" + kP3 + "</p></div>";
  Lines l = Classify("<body><div id=content><div class=post><h1>The talks</h1><p>" + kP1 +
                     "</p><p>A short line of the article</p><p>" + kP3 +
                     "</p></div><div id=comments>" + comments + "</div></div></body>");
  CHECK(l.decider("A short line of the article").substr(0, 4) == "body");
  size_t body = 0;
  for (const auto& [text, cls] : l.items) body += cls.substr(0, 4) == "body";
  CHECK(body == 3);  // the article's paragraphs, none of the comments
}

TEST_CASE("dom: no rescue in the main element below the text pass's comment section or cards",
          "[html][dom]") {
  // The main element holds the article and, below a "Comments" label, a
  // thread the text pass ends the article at: its paragraphs stay out.
  Lines l = Classify(
      "<html><body><div class=menu><a href=/a>Home</a></div><div id=story><h1>Budget talks go on<"
      "/h1><p>The finance minister said on Monday that the budget talks would go on until the par"
      "ties agree on the spending plan for the next year.</p><p>Opposition leaders said they woul"
      "d not support a plan that cuts the money for schools and hospitals in the poorer regions o"
      "f the country.</p><p>The talks are expected to last until the end of the month, when the p"
      "arliament has to vote on the budget for the coming year.</p><p>The prime minister has aske"
      "d both sides to find an agreement before the vote, his spokesman told reporters in the cap"
      "ital.</p><h3>Comments</h3><p>I think the minister is right about this and the opposition s"
      "hould stop blocking every plan that comes from the government side.</p><p>Posted by John o"
      "n January 10, 2008 5:29 PM</p><p>What a waste of time these talks are, nobody in the parli"
      "ament cares about the people who pay for all of it in the end.</p><p>Posted by Mary on Jan"
      "uary 10, 2008 6:02 PM</p><p>The schools in my town have been waiting for the money for yea"
      "rs and it seems that they will have to wait for a few more.</p><p>Posted by Ann on January"
      " 11, 2008 9:15 AM</p></div></body></html>");
  CHECK(l.decider("The prime minister has asked both sides to find an agreement before the vote, "
                  "his spokesman told reporters in the capital.") == "body heuristic.prose");
  for (const auto& [text, cls] : l.items)
    if (text.rfind("I think", 0) == 0 || text.rfind("What a waste", 0) == 0)
      CHECK(cls == "navigation context.comment-section");
  // Teaser cards (headline, summary) below the article in the same element.
  l = Classify(
      "<html><body><div class=menu><a href=/a>Home</a></div><div id=story><h1>Budget talks go on<"
      "/h1><p>The finance minister said on Monday that the budget talks would go on until the par"
      "ties agree on the spending plan for the next year.</p><p>Opposition leaders said they woul"
      "d not support a plan that cuts the money for schools and hospitals in the poorer regions o"
      "f the country.</p><p>The talks are expected to last until the end of the month, when the p"
      "arliament has to vote on the budget for the coming year.</p><p>The prime minister has aske"
      "d both sides to find an agreement before the vote, his spokesman told reporters in the cap"
      "ital.</p><p>Both sides met again on Tuesday in the capital, and a spokesman said that the "
      "meeting had been useful for the next steps.</p><p>The vote on the budget has been set for "
      "the last week of the month, and the government hopes to win it with the votes of the small"
      " parties.</p><p>Economists said the plan would raise the deficit a little next year but br"
      "ing it down again in the two years that follow it.</p><div class=box><h3>Headlines</h3><dl"
      "><dt><a href=/s0>Storm closes roads in the north</a></dt><dd>Heavy snow closed several roa"
      "ds in the north of the country on Sunday, the police said in a statement late in the eveni"
      "ng.</dd><dt><a href=/s1>Bank raises its rates again</a></dt><dd>The central bank raised it"
      "s main interest rate for the third time this year on Thursday, to slow the rise of prices."
      "</dd><dt><a href=/s2>Team wins the cup final</a></dt><dd>The home team won the cup final a"
      "fter a late goal in front of a full stadium on Saturday night in the capital.</dd><dt><a h"
      "ref=/s3>New bridge opens to traffic</a></dt><dd>The new bridge over the river opened to tr"
      "affic on Monday after four years of building work and many delays.</dd></dl></div></div></"
      "body></html>");
  for (const auto& [text, cls] : l.items)
    if (text.rfind("Heavy snow", 0) == 0 || text.rfind("The central bank", 0) == 0)
      CHECK(cls == "headline_list context.card-list");
}

TEST_CASE("dom: prose below the main element stays body only from dom_after_main_keep_chars",
          "[html][dom]") {
  // A 530-character comment-like paragraph in another box below the article.
  Lines l = Classify(
      "<html><body><div class=menu><a href=/a>Home</a></div><div id=story><h1>Budget talks go on<"
      "/h1><p>The finance minister said on Monday that the budget talks would go on until the par"
      "ties agree on the spending plan for the next year.</p><p>Opposition leaders said they woul"
      "d not support a plan that cuts the money for schools and hospitals in the poorer regions o"
      "f the country.</p><p>The talks are expected to last until the end of the month, when the p"
      "arliament has to vote on the budget for the coming year.</p><p>The prime minister has aske"
      "d both sides to find an agreement before the vote, his spokesman told reporters in the cap"
      "ital.</p><p>Both sides met again on Tuesday in the capital, and a spokesman said that the "
      "meeting had been useful for the next steps.</p><p>The vote on the budget has been set for "
      "the last week of the month, and the government hopes to win it with the votes of the small"
      " parties.</p><p>Economists said the plan would raise the deficit a little next year but br"
      "ing it down again in the two years that follow it.</p></div><div class=other><p>I have rea"
      "d this story twice now and I still do not understand why the government thinks that the pe"
      "ople of this country will accept a plan like this one, when the schools in the small towns"
      " have been waiting for their money for so many years and the hospitals cannot even pay the"
      " nurses they have. Every year we hear the same promises from the same people, and every ye"
      "ar the money goes somewhere else, to the big cities and to the friends of the ministers. I"
      "t is time that somebody in the parliament stood up for the rest of us.</p></div></body></h"
      "tml>");
  for (const auto& [text, cls] : l.items)
    if (text.rfind("I have read this story", 0) == 0) CHECK(cls == "navigation dom.outside-main");
  CHECK(l.decider("Economists said the plan would raise the deficit a little next year but bring "
                  "it down again in the two years that follow it.") == "body heuristic.prose");
}

TEST_CASE("dom: the main element is a container, not one dominant paragraph", "[html][dom]") {
  std::string long_p = kP1 + " " + kP2 + " " + kP3 + " " + kP1 + " " + kP2 + " " + kP3;
  Lines l = Classify("<body><div class=menu><a href=/a>Home</a></div><article><div><p>" + long_p +
                     "</p><p>A closing line</p><h3>A short subheading</h3><p>" + kP2 +
                     "</p></div></article></body>");
  CHECK(l.decider("A short subheading").substr(0, 4) == "body");
}

TEST_CASE(
    "dom: paragraphs after the last prose line go on with the article up to the last "
    "sentence",
    "[html][dom]") {
  Lines l = Classify("<body><div class=menu><a href=/a>Home</a></div><article><p>" + kP1 +
                     "</p><p>" + kP2 + "</p><p>" + kP3 +
                     "</p><p>Update: figures corrected.</p><p>Our thanks go to Ana Li</p>"
                     "<p>Edited by Ana.</p><p>Photo credits: Agency</p></article></body>");
  CHECK(l.decider("Update: figures corrected.") == "body dom.in-main");
  CHECK(l.decider("Our thanks go to Ana Li") == "body dom.in-main");
  CHECK(l.decider("Edited by Ana.") == "body dom.in-main");
  CHECK(l.decider("Photo credits: Agency").substr(0, 4) != "body");  // past the last sentence
  // The run stops at a lead-in ending in ':'.
  l = Classify("<body><article><p>" + kP1 + "</p><p>" + kP2 +
               "</p><p>Edited by Ana.</p><p>See also:</p><p>Lower taxes.</p></article></body>");
  CHECK(l.decider("Edited by Ana.") == "body dom.in-main");
  CHECK(l.decider("Lower taxes.").substr(0, 4) != "body");
}

TEST_CASE("dom: a subheading the text heuristics take for the title is body in the main element",
          "[html][dom]") {
  Lines l = Classify(
      "<body><div class=menu><a href=/a>Home</a></div><article>"
      "<h1>Budget talks go on</h1><p>Short intro</p>"
      "<h3>What the minister said next</h3><p>" +
      kP1 + "</p><p>" + kP2 + "</p><p>" + kP3 + "</p></article></body>");
  CHECK(l.decider("What the minister said next") == "body dom.in-main");
  CHECK(l.decider("Budget talks go on").substr(0, 4) != "body");
}

TEST_CASE("dom: boilerplate-named boxes that hold all the body text are the content",
          "[html][dom]") {
  // A live blog whose posts are named "comment": every post is a small box.
  std::string posts;
  const std::string minutes[] = {"12", "27", "41", "58", "73", "88"};
  for (int i = 0; i < 6; ++i)
    posts += "<div class=live-comment><span>" + minutes[i] + "'</span><p>Minute " + minutes[i] +
             ": " + (i % 2 ? kP1 : kP2) + "</p></div>";
  Lines l = Classify(
      "<body><div class=menu><a href=/a>Home</a></div><main>"
      "<div class=live-comments>" +
      posts + "</div></main></body>");
  CHECK(l.decider("Minute 41: " + kP2).substr(0, 4) == "body");
  CHECK(l.decider("Minute 88: " + kP1).substr(0, 4) == "body");
  // With an article beside them, the same boxes are removed.
  l = Classify("<body><main><article><p>" + kP1 + "</p><p>" + kP2 + "</p><p>" + kP3 +
               "</p></article><div class=live-comments>" + posts + "</div></main></body>");
  CHECK(l.decider(kP3).substr(0, 4) == "body");
  CHECK(l.decider("Minute 41: " + kP2) == "navigation dom.boilerplate");
}

TEST_CASE("dom: a teaser page renders its JSON-LD articleBody", "[html][dom]") {
  auto page = [](const std::string& body, const std::string& shown) {
    return "<html><head><script type='application/ld+json'>{\"@type\":\"NewsArticle\","
           "\"articleBody\":\"" +
           body +
           "\"}</script></head><body><div class=menu>"
           "<a href=/>Home</a></div><article><h1>The talks</h1><p>" +
           shown +
           "</p><a href=/subscribe>Subscribe to read the full article</a></article></body></html>";
  };
  // Plain text: one paragraph per line.
  Lines l = Classify(page(kP1 + "\\n" + kP2 + "\\n" + kP3, "A short teaser of the talks."));
  CHECK(l.decider(kP2).substr(0, 4) == "body");
  CHECK(l.decider(kP3).substr(0, 4) == "body");
  // Escaped HTML.
  l = Classify(page("&lt;p&gt;" + kP1 + "&lt;/p&gt;&lt;p class=&quot;x&quot;&gt;" + kP2 +
                        "&lt;/p&gt;&lt;p&gt;" + kP3 + "&lt;/p&gt;",
                    "A short teaser."));
  CHECK(l.decider(kP2).substr(0, 4) == "body");
  // A page that shows its article does not render the articleBody again.
  l = Classify(page(kP1, kP1));
  size_t n = 0;
  for (const auto& [text, cls] : l.items) n += text == kP1;
  CHECK(n == 1);
}

TEST_CASE("dom: the captions of a gallery are its text", "[html][dom]") {
  std::string slides;
  const std::string texts[] = {kP1, kP2, kP3};
  for (int i = 0; i < 3; ++i)
    slides += "<figure><img src=a.jpg><figcaption class=slide-caption><p>Look " +
              std::to_string(i + 1) + ": " + texts[i] + "</p></figcaption></figure>";
  Lines l = Classify(
      "<body><div class=menu><a href=/a>Home</a></div><article><h1>Ten looks</h1>"
      "<p>" +
      kP1 + "</p>" + slides + "</article></body>");
  CHECK(l.decider("Look 2: " + kP2).substr(0, 4) == "body");
  CHECK(l.decider("Look 3: " + kP3).substr(0, 4) == "body");
  // One caption in an article stays a caption.
  l = Classify("<body><article><p>" + kP1 + "</p><p>" + kP2 + "</p><p>" + kP3 +
               "</p><figure><img src=a.jpg><figcaption>The minister, on Monday.</figcaption>"
               "</figure><p>" +
               kP1 + " Again.</p></article></body>");
  CHECK(l.decider("The minister, on Monday.") == "caption dom.figcaption");
}

TEST_CASE("dom: number-only cells of a table in the main element are body", "[html][dom]") {
  Lines l = Classify("<body><div class=menu><a href=/a>Home</a></div><article><p>" + kP1 +
                     "</p><table><tr><th>Region</th><th>2023</th></tr><tr><td>North</td>"
                     "<td>286,35</td></tr><tr><td>South</td><td>1.204</td></tr></table><p>" +
                     kP2 + "</p></article><div class=footer><span>2024</span></div></body>");
  CHECK(l.decider("286,35") == "body dom.in-main");
  CHECK(l.decider("1.204") == "body dom.in-main");
  CHECK(l.decider("2024").substr(0, 4) != "body");  // outside the main element
}

TEST_CASE("dom: the <h1> that is the metadata title is the title", "[html][dom]") {
  // Between a bar of section links and a byline, the text heuristics take
  // the heading for one more headline of a run.
  auto page = [](const std::string& og_title) {
    return "<head><meta property=og:title content='" + og_title +
           "'></head><body><div class=top><a href=/>Portal</a> <a href=/w>World</a> "
           "<a href=/p>Politics</a> <a href=/b>Business</a></div><div><h1>Ministers meet "
           "again as ties sour</h1><div class=byline>By Staff writer</div><p>" +
           std::string(kP1) + "</p><p>" + kP2 + "</p></div></body>";
  };
  Lines l = Classify(page("Ministers meet again as ties sour"));
  CHECK(l.decider("Ministers meet again as ties sour") == "title dom.title");
  // An <h1> that is not the metadata title keeps the text heuristics' class.
  l = Classify(page("Something else entirely"));
  CHECK(l.decider("Ministers meet again as ties sour") == "headline_list heuristic.headline-run");
}

TEST_CASE("dom: metadata from meta tags, JSON-LD, <time> and <h1>", "[html][dom]") {
  nlohmann::json rep;
  Classify(
      "<html><head><title>Site | Page</title>"
      "<meta property='og:site_name' content='The Site'>"
      "<link rel=canonical href='https://www.example.org/news/1'>"
      "<script type='application/ld+json'>{\"@type\":\"NewsArticle\",\"datePublished\":"
      "\"2024-03-05T10:00:00Z\",\"author\":{\"@type\":\"Person\",\"name\":\"Ana Li\"}}"
      "</script></head><body><h1>The headline</h1><p>" +
          kP1 + "</p></body></html>",
      &rep);
  CHECK(rep["date"] == "2024-03-05");
  const auto& m = rep["html"]["metadata"];
  CHECK(m["title"] == "The headline");
  CHECK(m["author"] == "Ana Li");
  CHECK(m["canonical_url"] == "https://www.example.org/news/1");
  CHECK(m["site_name"] == "The Site");
  CHECK(m["domain"] == "example.org");
  CHECK(rep["html"]["charset"]["name"] == "utf-8");
}

TEST_CASE("invariants: every dataset HTML page conserves its lines, deterministically",
          "[invariants][dataset][html]") {
  fs::path dir = fs::path(CLEAN_SHARED_DIR) / "datasets" / "trafilatura-eval" / "html";
  std::vector<fs::path> pages;
  std::error_code ec;
  for (auto& e : fs::directory_iterator(dir, ec))
    if (e.path().string().size() > 8 &&
        e.path().string().substr(e.path().string().size() - 8) == ".html.gz")
      pages.push_back(e.path());
  if (pages.empty()) {
    WARN("no HTML dataset at " << dir << ": skipped");
    return;
  }
  std::sort(pages.begin(), pages.end());
  const RuleSet& rules = clean::testing::ProjectRules();
  Cleaner a(rules, Options(), nullptr), b(rules, Options(), nullptr);
  a.set_input_format(InputFormat::kHtml);
  b.set_input_format(InputFormat::kHtml);
  KeepSet keep;
  size_t kept = 0;
  for (const auto& p : pages) {
    std::string html;
    FILE* f = popen(("gzip -dc '" + p.string() + "'").c_str(), "r");
    REQUIRE(f);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) html.append(buf, n);
    pclose(f);
    std::string name = p.filename().string(), err, t1, r1, t2, r2;
    CleanResult x, y;
    REQUIRE(a.Clean(name, html, &x, &err));
    WriteCleanText(x, keep, &t1);
    WriteReport(x, keep, &r1);
    clean::testing::CheckConservation(name, *x.page, t1, r1);
    kept += !t1.empty();
    REQUIRE(b.Clean(name, html, &y, &err));
    WriteCleanText(y, keep, &t2);
    WriteReport(y, keep, &r2);
    REQUIRE(t1 == t2);
    REQUIRE(r1 == r2);
  }
  CHECK(kept > pages.size() * 9 / 10);
}

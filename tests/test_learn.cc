// `clean learn`: a synthetic corpus of invented sites (each with its own
// menu, dated byline, teasers and footer around distinct article text)
// must give back every template line and no article line; the written
// files load, pass their own expectations and are the same bytes on a
// rerun; bad input gives messages, not crashes.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <random>
#include <regex>
#include <set>

#include "cleaner/learn/learn_vocab.h"
#include "cleaner/learn/learner.h"
#include "cleaner/learn/line_key.h"
#include "cleaner/learn/rule_writer.h"
#include "cleaner/match/regex.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace clean;
using namespace clean::testing;

namespace {

const char* const kWords[] = {
    "river",  "council", "budget", "school", "harbor",  "mayor",   "winter", "festival",
    "museum", "railway", "bridge", "doctor", "farmer",  "court",   "storm",  "market",
    "garden", "tunnel",  "planet", "singer", "island",  "factory", "valley", "orchard",
    "canal",  "meadow",  "beacon", "quarry", "lantern", "pioneer", "summit", "harvest"};
const char* const kStop[] = {"the", "of",  "and", "to",   "in", "a",  "that", "is",
                             "was", "for", "on",  "with", "as", "by", "at",   "from"};
const char* const kMonths[] = {"January", "February", "March", "April", "May", "June"};

struct SynPage {
  std::string url, text;
};

struct Site {
  std::string domain;
  std::vector<std::string> templates;  // one text of each template line
  std::vector<std::string> articles;   // every article line of every page
  std::vector<SynPage> pages;
  // A site with a block: a fixed opener, changing teasers, a fixed closer.
  std::string opener, closer;
  std::vector<std::string> block;  // every teaser of every page
};

std::string Cap(std::string s) {
  s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

// Site s of the corpus, `pages` pages; the same arguments give the same site.
// `block`: below the comments count, a "Most read" header, two to five
// teasers that change from page to page, and a fixed closing link.
Site MakeSite(int s, int pages, bool block = false) {
  std::mt19937 rng(1000 + s), block_rng(5000 + s);
  auto word = [&] { return std::string(kWords[rng() % std::size(kWords)]); };
  Site site;
  const std::string name = Cap(word()) + " " + Cap(word()) + " " + std::to_string(s);
  site.domain = "site" + std::to_string(s) + "-news.test";
  std::vector<std::string> menu = {name + " Home"};
  for (int i = 0; i < 5; ++i) menu.push_back(Cap(word()) + " " + std::to_string(s * 10 + i));
  std::vector<std::string> teasers = {"More from " + name};
  for (int i = 0; i < 3; ++i)
    teasers.push_back(Cap(word()) + " " + word() + " plans for the " + word() + " near " + name);
  std::vector<std::string> footer = {"© 2008 " + name + " Media. All rights reserved.",
                                     "About " + name, "Contact the " + name + " newsroom"};
  if (block) {
    site.opener = "Most read on " + name;
    site.closer = "See all the most read stories of " + name;
  }
  for (int p = 0; p < pages; ++p) {
    std::string byline = "Posted by " + name + " staff / " + kMonths[(p + s) % 6] + " " +
                         std::to_string(1 + p % 28) + ", 2008";
    std::string comments = std::to_string(3 + (p * 7 + s) % 40) + " comments";
    std::vector<std::string> lines = menu;
    lines.push_back(Cap(word()) + " " + word() + " story " + std::to_string(p) + " of " + name);
    site.articles.push_back(lines.back());
    lines.push_back(byline);
    const int paragraphs = 3 + static_cast<int>(rng() % 4);
    for (int k = 0; k < paragraphs; ++k) {
      std::string para;
      for (int sentence = 0; sentence < 3; ++sentence) {
        std::string sen;
        const int n = 12 + static_cast<int>(rng() % 12);
        for (int w = 0; w < n; ++w) {
          if (w) sen += ' ';
          sen += rng() % 5 < 2 ? std::string(kStop[rng() % std::size(kStop)]) : word();
        }
        para += (sentence ? " " : "") + Cap(sen) + ".";
      }
      lines.push_back(para);
      site.articles.push_back(para);
    }
    lines.push_back(comments);
    if (block) {
      lines.push_back(site.opener);
      const int n = 2 + static_cast<int>(block_rng() % 4);
      for (int t = 0; t < n; ++t) {
        std::string teaser = Cap(kWords[block_rng() % std::size(kWords)]);
        for (int w = 0; w < 4; ++w)
          teaser += std::string(" ") + kWords[block_rng() % std::size(kWords)];
        lines.push_back(teaser + " " + std::to_string(p * 10 + t));
        site.block.push_back(lines.back());
      }
      lines.push_back(site.closer);
    }
    for (const auto& t : teasers) lines.push_back(t);
    for (const auto& f : footer) lines.push_back(f);
    std::string text;
    for (const auto& l : lines) text += l + "\n";
    site.pages.push_back({"https://www." + site.domain + "/story/" + std::to_string(p), text});
    if (p == 0) {
      site.templates = menu;
      site.templates.push_back(byline);
      site.templates.push_back(comments);
      site.templates.insert(site.templates.end(), teasers.begin(), teasers.end());
      site.templates.insert(site.templates.end(), footer.begin(), footer.end());
      if (block) {
        site.templates.push_back(site.opener);
        site.templates.push_back(site.closer);
      }
    }
  }
  return site;
}

std::string Jsonl(const std::vector<Site>& sites) {
  std::string out;
  for (const Site& s : sites)
    for (const SynPage& p : s.pages)
      out += nlohmann::json{{"url", p.url}, {"text", p.text}}.dump() + "\n";
  return out;
}

const LearnVocabulary& Vocab() {
  static LearnVocabulary v = [] {
    LearnVocabulary x;
    Diagnostics d;
    x.Load(std::string(CLEAN_RULES_DIR) + "/learn/vocabulary.txt", "vocabulary.txt", &d);
    REQUIRE(!d.HasErrors());
    return x;
  }();
  return v;
}

std::string Key(const std::string& line) {
  std::string k;
  MakeLineKey(line, Vocab().date_words(), &k);
  return k;
}

std::map<std::string, std::string> ReadDir(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::directory_iterator(dir))
    files[e.path().filename().string()] = ReadFile(e.path().string());
  return files;
}

}  // namespace

TEST_CASE("learn: line keys are the same up to digits and dates", "[learn]") {
  CHECK(Key("© 2024 Foo") == Key("© 2025 Foo"));
  CHECK(Key("12 comments") == Key("3 comments"));
  CHECK(Key("Posted March 3, 2008") == Key("Posted Jan 12, 2009"));
  CHECK(Key("Posted March 3, 2008") != Key("Posted Marching 3, 2008"));
  CHECK(Key("Home") != Key("Hom"));
  std::string k;
  CHECK_FALSE(MakeLineKey("", Vocab().date_words(), &k));
  CHECK_FALSE(MakeLineKey(std::string("a\x01z"), Vocab().date_words(), &k));
  // The regex of a key matches its lines and nothing with another key.
  std::string err;
  size_t off = 0;
  auto re = Regex::Compile(
      KeyRegex(Key("Posted March 3, 2008 (a/b) [x] $5."), Vocab().date_words()), false, &err, &off);
  REQUIRE(re);
  MatchScratch scratch(1000000, 20000);
  auto matches = [&](std::string_view line) {
    size_t b = 0, e = 0;
    return re->Find(scratch, line, 0, &b, &e) == Regex::Result::kMatch;
  };
  CHECK(matches("Posted Jan 12, 2009 (a/b) [x] $17."));
  CHECK_FALSE(matches("Posted Mayor 12, 2009 (a/b) [x] $17."));
  CHECK_FALSE(matches("Posted Jan 12, 2009 (a/b) [x] $17. more"));
}

TEST_CASE("learn: a host's source is its registered domain", "[learn]") {
  CHECK(Vocab().RegisteredDomain("news.bbc.co.uk") == "bbc.co.uk");
  CHECK(Vocab().RegisteredDomain("WWW.Reuters.com.") == "reuters.com");
  CHECK(Vocab().RegisteredDomain("www.smh.com.au") == "smh.com.au");
  CHECK(Vocab().RegisteredDomain("localhost") == "localhost");
  CHECK(Vocab().RegisteredDomain("10.0.0.1") == "10.0.0.1");
  CHECK(LearnedSourceName("a b/c.d") == "a_b_c.d");
}

TEST_CASE("learn: a synthetic corpus gives back every template line, no article line", "[learn]") {
  std::vector<Site> sites;
  for (int s = 0; s < 8; ++s) sites.push_back(MakeSite(s, 12, s >= 6));
  LearnOptions o;
  Learner learner(ProjectRules(), Vocab(), o);
  std::string err;
  for (const Site& s : sites)
    for (const SynPage& p : s.pages)
      REQUIRE(learner.AddPage(p.url, p.text, InputFormat::kText, p.url, "", &err));
  const std::vector<LearnedSource> learned = learner.Finish();
  REQUIRE(learned.size() == sites.size());
  for (const Site& site : sites) {
    auto it = std::find_if(learned.begin(), learned.end(),
                           [&](const LearnedSource& l) { return l.name == site.domain; });
    REQUIRE(it != learned.end());
    INFO(site.domain);
    REQUIRE(it->outcome == LearnedSource::Outcome::kRules);
    std::set<std::string> active, all;
    for (const LearnedLine& l : it->lines) {
      all.insert(l.key);
      if (!l.commented) active.insert(l.key);
    }
    for (const std::string& t : site.templates) {
      INFO("template line: " << t);
      CHECK(active.count(Key(t)));
    }
    for (const std::string& a : site.articles) {
      INFO("article line: " << a);
      CHECK_FALSE(all.count(Key(a)));
    }
    std::set<std::string> template_keys;
    for (const std::string& t : site.templates) template_keys.insert(Key(t));
    CHECK(it->lines.size() == template_keys.size());
    // Classes: the menu is above the article, the teasers a run below it,
    // the copyright line meta by the vocabulary.
    for (const LearnedLine& l : it->lines) {
      INFO(l.text);
      if (l.text == site.templates[0]) CHECK(l.cls == LineClass::kNavigation);
      if (l.text.starts_with("©")) CHECK(l.cls == LineClass::kMeta);
      if (l.text.find(" plans for the ") != std::string::npos)
        CHECK(l.cls == LineClass::kHeadlineList);
    }
    // The block is a section from its opener to its closer, and no section
    // (the block sites' only one, none elsewhere) holds an article line on
    // any page: the lines after its opener, up to its closer.
    CHECK(it->sections.size() == (site.opener.empty() ? 0u : 1u));
    for (const LearnedSection& sec : it->sections) {
      const LearnedLine& opener = it->lines[sec.opener];
      const LearnedLine& closer = it->lines[sec.closer];
      CHECK(opener.text == site.opener);
      CHECK(closer.text == site.closer);
      CHECK(sec.cls == LineClass::kHeadlineList);
      CHECK(sec.pages >= 4);
      CHECK(std::count(site.block.begin(), site.block.end(), sec.example) == 1);
      const std::set<std::string> articles(site.articles.begin(), site.articles.end());
      for (const SynPage& p : site.pages) {
        bool inside = false;
        for (const std::string& line : SplitLines(p.text)) {
          if (inside && Key(line) == closer.key) inside = false;
          if (inside) {
            INFO("inside the section: " << line);
            CHECK_FALSE(articles.count(line));
          }
          if (Key(line) == opener.key) inside = true;
        }
      }
    }
  }
}

TEST_CASE("learn: lines a section of the shipped rules decides are left to it", "[learn]") {
  // "Related Stories" opens the generic gen.more-stories section on every
  // page: a learned line rule would decide it first and keep the section
  // from opening, so it is written commented out, with the reason.
  Site site = MakeSite(40, 8);
  for (SynPage& p : site.pages) {
    const size_t at = p.text.find("More from ");
    REQUIRE(at != std::string::npos);
    p.text.insert(at, "Related Stories\nHarbor council backs the new bridge plan\n");
  }
  Learner learner(ProjectRules(), Vocab(), LearnOptions());
  std::string err;
  for (const SynPage& p : site.pages)
    REQUIRE(learner.AddPage(p.url, p.text, InputFormat::kText, p.url, "", &err));
  const auto learned = learner.Finish();
  REQUIRE(learned.size() == 1);
  const LearnedSource& src = learned[0];
  auto it = std::find_if(src.lines.begin(), src.lines.end(),
                         [](const LearnedLine& l) { return l.text == "Related Stories"; });
  REQUIRE(it != src.lines.end());
  CHECK(it->commented);
  CHECK(it->shipped == 8);
  const std::string file = WriteLearnedRules(src, LearnOptions(), "corpus");
  CHECK(file.find("# in a section of the shipped rules on 8 of its 8 pages:\n# line learned.") !=
        std::string::npos);
  // The menu above the article is still learned.
  for (const LearnedLine& l : src.lines)
    if (l.text == site.templates[0]) CHECK_FALSE(l.commented);
}

TEST_CASE("learn: written files load, pass their expectations, rerun byte-identical",
          "[learn][cli]") {
  std::vector<Site> sites;
  for (int s = 10; s < 14; ++s) sites.push_back(MakeSite(s, 10, s >= 12));
  const std::string dir = TempDir();
  const std::string corpus = WriteIn(dir, "corpus.jsonl", Jsonl(sites));
  const std::string a = dir + "/a", b = dir + "/b";
  RunResult r = RunClean({"learn", "-q", "-j", "1", "-o", a, corpus});
  REQUIRE_EXIT(r, 0);
  REQUIRE_EXIT(RunClean({"learn", "-q", "-o", b, corpus}), 0);
  const auto files = ReadDir(a);
  REQUIRE(files.size() == sites.size());
  CHECK(files == ReadDir(b));
  // Any number of jobs gives the same files and messages, also over more
  // pages than one batch of 3 jobs (a site of 250 pages, a line cap that
  // prunes it, bad records among them).
  {
    std::vector<Site> more = sites;
    more.push_back(MakeSite(30, 250, true));
    std::string jsonl = Jsonl(more);
    jsonl.insert(jsonl.find('\n', jsonl.size() / 2) + 1, "{\"url\": \"http://a.test/\"\n");
    jsonl += "{\"text\": \"no url\"}\n";
    const std::string big = WriteIn(dir, "big.jsonl", jsonl);
    RunResult j1 = RunClean({"learn", "-j", "1", "--max-lines", "64", "-o", dir + "/j1", big});
    RunResult j3 = RunClean({"learn", "-j", "3", "--max-lines", "64", "-o", dir + "/j3", big});
    REQUIRE_EXIT(j1, 1);
    REQUIRE_EXIT(j3, 1);
    CHECK(j1.err.find("bad JSON") < j1.err.find("no URL"));
    CHECK(j1.err.find("292 pages (2 not used)") != std::string::npos);
    CHECK(j1.err == std::regex_replace(j3.err, std::regex("/j3"), "/j1"));
    const auto j1_files = ReadDir(dir + "/j1");
    CHECK(j1_files.size() == more.size());
    CHECK(j1_files == ReadDir(dir + "/j3"));
    REQUIRE_EXIT(RunClean({"learn", "-j", "0", "-o", dir + "/j0", big}), 2);
  }
  for (const Site& s : sites) {
    INFO(s.domain);
    REQUIRE(files.count(s.domain + ".rules"));
    const std::string& text = files.at(s.domain + ".rules");
    CHECK(text.find("source " + s.domain + "\n") != std::string::npos);
    CHECK(text.find("domain " + s.domain + "\n") != std::string::npos);
    CHECK(text.find("line learned." + s.domain + ".1 ") != std::string::npos);
    CHECK(text.find("# thresholds: --min-pages 5 --min-share 0.3") != std::string::npos);
    CHECK((text.find("\nsection learned." + s.domain) != std::string::npos) == !s.opener.empty());
  }
  r = RunClean({"--rules-extra", a, "--check-rules"});
  REQUIRE_EXIT(r, 0);
  CHECK(r.out.find("expectation(s) passed") != std::string::npos);

  // Cleaned with them, no template line nor block teaser is left and every
  // paragraph stays.
  r = RunClean({"--jsonl", "-q", "--url-field", "url", "--rules-extra", a, corpus});
  REQUIRE_EXIT(r, 0);
  std::set<std::string> templates, paragraphs;
  for (const Site& s : sites) {
    for (const auto& t : s.templates) templates.insert(Key(t));
    for (const auto& t : s.block) templates.insert(Key(t));
    for (const auto& p : s.articles)
      if (p.ends_with(".")) paragraphs.insert(p);
  }
  size_t kept = 0;
  for (const std::string& line : SplitLines(r.out)) {
    const std::string text = nlohmann::json::parse(line)["text"].get<std::string>();
    for (const std::string& l : SplitLines(text)) {
      INFO(l);
      CHECK_FALSE(templates.count(Key(l)));
      kept += paragraphs.count(l);
    }
  }
  CHECK(kept == paragraphs.size());
}

TEST_CASE("learn: bad input gives messages, never a crash", "[learn][cli]") {
  const std::string dir = TempDir();
  SECTION("records without a URL, bad JSON, no text") {
    const std::string in = WriteIn(dir, "x.jsonl",
                                   "{\"text\": \"Home\\nSome text.\"}\n"
                                   "{\"url\": 17, \"text\": \"Home\"}\n"
                                   "{\"url\": \"http://a.test/1\"\n"
                                   "{\"url\": \"http://a.test/1\", \"body\": \"Home\"}\n"
                                   "\n");
    RunResult r = RunClean({"learn", "-o", dir + "/out", in});
    REQUIRE_EXIT(r, 1);
    CHECK(r.err.find("x.jsonl:1: no URL") != std::string::npos);
    CHECK(r.err.find("x.jsonl:2: no URL") != std::string::npos);
    CHECK(r.err.find("x.jsonl:3: bad JSON") != std::string::npos);
    CHECK(r.err.find("x.jsonl:4: no string field 'text'") != std::string::npos);
    CHECK(r.err.find("4 pages (4 not used)") != std::string::npos);
  }
  SECTION("text files without a URL need --source") {
    const std::string page = WriteIn(dir, "p.txt", kUpiPage);
    RunResult r = RunClean({"learn", "-o", dir + "/out", page});
    REQUIRE_EXIT(r, 1);
    CHECK(r.err.find("p.txt: no URL") != std::string::npos);
    r = RunClean({"learn", "--source", "mine", "--min-pages", "2", "-o", dir + "/out", page});
    REQUIRE_EXIT(r, 0);
    CHECK(r.err.find("1 with fewer than 2 pages") != std::string::npos);
  }
  SECTION("one-page sources get no file") {
    std::string jsonl;
    for (int i = 0; i < 3; ++i)
      jsonl += nlohmann::json{{"url", "http://s" + std::to_string(i) + ".test/"},
                              {"text", "Home\n" + kP1}}
                   .dump() +
               "\n";
    RunResult r = RunClean({"learn", "-o", dir + "/out", WriteIn(dir, "one.jsonl", jsonl)});
    REQUIRE_EXIT(r, 0);
    CHECK(r.err.find("3 sources: 0 rule files written") != std::string::npos);
    CHECK(r.err.find("3 with fewer than 5 pages") != std::string::npos);
    CHECK(fs::is_empty(dir + "/out"));
  }
  SECTION("a source whose every line repeats (a mirror of one page)") {
    std::string jsonl;
    for (int i = 0; i < 8; ++i)
      jsonl +=
          nlohmann::json{{"url", "http://mirror.test/" + std::to_string(i)}, {"text", kUpiPage}}
              .dump() +
          "\n";
    RunResult r = RunClean({"learn", "-o", dir + "/out", WriteIn(dir, "m.jsonl", jsonl)});
    REQUIRE_EXIT(r, 0);
    CHECK(r.err.find("mirror.test: recurring lines make 100% of its 8 pages' lines") !=
          std::string::npos);
    CHECK_FALSE(fs::exists(dir + "/out/mirror.test.rules"));
  }
  SECTION("usage errors") {
    REQUIRE_EXIT(RunClean({"learn", dir}), 2);
    REQUIRE_EXIT(RunClean({"learn", "-o", dir + "/out"}), 2);
    REQUIRE_EXIT(RunClean({"learn", "--min-share", "2", "-o", dir + "/out", dir}), 2);
    RunResult r = RunClean({"learn", "--help"});
    REQUIRE_EXIT(r, 0);
    CHECK(r.out.find("usage: clean learn") != std::string::npos);
  }
}

TEST_CASE("learn: a huge corpus of one site stays within the line cap", "[learn]") {
  const Site site = MakeSite(20, 1500);
  LearnOptions o;
  o.max_lines_per_source = 256;
  Learner learner(ProjectRules(), Vocab(), o);
  std::string err;
  size_t peak = 0;
  for (const SynPage& p : site.pages) {
    REQUIRE(learner.AddPage(p.url, p.text, InputFormat::kText, p.url, "", &err));
    peak = std::max(peak, learner.lines_held());
  }
  CHECK(peak <= o.max_lines_per_source);
  const auto learned = learner.Finish();
  REQUIRE(learned.size() == 1);
  std::set<std::string> keys;
  for (const LearnedLine& l : learned[0].lines)
    if (!l.commented) keys.insert(l.key);
  for (const std::string& t : site.templates) {
    INFO(t);
    CHECK(keys.count(Key(t)));
  }
  std::set<std::string> template_keys;
  for (const std::string& t : site.templates) template_keys.insert(Key(t));
  CHECK(keys == template_keys);
}

TEST_CASE("learn: a shipped source file wins over a learned one of the same source",
          "[learn][cli]") {
  const std::string extra = TempDir();
  WriteIn(extra, "upi.rules", "source upi\nline learned.upi.1 body \"Share with X\"\n");
  WriteIn(extra, "other.test.rules",
          "source other.test\ndomain other.test\nline learned.other.test.1 ad \"Home\"\n"
          "expect ad \"Home\"\n");
  const std::string page = WriteIn(TempDir(), "upi.txt", kUpiPage);
  RunResult with = RunClean({"--rules-extra", extra, page});
  RunResult without = RunClean({page});
  REQUIRE_EXIT(with, 0);
  CHECK(with.out == without.out);
  CHECK(with.err.find("source 'upi' is also in rules/upi.rules, which wins") != std::string::npos);
  RunResult check = RunClean({"--rules-extra", extra, "--check-rules"});
  REQUIRE_EXIT(check, 0);
  RunResult list = RunClean({"--rules-extra", extra, "--list-sources"});
  CHECK(list.out.find("other.test") != std::string::npos);
  REQUIRE_EXIT(RunClean({"--rules-extra", extra + "/none", page}), 2);
}

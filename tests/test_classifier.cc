// The classifier's precedence, through Cleaner: source rules, then generic
// rules (sections and line rules), then heuristics, then context; plus the
// date header, source detection, regex limits and determinism.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "cleaner/base/avx2_dispatch.h"
#include "cleaner/cleaner.h"
#include "cleaner/base/heuristics.h"
#include "tests/test_support.h"

namespace fs = std::filesystem;
using namespace clean;
using clean::testing::LoadRules;
using clean::testing::ProjectRules;
using clean::testing::ReadFile;
using clean::testing::TempDir;
using clean::testing::WriteFile;

using clean::testing::kP1;
using clean::testing::kP2;
using clean::testing::kP3;
using clean::testing::kP4;

namespace {

// A copy of one page's outcome (CleanResult only views the Cleaner's buffers).
struct Outcome {
  const RuleSet* rules = nullptr;
  std::vector<std::string> lines;
  std::vector<Decision> decisions;
  std::string source;  // "" for generic
  std::string detected_by;
  std::string language;

  size_t Find(const std::string& text) const {
    for (size_t i = 0; i < lines.size(); ++i)
      if (lines[i] == text) return i;
    FAIL("no line '" << text << "' in the page");
    return 0;
  }
  std::string Class(const std::string& text) const {
    return std::string(ClassName(decisions[Find(text)].cls));
  }
  const Decider& Who(const std::string& text) const {
    return rules->deciders()[decisions[Find(text)].decider];
  }
  std::string Id(const std::string& text) const { return Who(text).id; }
};

Outcome Run(Cleaner& cleaner, const std::string& text) {
  CleanResult r;
  std::string error;
  REQUIRE(cleaner.Clean("page.txt", text, &r, &error));
  Outcome o;
  o.rules = &cleaner.rules();
  for (size_t i = 0; i < r.page->lines.size(); ++i) o.lines.emplace_back(r.page->line(i));
  o.decisions = r.decisions();
  REQUIRE(o.decisions.size() == o.lines.size());
  o.source = r.source ? r.source->name : "";
  o.detected_by = std::string(r.detected_by);
  o.language = std::string(r.language);
  return o;
}

Outcome Run(const RuleSet& rs, const std::string& text, const Source* source = nullptr,
            bool detect = true) {
  Cleaner cleaner(rs, Options(), source, detect);
  return Run(cleaner, text);
}

std::string Join(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

bool SameDecisions(const std::vector<Decision>& a, const std::vector<Decision>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].cls != b[i].cls || a[i].decider != b[i].decider || a[i].blank != b[i].blank ||
        a[i].regex_limit != b[i].regex_limit)
      return false;
  return true;
}

}  // namespace

TEST_CASE("classifier: a source rule beats a generic rule for the same line", "[classifier]") {
  auto rs = LoadRules(
      "line g.share navigation \"Share this\"\n"
      "line g.promo navigation /^Promo code/\n",
      "src.rules",
      "source src\n"
      "line s.share ad \"Share this\"\n"
      "line s.promo caption /^Promo/\n");
  const Source* src = rs->FindSource("src");
  REQUIRE(src != nullptr);
  std::string page = Join({kP1, "Share this", kP2, "Promo code SAVE10", kP3});

  Outcome with = Run(*rs, page, src);
  CHECK(with.source == "src");
  CHECK(with.detected_by == "option");
  CHECK(with.Class("Share this") == "ad");
  CHECK(with.Id("Share this") == "s.share");
  CHECK(with.Who("Share this").kind == Decider::Kind::kSourceRule);
  CHECK(with.Class("Promo code SAVE10") == "caption");
  CHECK(with.Id("Promo code SAVE10") == "s.promo");

  // Without the source, the generic rules decide.
  Outcome without = Run(*rs, page, nullptr, /*detect=*/false);
  CHECK(without.source.empty());
  CHECK(without.detected_by == "none");
  CHECK(without.Class("Share this") == "navigation");
  CHECK(without.Id("Share this") == "g.share");
  CHECK(without.Who("Share this").kind == Decider::Kind::kGenericRule);
  CHECK(without.Id("Promo code SAVE10") == "g.promo");

  // Prose around them is body either way.
  for (const auto* o : {&with, &without}) {
    CHECK(o->Class(kP1) == "body");
    CHECK(o->Class(kP3) == "body");
  }
}

TEST_CASE("classifier: the first matching rule of a layer wins", "[classifier]") {
  auto rs = LoadRules(
      "line g.first meta /^Posted/\n"
      "line g.second ad \"Posted by admin\"\n",
      "", "");
  Outcome o = Run(*rs, Join({kP1, "Posted by admin", kP2}), nullptr, false);
  CHECK(o.Id("Posted by admin") == "g.first");
  CHECK(o.Class("Posted by admin") == "meta");
}

TEST_CASE("classifier: a section with start includes its header, after excludes it",
          "[classifier]") {
  auto rs = LoadRules("", "src.rules",
                      "section s.start headline_list start \"More stories\" end blank\n"
                      "section s.after headline_list after \"Related\" end blank\n");
  const Source* src = rs->FindSource("src");
  std::string page = Join({kP1, "More stories", "Markets rally as inflation cools in spring",
                           "New bridge opens to traffic in the north", "", kP2, "Related",
                           "Farmers protest against new grain quotas",
                           "Storm leaves thousands without power", "", kP3});
  Outcome o = Run(*rs, page, src);
  // start: the header and the lines below it, up to the blank line.
  CHECK(o.Id("More stories") == "s.start");
  CHECK(o.Class("More stories") == "headline_list");
  CHECK(o.Id("Markets rally as inflation cools in spring") == "s.start");
  CHECK(o.Id("New bridge opens to traffic in the north") == "s.start");
  CHECK(o.Class("New bridge opens to traffic in the north") == "headline_list");
  // after: only the lines below the header.
  CHECK(o.Id("Related") != "s.after");
  CHECK(o.Who("Related").kind != Decider::Kind::kSourceRule);
  CHECK(o.Id("Farmers protest against new grain quotas") == "s.after");
  CHECK(o.Id("Storm leaves thousands without power") == "s.after");
  CHECK(o.Class("Storm leaves thousands without power") == "headline_list");
  // The sections ended at the blank lines.
  CHECK(o.Class(kP2) == "body");
  CHECK(o.Class(kP3) == "body");
}

TEST_CASE("classifier: end blank closes the section at the first blank line", "[classifier]") {
  auto rs = LoadRules("", "src.rules", "section s.list navigation start \"Sections\" end blank\n");
  std::string page = Join({kP1, kP2, "Sections", "World", "Business", "", "Sport", kP3, kP4});
  Outcome o = Run(*rs, page, rs->FindSource("src"));
  CHECK(o.Id("Sections") == "s.list");
  CHECK(o.Id("World") == "s.list");
  CHECK(o.Id("Business") == "s.list");
  CHECK(o.decisions[o.Find("")].blank);
  // After the blank line, the section no longer decides.
  CHECK(o.Id("Sport") != "s.list");
  CHECK(o.Who("Sport").kind != Decider::Kind::kSourceRule);
}

TEST_CASE("classifier: end body closes the section at the first prose line", "[classifier]") {
  auto rs =
      LoadRules("", "src.rules", "section s.latest headline_list start \"Latest\" end body\n");
  std::string page =
      Join({kP1, "Latest", "Markets rally as inflation cools", "", "New bridge opens to traffic",
            "Short label", kP2, "Another short label", kP3});
  Outcome o = Run(*rs, page, rs->FindSource("src"));
  CHECK(o.Id("Latest") == "s.latest");
  CHECK(o.Id("Markets rally as inflation cools") == "s.latest");
  // A blank line does not end it...
  CHECK(o.Id("New bridge opens to traffic") == "s.latest");
  CHECK(o.Id("Short label") == "s.latest");
  // ...the first prose line does, and is not part of it.
  CHECK(o.Class(kP2) == "body");
  CHECK(o.Id(kP2) != "s.latest");
  CHECK(o.Id("Another short label") != "s.latest");
  CHECK(o.Class(kP3) == "body");
}

TEST_CASE("classifier: end eof runs to the end of the page", "[classifier]") {
  auto rs = LoadRules("", "src.rules", "section s.footer navigation start \"Footer\" end eof\n");
  std::string page = Join({kP1, kP2, "Footer", "About", "", kP3, "", "Contact", kP4});
  Outcome o = Run(*rs, page, rs->FindSource("src"));
  CHECK(o.Class(kP1) == "body");
  CHECK(o.Class(kP2) == "body");
  for (const std::string& l :
       {std::string("Footer"), std::string("About"), kP3, std::string("Contact"), kP4}) {
    INFO(l);
    CHECK(o.Id(l) == "s.footer");
    CHECK(o.Class(l) == "navigation");
  }
}

TEST_CASE("classifier: end with a matcher excludes the end line", "[classifier]") {
  auto rs =
      LoadRules("", "src.rules",
                "section s.box headline_list start \"Begin list\" end \"End list\" end /^Stop/\n");
  std::string page = Join({kP1, "Begin list", "First teaser headline here", kP2, "End list",
                           "Begin list", "Second teaser", "Stop here", kP3});
  Outcome o = Run(*rs, page, rs->FindSource("src"));
  CHECK(o.Id("First teaser headline here") == "s.box");
  CHECK(o.Id(kP2) == "s.box");  // prose does not end it: only the listed ends do
  CHECK(o.Id("End list") != "s.box");
  CHECK(o.Id("Second teaser") == "s.box");
  CHECK(o.Id("Stop here") != "s.box");
  CHECK(o.Id(kP3) != "s.box");
}

TEST_CASE("classifier: line rules inside an open section win over the section", "[classifier]") {
  SECTION("in the source layer") {
    auto rs = LoadRules("", "src.rules",
                        "section s.footer navigation start \"Footer\" end eof\n"
                        "line s.ad ad \"Advertisement\"\n");
    Outcome o = Run(*rs, Join({kP1, kP2, "Footer", "About us", "Advertisement", "Contact"}),
                    rs->FindSource("src"));
    CHECK(o.Id("About us") == "s.footer");
    CHECK(o.Id("Advertisement") == "s.ad");
    CHECK(o.Class("Advertisement") == "ad");
    CHECK(o.Id("Contact") == "s.footer");  // the section is still open after it
  }
  SECTION("in the generic layer") {
    auto rs = LoadRules(
        "section g.more headline_list start \"Read more below\" end eof\n"
        "line g.cap caption /^Photo: /\n",
        "", "");
    Outcome o = Run(*rs,
                    Join({kP1, kP2, "Read more below", "A teaser headline",
                          "Photo: Someone Somewhere", "Another teaser headline"}),
                    nullptr, false);
    CHECK(o.Id("A teaser headline") == "g.more");
    CHECK(o.Id("Photo: Someone Somewhere") == "g.cap");
    CHECK(o.Class("Photo: Someone Somewhere") == "caption");
    CHECK(o.Id("Another teaser headline") == "g.more");
  }
  SECTION("a source line rule inside a generic section") {
    auto rs = LoadRules("section g.more headline_list start \"Read more below\" end eof\n",
                        "src.rules", "line s.cap caption /^Photo: /\n");
    Outcome o = Run(
        *rs, Join({kP1, kP2, "Read more below", "A teaser headline", "Photo: Someone Somewhere"}),
        rs->FindSource("src"));
    CHECK(o.Id("A teaser headline") == "g.more");
    CHECK(o.Id("Photo: Someone Somewhere") == "s.cap");
  }
}

TEST_CASE("classifier: a start header matched by a line rule still opens its section",
          "[classifier]") {
  auto rs = LoadRules("", "src.rules",
                      "line s.label navigation \"Trending\"\n"
                      "section s.trend headline_list start \"Trending\" end eof\n");
  Outcome o = Run(*rs, Join({kP1, kP2, "Trending", "Some teaser headline"}), rs->FindSource("src"));
  CHECK(o.Id("Trending") == "s.label");  // the earlier line rule decides the header
  CHECK(o.Id("Some teaser headline") == "s.trend");
}

TEST_CASE("classifier: the date header line is meta", "[classifier]") {
  const std::string page = Join({" date 2025-07-10 Trending", kP1, kP2, kP3});
  Outcome o = Run(ProjectRules(), page);
  REQUIRE(!o.decisions.empty());
  CHECK(std::string(ClassName(o.decisions[0].cls)) == "meta");
  const Decider& who = ProjectRules().deciders()[o.decisions[0].decider];
  CHECK(who.id == "input.date-header");
  CHECK(who.kind == Decider::Kind::kInput);
  CHECK(o.Class(kP1) == "body");

  // Not on line 2.
  Outcome late = Run(ProjectRules(), Join({kP1, " date 2025-07-10 Trending", kP2, kP3}));
  CHECK(late.Id("date 2025-07-10 Trending") != "input.date-header");
}

TEST_CASE("classifier: a short line between two prose paragraphs is body", "[classifier]") {
  Outcome o = Run(ProjectRules(), Join({kP1, "", "The road ahead", "", kP2, kP3}));
  CHECK(o.language == "en");
  CHECK(o.Class("The road ahead") == "body");
  CHECK(o.Id("The road ahead") == "context.between-body");
  CHECK(o.Who("The road ahead").kind == Decider::Kind::kContext);

  // A list item there is body as a list item.
  Outcome l = Run(ProjectRules(), Join({kP1, "- grain exports", "- fertiliser", kP2, kP3}));
  CHECK(l.Class("- grain exports") == "body");
  CHECK(l.Id("- grain exports") == "context.list-in-body");
  CHECK(l.Id("- fertiliser") == "context.list-in-body");
}

TEST_CASE("classifier: rule decisions are not revised by context", "[classifier]") {
  // "Advertisement" sits between two prose paragraphs, but a generic rule
  // decided it: it stays removed.
  Outcome o = Run(ProjectRules(), Join({kP1, "Advertisement", kP2, kP3}));
  CHECK(o.Class("Advertisement") == "ad");
  CHECK(o.Id("Advertisement") == "gen.advertisement");
  CHECK(o.Who("Advertisement").kind == Decider::Kind::kGenericRule);
}

TEST_CASE("classifier: heuristics decide lines no rule matched", "[classifier]") {
  Outcome o = Run(ProjectRules(),
                  Join({"Weather", "Markets", "* * *", kP1, kP2, kP3, "Weather", "Markets"}));
  CHECK(o.Id("* * *") == "heuristic.no-words");
  CHECK(o.Class("* * *") == "navigation");
  CHECK(o.Id("Weather") == "heuristic.repeated");
  CHECK(o.Class(kP1) == "body");
  CHECK(o.Id(kP1) == "heuristic.prose");
  // Every non-blank line has a decider that exists.
  for (const auto& d : o.decisions) CHECK(d.decider < ProjectRules().deciders().size());
}

TEST_CASE("classifier: source detection by fingerprint", "[classifier]") {
  const std::string upi_line =
      "July 10 (UPI) -- Secretary of State Marco Rubio met with Russian Foreign Minister "
      "Sergey Lavrov in Malaysia Thursday.";
  std::string page = Join({upi_line, kP1, kP2});
  Outcome detected = Run(ProjectRules(), page);
  CHECK(detected.source == "upi");
  CHECK(detected.detected_by == "fingerprint");

  Outcome off = Run(ProjectRules(), page, nullptr, /*detect=*/false);
  CHECK(off.source.empty());
  CHECK(off.detected_by == "none");

  Outcome forced = Run(ProjectRules(), page, ProjectRules().FindSource("reuters"));
  CHECK(forced.source == "reuters");
  CHECK(forced.detected_by == "option");

  Outcome plain = Run(ProjectRules(), Join({kP1, kP2}));
  CHECK(plain.source.empty());
  CHECK(plain.detected_by == "none");
}

TEST_CASE("classifier: a regex that gives up is charged to its line only", "[classifier]") {
  auto rs = LoadRules("line t.bad navigation /^(a+)+$/\n", "", "");
  std::string evil = std::string(5000, 'a') + "b";
  std::string page = Join({kP1, evil, kP2, "aaaa", kP3});
  Cleaner cleaner(*rs, Options(), nullptr, false);
  // PCRE2 alone: the Hyperscan prefilter would prove that the evil line
  // cannot match, and PCRE2 would never run on it.
  cleaner.set_prefilter(false);
  CleanResult r;
  std::string error;
  REQUIRE(cleaner.Clean("page.txt", page, &r, &error));
  const auto& ds = r.decisions();
  REQUIRE(ds.size() == 5);
  CHECK(ds[1].regex_limit);
  REQUIRE_FALSE(r.work->scan.limits.empty());
  CHECK(r.work->scan.limits[0].line == 1);
  // The lines after it are still matched.
  CHECK(rs->deciders()[ds[3].decider].id == "t.bad");
  CHECK_FALSE(ds[3].regex_limit);
  CHECK_FALSE(ds[0].regex_limit);
  CHECK(ds[0].cls == LineClass::kBody);
}

TEST_CASE("classifier: cleaning is deterministic", "[classifier]") {
  std::vector<std::string> pages;
  for (auto& e : fs::recursive_directory_iterator(CLEAN_FIXTURES_DIR))
    if (e.is_regular_file() && e.path().filename() == "input.txt")
      pages.push_back(ReadFile(e.path().string()));
  std::sort(pages.begin(), pages.end());
  pages.push_back(Join({" date 2025-07-10 Trending", "Menu", kP1, "The road ahead", kP2,
                        "Advertisement", kP3, "Menu"}));
  REQUIRE(pages.size() >= 2);

  Cleaner a(ProjectRules(), Options(), nullptr);
  Cleaner b(ProjectRules(), Options(), nullptr);
  std::vector<Outcome> first;
  for (const auto& p : pages) first.push_back(Run(a, p));
  // Again with the same cleaner, in reverse order (buffers reused from a
  // different page), and with a second cleaner.
  for (size_t k = pages.size(); k-- > 0;) {
    INFO("page #" << k);
    Outcome again = Run(a, pages[k]);
    CHECK(SameDecisions(again.decisions, first[k].decisions));
    CHECK(again.source == first[k].source);
    CHECK(again.language == first[k].language);
    Outcome other = Run(b, pages[k]);
    CHECK(SameDecisions(other.decisions, first[k].decisions));
    CHECK(other.source == first[k].source);
  }
}

TEST_CASE("classifier: a section's end line is decided normally and may open the next section",
          "[classifier]") {
  auto rs = LoadRules("", "src.rules",
                      "section s.latest headline_list start \"Latest\" end \"Trending\"\n"
                      "section s.trending navigation start \"Trending\" end eof\n");
  Outcome o =
      Run(*rs,
          Join({kP1, kP2, "Latest", "First teaser headline", "Trending", "Second teaser headline"}),
          rs->FindSource("src"));
  CHECK(o.Id("First teaser headline") == "s.latest");
  CHECK(o.Id("Trending") == "s.trending");
  CHECK(o.Class("Trending") == "navigation");
  CHECK(o.Id("Second teaser headline") == "s.trending");
}

TEST_CASE("classifier: a start header earlier in the file beats a later line rule",
          "[classifier]") {
  auto rs = LoadRules("", "src.rules",
                      "section s.trend headline_list start \"Trending\" end eof\n"
                      "line s.label navigation \"Trending\"\n");
  Outcome o = Run(*rs, Join({kP1, kP2, "Trending", "Some teaser headline"}), rs->FindSource("src"));
  CHECK(o.Id("Trending") == "s.trend");
  CHECK(o.Class("Trending") == "headline_list");
  CHECK(o.Id("Some teaser headline") == "s.trend");
}

TEST_CASE("classifier: detection picks the source with most fingerprints, ties by file name",
          "[classifier]") {
  std::string root = TempDir() + "/rules";
  fs::create_directories(root);
  fs::copy(std::string(CLEAN_RULES_DIR) + "/stopwords", root + "/stopwords",
           fs::copy_options::recursive);
  WriteFile(root + "/alpha.rules", "fingerprint alpha.fp /^Alpha Wire$/\n");
  WriteFile(root + "/beta.rules",
            "fingerprint beta.fp1 /^Alpha Wire$/\nfingerprint beta.fp2 /^Beta Desk$/\n");
  WriteFile(root + "/gamma.rules", "fingerprint gamma.fp /^Alpha Wire$/\n");
  Diagnostics d;
  auto rs = RuleSet::Load(root, Options(), &d);
  INFO(d.Format());
  REQUIRE(rs != nullptr);
  // One fingerprint each for alpha, beta, gamma: the first by file name.
  Outcome tie = Run(*rs, Join({"Alpha Wire", kP1, kP2}));
  CHECK(tie.source == "alpha");
  CHECK(tie.detected_by == "fingerprint");
  // Two for beta.
  Outcome most = Run(*rs, Join({"Alpha Wire", kP1, "Beta Desk", kP2}));
  CHECK(most.source == "beta");
  // A fingerprint repeated on many lines still counts once.
  Outcome repeated = Run(*rs, Join({"Alpha Wire", "Alpha Wire", "Alpha Wire", "Beta Desk", kP1}));
  CHECK(repeated.source == "beta");
}

TEST_CASE("classifier: a source's set options reach its pages", "[classifier]") {
  auto rs = LoadRules("", "src.rules", "source src\nset repeat_min 100\n");
  std::string page = Join({"Weather", kP1, kP2, kP3, "Weather"});
  Outcome generic = Run(*rs, page, nullptr, false);
  CHECK(generic.Id("Weather") == "heuristic.repeated");
  Outcome with = Run(*rs, page, rs->FindSource("src"));
  CHECK(with.Id("Weather") != "heuristic.repeated");
}

TEST_CASE("classifier: set regex_match_limit in a rule file reaches the matcher", "[classifier]") {
  // `set regex_match_limit N` in a rule file sets the PCRE2 limit of the
  // pages cleaned with those options (rules/README.md, "Options").
  // /^(a|aa)+$/ on 20 a's and a 'b' backtracks some ten thousand steps:
  // under the default limit (2,000,000) it just fails to match, under a
  // limit of 1000 it gives up.
  const std::string rule = "line t.slow navigation /^(a|aa)+$/\n";
  std::string page = Join({kP1, std::string(20, 'a') + "b", kP2, kP3});
  {
    auto rs = LoadRules(rule, "", "");
    Cleaner c(*rs, Options(), nullptr, false);
    c.set_prefilter(false);  // PCRE2 alone (the prefilter would skip the line)
    CleanResult r;
    std::string error;
    REQUIRE(c.Clean("p", page, &r, &error));
    REQUIRE(r.work->scan.limits.empty());  // the default limit is enough
  }
  auto rs = LoadRules("set regex_match_limit 1000\n" + rule, "", "");
  REQUIRE(rs->generic().options.regex_match_limit == 1000);
  Cleaner c(*rs, Options(), nullptr, false);
  c.set_prefilter(false);
  CleanResult r;
  std::string error;
  REQUIRE(c.Clean("p", page, &r, &error));
  CHECK_FALSE(r.work->scan.limits.empty());
  CHECK(r.decisions()[1].regex_limit);
}

TEST_CASE("classifier: set binary_sniff_bytes in generic.rules reaches the reader",
          "[classifier]") {
  // `set binary_sniff_bytes N` in generic.rules applies to every page's reader.
  auto rs = LoadRules("set binary_sniff_bytes 4\n", "", "");
  REQUIRE(rs->generic().options.binary_sniff_bytes == 4);
  Cleaner c(*rs, Options(), nullptr, false);
  CleanResult r;
  std::string error;
  std::string bytes = kP1 + "\n" + std::string("tail\0", 5);
  CHECK(c.Clean("p", bytes, &r, &error));
  CHECK(error.empty());
}

TEST_CASE("classifier: detecting in the generic scan gives what detecting then scanning gives",
          "[classifier]") {
  const RuleSet& rules = ProjectRules();
  // One prefilter serves every plan: the generic rules' line heads in its
  // automaton, the other generic regexes and the fingerprints in its
  // database. A source's page is scanned once with it: the source plan
  // confirms the candidates of the detecting scan, and runs its own small
  // prefilter for the rest.
  const Prefilter& pf = rules.prefilter();
  bool any_head = false, any_db = false;
  for (int m : rules.detect_generic_plan().regexes) {
    any_head |= pf.RouteOf(m) == Prefilter::Route::kHead;
    any_db |= pf.RouteOf(m) == Prefilter::Route::kDb;
  }
  REQUIRE(any_head);
  REQUIRE(any_db);
  const auto& generic = rules.generic().plan.regexes;
  for (const MatchPlan* plan : {&rules.detect_plan(), &rules.detect_generic_plan()}) {
    for (int m : plan->regexes) CHECK(pf.RouteOf(m) != Prefilter::Route::kNone);
  }
  for (const Source& s : rules.sources()) {
    INFO(s.name);
    // A source's other regexes are in a prefilter of its own, never in an
    // automaton.
    const Prefilter* own = rules.own_prefilter(s.plan);
    CHECK((own != nullptr) == !s.plan.own.empty());
    for (int m : s.plan.regexes) {
      CHECK(s.plan.has[m] == 1);
      bool is_own = std::find(s.plan.own.begin(), s.plan.own.end(), m) != s.plan.own.end();
      const Prefilter& where = is_own ? *own : pf;
      CHECK(where.RouteOf(m) != Prefilter::Route::kNone);
      if (own) CHECK((is_own ? pf : *own).RouteOf(m) == Prefilter::Route::kNone);
      if (where.RouteOf(m) == Prefilter::Route::kHead)
        CHECK(std::find(generic.begin(), generic.end(), m) != generic.end());
    }
  }

  std::vector<fs::path> paths;
  std::error_code ec;
  fs::path data = fs::path(CLEAN_SHARED_DIR) / "datasets" / "trafilatura-eval" / "text";
  for (auto& e : fs::directory_iterator(data, ec))
    if (e.path().extension() == ".txt") paths.push_back(e.path());
  bool with_dataset = !paths.empty();
  if (!with_dataset) WARN("no dataset at " CLEAN_SHARED_DIR "/datasets: fixtures only");
  for (auto& e : fs::recursive_directory_iterator(CLEAN_FIXTURES_DIR))
    if (e.path().filename() == "input.txt") paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  REQUIRE(paths.size() >= 40);

  Options o;
  MatchScratch sa(o.regex_match_limit, o.regex_heap_limit_kib);
  MatchScratch sb(o.regex_match_limit, o.regex_heap_limit_kib);
  Classifier one_pass(rules, sa), two_pass(rules, sb);
  PageWork wa, wb;
  Page page;
  size_t detected = 0, hits = 0;
  for (const auto& p : paths) {
    std::string err;
    page.Clear();
    REQUIRE(BuildPage(ReadFile(p.string()), o, &page, &err));
    uint32_t da = 0, db = 0;
    const Source* a = one_pass.DetectAndScan(page, &da, &wa);
    const Source* b = two_pass.Detect(page, &db);
    INFO(p.string());
    REQUIRE(a == b);
    if (a) {
      CHECK(da == db);
      ++detected;
    }
    const Options& so = a ? a->options : rules.generic().options;
    one_pass.Classify(page, a, so, &wa);
    two_pass.Classify(page, b, so, &wb);
    CHECK(wa.scanned == nullptr);
    REQUIRE(wa.scan.hits.size() == wb.scan.hits.size());
    for (size_t k = 0; k < wa.scan.hits.size(); ++k) {
      CHECK(wa.scan.hits[k].line == wb.scan.hits[k].line);
      CHECK(wa.scan.hits[k].matcher == wb.scan.hits[k].matcher);
    }
    CHECK(wa.scan.limits.size() == wb.scan.limits.size());
    REQUIRE(wa.decisions.size() == wb.decisions.size());
    for (size_t k = 0; k < wa.decisions.size(); ++k) {
      CHECK(wa.decisions[k].cls == wb.decisions[k].cls);
      CHECK(wa.decisions[k].decider == wb.decisions[k].decider);
      CHECK(wa.decisions[k].regex_limit == wb.decisions[k].regex_limit);
    }
    hits += wa.scan.hits.size();
  }
  // Both ways are exercised: pages of a detected source and generic pages.
  CHECK(detected > 0);
  CHECK(detected < paths.size());
  // The fixtures alone give some 370 hits; the dataset pages thousands more.
  CHECK(hits > (with_dataset ? 1000u : 300u));
}

namespace {

// A page of made-up lines at the edges of every test the line passes make:
// word counts around the title, sentence and few-words limits, lengths
// around long_line_chars and twice it, sentence breaks, colons, list
// markers, lines without letters, repeats and blank lines, at every offset
// of an eight-line block (the page's line count is no multiple of eight).
std::string EdgePage(uint32_t seed, size_t lines) {
  static const char* const kWords[] = {"the",   "and",    "of", "to", "minister", "Grain",
                                       "talks", "autumn", "in", "a",  "Ministry", "rules"};
  static const char* const kEnds[] = {"", ".", ":", ";", ",", "!", "?", " 2024", "\u201d"};
  static const char* const kHeads[] = {"", "", "", "- ", "\u2022 ", "1. ", "* "};
  std::mt19937 rng(seed);
  std::vector<std::string> made;
  std::string page;
  for (size_t i = 0; i < lines; ++i) {
    uint32_t pick = rng() % 16;
    std::string line;
    if (pick == 0) {
      line = "";
    } else if (pick == 1) {
      line = "12 34 -- 56 | 78";  // no letters
    } else if (pick == 2 && !made.empty()) {
      line = made[rng() % made.size()];  // a repeat
    } else {
      line = kHeads[rng() % 7];
      // Mostly a few words, sometimes up to some 70 (long lines, prose).
      size_t words = rng() % 4 == 0 ? rng() % 70 : rng() % 12;
      for (size_t w = 0; w < words; ++w) {
        if (w) line += rng() % 9 == 0 ? ". " : " ";
        line += kWords[rng() % 12];
      }
      line += kEnds[rng() % 9];
    }
    made.push_back(line);
    page += line + "\n";
  }
  return page;
}

}  // namespace

TEST_CASE("classifier: the AVX2 line passes give what the reference passes give",
          "[classifier][fast]") {
  if (!avx2::Supported()) WARN("no AVX2 on this CPU: the reference passes only");
  const RuleSet& rules = ProjectRules();
  std::vector<std::string> pages;
  for (const auto& e : fs::recursive_directory_iterator(CLEAN_FIXTURES_DIR))
    if (e.path().filename() == "input.txt") pages.push_back(ReadFile(e.path().string()));
  std::sort(pages.begin(), pages.end());
  for (const auto& p : clean::testing::SharedTextPages()) {
    if (pages.size() >= 400) break;
    pages.push_back(ReadFile(p.string()));
  }
  for (uint32_t seed = 1; seed <= 60; ++seed) pages.push_back(EdgePage(seed, 1 + seed * 7));
  // The defaults, and limits that make the edge lines cross them.
  std::vector<Options> variants(5);
  variants[1].long_line_chars = 40;
  variants[1].stopword_low = 0.0;
  variants[1].sentence_min_words = 2;
  variants[1].title_max_words = 3;
  variants[1].repeat_min = 3;
  variants[2].long_line_chars = 0;
  variants[2].stopword_low = 0.5;
  variants[2].sentence_min_words = 0;
  variants[2].title_max_words = 0;
  variants[2].repeat_min = 1;
  variants[3].long_line_chars = -1;  // every length is under it, as an unsigned limit
  variants[3].stopword_low = -0.5;
  variants[3].title_max_words = -4;
  variants[3].repeat_min = 0;
  variants[4].long_line_chars = 25;
  variants[4].stopword_low = 1.0;
  variants[4].sentence_min_words = 7;
  variants[4].title_max_words = 6;
  MatchScratch sa(Options().regex_match_limit, Options().regex_heap_limit_kib);
  MatchScratch sb(Options().regex_match_limit, Options().regex_heap_limit_kib);
  Classifier fast(rules, sa), reference(rules, sb);
  PageWork wf, wr;
  Page page;
  size_t lines = 0, known = 0;
  for (size_t v = 0; v < variants.size(); ++v) {
    const Options& o = variants[v];
    for (size_t k = 0; k < pages.size(); ++k) {
      std::string err;
      page.Clear();
      REQUIRE(BuildPage(pages[k], Options(), &page, &err));
      INFO("options " << v << ", page " << k);
      {
        avx2::ScopedForTesting on(true);
        fast.Classify(page, nullptr, o, &wf);
      }
      {
        avx2::ScopedForTesting off(false);
        reference.Classify(page, nullptr, o, &wr);
      }
      REQUIRE(wf.kinds == wr.kinds);
      REQUIRE(wf.facts == wr.facts);
      REQUIRE(wf.context == wr.context);
      REQUIRE(wf.scores == wr.scores);
      REQUIRE(wf.by_rule == wr.by_rule);
      REQUIRE(wf.in_region == wr.in_region);
      REQUIRE(wf.list_item == wr.list_item);
      REQUIRE(wf.region_begin == wr.region_begin);
      REQUIRE(wf.region_end == wr.region_end);
      REQUIRE(SameDecisions(wf.decisions, wr.decisions));
      lines += page.lines.size();
      known += wf.features.language >= 0;
    }
  }
  // Pages with and without a known language (the stop-word share is read
  // only with one).
  CHECK(known > 0);
  CHECK(known < variants.size() * pages.size());
  CHECK(lines > 10000);
}

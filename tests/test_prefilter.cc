// plan_prefilter: which regex goes where, and that every plan of the
// project's rules finds exactly the hits and limits PCRE2 alone finds, on
// every dataset page and fixture, as they are and with their letters'
// case and encoding changed (caseless rules, long s, Kelvin sign).
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <filesystem>
#include <random>
#include <sstream>

#include "cleaner/base/options.h"
#include "cleaner/classify/matcher_scan.h"
#include "cleaner/match/prefilter/plan_prefilter.h"
#include "cleaner/match/prefilter/prefilter.h"
#include "cleaner/match/prefilter/prefilter_cache.h"
#include "cleaner/base/text_util.h"
#include "tests/test_support.h"

namespace fs = std::filesystem;
using namespace clean;

namespace {

// Every dataset page (when ../shared/datasets is there; *dataset_pages
// says how many) and every fixture input.
std::vector<std::string> Pages(size_t* dataset_pages) {
  std::vector<std::string> pages;
  std::vector<fs::path> paths;
  std::error_code ec;
  fs::path data = fs::path(CLEAN_SHARED_DIR) / "datasets" / "trafilatura-eval" / "text";
  for (auto& e : fs::directory_iterator(data, ec))
    if (e.path().extension() == ".txt") paths.push_back(e.path());
  *dataset_pages = paths.size();
  for (auto& e : fs::recursive_directory_iterator(CLEAN_FIXTURES_DIR))
    if (e.path().filename() == "input.txt") paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  for (const auto& p : paths) pages.push_back(clean::testing::ReadFile(p.string()));
  return pages;
}

// The page with some letters' case flipped (ASCII and Cyrillic), some s and
// k written as U+017F and U+212A, and some lines in capitals.
std::string Mutate(const std::string& page, std::mt19937& rng) {
  std::string out;
  bool caps = false;
  for (size_t i = 0; i < page.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(page[i]);
    if (c == '\n') caps = rng() % 4 == 0;
    int roll = static_cast<int>(rng() % 16);
    if (c < 0x80 && std::isalpha(c) && (caps || roll == 0)) {
      out += static_cast<char>(caps ? std::toupper(c) : c ^ 0x20);
    } else if ((c == 's' || c == 'S') && roll == 1) {
      out += "\xc5\xbf";
    } else if ((c == 'k' || c == 'K') && roll == 1) {
      out += "\xe2\x84\xaa";
    } else if (c == 0xD0 && i + 1 < page.size() && (caps || roll < 2)) {
      unsigned char d = static_cast<unsigned char>(page[i + 1]);
      if (d >= 0xB0 && d <= 0xBF)
        d -= 0x20;  // а..п -> А..П
      else if (!caps && d >= 0x90 && d <= 0x9F)
        d += 0x20;
      out += static_cast<char>(c);
      out += static_cast<char>(d);
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::vector<const MatchPlan*> Plans(const RuleSet& rules) {
  std::vector<const MatchPlan*> plans = {&rules.detect_plan(), &rules.generic().plan,
                                         &rules.detect_generic_plan()};
  for (const auto& s : rules.sources()) plans.push_back(&s.plan);
  return plans;
}

}  // namespace

TEST_CASE("prefilter: every plan finds what PCRE2 alone finds on every page, from one scan",
          "[prefilter]") {
  const RuleSet& rules = clean::testing::ProjectRules();
  size_t dataset_pages = 0;
  std::vector<std::string> pages = Pages(&dataset_pages);
  if (dataset_pages == 0) WARN("no dataset at " CLEAN_SHARED_DIR "/datasets: fixtures only");
  REQUIRE(pages.size() >= 40);
  Options o;
  MatchScratch sa(o.regex_match_limit, o.regex_heap_limit_kib);
  MatchScratch sb(o.regex_match_limit, o.regex_heap_limit_kib);
  MatcherScanner with(rules, sa), without(rules, sb);
  without.set_prefilter(false);
  std::mt19937 rng(11);
  Page page;
  ScanResult a, b;
  size_t hits = 0;
  for (int mutated = 0; mutated < 2; ++mutated) {
    for (size_t i = 0; i < pages.size(); ++i) {
      std::string text = mutated ? Mutate(pages[i], rng) : pages[i];
      std::string err;
      page.Clear();
      REQUIRE(BuildPage(text, o, &page, &err));
      // The first plan's scan finds the candidates of every plan; the
      // others confirm theirs from it (`again`), as a page of a detected
      // source does.
      bool again = false;
      for (const MatchPlan* plan : Plans(rules)) {
        with.Scan(*plan, page, &a, again);
        again = true;
        without.Scan(*plan, page, &b);
        for (const Hit& h : a.hits)
          if (rules.matcher(h.matcher).regex) CHECK(plan->has[h.matcher] == 1);
        INFO("page " << i << (mutated ? " (mutated)" : ""));
        REQUIRE(a.hits.size() == b.hits.size());
        for (size_t k = 0; k < a.hits.size(); ++k) {
          INFO("line " << b.hits[k].line << ": " << page.line(b.hits[k].line));
          const Matcher& m = rules.matcher(b.hits[k].matcher);
          INFO("matcher " << (m.regex ? m.regex->pattern() : m.text));
          REQUIRE(a.hits[k].line == b.hits[k].line);
          REQUIRE(a.hits[k].matcher == b.hits[k].matcher);
        }
        CHECK(a.limits.size() == b.limits.size());
        hits += a.hits.size();
      }
    }
  }
  // The pages must exercise the rules: the fixtures alone give about 2,300
  // hits, with the dataset about 40,000.
  CHECK(hits > (dataset_pages > 0 ? 10000u : 1000u));
}

TEST_CASE("prefilter: which regex is found how", "[prefilter]") {
  std::vector<std::string> texts = {
      "^(?:Advertisement|Anzeige)\\s*:?$",    // 0: line head
      "^.{0,80}\\b(?:Akismet|reCAPTCHA)\\b",  // 1: Hyperscan, by its rare part
      "(a)\\1",                               // 2: not read: Hyperscan, loosened in UTF-8 mode
      "a\\nb",                                // 3: needs a '\\n': nowhere
      "[a-z]{3,}",                            // 4: no rare part: PCRE2 alone
      "^.{3,}$",                              // 5: line head (any line of 3 bytes or more)
  };
  // Enough line-head regexes for the automaton to pay (fewer go to Hyperscan).
  for (const char* word : {"Werbung", "Menu", "Home", "Search", "Share", "Follow"})
    texts.push_back(std::string("^") + word + "$");
  std::vector<Prefilter::Regex> regexes;
  for (size_t i = 0; i < texts.size(); ++i)
    regexes.push_back({static_cast<int>(i) + 100, texts[i], true});
  Prefilter pf = Prefilter::Build(regexes, "");
  CHECK(pf.plan().head_matchers == std::vector<int>{100, 105, 106, 107, 108, 109, 110, 111});
  REQUIRE(pf.plan().head != nullptr);
  CHECK(pf.plan().head->Candidates("ANZEIGE") == 3);
  CHECK(pf.plan().head->Candidates("ab") == 0);
  REQUIRE(pf.plan().db != nullptr);
  CHECK(pf.plan().db_matchers == std::vector<int>{101, 102});
  CHECK(pf.plan().db->size() == 2);
  CHECK(pf.plan().pcre_only == std::vector<int>{104});

  // A few line-head regexes: all in the Hyperscan database.
  regexes.resize(6);
  Prefilter few = Prefilter::Build(regexes, "");
  CHECK(few.plan().head == nullptr);
  CHECK(few.plan().head_matchers.empty());
  CHECK(few.plan().db_matchers == std::vector<int>{101, 100, 102});
  CHECK(few.plan().pcre_only == std::vector<int>{104, 105});  // ^.{3,}$ has no rare part
  // Route: where each regex went.
  CHECK(pf.RouteOf(100) == Prefilter::Route::kHead);
  CHECK(pf.RouteOf(101) == Prefilter::Route::kDb);
  CHECK(pf.RouteOf(103) == Prefilter::Route::kNone);
  CHECK(pf.RouteOf(104) == Prefilter::Route::kPcreOnly);
  CHECK(few.RouteOf(100) == Prefilter::Route::kDb);
}

// Everything Build decides, as one comparable value.
std::string Describe(const Prefilter& pf) {
  std::ostringstream s;
  s << "head";
  for (int m : pf.plan().head_matchers) s << ' ' << m;
  s << "\ndb";
  for (int m : pf.plan().db_matchers) s << ' ' << m;
  s << " (" << (pf.plan().db ? pf.plan().db->size() : 0) << " accepted)\nshort db";
  for (int m : pf.plan().short_db_matchers) s << ' ' << m;
  s << "\nshort literals";
  for (int m : pf.plan().short_literal_matchers) s << ' ' << m;
  s << " (" << (pf.plan().short_literals ? pf.plan().short_literals->size() : 0) << " taken)";
  s << "\npcre";
  for (int m : pf.plan().pcre_only) s << ' ' << m;
  for (const auto& a : pf.plan().alphabets) {
    s << "\nalphabet " << a.matcher << ' ';
    for (bool b : a.allowed) s << (b ? '1' : '0');
  }
  for (const char* line : {"ANZEIGE", "Werbung", "Home > World > Europe", "ab", "x reCAPTCHA"})
    s << '\n' << (pf.plan().head ? pf.plan().head->Candidates(line) : 0);
  return s.str();
}

TEST_CASE("prefilter: a warm cache gives what the readings give, and a damaged one is rebuilt",
          "[prefilter]") {
  REQUIRE(BuildId().size() >= 16);  // the layout's key needs it (-Wl,--build-id)
  std::vector<std::string> texts = {
      "^(?:Advertisement|Anzeige)\\s*:?$",
      "^.{0,80}\\b(?:Akismet|reCAPTCHA)\\b",
      "(a)\\1",
      "a\\nb",
      "[a-z]{3,}",
      "^(?:[\\p{L}0-9 -]{1,30}\\s*[»>/]\\s*){2,}[\\p{L}0-9 -]{1,60}$",
      "",
  };
  for (const char* word :
       {"Werbung", "Menu", "Home", "Search", "Share", "Follow", "Teilen", "Print"})
    texts.push_back(std::string("^") + word + "$");
  std::vector<Prefilter::Regex> regexes;
  for (size_t i = 0; i < texts.size(); ++i)
    regexes.push_back({static_cast<int>(i) + 100, texts[i], i % 2 == 0, i != 7});
  const std::string want = Describe(Prefilter::Build(regexes, ""));
  INFO(want);
  const std::string dir = clean::testing::TempDir() + "/cache";
  auto entries = [&dir] {
    std::vector<fs::path> v;
    for (const auto& e : fs::directory_iterator(dir)) v.push_back(e.path());
    return v;
  };
  CHECK(Describe(Prefilter::Build(regexes, dir)) == want);  // cold: fills the cache
  const size_t filled = entries().size();
  CHECK(filled == 3);  // the layout, the automaton and the database (the short
                       // rare part is the literal scanner's)
  CHECK(Describe(Prefilter::Build(regexes, dir)) == want);  // warm: reads no regex
  CHECK(entries().size() == filled);
  // Another set of regexes (here: another flag) has a layout of its own.
  regexes[0].head_ok = false;
  const std::string other = Describe(Prefilter::Build(regexes, ""));
  CHECK(other != want);
  CHECK(Describe(Prefilter::Build(regexes, dir)) == other);
  CHECK(Describe(Prefilter::Build(regexes, dir)) == other);
  regexes[0].head_ok = true;
  // The automaton gone, the layout kept: the readings are taken again.
  for (const fs::path& p : entries())
    if (fs::file_size(p) > 100000) fs::remove(p);
  CHECK(Describe(Prefilter::Build(regexes, dir)) == want);
  // Every entry damaged: built again, and cached again.
  for (const fs::path& p : entries()) clean::testing::WriteFile(p.string(), "not an entry");
  CHECK(Describe(Prefilter::Build(regexes, dir)) == want);
  CHECK(Describe(Prefilter::Build(regexes, dir)) == want);
}

TEST_CASE("prefilter: a rare part of a byte or two is kept out of the database", "[prefilter]") {
  std::vector<Prefilter::Regex> regexes = {
      {1, "^(?:[a-z ]{1,30}\\s*[>/]\\s*){2,}[a-z ]{1,60}$", false},  // "/" or ">"
      {2, "^.{0,80}\\b(?:Akismet|reCAPTCHA)\\b", false},             // long literals
      {3, "\\((?:AP|AFP)\\)", false},                                // "(AP)": 4 bytes
      {4, "\\b(?:AP|AFP)\\b", false},                                // "AP": 2 bytes
      {5, "[#@][a-z]", false},  // 2 bytes, but 52 literals: the short database
  };
  Prefilter pf = Prefilter::Build(regexes, "");
  CHECK(pf.RouteOf(1) == Prefilter::Route::kShortLiterals);
  CHECK(pf.RouteOf(2) == Prefilter::Route::kDb);
  CHECK(pf.RouteOf(3) == Prefilter::Route::kDb);
  CHECK(pf.RouteOf(4) == Prefilter::Route::kShortLiterals);
  CHECK(pf.RouteOf(5) == Prefilter::Route::kShortDb);
  REQUIRE(pf.plan().short_literals != nullptr);
  CHECK(pf.plan().short_literals->size() == 2);
  CHECK(pf.plan().short_literal_matchers == std::vector<int>{1, 4});
  REQUIRE(pf.plan().short_db != nullptr);
  CHECK(pf.plan().short_db->size() == 1);
  CHECK(pf.plan().short_db_matchers == std::vector<int>{5});
  // Which lines each finds, PCRE2 confirming: the tests above and below.
}

TEST_CASE("prefilter: its one entry point names each route's candidate lines", "[prefilter]") {
  // Through Prefilter alone, as matcher_scan uses it: the candidates of
  // every route, in the order FindCandidates promises (databases, literal
  // scan, line heads), each line once per regex; a pcre_only regex has
  // none, and Prefiltered lists the others.
  std::vector<Prefilter::Regex> regexes = {
      {1, "^(?:[a-z ]{1,30}\\s*[>/]\\s*){2,}[a-z ]{1,60}$", false},  // short literals
      {2, "^.{0,80}\\b(?:Akismet|reCAPTCHA)\\b", false},             // database
      {5, "[#@][a-z]", false},                                       // short database
      {6, ".", false},                                               // PCRE2 alone
  };
  const Prefilter pf = Prefilter::Build(regexes, "");
  REQUIRE(pf.RouteOf(6) == Prefilter::Route::kPcreOnly);
  CHECK(pf.pcre_only() == std::vector<int>{6});
  std::vector<int> prefiltered = pf.Prefiltered();
  std::sort(prefiltered.begin(), prefiltered.end());
  CHECK(prefiltered == std::vector<int>{1, 2, 5});
  Page page;
  std::string error;
  REQUIRE(
      BuildPage("home > world > europe\nProtected by reCAPTCHA, twice: reCAPTCHA\n"
                "plain words\nmail @me or #tag\n",
                Options(), &page, &error));
  Prefilter::Scratch scratch;
  std::vector<Prefilter::Candidate> found;
  REQUIRE(pf.FindCandidates(page, scratch, &found));
  std::vector<std::pair<uint32_t, int>> got;
  for (const auto& c : found) got.emplace_back(c.line, c.matcher);
  CHECK(got == std::vector<std::pair<uint32_t, int>>{{1, 2}, {3, 5}, {0, 1}});
  // An empty page has none; the scratch serves another page.
  Page empty;
  REQUIRE(BuildPage("", Options(), &empty, &error));
  REQUIRE(pf.FindCandidates(empty, scratch, &found));
  CHECK(found.empty());
  CHECK(pf.MayMatch(1, "home > world > europe"));
  CHECK_FALSE(pf.MayMatch(1, "Home > World"));  // a capital: outside the regex's bytes
}

TEST_CASE("prefilter: the literal scanner and the short database find what PCRE2 alone finds",
          "[prefilter]") {
  // The project's rules have no short rare part the literal scanner does
  // not take: these do, beside ones it takes.
  auto rules = clean::testing::LoadRules(
      "line t.crumbs navigation /^(?:[a-zA-Z0-9 \\p{L}-]{1,30}+\\s*[»›>\\/]\\s*){2,}[a-zA-Z0-9 "
      "\\p{L}-]{1,60}+$/\n"
      "line t.tag navigation /(?:^|\\s)[#@][a-z]\\b/\n"  // 52 literals
      "line t.quote navigation /(?:«|»)+/\n"             // ends where « or » ends
      "line t.ap navigation /\\b(?:AP|AFP)\\b/\n"
      "line t.ap-end navigation /\\b(?:AP|AFP)$/i\n");  // an anchor
  const Prefilter& pf = rules->prefilter();
  std::vector<Prefilter::Route> routes;
  for (int m : rules->generic().plan.regexes) routes.push_back(pf.RouteOf(m));
  using R = Prefilter::Route;
  CHECK(routes == std::vector<R>{R::kShortLiterals, R::kShortDb, R::kShortLiterals,
                                 R::kShortLiterals, R::kShortDb});
  Options o;
  MatchScratch sa(o.regex_match_limit, o.regex_heap_limit_kib);
  MatchScratch sb(o.regex_match_limit, o.regex_heap_limit_kib);
  MatcherScanner with(*rules, sa), without(*rules, sb);
  without.set_prefilter(false);
  size_t dataset_pages = 0;
  std::vector<std::string> pages = Pages(&dataset_pages);
  pages.push_back(
      "Home > News\n#tag @user and more\nreply to @x now\nHe said «quoted» »\nBy AP\nby afp\nAFP "
      "reports");
  pages.push_back("a/b/c\n\n\nx » y › z\n«««");  // no final '\n'
  std::array<size_t, 5> hits{};
  Page page;
  ScanResult a, b;
  for (size_t i = 0; i < pages.size(); ++i) {
    std::string err;
    page.Clear();
    REQUIRE(BuildPage(pages[i], o, &page, &err));
    with.Scan(rules->generic().plan, page, &a);
    without.Scan(rules->generic().plan, page, &b);
    INFO("page " << i);
    REQUIRE(a.hits.size() == b.hits.size());
    for (size_t k = 0; k < a.hits.size(); ++k) {
      INFO("line " << b.hits[k].line << ": " << page.line(b.hits[k].line));
      REQUIRE(a.hits[k].line == b.hits[k].line);
      REQUIRE(a.hits[k].matcher == b.hits[k].matcher);
      const auto& ids = rules->generic().plan.regexes;
      hits[std::find(ids.begin(), ids.end(), a.hits[k].matcher) - ids.begin()]++;
    }
  }
  INFO(hits[0] << ' ' << hits[1] << ' ' << hits[2] << ' ' << hits[3] << ' ' << hits[4]);
  for (size_t h : hits) CHECK(h > 0);
}

TEST_CASE("prefilter: a whole-line database regex skips lines with bytes it cannot hold",
          "[prefilter]") {
  std::vector<Prefilter::Regex> regexes = {
      {7, "^(?:[\\p{L}0-9 -]{1,30}\\s*[»>/]\\s*){2,}[\\p{L}0-9 -]{1,60}$", false},  // breadcrumbs
      {8, "\\bPhoto by\\b", false},  // not a whole line: no check
  };
  Prefilter pf = Prefilter::Build(regexes, "");
  REQUIRE(pf.RouteOf(7) == Prefilter::Route::kShortLiterals);  // by "/", ">" or "»"
  REQUIRE(pf.plan().alphabets.size() == 1);
  CHECK(pf.MayMatch(7, "Home > World News > Europe"));
  CHECK(pf.MayMatch(7, "Start » Kraków 2024"));
  CHECK_FALSE(pf.MayMatch(7, "Prices rose, then fell (again) / said the bank."));
  CHECK_FALSE(pf.MayMatch(7, "https://example.com/a/b"));
  CHECK(pf.MayMatch(8, "https://example.com/a/b, (any line)"));
}

TEST_CASE("prefilter: lower-casing keeps a line's length in bytes (the exact texts rely on it)",
          "[prefilter]") {
  // MatchPlan::exact_length skips the lines of other lengths.
  auto bytes = [](uint32_t cp) { return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4; };
  size_t changed = 0;
  for (uint32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    uint32_t lower = LowerCodePoint(cp);
    changed += lower != cp;
    if (bytes(lower) != bytes(cp)) FAIL("U+" << std::hex << cp << " -> U+" << lower);
  }
  CHECK(changed > 100);
}

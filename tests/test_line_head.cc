// line_head: the automaton run from the start of each line reports a
// pattern for every line the pattern's regex matches (checked against
// PCRE2 on crafted and mutated lines), and few others; it is cached.
#include <catch2/catch.hpp>

#include <filesystem>
#include <random>
#include <set>

#include "cleaner/match/prefilter/byte_pattern.h"
#include "cleaner/match/prefilter/prefilter_choice.h"
#include "cleaner/match/prefilter/line_head.h"
#include "cleaner/match/prefilter/prefilter_cache.h"
#include "cleaner/match/regex.h"
#include "tests/test_support.h"

namespace fs = std::filesystem;
using namespace clean;

namespace {

struct Rx {
  const char* regex;
  bool caseless;
};

// Anchored regexes of the kinds the rules use.
const std::vector<Rx> kRegexes = {
    {"^(?:Advertisement|Anzeige|Реклама|Ad)\\s*:?$", true},
    {"^\\d{1,2}:\\d{2}(?::\\d{2})?(?:\\s?[AaPp]\\.?[Mm]\\.?)?$", false},
    {"^(?:Tags?|Themen|Теги)\\s*:.{0,300}$", true},
    {"^(?:By|Von)\\s+\\p{Lu}[\\p{L}.'’-]*(?:,?\\s+(?:and\\s+)?\\p{Lu}[\\p{L}.'’-]*){0,6}$", false},
    {"^(?:(?:Укр|Рус|Eng|EN|DE)(?:\\s*[|/]\\s*|\\s+|$)){2,}[\\p{L} ]{0,20}$", false},
    {"^(?:We|Our site)\\b.{0,300}\\bcookies?\\b.{0,300}$", false},
    {"^(?=.{10,40}$)[^\\p{Ll}]*\\p{Lu}[^\\p{Ll}]*$", false},
    {"^(?:Share|Поділитися)(?:\\s+(?:on|в)\\b[\\p{L}\\s+&]{0,40})?:?$", true},
    {"^©\\s*[\\p{L} ./&-]{2,60}$", true},
    {"^Kommentare?(?:\\s*\\(\\d+\\))?$", true},
};

struct Compiled {
  std::vector<BytePattern> patterns;
  std::vector<std::unique_ptr<Regex>> regexes;
  std::unique_ptr<LineHeadDfa> dfa;
};

Compiled CompileAll(const std::string& cache_dir = "") {
  Compiled c;
  for (const Rx& r : kRegexes) {
    auto p = BytePattern::Parse(r.regex, r.caseless);
    INFO(r.regex);
    REQUIRE(p.has_value());
    REQUIRE(SuitsLineHead(*p));
    c.patterns.push_back(std::move(*p));
    std::string err;
    size_t off = 0;
    c.regexes.push_back(Regex::Compile(r.regex, r.caseless, &err, &off));
    REQUIRE(c.regexes.back() != nullptr);
  }
  std::vector<const BytePattern*> ptrs;
  for (const auto& p : c.patterns) ptrs.push_back(&p);
  c.dfa = LineHeadDfa::Build(ptrs, 60000, cache_dir);
  REQUIRE(c.dfa != nullptr);
  return c;
}

// Lines the regexes match, and near misses.
const std::vector<std::string> kLines = {
    "Advertisement",
    "ADVERTISEMENT:",
    "РЕКЛАМА",
    "Реклама :",
    "ad",
    "Ads",
    "Advertisement here",
    "10:42",
    "9:05 PM",
    "10:42:13 a.m.",
    "1:2",
    "Tags: Україна, війна",
    "ТЕГИ:",
    "tags",
    "By Łukasz Żółć-Müller",
    "By Anna Smith, and Bob Jones",
    "By the way",
    "Von Jörg",
    "Укр Рус Eng",
    "EN | DE",
    "EN",
    "Eng Укр Support Us",
    "We use cookies to improve it",
    "We like biscuits",
    "Our site uses a cookie.",
    "ÜBER UNS: DAS TEAM",
    "ÜBER UNS: Das Team",
    "SHORT",
    "Share on Facebook",
    "ПОДІЛИТИСЯ в Telegram",
    "Share this, please",
    "© Агентство Франс-Пресс",
    "© 2025",
    "Kommentare (12)",
    "KOMMENTAR",
    "\xe2\x84\xaaommentare",
    "The minister said.",
    "",
};

// Case and encoding variants PCRE2 treats alike, or nearly.
std::string Mutate(std::string s, std::mt19937& rng) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int roll = static_cast<int>(rng() % 10);
    if (c < 0x80 && std::isalpha(c) && roll < 3) {
      out += static_cast<char>(c ^ 0x20);
    } else if ((c == 's' || c == 'S') && roll == 3) {
      out += "\xc5\xbf";  // long s
    } else if ((c == 'k' || c == 'K') && roll == 3) {
      out += "\xe2\x84\xaa";  // Kelvin sign
    } else if (c == 0xD0 && i + 1 < s.size() && roll < 3) {
      // Cyrillic А..П (D0 90..9F) <-> а..п (D0 B0..BF)
      unsigned char d = static_cast<unsigned char>(s[i + 1]);
      if (d >= 0x90 && d <= 0x9F)
        d += 0x20;
      else if (d >= 0xB0 && d <= 0xBF)
        d -= 0x20;
      out += static_cast<char>(c);
      out += static_cast<char>(d);
      ++i;
    } else if (c == ' ' && roll == 4) {
      out += "  ";
    } else if (c == ' ' && roll == 5) {
      out += '\t';
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("line_head: every line a regex matches is reported for it", "[line_head]") {
  Compiled c = CompileAll();
  MatchScratch scratch(1000000, 20000);
  std::mt19937 rng(7);
  size_t matches = 0, reports = 0, lines = 0;
  auto check = [&](const std::string& line) {
    if (line.empty()) return;
    ++lines;
    uint64_t found = c.dfa->Candidates(line);
    CHECK(found == c.dfa->CandidatesStepwise(line));  // the unrolled start reads alike
    for (size_t i = 0; i < c.regexes.size(); ++i) {
      size_t b = 0, e = 0;
      bool match = c.regexes[i]->Find(scratch, line, 0, &b, &e) == Regex::Result::kMatch;
      bool reported = found >> i & 1;
      matches += match;
      reports += reported;
      INFO(kRegexes[i].regex << " on \"" << line << "\"");
      if (match) CHECK(reported);
    }
  };
  for (const auto& l : kLines) {
    check(l);
    for (int k = 0; k < 200; ++k) check(Mutate(l, rng));
  }
  INFO(matches << " matches, " << reports << " reports, " << lines << " lines");
  CHECK(matches > 1000);
  // A prefilter, not a yes to everything: few lines are reported in vain.
  CHECK(reports < matches + lines / 4);
}

// EachLine walks a whole page with the row length fixed at compile time
// (one instantiation per shift): automata of one, some and all of the
// patterns have rows of different lengths, and every line, blank and short
// ones among them, must get the bits of the plain stepwise walk.
TEST_CASE("line_head: a page walk reports what each line alone does", "[line_head]") {
  Compiled c = CompileAll();
  std::mt19937 rng(11);
  std::vector<std::string> lines = {"", "a", "By", "EN ", "10:4", "Ad", "\xc2\xa9", ""};
  for (const auto& l : kLines) {
    lines.push_back(l);
    for (int k = 0; k < 20; ++k) lines.push_back(Mutate(l, rng));
    for (size_t n = 1; n < 6 && n < l.size(); ++n) lines.push_back(l.substr(0, n));
  }
  struct Span {
    uint32_t begin, end;
  };
  std::string text;
  std::vector<Span> spans;
  for (const auto& l : lines) {
    spans.push_back(
        {static_cast<uint32_t>(text.size()), static_cast<uint32_t>(text.size() + l.size())});
    text += l;
    text += '\n';
  }
  std::vector<std::vector<const BytePattern*>> sets;
  for (const auto& p : c.patterns) sets.push_back({&p});
  sets.emplace_back();
  for (const auto& p : c.patterns) sets.back().push_back(&p);
  sets.push_back({sets.back().begin(), sets.back().begin() + 3});
  std::set<uint32_t> shifts;
  for (const auto& set : sets) {
    auto dfa = LineHeadDfa::Build(set, 60000);
    REQUIRE(dfa != nullptr);
    shifts.insert(dfa->row_shift());
    std::vector<std::pair<size_t, uint64_t>> got, want;
    dfa->EachLine(text.data(), spans.data(), spans.size(), [&got](size_t i, uint64_t bits) {
      got.push_back({i, bits});
    });
    for (size_t i = 0; i < lines.size(); ++i) {
      if (lines[i].empty()) continue;
      if (uint64_t bits = dfa->CandidatesStepwise(lines[i])) want.push_back({i, bits});
      CHECK(dfa->Candidates(lines[i]) == dfa->CandidatesStepwise(lines[i]));
    }
    INFO(set.size() << " patterns, row shift " << dfa->row_shift());
    CHECK(got == want);
    CHECK(!want.empty());
  }
  CHECK(shifts.size() >= 3);  // several instantiations were run
}

TEST_CASE("line_head: what it reports for plain cases", "[line_head]") {
  Compiled c = CompileAll();
  auto has = [&](const char* line, int pattern) {
    return (c.dfa->Candidates(line) >> pattern & 1) != 0;
  };
  CHECK(has("Advertisement:", 0));
  CHECK_FALSE(has("Advertisements", 0));
  CHECK_FALSE(has("Advertisement here", 0));
  CHECK(has("10:42", 1));
  CHECK_FALSE(has("10:423", 1));
  CHECK(has("TAGS: anything at all, however long it goes on", 2));  // the rest of the line is free
  CHECK(has("EN DE", 4));  // an embedded $ does not stop the run of languages
  CHECK(has("Укр Рус Eng", 4));
  CHECK_FALSE(has("English news", 4));
  CHECK(c.dfa->Candidates("The minister said on Thursday that the talks were useful.") == 0);
}

TEST_CASE("line_head: the automaton is cached, and a damaged entry is rebuilt", "[line_head]") {
  std::string dir = clean::testing::TempDir() + "/cache";
  Compiled first = CompileAll(dir);
  std::vector<fs::path> entries;
  for (auto& e : fs::directory_iterator(dir)) entries.push_back(e.path());
  REQUIRE(entries.size() == 1);
  Compiled loaded = CompileAll(dir);
  CHECK(loaded.dfa->states() == first.dfa->states());
  for (const auto& l : kLines) CHECK(loaded.dfa->Candidates(l) == first.dfa->Candidates(l));
  // An entry that is whole but not an automaton (here: one cut short) is
  // not trusted: the automaton is built again.
  uint64_t key = std::stoull(entries[0].stem().string(), nullptr, 16);
  std::vector<const BytePattern*> ptrs;
  for (const auto& p : first.patterns) ptrs.push_back(&p);
  const std::string id = LineHeadDfa::Identity(ptrs, 60000);
  std::string bytes;
  REQUIRE(CacheRead(dir, key, &bytes, id));
  CacheWrite(dir, key, bytes.substr(0, bytes.size() / 2), kMaxCacheEntries, id);
  Compiled rebuilt = CompileAll(dir);
  for (const auto& l : kLines) CHECK(rebuilt.dfa->Candidates(l) == first.dfa->Candidates(l));
  // A bad state number in an otherwise well-formed entry.
  std::string bad = bytes;
  bad[bad.size() - 1] = '\xff';
  bad[bad.size() - 2] = '\xff';
  CacheWrite(dir, key, bad, kMaxCacheEntries, id);
  Compiled again = CompileAll(dir);
  for (const auto& l : kLines) CHECK(again.dfa->Candidates(l) == first.dfa->Candidates(l));
}

TEST_CASE("line_head: the key names the patterns and the state limit", "[line_head]") {
  Compiled c = CompileAll();
  std::vector<const BytePattern*> all, fewer;
  for (const auto& p : c.patterns) all.push_back(&p);
  fewer.assign(all.begin(), all.end() - 1);
  CHECK(LineHeadDfa::Key(all, 60000) == LineHeadDfa::Key(all, 60000));
  CHECK(LineHeadDfa::Key(all, 60000) != LineHeadDfa::Key(fewer, 60000));
  CHECK(LineHeadDfa::Key(all, 60000) != LineHeadDfa::Key(all, 5));
}

TEST_CASE("line_head: too many states or patterns is refused", "[line_head]") {
  auto p = BytePattern::Parse("^(?:alpha|beta|gamma|delta)x{3}$", false);
  REQUIRE(p.has_value());
  CHECK(LineHeadDfa::Build({&*p}, 5) == nullptr);
  CHECK(LineHeadDfa::Build({&*p}, 1000) != nullptr);
  std::vector<const BytePattern*> many(LineHeadDfa::kMaxPatterns + 1, &*p);
  CHECK(LineHeadDfa::Build(many, 60000) == nullptr);
}

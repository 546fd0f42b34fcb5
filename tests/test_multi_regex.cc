// The Hyperscan prefilter adapter: what it accepts, that it finds at least
// every match PCRE2 finds (it is a prefilter), and its on-disk cache.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cleaner/match/prefilter/multi_regex.h"
#include "cleaner/match/prefilter/prefilter_cache.h"
#include "cleaner/match/regex.h"
#include "tests/test_support.h"

namespace fs = std::filesystem;
using namespace clean;

namespace {
struct Ends {
  std::vector<std::pair<uint32_t, size_t>> v;
  static void Sink(void* ctx, uint32_t p, size_t end) {
    static_cast<Ends*>(ctx)->v.push_back({p, end});
  }
  bool Has(uint32_t p, size_t end) const {
    for (auto& e : v)
      if (e.first == p && e.second == end) return true;
    return false;
  }
};
}  // namespace

TEST_CASE("multi_regex: every PCRE2 match end is reported, for patterns it must loosen",
          "[multi_regex]") {
  // pattern, caseless, subject
  struct Case {
    const char* pattern;
    bool caseless;
    const char* subject;
  };
  const std::vector<Case> cases = {
      {"^Advertisement$", false, "intro\nAdvertisement\nmore"},
      {"^(?:Реклама|Anzeige)$", true, "text\nРЕКЛАМА\nend"},
      {"^Tags?\\s*:.{0,300}$", true, "TAGS: Україна, війна, ЗСУ"},
      {"^By\\s+\\p{Lu}[\\p{L}.'’-]*(?:\\s+\\p{Lu}[\\p{L}.'’-]*){0,6}$", false,
       "Body text\nBy Łukasz Żółć-Müller\n"},
      {"^(?=.{1,200}$)(?=.*\\b[Nn]ewsletter).+$", false, "Sign up for our newsletter today"},
      {"^©\\s*[\\p{L} .\\/&-]{2,60}$", false, "a\n© Агентство Франс-Пресс\nb"},
      {"\\b(?:Photo|Foto)\\s*(?:by|:)\\s*[^.!?]{1,80}$", false, "A caption. Photo: Jane Doe/AP"},
      {"^x{2,3}y{12}$", false, "xxxyyyyyyyyyyyy"},
  };
  std::vector<MultiRegex::Pattern> patterns;
  for (const auto& c : cases) patterns.push_back({c.pattern, c.caseless});
  std::vector<bool> accepted;
  auto db = MultiRegex::Build(patterns, &accepted);
  REQUIRE(db != nullptr);
  MultiScratch scratch;
  scratch.Fit(*db);
  MatchScratch pcre(1000000, 20000);
  for (uint32_t i = 0; i < cases.size(); ++i) {
    INFO(cases[i].pattern);
    CHECK(accepted[i]);
    std::string err;
    size_t off = 0;
    auto re = Regex::Compile(cases[i].pattern, cases[i].caseless, &err, &off);
    REQUIRE(re != nullptr);
    std::string_view subject = cases[i].subject;
    size_t b = 0, e = 0;
    REQUIRE(re->Find(pcre, subject, 0, &b, &e) == Regex::Result::kMatch);
    Ends ends;
    REQUIRE(db->Scan(scratch, subject, &Ends::Sink, &ends));
    CHECK(ends.Has(i, e));
  }
}

TEST_CASE("multi_regex: no false report where nothing can match", "[multi_regex]") {
  std::vector<bool> accepted;
  auto db = MultiRegex::Build({{"^Advertisement$", false}, {"^Follow us$", true}}, &accepted);
  REQUIRE(db != nullptr);
  MultiScratch scratch;
  scratch.Fit(*db);
  Ends ends;
  REQUIRE(
      db->Scan(scratch, "An advertisement for\nsomething. Follow us there", &Ends::Sink, &ends));
  CHECK(ends.v.empty());
}

TEST_CASE("multi_regex: a property in a negated class or \\P stays with PCRE2", "[multi_regex]") {
  std::vector<bool> accepted;
  auto db = MultiRegex::Build({{"^[^\\p{L}]+$", false}, {"^\\P{L}+$", false}, {"^ok$", false}},
                              &accepted);
  REQUIRE(db != nullptr);
  CHECK_FALSE(accepted[0]);
  CHECK_FALSE(accepted[1]);
  CHECK(accepted[2]);
  CHECK(db->size() == 1);
}

TEST_CASE("multi_regex: the compiled database is cached, and a damaged entry is ignored",
          "[multi_regex]") {
  std::string dir = clean::testing::TempDir() + "/cache";
  std::vector<MultiRegex::Pattern> patterns = {{"^Werbung$", true}, {"^[^\\p{L}]+$", false}};
  std::vector<bool> a1, a2, a3;
  REQUIRE(MultiRegex::Build(patterns, &a1, dir) != nullptr);
  std::vector<fs::path> entries;
  for (auto& e : fs::directory_iterator(dir)) entries.push_back(e.path());
  REQUIRE(entries.size() == 1);
  // Loaded back: the same patterns accepted, and it still matches.
  auto db = MultiRegex::Build(patterns, &a2, dir);
  REQUIRE(db != nullptr);
  CHECK(a2 == a1);
  MultiScratch scratch;
  scratch.Fit(*db);
  Ends ends;
  REQUIRE(db->Scan(scratch, "x\nWERBUNG", &Ends::Sink, &ends));
  CHECK(ends.Has(0, 9));
  // A damaged entry is recompiled, not trusted.
  std::string bytes = clean::testing::ReadFile(entries[0].string());
  bytes[bytes.size() / 2] ^= 0x55;
  clean::testing::WriteFile(entries[0].string(), bytes);
  db = MultiRegex::Build(patterns, &a3, dir);
  REQUIRE(db != nullptr);
  CHECK(a3 == a1);
  // An unwritable cache directory changes nothing but the time taken.
  std::vector<bool> a4;
  CHECK(MultiRegex::Build(patterns, &a4, "/proc/no-such-dir/cache") != nullptr);
  CHECK(a4 == a1);
}

TEST_CASE("prefilter_cache: stable hash and entry round trip", "[multi_regex]") {
  CHECK(StableHash("") == 14695981039346656037ull);
  CHECK(StableHash("a") != StableHash("b"));
  std::string dir = clean::testing::TempDir() + "/c2";
  CacheWrite(dir, 42, std::string("payload\0with nul", 16));
  std::string back;
  REQUIRE(CacheRead(dir, 42, &back));
  CHECK(back == std::string("payload\0with nul", 16));
  CHECK_FALSE(CacheRead(dir, 43, &back));
  CHECK_FALSE(CacheRead("", 42, &back));
}

TEST_CASE("prefilter_cache: a full directory keeps its most recently used entries",
          "[multi_regex]") {
  namespace fs = std::filesystem;
  const std::string dir = clean::testing::TempDir() + "/prune";
  fs::remove_all(dir);
  const auto now = fs::file_time_type::clock::now();
  auto path_of = [&](uint64_t key) {
    char name[32];
    std::snprintf(name, sizeof name, "%016llx.3.hsdb", static_cast<unsigned long long>(key));
    return fs::path(dir) / name;
  };
  // Entries 1..6, written (as far as their times say) 10, 9, ... 5 hours ago.
  for (uint64_t key = 1; key <= 6; ++key) {
    CacheWrite(dir, key, "entry " + std::to_string(key), 100);
    fs::last_write_time(path_of(key), now - std::chrono::hours(11 - key));
  }
  // A temporary file of a writer that stopped long ago, and one of a
  // writer still at work.
  const fs::path stale = fs::path(dir) / "0000000000000009.3.hsdb.tmp123.0";
  const fs::path fresh = fs::path(dir) / "0000000000000009.3.hsdb.tmp456.0";
  std::ofstream(stale) << "half";
  std::ofstream(fresh) << "half";
  fs::last_write_time(stale, now - std::chrono::hours(2));
  // Reading entry 1 (the oldest) marks it used.
  std::string back;
  REQUIRE(CacheRead(dir, 1, &back));
  CHECK(back == "entry 1");
  CacheWrite(dir, 7, "entry 7", 4);
  std::vector<uint64_t> kept;
  for (uint64_t key = 1; key <= 7; ++key)
    if (fs::exists(path_of(key))) kept.push_back(key);
  CHECK(kept == std::vector<uint64_t>{1, 5, 6, 7});
  CHECK_FALSE(fs::exists(stale));
  CHECK(fs::exists(fresh));
  // What is kept still reads back.
  REQUIRE(CacheRead(dir, 5, &back));
  CHECK(back == "entry 5");
}

TEST_CASE("multi_regex: byte patterns are matched byte by byte, as they stand", "[multi_regex]") {
  // [\x80-\xff]+ stands for "non-ASCII letters": in byte mode it matches
  // the bytes of any of them; a pattern Hyperscan takes only approximately
  // (a backreference) is retried in prefilter mode.
  std::vector<bool> accepted;
  auto db = MultiRegex::Build(
      {{"^\\x42\\x79 [\\x80-\\xff]+$", false, true}, {"(\\x61)\\1", false, true}}, &accepted);
  REQUIRE(db != nullptr);
  CHECK(accepted[0]);
  CHECK(accepted[1]);
  MultiScratch scratch;
  scratch.Fit(*db);
  Ends ends;
  std::string text = "x\nBy \xc5\x81\xc3\x93\xc5\xb9\nBy Lodz\naa";  // By ŁÓŹ
  REQUIRE(db->Scan(scratch, text, &Ends::Sink, &ends));
  CHECK(ends.Has(0, 11));
  for (auto& e : ends.v) CHECK((e.first != 0 || e.second <= 11));  // not "By Lodz"
  CHECK(ends.Has(1, text.size()));                                 // "aa"
}

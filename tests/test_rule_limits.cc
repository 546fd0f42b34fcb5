// Rule files that are too big, too deep, looped or malformed, and a prefilter
// cache directory that is not to be trusted (issue 21): each is a clear
// `file:line: error:` (exit 2) or a cache miss, never a hang or a crash.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "cleaner/base/options.h"
#include "cleaner/match/prefilter/prefilter.h"
#include "cleaner/match/prefilter/prefilter_cache.h"
#include "cleaner/ruleset/regex_lint.h"
#include "cleaner/ruleset/rule_set.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace clean;
using clean::testing::kP1;
using clean::testing::RulesDir;
using clean::testing::RunClean;
using clean::testing::TempDir;
using clean::testing::WriteFile;

namespace {

// The diagnostics of loading `dir` (REQUIREs that it fails to load).
Diagnostics LoadFails(const std::string& dir) {
  Diagnostics d;
  auto rs = RuleSet::Load(dir, Options(), &d);
  INFO(d.Format());
  REQUIRE(rs == nullptr);
  return d;
}

bool Says(const Diagnostics& d, const std::string& what) {
  return d.Format().find(what) != std::string::npos;
}

}  // namespace

TEST_CASE("rule limits: an include tree that doubles per level is refused", "[rule_limits]") {
  // 16 files of two includes each: 32,768 copies of one rule.
  std::string rules = RulesDir("", "bomb.rules", "source bomb\ninclude shared/b0.rules\n");
  fs::create_directories(rules + "/shared");
  const int levels = 16;
  for (int k = 0; k < levels; ++k)
    WriteFile(rules + "/shared/b" + std::to_string(k) + ".rules",
              k + 1 < levels ? "include b" + std::to_string(k + 1) + ".rules\ninclude b" +
                                   std::to_string(k + 1) + ".rules\n"
                             : "line bomb.leaf navigation /^leaf word$/\n");
  Diagnostics d = LoadFails(rules);
  CHECK(d.items.size() == 1);
  CHECK(Says(d, "error: the rule set expands past " + std::to_string(kMaxRules) + " rules"));
  CHECK(Says(d, "rules/shared/b1"));
  auto r = RunClean({"--rules", rules, "-"}, kP1 + "\n");
  REQUIRE_EXIT(r, 2);
  CHECK(r.err.find("error: the rule set expands past") != std::string::npos);
  // Includes of a file without rules count as well.
  std::string many = "source many\n";
  for (size_t i = 0; i <= kMaxRules; ++i) many += "include shared/empty.rules\n";
  rules = RulesDir("", "many.rules", many);
  fs::create_directories(rules + "/shared");
  WriteFile(rules + "/shared/empty.rules", "# nothing\n");
  d = LoadFails(rules);
  CHECK(Says(d, "many.rules:" + std::to_string(kMaxRules + 2) + ":9: error: the rule set expands"));
}

TEST_CASE("rule limits: includes nested too deep are refused", "[rule_limits]") {
  std::string rules = RulesDir("", "deep.rules", "source deep\ninclude shared/d0.rules\n");
  fs::create_directories(rules + "/shared");
  for (int k = 0; k < kMaxIncludeDepth + 4; ++k)
    WriteFile(rules + "/shared/d" + std::to_string(k) + ".rules",
              "include d" + std::to_string(k + 1) + ".rules\n");
  WriteFile(rules + "/shared/d" + std::to_string(kMaxIncludeDepth + 4) + ".rules",
            "line deep.x navigation \"x\"\n");
  Diagnostics d = LoadFails(rules);
  CHECK(Says(d, ":1:9: error: includes nested deeper than " + std::to_string(kMaxIncludeDepth)));
}

TEST_CASE("rule limits: a rule file over the size limit is refused", "[rule_limits]") {
  std::string big = "source big\n";
  while (big.size() <= kMaxRuleFileBytes) big += "# a comment line of a file that is too big\n";
  std::string rules = RulesDir("", "big.rules", big);
  Diagnostics d = LoadFails(rules);
  CHECK(Says(d, "big.rules: error: cannot read rule file: " + std::to_string(big.size()) +
                    " bytes is over the limit"));
}

TEST_CASE("rule limits: an include through a directory loop is an error, not a crash",
          "[rule_limits]") {
  // loop -> . : "loop/x.rules" is x.rules again, by another name each time.
  std::string rules = RulesDir("", "x.rules", "source x\ninclude loop/x.rules\n");
  fs::create_directory_symlink(".", rules + "/loop");
  Diagnostics d = LoadFails(rules);
  CHECK(Says(d, "x.rules:2:9: error: include cycle"));
  auto r = RunClean({"--rules", rules, "-"}, kP1 + "\n");
  REQUIRE_EXIT(r, 2);
  CHECK(r.err.find("x.rules:2:9: error: include cycle") != std::string::npos);
}

TEST_CASE("rule limits: a symlink loop as a rule file or an include is an error", "[rule_limits]") {
  std::string rules = RulesDir("", "y.rules", "source y\ninclude shared/self.rules\n");
  fs::create_directories(rules + "/shared");
  fs::create_symlink("self.rules", rules + "/shared/self.rules");
  fs::create_symlink("z.rules", rules + "/z.rules");  // a rule file that is a loop
  Diagnostics d = LoadFails(rules);
  CHECK(Says(d, "y.rules:2:9: error: cannot read included file 'shared/self.rules'"));
  CHECK(Says(d, "z.rules: error: cannot read rule file"));
  auto r = RunClean({"--rules", rules, "--check-rules"});
  REQUIRE_EXIT(r, 2);
}

TEST_CASE("rule files: a UTF-8 BOM at the start is skipped", "[rule_limits]") {
  std::string rules =
      RulesDir("", "bom.rules", "\xEF\xBB\xBFsource bom\nline bom.x navigation \"Menu\"\n");
  Diagnostics d;
  auto rs = RuleSet::Load(rules, Options(), &d);
  INFO(d.Format());
  REQUIRE(rs != nullptr);
  CHECK(rs->FindSource("bom") != nullptr);
}

TEST_CASE("rule files: NUL or invalid UTF-8 in quoted text or a regex is an error",
          "[rule_limits]") {
  Diagnostics d;
  ParseRuleFile("a.rules", std::string("line a.x navigation \"Me\0nu\"\n", 27), &d);
  CHECK(d.Format().find("a.rules:1:24: error: NUL byte in quoted text") != std::string::npos);
  d = {};
  ParseRuleFile("a.rules", "line a.y navigation /Men\xff/\n", &d);
  CHECK(d.Format().find("a.rules:1:25: error: regex: UTF-8 error: invalid byte sequence") !=
        std::string::npos);
  d = {};
  ParseRuleFile("a.rules", "expect keep \"caf\xc3\"\n", &d);
  CHECK(d.Format().find("a.rules:1:17: error: invalid UTF-8 in quoted text") != std::string::npos);
  d = {};  // valid UTF-8, escaped or not, is fine
  ParseRuleFile("a.rules", "line a.z navigation /caf\\\xc3\xa9 \xc2\xbb/\n", &d);
  CHECK(d.items.empty());
}

TEST_CASE("rule files: --check-rules warns about a regex that matches every line",
          "[rule_limits]") {
  CHECK(MatchesEveryLine(".", false));
  CHECK(MatchesEveryLine("[\\s\\S]", false));
  CHECK_FALSE(MatchesEveryLine("\\w", false));   // not "|"
  CHECK_FALSE(MatchesEveryLine("[a-z]", true));  // not "2024"
  CHECK_FALSE(MatchesEveryLine("^Menu$", false));
  std::string rules = RulesDir("line g.all navigation /./\nline g.ok navigation /^Menu$/\n");
  auto r = RunClean({"--rules", rules, "--check-rules"});
  REQUIRE_EXIT(r, 0);
  CHECK(r.err.find("generic.rules:1:24: warning: regex matches every line") != std::string::npos);
  CHECK(r.err.find("generic.rules:2") == std::string::npos);
}

TEST_CASE("prefilter cache: a FIFO in place of an entry is a miss, not a hang",
          "[rule_limits][cache]") {
  const std::string dir = TempDir() + "/cache";
  CacheWrite(dir, 42, "payload", kMaxCacheEntries, "id");
  std::vector<fs::path> entries;
  for (const auto& e : fs::directory_iterator(dir)) entries.push_back(e.path());
  REQUIRE(entries.size() == 1);
  fs::remove(entries[0]);
  REQUIRE(mkfifo(entries[0].c_str(), 0600) == 0);
  std::string back;
  CHECK_FALSE(CacheRead(dir, 42, &back, "id"));
  // A symlink to a good entry is not followed either.
  CacheWrite(dir, 43, "payload", kMaxCacheEntries, "id");
  std::vector<fs::path> now;
  for (const auto& e : fs::directory_iterator(dir)) now.push_back(e.path());
  for (const auto& p : now) {
    if (p == entries[0]) continue;
    fs::rename(p, p.string() + ".real");
    fs::create_symlink(p.filename().string() + ".real", p);
  }
  CHECK_FALSE(CacheRead(dir, 43, &back, "id"));
}

TEST_CASE("prefilter cache: an entry is read only for the identity it was built from",
          "[rule_limits][cache]") {
  const std::string dir = TempDir() + "/cache";
  CacheWrite(dir, 7, "database of A", kMaxCacheEntries, "patterns A");
  std::string back;
  CHECK_FALSE(CacheRead(dir, 7, &back, "patterns B"));  // same key, other patterns
  CHECK_FALSE(CacheRead(dir, 7, &back, "patterns A, and more"));
  REQUIRE(CacheRead(dir, 7, &back, "patterns A"));
  CHECK(back == "database of A");
}

TEST_CASE("prefilter cache: the directory is private, else it is not used",
          "[rule_limits][cache]") {
  const std::string dir = TempDir() + "/fresh/cache";
  CacheWrite(dir, 1, "one", kMaxCacheEntries, "id");
  struct stat st;
  REQUIRE(stat(dir.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  std::string back;
  REQUIRE(CacheRead(dir, 1, &back, "id"));
  // An entry others may write is not read.
  fs::path entry = fs::directory_iterator(dir)->path();
  fs::permissions(entry, fs::perms::others_write, fs::perm_options::add);
  CHECK_FALSE(CacheRead(dir, 1, &back, "id"));
  fs::permissions(entry, fs::perms::others_write, fs::perm_options::remove);
  REQUIRE(CacheRead(dir, 1, &back, "id"));
  // Nor is anything in a directory others may write, and nothing is written there.
  fs::permissions(dir, fs::perms::all, fs::perm_options::replace);
  CHECK_FALSE(CacheDirIsPrivate(dir, false));
  CHECK_FALSE(CacheRead(dir, 1, &back, "id"));
  CacheWrite(dir, 2, "two", kMaxCacheEntries, "id");
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  CHECK(n == 1);
  // The prefilter built there is the one built without a cache.
  std::vector<Prefilter::Regex> regexes = {{100, "^Menu$", false, true},
                                           {101, "newsletter \\d+", true, true}};
  Prefilter cold = Prefilter::Build(regexes, "");
  Prefilter there = Prefilter::Build(regexes, dir);
  CHECK(there.RouteOf(100) == cold.RouteOf(100));
  CHECK(there.RouteOf(101) == cold.RouteOf(101));
  n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  CHECK(n == 1);
  if (geteuid() == 0) {  // as root (CI): a directory of another user's
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace);
    REQUIRE(CacheRead(dir, 1, &back, "id"));
    REQUIRE(chown(dir.c_str(), 65534, 65534) == 0);
    CHECK_FALSE(CacheRead(dir, 1, &back, "id"));
  }
}

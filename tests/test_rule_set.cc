// RuleSet::Load on temporary rules directories: what is checked at load time
// (regexes, ids, includes, options, sources) and what a loaded set holds.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "cleaner/ruleset/rule_set.h"
#include "tests/test_support.h"

namespace fs = std::filesystem;
using namespace clean;
using clean::testing::TempDir;
using clean::testing::WriteFile;

namespace {

// A rules directory named "rules" (so diagnostics show "rules/NAME"), with a
// small English stop-word list.
struct RulesDir {
  std::string root;
  RulesDir() {
    root = TempDir() + "/rules";
    fs::create_directories(root + "/stopwords");
    WriteFile(root + "/stopwords/en.txt", "# test list\nthe\na\nof\nand\nto\nin\nis\n");
  }
  RulesDir& Add(const std::string& name, const std::string& text) {
    fs::path p = fs::path(root) / name;
    fs::create_directories(p.parent_path());
    WriteFile(p.string(), text);
    return *this;
  }
  std::unique_ptr<RuleSet> Load(Diagnostics* d, const Options& base = Options()) const {
    return RuleSet::Load(root, base, d);
  }
};

// The ids of a layer's rules, in precedence order.
std::vector<std::string> Ids(const RuleSet& rs, const Layer& layer) {
  std::vector<std::string> ids;
  for (const auto& r : layer.rules) ids.push_back(rs.deciders()[r.decider].id);
  return ids;
}

const Diagnostic* FindDiag(const Diagnostics& d, const std::string& needle) {
  for (const auto& x : d.items)
    if (x.message.find(needle) != std::string::npos) return &x;
  return nullptr;
}

}  // namespace

TEST_CASE("rule_set: a bad regex reports file:line:col at the PCRE2 error offset", "[rule_set]") {
  struct Case {
    const char* rule;  // on line 2 of t.rules
    int column;        // where the problem is
    const char* message;
  };
  // "line t.bad caption /" is 20 bytes: the pattern starts at column 21.
  const std::vector<Case> kCases = {
      // The group is never closed: the problem is at the end of the pattern.
      {"line t.bad caption /Photo (by/", 30, "missing closing parenthesis"},
      // A ')' with no '(': the column of that ')'.
      {"line t.bad caption /a)b/", 22, "unmatched closing parenthesis"},
      // "\/" is one byte in the pattern but two in the file: still the ')'.
      {"line t.bad caption /x\\/y)z/", 25, "unmatched closing parenthesis"},
      {"line t.bad caption /ab\\/cd\\/ef)/i", 31, "unmatched closing parenthesis"},
      // Quantifier numbers out of order: PCRE2 points at the closing brace.
      {"line t.bad caption /a{3,1}/", 26, "out of order"},
  };
  for (const auto& c : kCases) {
    INFO("rule: " << c.rule);
    RulesDir dir;
    dir.Add("t.rules", std::string("# test\n") + c.rule + "\n");
    Diagnostics d;
    auto rs = dir.Load(&d);
    INFO(d.Format());
    CHECK(rs == nullptr);
    REQUIRE(d.items.size() == 1);
    const Diagnostic& g = d.items[0];
    CHECK(g.file == "rules/t.rules");
    CHECK(g.line == 2);
    CHECK(g.column == c.column);
    CHECK_THAT(g.message, Catch::StartsWith("regex: ") && Catch::Contains(c.message));
    CHECK(g.source_line == c.rule);
    CHECK_THAT(d.Format(), Catch::StartsWith("rules/t.rules:2:" + std::to_string(c.column) +
                                             ": error: regex: "));
  }
}

TEST_CASE("rule_set: a regex that can match the empty string is rejected", "[rule_set]") {
  for (const char* rule : {"line t.empty navigation /a*/", "line t.empty navigation /^/",
                           "line t.empty navigation /(?:x|)/", "line t.empty navigation /$/i"}) {
    INFO("rule: " << rule);
    RulesDir dir;
    dir.Add("t.rules", std::string(rule) + "\n");
    Diagnostics d;
    auto rs = dir.Load(&d);
    CHECK(rs == nullptr);
    REQUIRE(d.items.size() == 1);
    CHECK(d.items[0].line == 1);
    CHECK(d.items[0].column == 26);  // the pattern's first byte
    CHECK_THAT(d.items[0].message, Catch::Contains("empty string"));
  }
  // Also a section's end matcher.
  RulesDir dir;
  dir.Add("t.rules", "section t.s navigation start \"A\" end /x?/\n");
  Diagnostics d;
  CHECK(dir.Load(&d) == nullptr);
  REQUIRE(d.items.size() == 1);
  CHECK_THAT(d.items[0].message, Catch::Contains("empty string"));
}

TEST_CASE("rule_set: exact text of only whitespace is rejected", "[rule_set]") {
  RulesDir dir;
  dir.Add("t.rules", "line t.ws navigation \"   \"\n");
  Diagnostics d;
  CHECK(dir.Load(&d) == nullptr);
  REQUIRE(d.items.size() == 1);
  CHECK(d.items[0].line == 1);
  CHECK_THAT(d.items[0].message, Catch::Contains("empty or only whitespace"));
}

TEST_CASE("rule_set: a duplicate rule id across files is rejected", "[rule_set]") {
  RulesDir dir;
  dir.Add("generic.rules", "line dup.x navigation \"Alpha\"\n");
  dir.Add("b.rules", "# b\n\nline dup.x navigation \"Beta\"\n");
  Diagnostics d;
  auto rs = dir.Load(&d);
  INFO(d.Format());
  CHECK(rs == nullptr);
  const Diagnostic* g = FindDiag(d, "duplicate rule id 'dup.x'");
  REQUIRE(g != nullptr);
  CHECK(g->file == "rules/b.rules");
  CHECK(g->line == 3);
  // The message names the first definition.
  CHECK_THAT(g->message, Catch::Contains("rules/generic.rules:1"));
}

TEST_CASE("rule_set: a duplicate id within one file and a fingerprint id clash", "[rule_set]") {
  RulesDir dir;
  dir.Add("a.rules",
          "fingerprint a.one /^Alpha Beta/\n"
          "line a.two navigation \"X\"\n"
          "line a.two navigation \"Y\"\n"
          "line a.one navigation \"Z\"\n");
  Diagnostics d;
  CHECK(dir.Load(&d) == nullptr);
  INFO(d.Format());
  size_t dups = 0;
  for (const auto& x : d.items) dups += x.message.find("duplicate rule id") != std::string::npos;
  CHECK(dups == 2);
}

TEST_CASE("rule_set: an include cycle is rejected", "[rule_set]") {
  RulesDir dir;
  dir.Add("src.rules", "line s.first navigation \"S\"\ninclude shared/a.rules\n");
  dir.Add("shared/a.rules", "line a.rule navigation \"A\"\ninclude b.rules\n");
  dir.Add("shared/b.rules", "line b.rule navigation \"B\"\n\ninclude a.rules\n");
  Diagnostics d;
  auto rs = dir.Load(&d);
  INFO(d.Format());
  CHECK(rs == nullptr);
  const Diagnostic* g = FindDiag(d, "include cycle");
  REQUIRE(g != nullptr);
  CHECK(g->file == "rules/shared/b.rules");
  CHECK(g->line == 3);
  CHECK(g->column == 9);
  // The chain is spelled out.
  CHECK_THAT(g->message, Catch::Contains("rules/src.rules") &&
                             Catch::Contains("rules/shared/a.rules") &&
                             Catch::Contains("rules/shared/b.rules"));
}

TEST_CASE("rule_set: a file that includes itself is a cycle", "[rule_set]") {
  RulesDir dir;
  dir.Add("self.rules", "include self.rules\nline s.x navigation \"X\"\n");
  Diagnostics d;
  CHECK(dir.Load(&d) == nullptr);
  REQUIRE(FindDiag(d, "include cycle") != nullptr);
}

TEST_CASE("rule_set: a missing include is reported at the include line", "[rule_set]") {
  RulesDir dir;
  dir.Add("src.rules", "# x\ninclude shared/nope.rules\n");
  Diagnostics d;
  CHECK(dir.Load(&d) == nullptr);
  const Diagnostic* g = FindDiag(d, "cannot read included file 'shared/nope.rules'");
  REQUIRE(g != nullptr);
  CHECK(g->file == "rules/src.rules");
  CHECK(g->line == 2);
  CHECK(g->column == 9);
}

TEST_CASE("rule_set: an unknown or invalid set option is rejected", "[rule_set]") {
  {
    RulesDir dir;
    dir.Add("src.rules", "source src\nset no_such_option 3\n");
    Diagnostics d;
    CHECK(dir.Load(&d) == nullptr);
    REQUIRE(d.items.size() == 1);
    CHECK(d.items[0].file == "rules/src.rules");
    CHECK(d.items[0].line == 2);
    CHECK(d.items[0].column == 5);
    CHECK_THAT(d.items[0].message, Catch::Contains("unknown option 'no_such_option'"));
  }
  for (const char* bad : {"set repeat_min -1", "set repeat_min 2.5", "set repeat_min lots",
                          "set stopword_high -0.1", "set stopword_high abc"}) {
    INFO(bad);
    RulesDir dir;
    dir.Add("src.rules", std::string(bad) + "\n");
    Diagnostics d;
    CHECK(dir.Load(&d) == nullptr);
    REQUIRE(d.items.size() == 1);
    CHECK_THAT(d.items[0].message, Catch::Contains("non-negative"));
  }
}

TEST_CASE("rule_set: rules/README.md names every option a rule file may set", "[rule_set]") {
  const std::string readme = clean::testing::ReadFile(std::string(CLEAN_RULES_DIR) + "/README.md");
  for (const OptionField& f : OptionFields()) {
    INFO(f.name);
    CHECK(readme.find("`" + std::string(f.name) + "`") != std::string::npos);
    CHECK(!f.doc.empty());
  }
}

TEST_CASE("rule_set: every error of a file is reported", "[rule_set]") {
  RulesDir dir;
  dir.Add("t.rules",
          "line t.ok navigation \"fine\"\n"
          "line t.one bogus \"x\"\n"                   // parse error
          "line t.two navigation /a(/\n"               // regex error
          "line t.three navigation /b*/\n"             // matches empty
          "set nonsense 1\n"                           // unknown option
          "line t.four navigation \"unterminated\n");  // parse error
  dir.Add("u.rules", "line u.one caption /(/\n");      // and another file
  Diagnostics d;
  auto rs = dir.Load(&d);
  INFO(d.Format());
  CHECK(rs == nullptr);
  std::vector<std::pair<std::string, int>> where;
  for (const auto& x : d.items) where.emplace_back(x.file, x.line);
  std::sort(where.begin(), where.end());
  CHECK(where == std::vector<std::pair<std::string, int>>{{"rules/t.rules", 2},
                                                          {"rules/t.rules", 3},
                                                          {"rules/t.rules", 4},
                                                          {"rules/t.rules", 5},
                                                          {"rules/t.rules", 6},
                                                          {"rules/u.rules", 1}});
}

TEST_CASE("rule_set: two bad lines give two diagnostics", "[rule_set]") {
  RulesDir dir;
  dir.Add("t.rules", "line t.a caption /Photo (by/\nline t.b caption /Credit [/\n");
  Diagnostics d;
  CHECK(dir.Load(&d) == nullptr);
  REQUIRE(d.items.size() == 2);
  CHECK(d.items[0].line == 1);
  CHECK(d.items[1].line == 2);
}

TEST_CASE("rule_set: a missing directory or missing stop words is an error", "[rule_set]") {
  {
    Diagnostics d;
    CHECK(RuleSet::Load(TempDir() + "/does-not-exist", Options(), &d) == nullptr);
    REQUIRE(FindDiag(d, "rules directory not found") != nullptr);
  }
  {
    std::string root = TempDir() + "/rules";
    fs::create_directories(root);
    WriteFile(root + "/generic.rules", "line g.x navigation \"X\"\n");
    Diagnostics d;
    CHECK(RuleSet::Load(root, Options(), &d) == nullptr);
    REQUIRE(FindDiag(d, "no stop-word lists") != nullptr);
  }
}

TEST_CASE("rule_set: source names must be unique and not 'generic'", "[rule_set]") {
  {
    RulesDir dir;
    dir.Add("a.rules", "source same\nline a.x navigation \"X\"\n");
    dir.Add("b.rules", "source same\nline b.x navigation \"Y\"\n");
    Diagnostics d;
    CHECK(dir.Load(&d) == nullptr);
    REQUIRE(FindDiag(d, "source 'same' is defined twice") != nullptr);
  }
  {
    RulesDir dir;
    dir.Add("other.rules", "source generic\n");
    Diagnostics d;
    CHECK(dir.Load(&d) == nullptr);
    REQUIRE(FindDiag(d, "'generic' is reserved") != nullptr);
  }
}

TEST_CASE("rule_set: a valid directory loads with its sources", "[rule_set]") {
  RulesDir dir;
  dir.Add("generic.rules",
          "line g.share navigation \"Share\"i\n"
          "set repeat_min 4\n"
          "expect navigation \"share\"\n");
  dir.Add("beta.rules",
          "source beta\n"
          "domain beta.example\n"
          "fingerprint beta.fp /^BETA NEWS/\n"
          "line beta.x caption /^Photo: /\n"
          "set repeat_min 7\n"
          "set stopword_high 0.5\n"
          "expect caption \"Photo: someone\"\n");
  dir.Add("alpha.rules", "line alpha.x ad \"Promo\"\n");
  dir.Add("notes.txt", "not a rule file\n");
  dir.Add("shared/lib.rules", "line lib.x navigation \"Lib\"\n");  // include-only
  Diagnostics d;
  auto rs = dir.Load(&d);
  INFO(d.Format());
  REQUIRE(rs != nullptr);
  CHECK(d.items.empty());

  // Sources in file-name order; shared/ files are not sources.
  REQUIRE(rs->sources().size() == 2);
  CHECK(rs->sources()[0].name == "alpha");  // the file stem
  CHECK(rs->sources()[1].name == "beta");
  CHECK(rs->sources()[0].file == "rules/alpha.rules");
  CHECK(rs->FindSource("beta") == &rs->sources()[1]);
  CHECK(rs->FindSource("lib") == nullptr);
  CHECK(rs->FindSource("generic") == nullptr);
  CHECK(rs->generic().name == "generic");
  CHECK(Ids(*rs, rs->generic().layer) == std::vector<std::string>{"g.share"});

  const Source& beta = rs->sources()[1];
  CHECK(beta.domains == std::vector<std::string>{"beta.example"});
  REQUIRE(beta.fingerprints.size() == 1);
  CHECK(rs->deciders()[beta.fingerprints[0].second].id == "beta.fp");
  CHECK(Ids(*rs, beta.layer) == std::vector<std::string>{"beta.x"});
  REQUIRE(beta.expects.size() == 1);
  CHECK(beta.expects[0].file == "rules/beta.rules");
  CHECK(rs->generic().expects.size() == 1);

  // The rule's decider knows where it came from.
  const Decider& who = rs->deciders()[beta.layer.rules[0].decider];
  CHECK(who.kind == Decider::Kind::kSourceRule);
  CHECK(who.where() == "rules/beta.rules:4");
  const Decider& gen = rs->deciders()[rs->generic().layer.rules[0].decider];
  CHECK(gen.kind == Decider::Kind::kGenericRule);
  CHECK(gen.where() == "rules/generic.rules:1");

  // The heuristics are the first deciders.
  REQUIRE(rs->deciders().size() > 1);
  CHECK(rs->deciders()[0].id == "input.date-header");
  CHECK(rs->deciders()[0].file.empty());

  // Stop words were loaded.
  REQUIRE(rs->lexicon().languages() == std::vector<std::string>{"en"});
  CHECK(rs->lexicon().Lookup("the") == 1);
  CHECK(rs->lexicon().Lookup("zebra") == 0);

  // The detection plan holds the fingerprint; the source plan holds the
  // source's and the generic layer's matchers.
  CHECK(rs->detect_plan().regexes.size() == 1);
  CHECK(beta.plan.regexes.size() == 1);
  CHECK(beta.plan.exact.count("share") == 1);  // caseless: stored lower-cased
}

TEST_CASE("rule_set: set overrides reach Source::options", "[rule_set]") {
  RulesDir dir;
  dir.Add("generic.rules", "set repeat_min 4\nset region_bad_penalty 12.5\n");
  dir.Add("beta.rules", "set repeat_min 7\nset stopword_high 0.5\n");
  dir.Add("gamma.rules", "line gamma.x navigation \"G\"\n");
  Options base;
  base.long_line_chars = 99;
  Diagnostics d;
  auto rs = dir.Load(&d, base);
  INFO(d.Format());
  REQUIRE(rs != nullptr);
  const Options& g = rs->generic().options;
  CHECK(g.repeat_min == 4);
  CHECK(g.region_bad_penalty == Approx(12.5));
  CHECK(g.long_line_chars == 99);  // the base passes through
  const Options& b = rs->FindSource("beta")->options;
  CHECK(b.repeat_min == 7);  // the source's own override wins
  CHECK(b.stopword_high == Approx(0.5));
  CHECK(b.region_bad_penalty == Approx(12.5));  // the generic override still applies
  CHECK(b.long_line_chars == 99);
  const Options& c = rs->FindSource("gamma")->options;
  CHECK(c.repeat_min == 4);
  CHECK(c.stopword_high == Approx(Options().stopword_high));
}

TEST_CASE("rule_set: include splices rules in place", "[rule_set]") {
  RulesDir dir;
  dir.Add("src.rules",
          "line s.first navigation \"One\"\n"
          "include shared/common.rules\n"
          "line s.last navigation \"Four\"\n");
  dir.Add("shared/common.rules",
          "line c.second navigation \"Two\"\n"
          "include nested.rules\n");
  dir.Add("shared/nested.rules", "section n.third headline_list start \"Three\" end eof\n");
  // A second source including the same file shares its rules (no duplicate id).
  dir.Add("other.rules", "include shared/common.rules\nline o.own ad \"Mine\"\n");
  Diagnostics d;
  auto rs = dir.Load(&d);
  INFO(d.Format());
  REQUIRE(rs != nullptr);
  CHECK(Ids(*rs, rs->FindSource("src")->layer) ==
        std::vector<std::string>{"s.first", "c.second", "n.third", "s.last"});
  CHECK(Ids(*rs, rs->FindSource("other")->layer) ==
        std::vector<std::string>{"c.second", "n.third", "o.own"});
  // Included rules are named by their own file.
  const auto& layer = rs->FindSource("src")->layer;
  CHECK(rs->deciders()[layer.rules[1].decider].where() == "rules/shared/common.rules:1");
  CHECK(rs->deciders()[layer.rules[2].decider].where() == "rules/shared/nested.rules:1");
  CHECK(layer.rules[2].kind == RuleSpec::Kind::kSection);
  CHECK(layer.rules[2].ends.size() == 1);
}

TEST_CASE("rule_set: the project's rules load", "[rule_set]") {
  const RuleSet& rs = clean::testing::ProjectRules();
  for (const char* name : {"upi", "reuters", "syndicated", "ukrainska_pravda"}) {
    INFO(name);
    const Source* s = rs.FindSource(name);
    REQUIRE(s != nullptr);
    CHECK_FALSE(s->layer.rules.empty());
    CHECK_FALSE(s->fingerprints.empty());
  }
  CHECK_FALSE(rs.generic().layer.rules.empty());
  CHECK(rs.lexicon().languages().size() >= 2);
}

// The rule-file parser (cleaner/ruleset/rule_file.h), table driven in the style of
// re2's parse_test: rule-file text in, parsed structure (or the position and
// text of the error) out. Meaning (regex compilation, ids, includes) is the
// rule set's job and is tested in test_rule_set.cc.
#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cleaner/ruleset/rule_file.h"

using namespace clean;

namespace {

using RK = RuleSpec::Kind;
using MK = MatcherSpec::Kind;
using EK = SectionEnd::Kind;

struct GoodRule {
  const char* text;
  RK kind;
  const char* id;
  LineClass cls;
  MK matcher_kind;
  const char* matcher_text;
  bool caseless;
  bool header_in_section;  // only checked for sections
  std::vector<EK> ends;    // section ends, in order
  const char* field;
};

const std::vector<GoodRule>& GoodRules() {
  static const std::vector<GoodRule> kRules = {
      // Line rules: exact text, regex, flags, fields.
      {R"(line a.b navigation "Share")",
       RK::kLine,
       "a.b",
       LineClass::kNavigation,
       MK::kExact,
       "Share",
       false,
       true,
       {},
       ""},
      {R"(line x caption "Photo"i)",
       RK::kLine,
       "x",
       LineClass::kCaption,
       MK::kExact,
       "Photo",
       true,
       true,
       {},
       ""},
      {R"(line x ad /^Sponsored$/)",
       RK::kLine,
       "x",
       LineClass::kAd,
       MK::kRegex,
       "^Sponsored$",
       false,
       true,
       {},
       ""},
      {R"(line x ad /^sponsored$/i)",
       RK::kLine,
       "x",
       LineClass::kAd,
       MK::kRegex,
       "^sponsored$",
       true,
       true,
       {},
       ""},
      {R"(line up.date meta /^\d+$/ as date)",
       RK::kLine,
       "up.date",
       LineClass::kMeta,
       MK::kRegex,
       R"(^\d+$)",
       false,
       true,
       {},
       "date"},
      {R"(line by meta /^By / as byline)",
       RK::kLine,
       "by",
       LineClass::kMeta,
       MK::kRegex,
       "^By ",
       false,
       true,
       {},
       "byline"},
      {R"(line t title "The Title"i as title)",
       RK::kLine,
       "t",
       LineClass::kTitle,
       MK::kExact,
       "The Title",
       true,
       true,
       {},
       "title"},
      {R"(line c navigation /^\d+ Comments$/ as comments)",
       RK::kLine,
       "c",
       LineClass::kNavigation,
       MK::kRegex,
       R"(^\d+ Comments$)",
       false,
       true,
       {},
       "comments"},
      {R"(line l navigation "Comments" as comments-label)",
       RK::kLine,
       "l",
       LineClass::kNavigation,
       MK::kExact,
       "Comments",
       false,
       true,
       {},
       "comments-label"},
      {R"(line h headline_list "Latest")",
       RK::kLine,
       "h",
       LineClass::kHeadlineList,
       MK::kExact,
       "Latest",
       false,
       true,
       {},
       ""},
      {R"(line b body "keep me")",
       RK::kLine,
       "b",
       LineClass::kBody,
       MK::kExact,
       "keep me",
       false,
       true,
       {},
       ""},
      // Ids: letters, digits, '_', '.', '-'.
      {R"(line Src_2.rule-x9 meta "x")",
       RK::kLine,
       "Src_2.rule-x9",
       LineClass::kMeta,
       MK::kExact,
       "x",
       false,
       true,
       {},
       ""},
      // Escapes: \" and \\ in strings; \/ in regexes; other escapes stay for PCRE2.
      {R"(line q body "say \"hi\"")",
       RK::kLine,
       "q",
       LineClass::kBody,
       MK::kExact,
       R"(say "hi")",
       false,
       true,
       {},
       ""},
      {R"(line q body "back\\slash")",
       RK::kLine,
       "q",
       LineClass::kBody,
       MK::kExact,
       R"(back\slash)",
       false,
       true,
       {},
       ""},
      {R"(line q body "a\nb")",
       RK::kLine,
       "q",
       LineClass::kBody,
       MK::kExact,
       R"(a\nb)",
       false,
       true,
       {},
       ""},
      {R"(line q body /a\/b/)",
       RK::kLine,
       "q",
       LineClass::kBody,
       MK::kRegex,
       "a/b",
       false,
       true,
       {},
       ""},
      {R"(line q body /\d\.\s"x"/)",
       RK::kLine,
       "q",
       LineClass::kBody,
       MK::kRegex,
       R"(\d\.\s"x")",
       false,
       true,
       {},
       ""},
      {R"(line q body "a/b")",
       RK::kLine,
       "q",
       LineClass::kBody,
       MK::kExact,
       "a/b",
       false,
       true,
       {},
       ""},
      // '#' inside a pattern is text; after the directive it starts a comment.
      {R"(line q body "C# news")",
       RK::kLine,
       "q",
       LineClass::kBody,
       MK::kExact,
       "C# news",
       false,
       true,
       {},
       ""},
      {R"(line q body "x"   # a comment)",
       RK::kLine,
       "q",
       LineClass::kBody,
       MK::kExact,
       "x",
       false,
       true,
       {},
       ""},
      {R"(line q meta "x" as date # a comment)",
       RK::kLine,
       "q",
       LineClass::kMeta,
       MK::kExact,
       "x",
       false,
       true,
       {},
       "date"},
      // Whitespace: leading spaces, tabs between tokens, CRLF line ending.
      {"   line q body \"x\"",
       RK::kLine,
       "q",
       LineClass::kBody,
       MK::kExact,
       "x",
       false,
       true,
       {},
       ""},
      {"line\tq\tnavigation\t\"x y\"",
       RK::kLine,
       "q",
       LineClass::kNavigation,
       MK::kExact,
       "x y",
       false,
       true,
       {},
       ""},
      {"line q body \"x\"\r",
       RK::kLine,
       "q",
       LineClass::kBody,
       MK::kExact,
       "x",
       false,
       true,
       {},
       ""},
      // Sections: start/after and every kind of end.
      {R"(section s.latest headline_list start "Latest Headlines" end "Trending" end eof)",
       RK::kSection,
       "s.latest",
       LineClass::kHeadlineList,
       MK::kExact,
       "Latest Headlines",
       false,
       true,
       {EK::kMatch, EK::kEof},
       ""},
      {R"(section s navigation after /^Tags$/i end blank end body)",
       RK::kSection,
       "s",
       LineClass::kNavigation,
       MK::kRegex,
       "^Tags$",
       true,
       false,
       {EK::kBlank, EK::kBody},
       ""},
      {R"(section s ad start "Ad"i end /^End$/ end blank end body end eof)",
       RK::kSection,
       "s",
       LineClass::kAd,
       MK::kExact,
       "Ad",
       true,
       true,
       {EK::kMatch, EK::kBlank, EK::kBody, EK::kEof},
       ""},
      {R"(section s caption after "Gallery" end eof  # comment)",
       RK::kSection,
       "s",
       LineClass::kCaption,
       MK::kExact,
       "Gallery",
       false,
       false,
       {EK::kEof},
       ""},
  };
  return kRules;
}

}  // namespace

TEST_CASE("rule_file: table of valid rules", "[rule_file]") {
  for (const GoodRule& t : GoodRules()) {
    INFO("rule text: " << t.text);
    Diagnostics d;
    RuleFile f = ParseRuleFile("rules/t.rules", t.text, &d);
    INFO(d.Format());
    REQUIRE(d.items.empty());
    REQUIRE(f.entries.size() == 1);
    const RuleEntry& e = f.entries[0];
    REQUIRE(e.rule.has_value());
    CHECK(e.include.empty());
    CHECK(e.line == 1);
    const RuleSpec& r = *e.rule;
    CHECK(r.kind == t.kind);
    CHECK(r.id == t.id);
    CHECK(ClassName(r.cls) == ClassName(t.cls));
    CHECK(r.matcher.kind == t.matcher_kind);
    CHECK(r.matcher.text == t.matcher_text);
    CHECK(r.matcher.caseless == t.caseless);
    CHECK(r.matcher.line == 1);
    CHECK(r.field == t.field);
    CHECK(r.line == 1);
    if (t.kind == RK::kSection) {
      CHECK(r.header_in_section == t.header_in_section);
      REQUIRE(r.ends.size() == t.ends.size());
      for (size_t i = 0; i < t.ends.size(); ++i) {
        INFO("end #" << i);
        CHECK(r.ends[i].kind == t.ends[i]);
      }
    } else {
      CHECK(r.ends.empty());
    }
  }
}

TEST_CASE("rule_file: section end matchers are parsed with their text", "[rule_file]") {
  Diagnostics d;
  RuleFile f = ParseRuleFile(
      "t.rules", R"(section s headline_list start "A" end "Stop here"i end /^x\/y$/ end eof)", &d);
  REQUIRE(d.items.empty());
  REQUIRE(f.entries.size() == 1);
  const RuleSpec& r = *f.entries[0].rule;
  REQUIRE(r.ends.size() == 3);
  CHECK(r.ends[0].kind == EK::kMatch);
  CHECK(r.ends[0].matcher.kind == MK::kExact);
  CHECK(r.ends[0].matcher.text == "Stop here");
  CHECK(r.ends[0].matcher.caseless);
  CHECK(r.ends[1].kind == EK::kMatch);
  CHECK(r.ends[1].matcher.kind == MK::kRegex);
  CHECK(r.ends[1].matcher.text == "^x/y$");
  CHECK_FALSE(r.ends[1].matcher.caseless);
  CHECK(r.ends[2].kind == EK::kEof);
}

TEST_CASE("rule_file: matcher positions point just after the opening quote", "[rule_file]") {
  Diagnostics d;
  // Column is 1-based and counts bytes; line 3 because of the two lines above.
  RuleFile f =
      ParseRuleFile("t.rules", "# comment\n\nline x body \"abc\"\n  line y meta /z/\n", &d);
  REQUIRE(d.items.empty());
  REQUIRE(f.entries.size() == 2);
  CHECK(f.entries[0].line == 3);
  CHECK(f.entries[0].rule->matcher.line == 3);
  CHECK(f.entries[0].rule->matcher.column == 14);  // "line x body " is 12 bytes, '"' at 13
  CHECK(f.entries[1].line == 4);
  CHECK(f.entries[1].rule->matcher.line == 4);
  CHECK(f.entries[1].rule->matcher.column == 16);  // "  line y meta " is 14 bytes, '/' at 15
  // Every line of the file is kept for caret display.
  REQUIRE(f.lines.size() >= 4);
  CHECK(f.lines[2] == "line x body \"abc\"");
  CHECK(f.lines[3] == "  line y meta /z/");
}

namespace {

struct GoodExpect {
  const char* text;
  ExpectSpec::Want want;
  LineClass cls;  // for kClass
  const char* line;
  std::optional<std::string> after;
};

}  // namespace

TEST_CASE("rule_file: table of valid expectations", "[rule_file]") {
  using W = ExpectSpec::Want;
  const std::vector<GoodExpect> kExpects = {
      {R"(expect meta "10:50")", W::kClass, LineClass::kMeta, "10:50", std::nullopt},
      {R"(expect headline_list "A headline" after "Latest")", W::kClass, LineClass::kHeadlineList,
       "A headline", std::string("Latest")},
      {R"(expect keep "Body text.")", W::kKeep, LineClass::kBody, "Body text.", std::nullopt},
      {R"(expect remove "Share")", W::kRemove, LineClass::kBody, "Share", std::nullopt},
      {R"(expect body "He said \"no\".")", W::kClass, LineClass::kBody, R"(He said "no".)",
       std::nullopt},
      {R"(expect navigation "x"   after   "y"  # comment)", W::kClass, LineClass::kNavigation, "x",
       std::string("y")},
  };
  for (const auto& t : kExpects) {
    INFO("expect text: " << t.text);
    Diagnostics d;
    RuleFile f = ParseRuleFile("t.rules", t.text, &d);
    INFO(d.Format());
    REQUIRE(d.items.empty());
    REQUIRE(f.expects.size() == 1);
    const ExpectSpec& x = f.expects[0];
    CHECK(x.want == t.want);
    if (t.want == W::kClass) CHECK(ClassName(x.cls) == ClassName(t.cls));
    CHECK(x.text == t.line);
    CHECK(x.after == t.after);
    CHECK(x.line == 1);
    CHECK(f.entries.empty());
  }
}

TEST_CASE("rule_file: source, domain, fingerprint, set and include directives", "[rule_file]") {
  const char* text =
      "# header comment\n"
      "source upi\n"
      "domain upi.com www.upi.com\n"
      "domain example.org\n"
      "fingerprint upi.fp /\\(UPI\\) -- /\n"
      "set repeat_min 3\n"
      "line a navigation \"A\"\n"
      "include shared/common.rules\n"
      "line b navigation \"B\"\n";
  Diagnostics d;
  RuleFile f = ParseRuleFile("rules/whatever.rules", text, &d);
  INFO(d.Format());
  REQUIRE(d.items.empty());
  CHECK(f.path == "rules/whatever.rules");
  CHECK(f.source == "upi");
  CHECK(f.domains == std::vector<std::string>{"upi.com", "www.upi.com", "example.org"});
  REQUIRE(f.fingerprints.size() == 1);
  CHECK(f.fingerprints[0].id == "upi.fp");
  CHECK(f.fingerprints[0].matcher.kind == MK::kRegex);
  CHECK(f.fingerprints[0].matcher.text == R"(\(UPI\) -- )");
  CHECK(f.fingerprints[0].line == 5);
  REQUIRE(f.sets.size() == 1);
  CHECK(f.sets[0].name == "repeat_min");
  CHECK(f.sets[0].value == "3");
  CHECK(f.sets[0].line == 6);
  CHECK(f.sets[0].column == 5);
  // Rules and includes keep their order: the include is spliced in place later.
  REQUIRE(f.entries.size() == 3);
  REQUIRE(f.entries[0].rule);
  CHECK(f.entries[0].rule->id == "a");
  CHECK_FALSE(f.entries[1].rule);
  CHECK(f.entries[1].include == "shared/common.rules");
  CHECK(f.entries[1].line == 8);
  CHECK(f.entries[1].column == 9);
  REQUIRE(f.entries[2].rule);
  CHECK(f.entries[2].rule->id == "b");
}

TEST_CASE("rule_file: the source name defaults to the file stem", "[rule_file]") {
  Diagnostics d;
  RuleFile f = ParseRuleFile("rules/ukrainska_pravda.rules", "line a navigation \"A\"\n", &d);
  REQUIRE(d.items.empty());
  CHECK(f.source == "ukrainska_pravda");
}

TEST_CASE("rule_file: comments and blank lines produce nothing", "[rule_file]") {
  Diagnostics d;
  RuleFile f = ParseRuleFile("t.rules", "# only a comment\n\n   \n\t# indented comment\n", &d);
  CHECK(d.items.empty());
  CHECK(f.entries.empty());
  CHECK(f.expects.empty());
  CHECK(f.sets.empty());
  CHECK(f.fingerprints.empty());
  CHECK(f.domains.empty());
}

namespace {

struct BadCase {
  const char* text;
  int line, column;
  const char* message;  // a substring of the error
};

}  // namespace

TEST_CASE("rule_file: table of syntax errors with line and column", "[rule_file]") {
  const std::vector<BadCase> kBad = {
      // Unknown directive.
      {"frobnicate x", 1, 1, "unknown directive 'frobnicate'"},
      {"  Line x body \"a\"", 1, 3, "unknown directive 'Line'"},
      // Unknown class.
      {"line x.y bogus \"a\"", 1, 10, "unknown class 'bogus'"},
      {"line\tx\tbogus \"a\"", 1, 8, "unknown class 'bogus'"},
      {"section s nav start \"A\" end eof", 1, 11, "unknown class 'nav'"},
      {"# c\n\n   line x bogus \"a\"", 3, 11, "unknown class 'bogus'"},
      // Bad id characters.
      {"line a/b body \"x\"", 1, 6, "rule id 'a/b' may hold only"},
      {"line a:b body \"x\"", 1, 6, "may hold only letters, digits"},
      {"fingerprint f?p /x/", 1, 13, "rule id 'f?p'"},
      {"source bad/name", 1, 8, "may hold only"},
      // Unterminated string / regex (the column is the opening quote).
      {"line x body \"abc", 1, 13, "unterminated string"},
      {"line x body \"abc\\\"", 1, 13, "unterminated string"},
      {"line x body /abc", 1, 13, "unterminated regex"},
      {"line x body /abc\\/", 1, 13, "unterminated regex"},
      // Unknown flag.
      {"line x body /abc/g", 1, 18, "unknown flag 'g'"},
      {"line x body \"abc\"x", 1, 18, "unknown flag 'x'"},
      {"line x body /abc/ig", 1, 19, "unknown flag 'g'"},
      // Empty pattern.
      {"line x body \"\"", 1, 13, "empty pattern"},
      {"line x body //", 1, 13, "empty pattern"},
      {"section s headline_list start \"A\" end \"\"", 1, 39, "empty pattern"},
      // Missing pieces.
      {"line x body", 1, 12, "expected \"exact text\" or /regex/"},
      {"line", 1, 5, "expected a rule id"},
      {"set repeat_min", 1, 15, "expected a value"},
      // Section without end, unknown section end, bad start keyword.
      {"section s headline_list start \"Latest\"", 1, 39, "has no way to end"},
      {"section s headline_list start \"A\" end never", 1, 39, "unknown section end 'never'"},
      {"section s headline_list start \"A\" until eof", 1, 35, "expected 'end', got 'until'"},
      {"section s headline_list begin \"A\" end eof", 1, 25,
       "expected 'start' or 'after', got 'begin'"},
      // Bad 'as' field.
      {"line x meta \"A\" as author", 1, 20, "unknown field 'author'"},
      {"line x meta \"A\" like date", 1, 17, "expected 'as FIELD', got 'like'"},
      {"line x meta \"A\" \"B\"", 1, 17, "expected 'as FIELD'"},
      {"line x meta \"A\" as", 1, 19, "expected a field"},
      {"line x meta \"A\" as date junk", 1, 25, "unexpected text at end of directive"},
      // Expect with a regex, or a bad want.
      {"expect meta /re/", 1, 13, "not a regex"},
      {"expect keep \"a\" after /b/", 1, 23, "'after' takes a \"quoted line\""},
      {"expect maybe \"x\"", 1, 8, "expected a class, 'keep' or 'remove', got 'maybe'"},
      {"expect keep \"a\" before \"b\"", 1, 17, "expected 'after', got 'before'"},
  };
  for (const BadCase& t : kBad) {
    INFO("rule text: " << t.text);
    Diagnostics d;
    RuleFile f = ParseRuleFile("rules/t.rules", t.text, &d);
    INFO(d.Format());
    REQUIRE(d.items.size() == 1);
    const Diagnostic& g = d.items[0];
    CHECK(g.file == "rules/t.rules");
    CHECK_FALSE(g.warning);
    CHECK(g.line == t.line);
    CHECK(g.column == t.column);
    CHECK_THAT(g.message, Catch::Contains(t.message));
    // The offending line is attached for the caret display.
    CHECK(g.source_line == f.lines[t.line - 1]);
    // A line with an error adds no rule and no expectation (trailing junk
    // is found after the directive was recorded; the whole file is
    // rejected by the rule set anyway, so that case is not checked here).
    if (std::string(t.message).find("unexpected text") == std::string::npos) {
      CHECK(f.entries.empty());
      CHECK(f.expects.empty());
    }
  }
}

TEST_CASE("rule_file: parsing goes on after an error, one error per line", "[rule_file]") {
  const char* text =
      "line ok1 navigation \"A\"\n"
      "line bad1 bogus \"B\"\n"
      "line ok2 navigation /C/\n"
      "line bad2 body /unterminated   and more \"junk\n"
      "expect navigation \"A\"\n";
  Diagnostics d;
  RuleFile f = ParseRuleFile("t.rules", text, &d);
  REQUIRE(d.items.size() == 2);
  CHECK(d.items[0].line == 2);
  CHECK_THAT(d.items[0].message, Catch::Contains("unknown class"));
  CHECK(d.items[1].line == 4);
  CHECK_THAT(d.items[1].message, Catch::Contains("unterminated regex"));
  REQUIRE(f.entries.size() == 2);
  CHECK(f.entries[0].rule->id == "ok1");
  CHECK(f.entries[1].rule->id == "ok2");
  CHECK(f.entries[1].line == 3);
  CHECK(f.expects.size() == 1);
  CHECK(d.HasErrors());
}

TEST_CASE("rule_file: diagnostics format as file:line:col with a caret", "[rule_file]") {
  Diagnostics d;
  ParseRuleFile("rules/t.rules", "\nline x.y bogus \"a\"\n", &d);
  REQUIRE(d.items.size() == 1);
  std::string s = d.Format();
  CHECK(s ==
        "rules/t.rules:2:10: error: unknown class 'bogus' (body, title, meta, headline_list, "
        "navigation, caption, ad)\n"
        "    line x.y bogus \"a\"\n"
        "             ^\n");
}

TEST_CASE("rule_file: a comment right after a token", "[rule_file]") {
  // rules/README.md: "`#` starts a comment (outside quotes and regexes)",
  // also when glued to the end of a token (after a closing quote, a word).
  {
    Diagnostics d;
    RuleFile f = ParseRuleFile("t.rules", "line x body \"a\"# comment\n", &d);
    INFO(d.Format());
    CHECK(d.items.empty());
    CHECK(f.entries.size() == 1);
  }
  {
    Diagnostics d;
    RuleFile f = ParseRuleFile("t.rules", "domain example.com#main site\n", &d);
    CHECK(d.items.empty());
    CHECK(f.domains == std::vector<std::string>{"example.com"});
  }
  {
    Diagnostics d;
    ParseRuleFile("t.rules", "section s ad start \"Ad\" end eof# the rest\n", &d);
    INFO(d.Format());
    CHECK(d.items.empty());
  }
}

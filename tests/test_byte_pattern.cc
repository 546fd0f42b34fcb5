// byte_pattern: how a rule regex is read into a pattern over bytes (a table
// of regex -> canonical dump, and of syntax it refuses), the facts about
// PCRE2's caseless matching the reading relies on (checked against PCRE2
// itself over the whole code space).
#include <catch2/catch.hpp>

#include "cleaner/match/prefilter/byte_pattern.h"
#include "cleaner/match/regex.h"
#include "cleaner/base/text_util.h"

using namespace clean;

namespace {

std::string DumpOf(const char* regex, bool caseless = false) {
  auto p = BytePattern::Parse(regex, caseless);
  return p ? p->Dump() : "<refused>";
}

// Every match of `re` (multiline) in `subject`, as the matched texts.
std::vector<std::string> AllMatches(const Regex& re, std::string_view subject) {
  MatchScratch scratch(100000000, 1000000);
  std::vector<std::string> out;
  size_t pos = 0, b = 0, e = 0;
  while (pos <= subject.size() && re.Find(scratch, subject, pos, &b, &e) == Regex::Result::kMatch) {
    out.emplace_back(subject.substr(b, e - b));
    pos = e > b ? e : e + 1;
  }
  return out;
}

std::unique_ptr<Regex> Compile(const std::string& pattern, bool caseless) {
  std::string err;
  size_t off = 0;
  auto re = Regex::Compile(pattern, caseless, &err, &off);
  INFO(pattern << ": " << err);
  REQUIRE(re != nullptr);
  return re;
}

// "\x{A}-\x{B}" items for a class.
std::string ClassItems(const std::vector<std::pair<uint32_t, uint32_t>>& ranges) {
  std::string s;
  for (auto [a, b] : ranges) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "\\x{%X}-\\x{%X}", a, b);
    s += buf;
  }
  return s;
}

}  // namespace

TEST_CASE("byte_pattern: regexes read into byte patterns", "[byte_pattern]") {
  struct Case {
    const char* regex;
    bool caseless;
    const char* dump;
  };
  const std::vector<Case> cases = {
      {"^ab$", false, "^\\x61\\x62$"},
      {"a|b|c", false, "[\\x61-\\x63]"},  // single bytes in every branch: one class
      {"a(?:bc|d)?", false, "\\x61(?:(?:\\x62\\x63|\\x64)){0,1}"},
      // Assertions other than ^ $ match anywhere; lookarounds and comments too.
      {"\\bfoo\\B(?=x)(?!y)(?<=z)(?#note)", false, "\\x66\\x6f\\x6f"},
      // Caseless ASCII letters; k and s also as U+212A and U+017F.
      {"Ad", true, "[\\x41\\x61][\\x44\\x64]"},
      {"k", true, "(?:[\\x4b\\x6b]|\\xe2\\x84\\xaa)"},
      {"S", true, "(?:[\\x53\\x73]|\\xc5\\xbf)"},
      // Caseless non-ASCII letters: any one character; symbols stay exact.
      {"я", true, "[\\xc0-\\xff](?:[\\x80-\\xbf]){0,}"},
      {"я", false, "\\xd1\\x8f"},
      {"©", true, "\\xc2\\xa9"},
      // Repeats: small bounds exact, wide ones unbounded (min at most 8).
      {"x{2,3}", false, "(?:\\x78){2,3}"},
      {"x{0,300}", false, "(?:\\x78){0,}"},
      {"x{12}", false, "(?:\\x78){8,}"},
      {"x{0}y", false, "\\x79"},
      {"x*?y++z?+", false, "(?:\\x78){0,}(?:\\x79){1,}(?:\\x7a){0,1}"},
      // An unbounded repeat of a character set: one byte class of all its bytes.
      {".{0,300}", false, "(?:[\\x00-\\x09\\x0b-\\xff]){0,}"},
      {"[»›>/]+", false, "(?:[\\x2f\\x3e\\x80-\\xff]){1,}"},
      // A class with non-ASCII members lists them exactly.
      {"[»›>/]", false, "(?:[\\x2f\\x3e]|\\xc2\\xbb|\\xe2\\x80\\xba)"},
      // Negated: the ASCII complement (no '\n': lines have none) or any non-ASCII character.
      {"[^a-z\\s]", false,
       "(?:[\\x00-\\x08\\x0e-\\x1f\\x21-\\x60\\x7b-\\x7f]|[\\xc0-\\xff](?:[\\x80-\\xbf]){0,})"},
      {"\\D", false, "(?:[\\x00-\\x09\\x0b-\\x2f\\x3a-\\x7f]|[\\xc0-\\xff](?:[\\x80-\\xbf]){0,})"},
      {"[\\d_]", false, "[\\x30-\\x39\\x5f]"},
      {"\\w", false, "[\\x30-\\x39\\x41-\\x5a\\x5f\\x61-\\x7a]"},
      // Properties: their ASCII members, any non-ASCII character.
      {"\\p{Lu}", false, "(?:[\\x41-\\x5a]|[\\xc0-\\xff](?:[\\x80-\\xbf]){0,})"},
      {"\\p{Lu}", true, "(?:[\\x41-\\x5a\\x61-\\x7a]|[\\xc0-\\xff](?:[\\x80-\\xbf]){0,})"},
      {"[^\\p{Ll}]", false,
       "(?:[\\x00-\\x09\\x0b-\\x60\\x7b-\\x7f]|[\\xc0-\\xff](?:[\\x80-\\xbf]){0,})"},
      {"\\P{Xwd}", false, "(?:[\\x00-\\x09\\x0b-\\x7f]|[\\xc0-\\xff](?:[\\x80-\\xbf]){0,})"},
      // Escapes and literal braces.
      {"\\x41\\x{e9}\\t\\.\\'", false, "\\x41\\xc3\\xa9\\x09\\x2e\\x27"},
      {"a{,3}{", false, "\\x61\\x7b\\x2c\\x33\\x7d\\x7b"},
      {"[]a]", false, "[\\x5d\\x61]"},
      {"[\\b]", false, "\\x08"},
      // A '\n' cannot be in a line: nothing matches.
      {"a\\nb", false, "[]"},
      {"(?:a\\n|b)", false, "\\x62"},
      // Named, atomic, branch-reset groups are groups; embedded anchors stay.
      {"(?<n>a)(?>b)(?|c)(?P<m>d)(?'o'e)$x", false, "\\x61\\x62\\x63\\x64\\x65$\\x78"},
  };
  for (const auto& c : cases) {
    INFO(c.regex << (c.caseless ? " (caseless)" : ""));
    CHECK(DumpOf(c.regex, c.caseless) == c.dump);
  }
}

TEST_CASE("byte_pattern: syntax beyond the reader is refused, not guessed", "[byte_pattern]") {
  for (const char* regex :
       {"(a)\\1", "\\Qa.b\\E", "(?i)abc",   "(?i:abc)",    "\\Aabc", "abc\\z", "a\\Kb",
        "(?R)",   "(?(1)a|b)", "(*UTF)a",   "[[:alpha:]]", "\\X",    "\\R",    "\\g{1}",
        "\\k<n>", "\\cA",      "\\N{U+41}", "(a",          "a)",     "\\"}) {
    INFO(regex);
    CHECK_FALSE(BytePattern::Parse(regex, false).has_value());
  }
}

TEST_CASE("byte_pattern: PCRE2 folds only U+017F and U+212A to ASCII letters", "[byte_pattern]") {
  // Every code point, one per line; the caseless ASCII letters' partners.
  std::string all;
  for (uint32_t c = 0x80; c <= 0x10FFFF; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    Utf8Append(c, &all);
    all += '\n';
  }
  auto re = Compile("^[a-z]$", true);
  std::vector<std::string> found = AllMatches(*re, all);
  CHECK(found == std::vector<std::string>{"\xc5\xbf", "\xe2\x84\xaa"});
}

TEST_CASE("byte_pattern: the caseless-invariant characters have no case partners in PCRE2",
          "[byte_pattern]") {
  std::vector<std::pair<uint32_t, uint32_t>> ranges;  // CaselessInvariant, as ranges
  for (uint32_t c = 0x80; c <= 0x10FFFF; ++c) {
    if (!CaselessInvariant(c)) continue;
    if (!ranges.empty() && ranges.back().second == c - 1)
      ranges.back().second = c;
    else
      ranges.push_back({c, c});
  }
  REQUIRE_FALSE(ranges.empty());
  CHECK(CaselessInvariant(0xA9));          // ©
  CHECK(CaselessInvariant(0x2019));        // ’
  CHECK_FALSE(CaselessInvariant(0xB5));    // micro sign, folds to Greek mu
  CHECK_FALSE(CaselessInvariant(0x212A));  // Kelvin sign
  CHECK_FALSE(CaselessInvariant(0x0436));  // ж
  // No character outside the set is a partner of one inside: caselessly,
  // the set matches exactly its own members among all code points.
  std::string all, inside;
  size_t members = 0;
  for (uint32_t c = 0x80; c <= 0x10FFFF; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    Utf8Append(c, &all);
    all += '\n';
    if (CaselessInvariant(c)) {
      Utf8Append(c, &inside);
      inside += '\n';
      ++members;
    }
  }
  auto set = Compile("^[" + ClassItems(ranges) + "]$", true);
  CHECK(AllMatches(*set, all).size() == members);
  // No two members are partners: for every bit, the members with that bit
  // clear match (caselessly) only themselves among the members.
  for (int bit = 0; bit < 21; ++bit) {
    std::vector<std::pair<uint32_t, uint32_t>> half;
    size_t count = 0;
    for (auto [a, b] : ranges)
      for (uint32_t c = a; c <= b; ++c) {
        if (c >> bit & 1) continue;
        ++count;
        if (!half.empty() && half.back().second == c - 1)
          half.back().second = c;
        else
          half.push_back({c, c});
      }
    if (half.empty()) continue;
    auto re = Compile("^[" + ClassItems(half) + "]$", true);
    INFO("bit " << bit);
    CHECK(AllMatches(*re, inside).size() == count);
  }
}

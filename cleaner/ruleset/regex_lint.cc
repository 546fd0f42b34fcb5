#include "cleaner/ruleset/regex_lint.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cleaner/base/options.h"
#include "cleaner/match/regex.h"
#include "cleaner/ruleset/rule_file.h"
#include "cleaner/base/text_util.h"

namespace clean {

namespace {

// One item of a parsed pattern: an atom (a character, a class, an escape)
// or a group, with its quantifier.
struct Item {
  bool group = false;
  std::string_view atom;    // the atom's text; for groups, the whole "(...)"
  bool zero_width = false;  // ^ $ \b lookarounds: consume nothing
  bool atomic = false;      // (?>...): never backtracks into
  size_t offset = 0;
  size_t min = 1;
  bool unbounded = false;
  bool possessive = false;
  std::vector<std::vector<Item>> alts;  // groups: the alternatives
  bool Repeats() const { return unbounded && !possessive && !atomic && !zero_width; }
  bool Required() const { return min > 0 && !zero_width; }
};

// Recursive descent over PCRE2 syntax, enough to find the items above.
class Parser {
 public:
  explicit Parser(std::string_view p) : p_(p) {}

  std::vector<std::vector<Item>> Alternatives(int depth) {
    std::vector<std::vector<Item>> alts(1);
    while (pos_ < p_.size()) {
      char c = p_[pos_];
      if (c == ')') {
        if (depth > 0) return alts;
        ++pos_;  // stray: PCRE2 rejects it; skip
        continue;
      }
      if (c == '|') {
        ++pos_;
        alts.emplace_back();
        continue;
      }
      Item it;
      if (!ParseItem(depth, &it)) continue;
      ParseQuantifier(&it);
      alts.back().push_back(std::move(it));
    }
    return alts;
  }

  // The literal characters of the pattern, as probes for the overlap test.
  std::vector<uint32_t> literals;

 private:
  bool ParseItem(int depth, Item* it) {
    it->offset = pos_;
    char c = p_[pos_];
    if (c == '(') return ParseGroup(depth, it);
    if (c == '[') {
      size_t end = ClassEnd(pos_);
      it->atom = p_.substr(pos_, end - pos_);
      pos_ = end;
      return true;
    }
    if (c == '\\') {
      size_t start = pos_;
      if (pos_ + 1 < p_.size() && p_[pos_ + 1] == 'Q') {  // \Q...\E: literal text
        size_t e = p_.find("\\E", pos_ + 2);
        if (e == std::string_view::npos) e = p_.size();
        for (size_t k = pos_ + 2; k < e; ++k) literals.push_back(static_cast<unsigned char>(p_[k]));
        it->atom = p_.substr(pos_ + 2, std::min<size_t>(1, e - pos_ - 2));
        it->zero_width = e == pos_ + 2;
        pos_ = std::min(p_.size(), e + 2);
        return true;
      }
      pos_ = EscapeEnd(pos_);
      it->atom = p_.substr(start, pos_ - start);
      char e = it->atom.size() > 1 ? it->atom[1] : 0;
      it->zero_width = std::string_view("bBAzZGK").find(e) != std::string_view::npos;
      if (it->atom.size() == 2 && !IsAsciiAlnum(e))
        literals.push_back(static_cast<unsigned char>(e));
      return true;
    }
    if (c == '^' || c == '$') {
      it->atom = p_.substr(pos_++, 1);
      it->zero_width = true;
      return true;
    }
    // A literal character (a whole UTF-8 sequence) or '.'.
    size_t len = Utf8SequenceLength(p_, pos_);
    if (len == 0) len = 1;
    it->atom = p_.substr(pos_, len);
    if (c != '.') literals.push_back(Decode(it->atom));
    pos_ += len;
    return true;
  }

  bool ParseGroup(int depth, Item* it) {
    size_t start = pos_++;
    it->group = true;
    if (pos_ < p_.size() && p_[pos_] == '*') {  // (*VERB): no item
      pos_ = CloseParen(pos_);
      return false;
    }
    if (pos_ < p_.size() && p_[pos_] == '?') {
      ++pos_;
      char k = pos_ < p_.size() ? p_[pos_] : 0;
      if (k == '#') {  // comment
        pos_ = CloseParen(pos_);
        return false;
      }
      if (k == '>') it->atomic = true;
      if (k == '=' || k == '!') it->zero_width = true;
      if (k == '<' && pos_ + 1 < p_.size() && (p_[pos_ + 1] == '=' || p_[pos_ + 1] == '!'))
        it->zero_width = true;
      if (k == ':' || k == '>' || k == '=' || k == '!' || k == '|') {
        ++pos_;
      } else if (k == '<' || k == 'P' || k == '\'') {
        if (it->zero_width)
          pos_ += 2;
        else {  // a named group: skip the name
          size_t e = p_.find_first_of(">'", pos_ + 1);
          pos_ = e == std::string_view::npos ? p_.size() : e + 1;
        }
      } else {  // option letters: (?i) alone, or (?i:...)
        while (pos_ < p_.size() && p_[pos_] != ')' && p_[pos_] != ':') ++pos_;
        if (pos_ >= p_.size() || p_[pos_] == ')') {
          pos_ = std::min(p_.size(), pos_ + 1);
          return false;
        }
        ++pos_;
      }
    }
    it->alts = Alternatives(depth + 1);
    if (pos_ < p_.size()) ++pos_;  // ')'
    it->atom = p_.substr(start, pos_ - start);
    return true;
  }

  void ParseQuantifier(Item* it) {
    if (pos_ >= p_.size()) return;
    char c = p_[pos_];
    if (c == '*' || c == '+' || c == '?') {
      it->min = c == '+' ? 1 : 0;
      it->unbounded = c != '?';
      ++pos_;
    } else if (c == '{') {
      size_t e = pos_ + 1, min = 0;
      bool digits = false;
      while (e < p_.size() && IsDigit(p_[e])) min = min * 10 + (p_[e++] - '0'), digits = true;
      if (!digits || e >= p_.size()) return;
      bool unbounded = false;
      if (p_[e] == ',') {
        ++e;
        unbounded = e < p_.size() && p_[e] == '}';
        while (e < p_.size() && IsDigit(p_[e])) ++e;
      }
      if (e >= p_.size() || p_[e] != '}') return;  // not a quantifier: a literal '{'
      it->min = min;
      it->unbounded = unbounded;
      pos_ = e + 1;
    } else {
      return;
    }
    if (pos_ < p_.size() && p_[pos_] == '+') {
      it->possessive = true;
      ++pos_;
    } else if (pos_ < p_.size() && p_[pos_] == '?') {
      ++pos_;  // lazy: backtracks all the same
    }
  }

  size_t EscapeEnd(size_t i) const {
    i += 2;
    if (i > p_.size()) return p_.size();
    char e = p_[i - 1];
    if ((e == 'x' || e == 'p' || e == 'P' || e == 'g' || e == 'k' || e == 'o' || e == 'N') &&
        i < p_.size() && (p_[i] == '{' || p_[i] == '<' || p_[i] == '\'')) {
      size_t close = p_.find_first_of("}>'", i + 1);
      return close == std::string_view::npos ? p_.size() : close + 1;
    }
    if (e == 'x') return std::min(p_.size(), i + 2);
    if (e == 'c') return std::min(p_.size(), i + 1);
    if (static_cast<unsigned char>(e) >= 0x80) {
      size_t len = Utf8SequenceLength(p_, i - 1);
      return i - 1 + (len ? len : 1);
    }
    return i;
  }

  size_t ClassEnd(size_t i) const {
    ++i;
    if (i < p_.size() && p_[i] == '^') ++i;
    if (i < p_.size() && p_[i] == ']') ++i;
    while (i < p_.size() && p_[i] != ']') {
      if (p_[i] == '\\')
        i = EscapeEnd(i);
      else if (p_[i] == '[' && i + 1 < p_.size() && p_[i + 1] == ':') {
        size_t e = p_.find(":]", i + 2);
        i = e == std::string_view::npos ? i + 1 : e + 2;
      } else
        ++i;
    }
    return std::min(p_.size(), i + 1);
  }

  size_t CloseParen(size_t i) const {
    size_t e = p_.find(')', i);
    return e == std::string_view::npos ? p_.size() : e + 1;
  }

  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }
  static bool IsAsciiAlnum(char c) {
    return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

 public:
  static uint32_t Decode(std::string_view s) {
    if (s.empty()) return 0;
    size_t len = Utf8SequenceLength(s, 0);
    if (len <= 1) return static_cast<unsigned char>(s[0]);
    return Utf8Decode(s, 0, len);
  }

 private:
  std::string_view p_;
  size_t pos_ = 0;
};

// --- Character tests on probe code points ----------------------------------

bool IsDigitCp(uint32_t c) { return c >= '0' && c <= '9'; }
bool IsSpaceCp(uint32_t c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
bool IsUpper(uint32_t c) { return IsUpperCodePoint(c); }
bool IsLetter(uint32_t c) { return IsWordCodePoint(c) && !IsDigitCp(c) && c != '_'; }
bool IsLower(uint32_t c) { return IsLetter(c) && !IsUpper(c); }
// \w without PCRE2_UCP: ASCII only.
bool IsWordCp(uint32_t c) { return c < 0x80 && (IsLetter(c) || IsDigitCp(c) || c == '_'); }
uint32_t Fold(uint32_t c) { return LowerCodePoint(c); }

// \d \w \s \p{..} and friends, given the letter after '\' and the rest.
bool EscapeMatches(std::string_view esc, uint32_t c, bool* known) {
  *known = true;
  char e = esc.size() > 1 ? esc[1] : 0;
  switch (e) {
    case 'd': return IsDigitCp(c);
    case 'D': return !IsDigitCp(c);
    case 'w': return IsWordCp(c);
    case 'W': return !IsWordCp(c);
    case 's':
    case 'h':
    case 'v':
    case 'R': return IsSpaceCp(c);
    case 'S':
    case 'H':
    case 'V': return !IsSpaceCp(c);
    case 'N': return c != '\n';
    case 'p':
    case 'P': {
      std::string_view prop = esc.substr(2);
      bool r = true;
      if (prop.find("Lu") != std::string_view::npos)
        r = IsUpper(c);
      else if (prop.find("Ll") != std::string_view::npos)
        r = IsLower(c);
      else if (prop.find('L') != std::string_view::npos)
        r = IsLetter(c);
      else if (prop.find('N') != std::string_view::npos)
        r = IsDigitCp(c);
      else if (prop.find('Z') != std::string_view::npos)
        r = c == ' ';
      else
        *known = false;
      return e == 'p' ? r : !r;
    }
    default: *known = false; return false;
  }
}

bool ClassMatches(std::string_view cls, uint32_t c, bool caseless) {
  std::string_view body = cls.substr(1, cls.size() >= 2 ? cls.size() - 2 : 0);
  bool negate = !body.empty() && body[0] == '^';
  if (negate) body.remove_prefix(1);
  bool hit = false;
  size_t i = 0;
  uint32_t prev = 0;
  bool have_prev = false;
  while (i < body.size() && !hit) {
    if (body[i] == '\\' && i + 1 < body.size()) {
      size_t end = i + 2;
      if ((body[i + 1] == 'p' || body[i + 1] == 'P' || body[i + 1] == 'x') && end < body.size() &&
          body[end] == '{') {
        size_t close = body.find('}', end);
        end = close == std::string_view::npos ? body.size() : close + 1;
      }
      bool known = false;
      if (EscapeMatches(body.substr(i, end - i), c, &known)) hit = true;
      if (!known) {  // an escaped literal
        prev = Parser::Decode(body.substr(i + 1));
        have_prev = true;
        hit = hit || (caseless ? Fold(prev) == Fold(c) : prev == c);
      } else {
        have_prev = false;
      }
      i = end;
      continue;
    }
    if (body[i] == '[' && i + 1 < body.size() && body[i + 1] == ':') {
      size_t e = body.find(":]", i);
      std::string_view name = body.substr(i + 2, e == std::string_view::npos ? 0 : e - i - 2);
      if (name == "alpha")
        hit = IsLetter(c);
      else if (name == "digit")
        hit = IsDigitCp(c);
      else if (name == "space")
        hit = IsSpaceCp(c);
      else if (name == "upper")
        hit = IsUpper(c);
      else if (name == "lower")
        hit = IsLower(c);
      else
        hit = IsWordCp(c);
      i = e == std::string_view::npos ? body.size() : e + 2;
      have_prev = false;
      continue;
    }
    if (body[i] == '-' && have_prev && i + 1 < body.size()) {  // a range prev-next
      uint32_t hi = Parser::Decode(body.substr(i + 1));
      uint32_t lc = caseless ? Fold(c) : c;
      hit = (c >= prev && c <= hi) || (lc >= Fold(prev) && lc <= Fold(hi));
      size_t len = Utf8SequenceLength(body, i + 1);
      i += 1 + (len ? len : 1);
      have_prev = false;
      continue;
    }
    size_t len = Utf8SequenceLength(body, i);
    if (len == 0) len = 1;
    prev = Parser::Decode(body.substr(i, len));
    have_prev = true;
    hit = caseless ? Fold(prev) == Fold(c) : prev == c;
    i += len;
  }
  return hit != negate;
}

class Linter {
 public:
  Linter(bool caseless, std::vector<uint32_t> literals) : caseless_(caseless) {
    probes_ = {'a', 'z', 'A', 'Z', '0', '9',  ' ',  '\t', '.',   ',',
               '-', '_', '/', '|', ':', '\'', 0xE9, 0xC9, 0x436, 0x416};
    for (uint32_t c : literals)
      if (std::find(probes_.begin(), probes_.end(), c) == probes_.end()) probes_.push_back(c);
  }

  void Alternatives(const std::vector<std::vector<Item>>& alts) {
    for (const auto& seq : alts) Sequence(seq);
  }

  std::vector<LintFinding> findings;

 private:
  // Does `it` match code point c? Groups: their first item, when the group
  // has one alternative (else unknown: no overlap claimed).
  bool Matches(const Item& it, uint32_t c) const {
    if (it.group) {
      if (it.alts.size() != 1) return false;
      for (const Item& x : it.alts[0])
        if (!x.zero_width) return Matches(x, c);
      return false;
    }
    std::string_view a = it.atom;
    if (a.empty() || it.zero_width) return false;
    if (a == ".") return c != '\n';
    if (a[0] == '[') return ClassMatches(a, c, caseless_);
    if (a[0] == '\\') {
      bool known = false;
      bool r = EscapeMatches(a, c, &known);
      if (known) return r;
      uint32_t lit = Parser::Decode(a.substr(1));
      return caseless_ ? Fold(lit) == Fold(c) : lit == c;
    }
    uint32_t lit = Parser::Decode(a);
    return caseless_ ? Fold(lit) == Fold(c) : lit == c;
  }

  bool Overlap(const Item& a, const Item& b) const {
    for (uint32_t c : probes_)
      if (Matches(a, c) && Matches(b, c)) return true;
    return false;
  }

  // The required items of a sequence, looking into unquantified groups of
  // one alternative; `repeat` (an unbounded repeat found inside) is skipped.
  static void Required(const std::vector<Item>& seq, std::vector<const Item*>* out) {
    for (const Item& x : seq) {
      if (!x.Required()) continue;
      if (x.group && !x.unbounded && x.min == 1 && x.alts.size() == 1 && !x.atomic)
        Required(x.alts[0], out);
      else
        out->push_back(&x);
    }
  }

  // Unbounded repeats inside a sequence (not below another repeat: that one
  // is flagged on its own), with the sequence they sit in.
  static void InnerRepeats(const std::vector<Item>& seq, std::vector<const Item*>* out) {
    for (const Item& x : seq) {
      if (x.Repeats())
        out->push_back(&x);
      else if (x.group && !x.atomic && !x.zero_width)
        for (const auto& alt : x.alts) InnerRepeats(alt, out);
    }
  }

  void Nested(const Item& g) {
    for (const auto& alt : g.alts) {
      std::vector<const Item*> inner, required;
      InnerRepeats(alt, &inner);
      Required(alt, &required);
      for (const Item* r : inner) {
        bool all_eaten = true;
        for (const Item* q : required)
          if (q != r && !(q->group && q->unbounded) && !Overlap(*q, *r)) all_eaten = false;
        if (!all_eaten) continue;
        findings.push_back(
            {r->offset, "nested quantifier: the repeated group '" + Short(g.atom) +
                            "' holds the repeat '" + Short(r->atom) +
                            "', which can match its every part: exponential backtracking "
                            "on a line that fails (make the inner repeat possessive, '" +
                            Short(r->atom) + "++', or the group atomic, '(?>...)')"});
        return;
      }
    }
  }

  void Sequence(const std::vector<Item>& seq) {
    for (size_t i = 0; i < seq.size(); ++i) {
      const Item& x = seq[i];
      if (x.group) {
        if (x.Repeats()) Nested(x);
        Alternatives(x.alts);
      }
      if (!x.Repeats()) continue;
      // Adjacent: the next repeat after only optional items, overlapping x,
      // with something required after it.
      for (size_t j = i + 1; j < seq.size(); ++j) {
        const Item& y = seq[j];
        if (y.Repeats()) {
          bool required_after = false;
          for (size_t k = j + 1; k < seq.size(); ++k) required_after |= seq[k].Required();
          if (required_after && Overlap(x, y))
            findings.push_back({y.offset, "adjacent repeats '" + Short(x.atom) + "' and '" +
                                              Short(y.atom) +
                                              "' can match the same characters: polynomial "
                                              "backtracking when what follows fails (make one "
                                              "possessive or exclude the other's characters)"});
          break;
        }
        if (y.Required()) break;
      }
    }
  }

  static std::string Short(std::string_view s) {
    std::string r(s.substr(0, 40));
    if (s.size() > 40) r += "...";
    return r;
  }

  bool caseless_;
  std::vector<uint32_t> probes_;
};

}  // namespace

std::vector<LintFinding> LintPattern(std::string_view pattern, bool caseless) {
  Parser parser(pattern);
  auto alts = parser.Alternatives(0);
  Linter linter(caseless, std::move(parser.literals));
  linter.Alternatives(alts);
  std::stable_sort(linter.findings.begin(), linter.findings.end(),
                   [](const LintFinding& a, const LintFinding& b) { return a.offset < b.offset; });
  return std::move(linter.findings);
}

bool MatchesEveryLine(std::string_view pattern, bool caseless) {
  // Lines of every kind a page has: a body paragraph, a title, a nav word,
  // a one-letter and a digits-only line, punctuation, non-Latin text.
  static constexpr std::string_view kProbeLines[] = {
      "The minister said on Thursday that the talks had been useful, but that no agreement "
      "was reached.",
      "Rubio meets with Russian foreign minister",
      "Home",
      "x",
      "2024",
      "|",
      "\xc2\xbb",
      "\xd0\x93\xd0\xbb\xd0\xb0\xd0\xb2\xd0\xbd\xd0\xb0\xd1\x8f"};
  std::string error;
  size_t offset = 0;
  std::unique_ptr<Regex> re = Regex::Compile(pattern, caseless, &error, &offset);
  if (!re) return false;  // the loader reports it
  const Options defaults;
  MatchScratch scratch(defaults.regex_match_limit, defaults.regex_heap_limit_kib);
  for (std::string_view line : kProbeLines) {
    size_t begin = 0, end = 0;
    if (re->Find(scratch, line, 0, &begin, &end) != Regex::Result::kMatch) return false;
  }
  return true;
}

void LintRuleDir(const std::string& dir, Diagnostics* diags) {
  namespace fs = std::filesystem;
  fs::path root = fs::path(dir).lexically_normal();
  std::string shown_root = root.filename().string();
  if (shown_root.empty()) shown_root = root.parent_path().filename().string();
  std::vector<fs::path> files;
  for (const fs::path& d : {root, root / "shared"}) {
    std::error_code ec;  // the loader reports what cannot be read
    for (fs::directory_iterator it(d, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code e;
      if (it->path().extension() == ".rules" && it->is_regular_file(e)) files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::error_code ec;
    if (fs::file_size(path, ec) > kMaxRuleFileBytes || ec) continue;  // refused by the loader
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string shown = (fs::path(shown_root) / path.lexically_relative(root)).string();
    Diagnostics parse_errors;  // reported by the loader already
    RuleFile f = ParseRuleFile(shown, ss.str(), &parse_errors);
    auto lint = [&](const MatcherSpec& m) {
      if (m.kind != MatcherSpec::Kind::kRegex || m.line < 1) return;
      const std::string& line = f.lines[m.line - 1];
      for (const auto& finding : LintPattern(m.text, m.caseless))
        diags->items.push_back({shown, m.line,
                                m.column + PatternColumnOffset(m, line, finding.offset), true,
                                "regex: " + finding.message, line});
      if (MatchesEveryLine(m.text, m.caseless))
        diags->items.push_back({shown, m.line, m.column, true,
                                "regex matches every line tried (prose, a title, a nav word, "
                                "one letter, digits, punctuation, Cyrillic): it would decide "
                                "every line of every page",
                                line});
    };
    for (const auto& e : f.entries) {
      if (!e.rule) continue;
      lint(e.rule->matcher);
      for (const auto& end : e.rule->ends)
        if (end.kind == SectionEnd::Kind::kMatch) lint(end.matcher);
    }
    for (const auto& fp : f.fingerprints) lint(fp.matcher);
  }
}

}  // namespace clean

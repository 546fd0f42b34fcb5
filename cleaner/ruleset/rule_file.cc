#include "cleaner/ruleset/rule_file.h"

#include <filesystem>

#include "cleaner/base/text_util.h"

namespace clean {

namespace {

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

// Reads one directive line token by token, recording errors with columns.
class LineParser {
 public:
  LineParser(std::string_view path, int line_no, std::string_view text, Diagnostics* diags)
      : path_(path), line_no_(line_no), text_(text), diags_(diags) {}

  bool ok() const { return ok_; }
  bool AtEnd() {
    SkipSpace();
    return pos_ >= text_.size() || text_[pos_] == '#';
  }
  int Column() {
    SkipSpace();
    return static_cast<int>(pos_) + 1;
  }

  void Error(int column, const std::string& message) {
    if (!ok_) return;  // one error per line: the rest would be noise
    ok_ = false;
    diags_->items.push_back(
        {std::string(path_), line_no_, column, false, message, std::string(text_)});
  }

  // A bare word: letters, digits, _ . -
  std::string Word(std::string_view what) {
    SkipSpace();
    size_t start = pos_;
    // '#' starts a comment even glued to the word ("example.com#main").
    while (pos_ < text_.size() && !IsSpace(text_[pos_]) && text_[pos_] != '#') ++pos_;
    std::string w(text_.substr(start, pos_ - start));
    if (w.empty() || w[0] == '#') {
      pos_ = start;
      Error(static_cast<int>(start) + 1, "expected " + std::string(what));
      return {};
    }
    return w;
  }

  std::string Id() {
    int col = Column();
    std::string w = Word("a rule id");
    if (!ok_) return {};
    for (char c : w)
      if (!IsIdChar(c)) {
        Error(col, "rule id '" + w + "' may hold only letters, digits, '_', '.' and '-'");
        return {};
      }
    return w;
  }

  std::optional<LineClass> Class() {
    int col = Column();
    std::string w = Word("a class");
    if (!ok_) return std::nullopt;
    auto c = ParseClass(w);
    if (!c)
      Error(col, "unknown class '" + w +
                     "' (body, title, meta, headline_list, navigation, caption, ad)");
    return c;
  }

  bool PeekMatcher() {
    SkipSpace();
    return pos_ < text_.size() && (text_[pos_] == '"' || text_[pos_] == '/');
  }

  MatcherSpec Matcher() {
    MatcherSpec m;
    SkipSpace();
    m.line = line_no_;
    if (pos_ >= text_.size() || (text_[pos_] != '"' && text_[pos_] != '/')) {
      Error(static_cast<int>(pos_) + 1, "expected \"exact text\" or /regex/");
      return m;
    }
    char quote = text_[pos_];
    m.kind = quote == '"' ? MatcherSpec::Kind::kExact : MatcherSpec::Kind::kRegex;
    int open_col = static_cast<int>(pos_) + 1;
    ++pos_;
    m.column = static_cast<int>(pos_) + 1;
    bool closed = false;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '\\' && pos_ + 1 < text_.size()) {
        char n = text_[pos_ + 1];
        if (n == quote || (quote == '"' && n == '\\')) {
          m.text += n;
        } else if (static_cast<unsigned char>(n) >= 0x80 || n == '\0') {
          m.text += c;  // the escaped character is checked as UTF-8 below
          ++pos_;
          continue;
        } else {
          // In a regex every other escape is PCRE2's to read.
          m.text += c;
          m.text += n;
        }
        pos_ += 2;
        continue;
      }
      if (c == quote) {
        closed = true;
        ++pos_;
        break;
      }
      // Rule text is UTF-8 without NUL: a line holding either could never
      // be matched as the file shows it.
      const size_t len = c == '\0' ? 0 : Utf8SequenceLength(text_, pos_);
      if (len == 0) {
        const bool nul = c == '\0';
        Error(static_cast<int>(pos_) + 1,
              quote == '"'
                  ? (nul ? "NUL byte in quoted text" : "invalid UTF-8 in quoted text")
                  : (nul ? "regex: NUL byte" : "regex: UTF-8 error: invalid byte sequence"));
        return m;
      }
      m.text.append(text_.substr(pos_, len));
      pos_ += len;
    }
    if (!closed) {
      Error(open_col, quote == '"' ? "unterminated string" : "unterminated regex (missing '/')");
      return m;
    }
    while (pos_ < text_.size() && !IsSpace(text_[pos_]) && text_[pos_] != '#') {
      if (text_[pos_] == 'i') {
        m.caseless = true;
      } else {
        Error(static_cast<int>(pos_) + 1,
              std::string("unknown flag '") + text_[pos_] + "' (only 'i')");
        return m;
      }
      ++pos_;
    }
    if (m.text.empty()) Error(open_col, "empty pattern");
    return m;
  }

  void ExpectEnd() {
    if (!AtEnd()) Error(Column(), "unexpected text at end of directive");
  }

 private:
  static bool IsSpace(char c) { return c == ' ' || c == '\t'; }
  void SkipSpace() {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
  }

  std::string_view path_;
  int line_no_;
  std::string_view text_;
  Diagnostics* diags_;
  size_t pos_ = 0;
  bool ok_ = true;
};

void ParseSection(LineParser& p, RuleSpec& r) {
  int col = p.Column();
  std::string w = p.Word("'start' or 'after'");
  if (!p.ok()) return;
  if (w == "start") {
    r.header_in_section = true;
  } else if (w == "after") {
    r.header_in_section = false;
  } else {
    p.Error(col, "expected 'start' or 'after', got '" + w + "'");
    return;
  }
  r.matcher = p.Matcher();
  while (p.ok() && !p.AtEnd()) {
    col = p.Column();
    w = p.Word("'end'");
    if (!p.ok()) return;
    if (w != "end") {
      p.Error(col, "expected 'end', got '" + w + "'");
      return;
    }
    SectionEnd e;
    if (p.PeekMatcher()) {
      e.kind = SectionEnd::Kind::kMatch;
      e.matcher = p.Matcher();
    } else {
      col = p.Column();
      w = p.Word("an end: \"text\", /regex/, blank, body or eof");
      if (!p.ok()) return;
      if (w == "blank")
        e.kind = SectionEnd::Kind::kBlank;
      else if (w == "body")
        e.kind = SectionEnd::Kind::kBody;
      else if (w == "eof")
        e.kind = SectionEnd::Kind::kEof;
      else {
        p.Error(col, "unknown section end '" + w + "' (\"text\", /regex/, blank, body, eof)");
        return;
      }
    }
    r.ends.push_back(std::move(e));
  }
  if (p.ok() && r.ends.empty())
    p.Error(p.Column(), "section '" + r.id +
                            "' has no way to end: add 'end \"text\"', 'end /regex/', "
                            "'end blank', 'end body' or 'end eof'");
}

// `line ID CLASS MATCHER [as FIELD]` and `section ID CLASS ...`.
void ParseRule(LineParser& p, const std::string& directive, int line_no, RuleFile& f) {
  RuleSpec r;
  r.kind = directive == "line" ? RuleSpec::Kind::kLine : RuleSpec::Kind::kSection;
  r.line = line_no;
  r.id = p.Id();
  if (p.ok()) {
    auto c = p.Class();
    if (c) r.cls = *c;
  }
  if (p.ok()) {
    if (r.kind == RuleSpec::Kind::kLine) {
      r.matcher = p.Matcher();
      if (p.ok() && !p.AtEnd()) {
        int acol = p.Column();
        std::string a = p.Word("'as'");
        if (p.ok() && a != "as") p.Error(acol, "expected 'as FIELD', got '" + a + "'");
        int fcol = p.Column();
        if (p.ok())
          r.field =
              p.Word("a field: date, byline, title, comments, comments-label, about or record");
        if (p.ok() && r.field != "date" && r.field != "byline" && r.field != "title" &&
            r.field != "comments" && r.field != "comments-label" && r.field != "about" &&
            r.field != "record")
          p.Error(fcol, "unknown field '" + r.field +
                            "' (date, byline, title, comments, comments-label, about, record)");
      }
    } else {
      ParseSection(p, r);
    }
  }
  if (p.ok()) {
    RuleEntry e;
    e.line = line_no;
    e.rule = std::move(r);
    f.entries.push_back(std::move(e));
  }
}

// `xpath ID CLASS "EXPR"` and `container ID "EXPR"`.
void ParseXPath(LineParser& p, const std::string& directive, int line_no, RuleFile& f) {
  XPathSpec x;
  x.line = line_no;
  x.container = directive == "container";
  x.id = p.Id();
  if (p.ok() && !x.container) {
    auto c = p.Class();
    if (c) x.cls = *c;
  }
  if (p.ok()) {
    x.expr = p.Matcher();
    if (p.ok() && (x.expr.kind != MatcherSpec::Kind::kExact || x.expr.caseless))
      p.Error(x.expr.column - 1, "an XPath expression is written in double quotes");
  }
  if (p.ok()) f.xpaths.push_back(std::move(x));
}

// `expect CLASS|keep|remove "LINE" [after "LINE"]`.
void ParseExpect(LineParser& p, int line_no, RuleFile& f) {
  ExpectSpec x;
  x.line = line_no;
  int ccol = p.Column();
  std::string w = p.Word("a class, 'keep' or 'remove'");
  if (p.ok()) {
    if (w == "keep")
      x.want = ExpectSpec::Want::kKeep;
    else if (w == "remove")
      x.want = ExpectSpec::Want::kRemove;
    else if (auto c = ParseClass(w))
      x.cls = *c;
    else
      p.Error(ccol, "expected a class, 'keep' or 'remove', got '" + w + "'");
  }
  if (p.ok()) {
    MatcherSpec m = p.Matcher();
    if (p.ok() && m.kind != MatcherSpec::Kind::kExact)
      p.Error(m.column - 1, "an expectation takes a \"quoted line\", not a regex");
    x.text = m.text;
  }
  if (p.ok() && !p.AtEnd()) {
    int acol = p.Column();
    std::string a = p.Word("'after'");
    if (p.ok() && a != "after") p.Error(acol, "expected 'after', got '" + a + "'");
    if (p.ok()) {
      MatcherSpec m = p.Matcher();
      if (p.ok() && m.kind != MatcherSpec::Kind::kExact)
        p.Error(m.column - 1, "'after' takes a \"quoted line\", not a regex");
      x.after = m.text;
    }
  }
  if (p.ok()) f.expects.push_back(std::move(x));
}

}  // namespace

RuleFile ParseRuleFile(std::string_view path, std::string_view text, Diagnostics* diags) {
  RuleFile f;
  f.path = std::string(path);
  f.source = std::filesystem::path(std::string(path)).stem().string();
  // A UTF-8 byte order mark (editors on Windows write one) is not text.
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  size_t start = 0;
  int line_no = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    f.lines.emplace_back(line);
    ++line_no;
    start = nl + 1;

    LineParser p(path, line_no, line, diags);
    if (p.AtEnd()) continue;
    int col = p.Column();
    std::string directive = p.Word("a directive");
    if (directive == "source") {
      std::string name = p.Id();
      if (p.ok()) f.source = name;
    } else if (directive == "include") {
      RuleEntry e;
      e.column = p.Column();
      e.include = p.Word("a file to include");
      e.line = line_no;
      if (p.ok()) f.entries.push_back(std::move(e));
    } else if (directive == "domain") {
      do {
        std::string d = p.Word("a domain");
        if (p.ok()) f.domains.push_back(d);
      } while (p.ok() && !p.AtEnd());
    } else if (directive == "fingerprint") {
      FingerprintSpec fp;
      fp.line = line_no;
      fp.id = p.Id();
      if (p.ok()) fp.matcher = p.Matcher();
      if (p.ok()) f.fingerprints.push_back(std::move(fp));
    } else if (directive == "set") {
      SetSpec s;
      s.line = line_no;
      s.column = p.Column();
      s.name = p.Word("an option name");
      if (p.ok()) s.value = p.Word("a value");
      if (p.ok()) f.sets.push_back(std::move(s));
    } else if (directive == "line" || directive == "section") {
      ParseRule(p, directive, line_no, f);
    } else if (directive == "xpath" || directive == "container") {
      ParseXPath(p, directive, line_no, f);
    } else if (directive == "expect") {
      ParseExpect(p, line_no, f);
    } else if (p.ok()) {
      p.Error(col,
              "unknown directive '" + directive +
                  "' (source, include, domain, fingerprint, set, line, section, expect, xpath, "
                  "container)");
    }
    if (p.ok()) p.ExpectEnd();
    if (nl == text.size()) break;
  }
  return f;
}

int PatternColumnOffset(const MatcherSpec& spec, std::string_view line, size_t offset) {
  size_t file_pos = static_cast<size_t>(spec.column - 1);
  size_t pat = 0;
  while (pat < offset && file_pos < line.size()) {
    if (line[file_pos] == '\\' && file_pos + 1 < line.size() && line[file_pos + 1] == '/')
      ++file_pos;
    ++file_pos;
    ++pat;
  }
  return static_cast<int>(file_pos - static_cast<size_t>(spec.column - 1));
}

}  // namespace clean

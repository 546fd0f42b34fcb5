// The rule-file format, parsed: one directive per line, as documented in
// rules/README.md. This stage only reads text; meaning (regex compilation,
// duplicate ids, include cycles) is checked by the rule set.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cleaner/base/diagnostics.h"
#include "cleaner/base/line_class.h"

namespace clean {

// "exact text" (optionally "..."i) or /regex/ (optionally /.../i).
struct MatcherSpec {
  enum class Kind { kExact, kRegex } kind = Kind::kExact;
  std::string text;  // unescaped
  bool caseless = false;
  int line = 0, column = 0;  // where the text (after the opening quote) starts
};

struct SectionEnd {
  enum class Kind { kMatch, kBlank, kBody, kEof } kind = Kind::kEof;
  MatcherSpec matcher;  // for kMatch
};

struct RuleSpec {
  enum class Kind { kLine, kSection } kind = Kind::kLine;
  std::string id;
  LineClass cls = LineClass::kBody;
  MatcherSpec matcher;            // the line's matcher, or the section's opener
  bool header_in_section = true;  // `start` (true) or `after` (false)
  std::vector<SectionEnd> ends;   // sections only
  std::string field;              // `as date|byline|title|comments` (comments: no report field)
  int line = 0;
};

// An entry of the file in order: a rule, or an include spliced in place.
struct RuleEntry {
  std::optional<RuleSpec> rule;
  std::string include;  // when !rule
  int line = 0, column = 0;
};

struct FingerprintSpec {
  std::string id;
  MatcherSpec matcher;
  int line = 0;
};

struct SetSpec {
  std::string name, value;
  int line = 0, column = 0;
};

// `expect CLASS|keep|remove "line" [after "previous line"]`
struct ExpectSpec {
  enum class Want { kClass, kKeep, kRemove } want = Want::kClass;
  LineClass cls = LineClass::kBody;
  std::string text;
  std::optional<std::string> after;
  int line = 0;
};

// HTML only: `xpath ID CLASS "EXPR"` gives every line of each selected
// subtree CLASS; `container ID "EXPR"` marks the main content element.
struct XPathSpec {
  std::string id;
  bool container = false;
  LineClass cls = LineClass::kNavigation;
  MatcherSpec expr;  // an exact-text matcher holding the expression
  int line = 0;
};

struct RuleFile {
  std::string path;                // as given, for diagnostics
  std::string source;              // `source NAME`, else the file stem
  std::vector<std::string> lines;  // the file's lines, for caret display
  std::vector<RuleEntry> entries;
  std::vector<std::string> domains;
  std::vector<FingerprintSpec> fingerprints;
  std::vector<SetSpec> sets;
  std::vector<ExpectSpec> expects;
  std::vector<XPathSpec> xpaths;
};

// Maps a byte offset into a regex matcher's unescaped pattern back to a
// column offset (from spec.column) in its file line: each "\/" in the file
// is one byte shorter in the pattern.
int PatternColumnOffset(const MatcherSpec& spec, std::string_view line, size_t offset);

// Parses text; every syntax error goes to *diags (parsing goes on with the
// next line). `path` names the file in diagnostics.
RuleFile ParseRuleFile(std::string_view path, std::string_view text, Diagnostics* diags);

}  // namespace clean

// libFuzzer target: the rule-file parser on arbitrary bytes, the
// diagnostics it produces (with their caret display), and the regex lint of
// --check-rules on every pattern it parsed. Nothing may crash, hang or read
// out of bounds; every diagnostic must point inside the file.
#include <cstdint>
#include <string>

#include "cleaner/ruleset/regex_lint.h"
#include "cleaner/ruleset/rule_file.h"
#include "tests/fuzz/fuzz_support.h"

using namespace clean;

namespace {

void Lint(const MatcherSpec& m) {
  if (m.kind != MatcherSpec::Kind::kRegex) return;
  for (const auto& f : LintPattern(m.text))
    if (f.offset > m.text.size()) clean::fuzz::Fail("lint offset", f.message);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Diagnostics diags;
  RuleFile f = ParseRuleFile("fuzz.rules", text, &diags);
  for (const auto& d : diags.items)
    if (d.line < 0 || d.line > static_cast<int>(f.lines.size()) + 1 || d.column < 0)
      clean::fuzz::Fail("diagnostic position", FormatDiagnostic(d));
  std::string shown = diags.Format();
  for (const auto& e : f.entries) {
    if (!e.rule) continue;
    Lint(e.rule->matcher);
    for (const auto& end : e.rule->ends)
      if (end.kind == SectionEnd::Kind::kMatch) Lint(end.matcher);
  }
  for (const auto& fp : f.fingerprints) Lint(fp.matcher);
  return 0;
}

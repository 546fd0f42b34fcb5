// Helpers shared by the libFuzzer targets.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "cleaner/ruleset/rule_set.h"

namespace clean::fuzz {

// A broken invariant: say which and abort, so libFuzzer saves the input.
[[noreturn]] inline void Fail(const char* invariant, const std::string& problem) {
  std::fprintf(stderr, "fuzz: invariant '%s' broken: %s\n", invariant, problem.c_str());
  std::abort();
}

// The project's rules/ (CLEAN_RULES_DIR) loaded with `base`; aborts when
// they do not load (that is not the fuzzed code's fault: fix the rules).
inline std::unique_ptr<RuleSet> LoadProjectRules(const Options& base) {
  Diagnostics d;
  auto r = RuleSet::Load(CLEAN_RULES_DIR, base, &d);
  if (!r) Fail("project rules load", d.Format());
  return r;
}

}  // namespace clean::fuzz

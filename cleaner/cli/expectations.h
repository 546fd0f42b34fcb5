// The expectations embedded in rule files (`expect CLASS "line" [after
// "previous line"]`), run by --check-rules and the test suite: each is a
// one- or two-line page cleaned with its source's rules.
#pragma once
#include "cleaner/base/diagnostics.h"
#include "cleaner/ruleset/rule_set.h"

namespace clean {

// Runs every expectation of every source and of the generic layer; each
// failure becomes a diagnostic at the expectation's line. Returns the number
// of expectations run.
size_t CheckExpectations(const RuleSet& rules, const Options& base, Diagnostics* diags);

}  // namespace clean

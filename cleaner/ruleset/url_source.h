// Source detection from a page's URL: its host matched against the rule
// files' `domain` directives (the domain itself or any subdomain of it).
#pragma once
#include <string_view>

#include "cleaner/base/url.h"
#include "cleaner/ruleset/rule_set.h"

namespace clean {

// The source whose domain is `host` or a parent of it, or null.
const Source* SourceForHost(const RuleSet& rules, std::string_view host);

}  // namespace clean

// Source detection from a page's URL: its host matched against the rule
// files' `domain` directives (the domain itself or any subdomain of it).
#pragma once
#include <string_view>

#include "cleaner/rule_set.h"

namespace clean {

// The host of an absolute or scheme-relative URL, as written
// ("https://user@www.upi.com:443/x" -> "www.upi.com"); empty when none.
// Hosts compare with domains case-insensitively (ASCII).
std::string_view UrlHost(std::string_view url);

// The source whose domain is `host` or a parent of it, or null.
const Source* SourceForHost(const RuleSet& rules, std::string_view host);

}  // namespace clean

#include "cleaner/ruleset/url_source.h"

namespace clean {

namespace {

bool IEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

const Source* SourceForHost(const RuleSet& rules, std::string_view host) {
  if (host.empty()) return nullptr;
  for (const Source& s : rules.sources())
    for (const std::string& d : s.domains) {
      if (host.size() < d.size()) continue;
      std::string_view tail = host.substr(host.size() - d.size());
      if (!IEqual(tail, d)) continue;
      if (host.size() == d.size() || host[host.size() - d.size() - 1] == '.') return &s;
    }
  return nullptr;
}

}  // namespace clean

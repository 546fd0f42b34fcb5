#include "cleaner/base/url.h"

namespace clean {

std::string_view UrlHost(std::string_view url) {
  size_t start = url.find("//");
  if (start == std::string_view::npos) return {};
  std::string_view rest = url.substr(start + 2);
  size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']') == std::string_view::npos)
    authority = authority.substr(0, colon);
  while (!authority.empty() && authority.back() == '.') authority.remove_suffix(1);
  return authority;
}

}  // namespace clean

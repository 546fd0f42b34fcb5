// The host of a URL, as source detection and the HTML metadata need it.
#pragma once
#include <string_view>

namespace clean {

// The host of an absolute or scheme-relative URL, as written
// ("https://user@www.upi.com:443/x" -> "www.upi.com"); empty when none.
// Hosts compare with domains case-insensitively (ASCII).
std::string_view UrlHost(std::string_view url);

}  // namespace clean

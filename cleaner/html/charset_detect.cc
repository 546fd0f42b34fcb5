#include "cleaner/html/charset_detect.h"

#include <uchardet.h>

#include <algorithm>
#include <memory>

namespace clean {

std::string DetectCharset(std::string_view bytes, size_t max_bytes) {
  std::unique_ptr<uchardet, void (*)(uchardet_t)> ud(uchardet_new(), uchardet_delete);
  if (!ud) return "";
  std::string_view head = bytes.substr(0, std::min(bytes.size(), max_bytes));
  if (uchardet_handle_data(ud.get(), head.data(), head.size()) != 0) return "";
  uchardet_data_end(ud.get());
  const char* name = uchardet_get_charset(ud.get());
  std::string out = name ? name : "";
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return out;
}

}  // namespace clean

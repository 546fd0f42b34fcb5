#include "cleaner/jsonl_html.h"

namespace clean {

bool CleanHtmlRecord(Cleaner&, std::string_view, std::string_view, const Source*,
                     std::string_view, CleanResult*, std::string* error) {
  *error = "HTML records (--html-field) are not supported by this build yet";
  return false;
}

}  // namespace clean

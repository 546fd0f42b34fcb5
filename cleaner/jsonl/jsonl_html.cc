#include "cleaner/jsonl/jsonl_html.h"

namespace clean {

bool CleanHtmlRecord(Cleaner& cleaner, std::string_view name, std::string_view html,
                     const Source* hint, std::string_view hint_by, CleanResult* out,
                     std::string* error) {
  InputFormat before = cleaner.input_format();
  cleaner.set_input_format(InputFormat::kHtml);
  bool ok = cleaner.Clean(name, html, out, error, hint, hint_by);
  cleaner.set_input_format(before);
  return ok;
}

}  // namespace clean

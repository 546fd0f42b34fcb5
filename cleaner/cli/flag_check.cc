#include "cleaner/cli/flag_check.h"

#include <filesystem>

namespace clean {

namespace fs = std::filesystem;

bool CheckJsonlOptions(const JsonlOptions& o, std::string* error) {
  if (o.text_field.empty()) *error = "--text-field must not be empty";
  else if (o.summary_key.empty()) *error = "--summary-key must not be empty";
  else if (o.summary_key == o.text_field || o.summary_key == o.html_field)
    *error = "--summary-key must differ from the text and HTML fields";
  else if (o.jobs < 0) *error = "--jobs must be at least 1";
  else return true;
  return false;
}

bool CheckFlags(const CliOptions& o, std::string* error) {
  if (o.check_rules || o.list_sources) return true;
  if (o.jsonl.enabled) {
    if (!CheckJsonlOptions(o.jsonl, error)) return false;
    if (o.explain) {
      *error = "--explain does not apply to --jsonl (use --report FILE for the spans)";
      return false;
    }
    return true;
  }
  if (o.out_dir.empty()) {
    for (const std::string& in : o.inputs) {
      std::error_code ec;
      if (in != "-" && fs::is_directory(in, ec)) {
        *error = in + ": is a directory; give --out-dir DIR to clean every file in it";
        return false;
      }
    }
  }
  if (o.resume && o.out_dir.empty()) {
    *error = "--resume needs --out-dir DIR (it skips inputs whose outputs are in DIR)";
    return false;
  }
  if (o.out_dir.empty() && !o.report.empty() && o.inputs.size() > 1) {
    *error = "--report takes one input; for several, use --out-dir DIR (a report per input)";
    return false;
  }
  return true;
}

}  // namespace clean

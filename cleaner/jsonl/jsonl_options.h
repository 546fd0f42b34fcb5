// The settings of JSONL mode (clean --jsonl), set by the command line's
// flags and by the Python module.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace clean {

class LineModel;

struct JsonlOptions {
  bool enabled = false;               // --jsonl
  std::string text_field = "text";    // --text-field: the page's text
  std::string html_field;             // --html-field: the page's HTML (when set)
  std::string id_field = "id";        // --id-field: the key of report lines
  std::string source_field;           // --source-field: a source name (rules/NAME.rules)
  std::string url_field;              // --url-field: its host picks a source by `domain`
  std::string summary_key = "clean";  // --summary-key: where the summary object goes
  std::string rejects;                // --rejects FILE: malformed lines, verbatim
  std::string stats;                  // --stats FILE: JSON counts for the whole run
  int jobs = 0;                       // --jobs: worker threads; 0: the number of cores
  // Per-record limits: a record over one is passed through unchanged (or
  // dropped with drop_over_limit) and marked in its summary and report line.
  size_t max_bytes = 0;          // --max-bytes: text bytes; 0: no limit
  double time_budget_ms = 0;     // --time-budget: milliseconds of cleaning; 0: none
  bool drop_over_limit = false;  // --over-limit drop (default: pass)
  bool prefilter = true;         // --no-prefilter: PCRE2 alone matches the rules
  // --model: the trained line scorer (line_model.h) and its decider in the
  // rule set (RuleSet::AddDecider); null: none. Not owned.
  const LineModel* model = nullptr;
  uint32_t model_decider = 0;
};

}  // namespace clean

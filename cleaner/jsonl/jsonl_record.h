// One JSONL record in, one out: the text field's value is replaced by the
// clean text and a summary object is added under JsonlOptions::summary_key
// (or replaces that member's value); every other byte of the record stays
// as it was. One RecordCleaner per thread (it owns a Cleaner).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "cleaner/cleaner.h"
#include "cleaner/json/json_scan.h"
#include "cleaner/jsonl/jsonl_options.h"
#include "cleaner/report/run_stats.h"
#include "cleaner/report/span_report.h"

namespace clean {

enum class RecordOutcome { kBlank, kCleaned, kPassed, kDropped, kRejected };

class RecordCleaner {
 public:
  // `forced`: --source (null: per record, from the source field, the URL's
  // domain, else the fingerprints). `digest`: RulesDigest of the rules.
  RecordCleaner(const RuleSet& rules, const Options& base, const Source* forced,
                const KeepSet& keep, const JsonlOptions& options, std::string digest);

  // Processes one input line (without its '\n'). Appends the output record
  // and '\n' to *out (unless blank, dropped or rejected), and the report line
  // to *report when not null. On kRejected, *message says why (no location).
  RecordOutcome Process(std::string_view line, std::string* out, std::string* report,
                        RunStats* stats, std::string* message);

 private:
  RecordOutcome Reject(RunStats* stats, std::string* message, std::string text);
  // `clean`: the result whose clean text is the text member's new value
  // (null when the text member is neither replaced nor added).
  void AppendRecord(std::string_view line, const JsonMember* text, bool add_text,
                    const CleanResult* clean, std::string_view summary, std::string* out) const;
  // `counts`: r's (RunStats::Add), when r is not null.
  void Summary(const CleanResult* r, const ClassCounts* counts, std::string_view limit,
               std::string* out) const;

  const RuleSet& rules_;
  const JsonlOptions& options_;
  KeepSet keep_;
  std::string digest_;
  Cleaner cleaner_;
  JsonObjectScan scan_;
  std::string summary_;
  // The summary's fixed text, as the JsonWriter writes it: from its start
  // to the rules digest, and per class `"NAME":{"lines":` (a comma before
  // all but the first).
  std::string summary_head_;
  std::vector<std::string> count_keys_;
  std::vector<CodePointSpan> spans_;  // of a text record's text, for the report
};

}  // namespace clean

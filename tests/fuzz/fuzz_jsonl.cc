// libFuzzer target: the JSONL record path (the JSON scanner, field lookup,
// unescaping, cleaning, the record rewrite and the span report) on arbitrary
// bytes, one record per input line, with the project's rules. Aborts when
//   - a line gives no outcome, or more than one output record,
//   - a rejected line writes anything, or gives no reason,
//   - an output record or report line is not a valid JSON object,
//   - the same line processed again gives other bytes.
#include <cstdint>
#include <string>

#include "cleaner/json/json_scan.h"
#include "cleaner/jsonl/jsonl_record.h"
#include "tests/fuzz/fuzz_support.h"

using namespace clean;

namespace {

void CheckOneObjectLine(const std::string& out, const char* what) {
  if (out.empty() || out.back() != '\n' || out.find('\n') != out.size() - 1)
    clean::fuzz::Fail(what, "not exactly one line: " + out.substr(0, 200));
  JsonObjectScan scan;
  std::string error;
  if (!ScanJsonObject(std::string_view(out).substr(0, out.size() - 1), &scan, &error))
    clean::fuzz::Fail(what, "not a JSON object (" + error + "): " + out.substr(0, 200));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static auto rules = clean::fuzz::LoadProjectRules(Options());
  static JsonlOptions options = [] {
    JsonlOptions o;
    o.html_field = "html";
    o.url_field = "url";
    o.source_field = "source";
    o.max_bytes = 1 << 20;
    return o;
  }();
  static RecordCleaner records(*rules, Options(), nullptr, KeepSet(), options, "fuzz");
  std::string_view all(reinterpret_cast<const char*>(data), size);
  size_t start = 0;
  while (start <= all.size()) {
    size_t nl = all.find('\n', start);
    if (nl == std::string_view::npos) nl = all.size();
    std::string_view line = all.substr(start, nl - start);
    start = nl + 1;
    std::string out, report, message, out2, report2, message2;
    RunStats stats;
    RecordOutcome k = records.Process(line, &out, &report, &stats, &message);
    switch (k) {
      case RecordOutcome::kRejected:
        if (!out.empty() || !report.empty())
          clean::fuzz::Fail("rejects", "a rejected line wrote output");
        if (message.empty()) clean::fuzz::Fail("rejects", "a rejected line has no reason");
        break;
      case RecordOutcome::kCleaned:
      case RecordOutcome::kPassed:
        CheckOneObjectLine(out, "output record");
        if (!report.empty()) CheckOneObjectLine(report, "report line");
        break;
      case RecordOutcome::kDropped:
      case RecordOutcome::kBlank:
        if (!out.empty()) clean::fuzz::Fail("outcome", "a dropped or blank line wrote a record");
        break;
    }
    RecordOutcome k2 = records.Process(line, &out2, &report2, &stats, &message2);
    if (k2 != k || out2 != out || report2 != report || message2 != message)
      clean::fuzz::Fail("determinism", "the same line processed twice differs");
  }
  return 0;
}

#include "cleaner/cli/flag_check.h"

#include <filesystem>
#include <string_view>

namespace clean {

namespace fs = std::filesystem;

namespace {

// The modes a command line chooses between (a bit each).
enum Mode : unsigned {
  kPages = 1,         // each input a page, to stdout or -o FILE
  kPagesOutDir = 2,   // each input a page, to DIR/NAME.txt and DIR/NAME.report.json
  kJsonl = 4,         // --jsonl: records, to stdout or -o FILE
  kJsonlOutDir = 8,   // --jsonl --out-dir: each input file to DIR/NAME
  kCheckRules = 16,   // --check-rules
  kListSources = 32,  // --list-sources
};
constexpr unsigned kPageModes = kPages | kPagesOutDir;
constexpr unsigned kJsonlModes = kJsonl | kJsonlOutDir;
constexpr unsigned kCleaning = kPageModes | kJsonlModes;
constexpr unsigned kOutDir = kPagesOutDir | kJsonlOutDir;
constexpr unsigned kAll = kCleaning | kCheckRules | kListSources;

Mode ModeOf(const CliOptions& o) {
  if (o.check_rules) return kCheckRules;
  if (o.list_sources) return kListSources;
  if (o.jsonl.enabled) return o.out_dir.empty() ? kJsonl : kJsonlOutDir;
  return o.out_dir.empty() ? kPages : kPagesOutDir;
}

std::string_view ModeName(Mode m) {
  switch (m) {
    case kPages: return "page mode";
    case kPagesOutDir: return "page mode with --out-dir";
    case kJsonl: return "JSONL mode";
    case kJsonlOutDir: return "JSONL mode with --out-dir";
    case kCheckRules: return "--check-rules mode";
    case kListSources: return "--list-sources mode";
  }
  return "";
}

// Where each flag of the flag table (cli.cc) has an effect, and what to say
// when it is given in a mode where it has none (the cleaning modes; the
// other two say what they do). A flag with no row works in every mode.
struct FlagModes {
  std::string_view flag;
  unsigned modes;
  std::string_view hint;
};
constexpr std::string_view kJsonlHint = "it is a JSONL flag (add --jsonl)";
constexpr FlagModes kFlagModes[] = {
    {"--output", kPages | kJsonl, "--out-dir names each output after its input"},
    {"--source", kCleaning, ""},
    {"--rules", kAll, ""},
    {"--rules-extra", kAll, ""},
    {"--report", kPages | kJsonlModes,
     "--out-dir writes each input's report as DIR/NAME.report.json"},
    {"--explain", kPageModes, "use --report FILE for the span report"},
    {"--encoding", kPageModes, "JSONL records are JSON text, always UTF-8"},
    {"--model", kCleaning, ""},
    {"--features", kPageModes, "feature rows are written per page"},
    {"--input", kPageModes, "records are text, or HTML in the field --html-field names"},
    {"--stage-times", kPageModes, "it times page mode's stages"},
    {"--keep", kCleaning, ""},
    {"--out-dir", kOutDir, ""},
    {"--no-prefilter", kCleaning, ""},
    {"--resume", kOutDir, "it skips the inputs whose outputs are complete in --out-dir DIR"},
    {"--durable", kCleaning, ""},
    {"--check-rules", kCheckRules, ""},
    {"--list-sources", kListSources, ""},
    {"--jsonl", kJsonlModes, ""},
    {"--text-field", kJsonlModes, kJsonlHint},
    {"--html-field", kJsonlModes, kJsonlHint},
    {"--id-field", kJsonlModes, kJsonlHint},
    {"--source-field", kJsonlModes, kJsonlHint},
    {"--url-field", kJsonlModes, kJsonlHint},
    {"--summary-key", kJsonlModes, kJsonlHint},
    {"--rejects", kJsonlModes, kJsonlHint},
    {"--stats", kJsonlModes, kJsonlHint},
    {"--jobs", kCleaning, ""},
    {"--max-bytes", kJsonlModes, kJsonlHint},
    {"--time-budget", kJsonlModes, kJsonlHint},
    {"--over-limit", kJsonlModes, kJsonlHint},
    {"--quiet", kAll, ""},
    {"--help", kAll, ""},
    {"--version", kAll, ""},
};

const FlagModes* RowOf(std::string_view flag) {
  for (const FlagModes& row : kFlagModes)
    if (row.flag == flag) return &row;
  return nullptr;
}

// "FLAG has no effect in MODE: WHY" for the first flag given outside its
// modes, or empty.
std::string FlagOutsideItsModes(const CliOptions& o) {
  Mode mode = ModeOf(o);
  for (const auto& [flag, spelled] : o.given) {
    const FlagModes* row = RowOf(flag);
    if (!row || (row->modes & mode)) continue;
    std::string why = std::string(row->hint);
    if (mode == kCheckRules) why = "it only loads the rules and runs their expectations";
    if (mode == kListSources) why = "it only lists the sources of the rules";
    return spelled + " has no effect in " + std::string(ModeName(mode)) +
           (why.empty() ? "" : ": " + why);
  }
  return "";
}

bool Given(const CliOptions& o, std::string_view flag) {
  for (const auto& g : o.given)
    if (g.first == flag) return true;
  return false;
}

// The rules between flags beyond their modes; each returns its message
// when broken, else empty.
std::string InputsInRulesModes(const CliOptions& o) {
  if (!(o.check_rules || o.list_sources) || o.inputs.empty()) return "";
  return std::string(ModeName(ModeOf(o))) + " takes no input (got " + o.inputs[0] + ")";
}

std::string IdFieldWithoutReport(const CliOptions& o) {
  if (!o.jsonl.enabled || !o.report.empty() || !Given(o, "--id-field")) return "";
  return "--id-field has no effect without --report: only the span report uses it";
}

std::string DurableWithoutFile(const CliOptions& o) {
  if (!o.durable || ModeOf(o) & kOutDir || !o.report.empty()) return "";
  if ((!o.output.empty() && o.output != "-") || !o.jsonl.rejects.empty() || !o.jsonl.stats.empty())
    return "";
  return "--durable has no effect in " + std::string(ModeName(ModeOf(o))) +
         " without a file output (-o FILE, --report FILE or --out-dir DIR)";
}

std::string ReportOfSeveralPages(const CliOptions& o) {
  if (ModeOf(o) != kPages || o.report.empty() || o.inputs.size() <= 1) return "";
  return "--report takes one input; for several, use --out-dir DIR (a report per input)";
}

std::string FeaturesWithExplain(const CliOptions& o) {
  if (!o.features || !o.explain) return "";
  return "--features and --explain each replace the clean text: give one";
}

std::string DirectoryWithoutOutDir(const CliOptions& o) {
  if (ModeOf(o) != kPages || o.features) return "";  // feature rows of a tree go to one stream
  for (const std::string& in : o.inputs) {
    std::error_code ec;
    if (in != "-" && fs::is_directory(in, ec))
      return in + ": is a directory; give --out-dir DIR to clean every file in it";
  }
  return "";
}

std::string JsonlNames(const CliOptions& o) {
  std::string error;
  if (!o.jsonl.enabled || CheckJsonlOptions(o.jsonl, &error)) return "";
  return error;
}

constexpr std::string (*kRules[])(const CliOptions&) = {
    FlagOutsideItsModes,  InputsInRulesModes,     IdFieldWithoutReport, DurableWithoutFile,
    ReportOfSeveralPages, DirectoryWithoutOutDir, JsonlNames,           FeaturesWithExplain,
};

}  // namespace

bool CheckJsonlOptions(const JsonlOptions& o, std::string* error) {
  if (o.text_field.empty())
    *error = "--text-field must not be empty";
  else if (o.summary_key.empty())
    *error = "--summary-key must not be empty";
  else if (o.summary_key == o.text_field || o.summary_key == o.html_field)
    *error = "--summary-key must differ from the text and HTML fields";
  else if (o.jobs < 0)
    *error = "--jobs must be at least 1";
  else
    return true;
  return false;
}

bool CheckFlags(const CliOptions& o, std::string* error) {
  for (auto rule : kRules) {
    *error = rule(o);
    if (!error->empty()) return false;
  }
  return true;
}

bool FlagHasModes(std::string_view flag) { return RowOf(flag) != nullptr; }

}  // namespace clean

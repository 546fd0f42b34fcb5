// The command line: one flag table that drives parsing and --help.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "cleaner/cleaner.h"
#include "cleaner/jsonl/jsonl_options.h"

namespace clean {

struct CliOptions {
  std::vector<std::string> inputs;         // files, directories, "-" for stdin
  std::string output;                      // -o FILE; empty: stdout
  std::string source;                      // --source NAME; empty: auto-detect
  std::string rules_dir;                   // --rules DIR; empty: the default
  std::string rules_extra;                 // --rules-extra DIR: learned source files; empty: none
  std::string report;                      // --report FILE
  std::string out_dir;                     // --out-dir DIR
  KeepSet keep;                            // --keep
  InputFormat input = InputFormat::kAuto;  // --input html|text|auto
  std::string encoding;                    // --encoding NAME; empty: found per page
  bool stage_times = false;                // --stage-times
  bool resume = false;                     // --resume: skip inputs whose outputs are complete
  bool durable = false;                    // --durable: fsync each output before its rename
  bool explain = false;
  bool features = false;       // --features: the model's feature rows instead of the text
  std::string model = "none";  // --model none|PATH
  bool prefilter = true;       // --no-prefilter turns it off
  bool check_rules = false;
  bool list_sources = false;
  bool quiet = false;
  bool help = false;
  bool version = false;
  JsonlOptions jsonl;  // --jsonl and its flags (jsonl_run.h)
  // The flags given, in order: long name ("--output") and the spelling
  // used ("-o"), for the flag check (flag_check.h).
  std::vector<std::pair<std::string, std::string>> given;
};

// Parses argv. Returns false with *error set on a usage error.
bool ParseArgs(int argc, char** argv, CliOptions* out, std::string* error);

// The --help text, generated from the flag table.
std::string HelpText();

// The long names of the flag table's flags, in table order.
std::vector<std::string> FlagNames();

}  // namespace clean

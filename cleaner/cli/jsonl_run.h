// JSONL mode of the command line (clean --jsonl): inputs to outputs through
// a JsonlPipeline, with the report, rejects and stats files, the progress
// line and the exit code (0 all records cleaned, 1 an input failed or a line
// was rejected, 2 usage error).
#pragma once
#include <string>

#include "cleaner/cli/cli.h"
#include "cleaner/cli/flag_check.h"  // CheckJsonlOptions
#include "cleaner/cli/page_run.h"    // PageModel
#include "cleaner/jsonl/jsonl_pipeline.h"

namespace clean {

// `model`: --model (its model null: none).
int RunJsonl(const CliOptions& o, const RuleSet& rules, const Options& base, const Source* source,
             const PageModel& model);

// Cleans one JSONL file (any compression) into `out_path`, with its span
// report in `report_path` when not empty; `rejects` may be null. The CLI's
// --out-dir mode and the Python module's clean_jsonl both use it. Outputs
// are written to temporary files and renamed when complete (byte_stream.h);
// a failed write is "OUT: write failed: REASON" in *error, and leaves
// neither output in place.
bool CleanJsonlFile(JsonlPipeline* pipeline, const std::string& in_path,
                    const std::string& out_path, const std::string& report_path,
                    OutputStream* rejects, std::string* error, const OutputOptions& options = {});

}  // namespace clean

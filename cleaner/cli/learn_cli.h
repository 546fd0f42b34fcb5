// `clean learn`: its own flags and --help, the inputs read (files,
// directories, JSONL records), the learned rule files written (one per
// source, learn/rule_writer.h) and the exit code (0 all pages read, 1 some
// page or input could not be used, 2 usage or rule-file error).
#pragma once

namespace clean {

// argv[0] is "learn"; the rest are its flags and inputs.
int RunLearn(int argc, char** argv);

}  // namespace clean

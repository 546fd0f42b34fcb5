// The flag check: every rule about which flags go together, in one place,
// run before anything is loaded or written. A misuse is a usage error
// (exit 2) whose message names the flag.
#pragma once
#include <string>
#include <string_view>

#include "cleaner/cli/cli.h"

namespace clean {

// False with *error set ("FLAG ...", without the "clean: " prefix) when the
// flags, or the inputs they are given with, do not go together.
bool CheckFlags(const CliOptions& o, std::string* error);

// Whether the flag check knows the modes of `flag` (a long name); every
// flag of the flag table should have its row.
bool FlagHasModes(std::string_view flag);

// The JSONL field names against each other (the CLI's and the Python
// module's clean_jsonl); false with *error on misuse.
bool CheckJsonlOptions(const JsonlOptions& o, std::string* error);

}  // namespace clean

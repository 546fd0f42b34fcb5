// The "nothing lost" invariants as plain functions (no test framework), so
// the Catch2 tests and the libFuzzer targets check the very same thing.
// Each returns "" when the invariant holds, else what broke, naming the line.
#pragma once
#include <string>
#include <string_view>

#include "cleaner/text/page.h"

namespace clean::testing {

// Each non-blank page line exactly once: in order in the clean text, or in
// the report's "removed" list with its text, never both; nothing else. A
// report that is not valid JSON is a problem too.
std::string ConservationProblem(const Page& page, std::string_view text,
                                std::string_view report_json);

// Every line of the clean text is a line of the raw input bytes with its
// surrounding ASCII whitespace trimmed (a leading UTF-8 BOM dropped),
// byte-identical and in input order. Only meaningful for input that is valid
// UTF-8 (the reader replaces invalid sequences).
std::string KeptLinesProblem(std::string_view raw_input, std::string_view text);

}  // namespace clean::testing

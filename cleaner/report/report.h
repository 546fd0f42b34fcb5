// The removal report: versioned JSON per page, documented in
// rules/README.md ("The removal report"). Written from the same decision
// stream as the clean text.
#pragma once
#include <string>

#include "cleaner/cleaner.h"

namespace clean {

inline constexpr int kReportVersion = 1;

void WriteReport(const CleanResult& r, const KeepSet& keep, std::string* out);

}  // namespace clean

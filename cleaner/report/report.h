// The removal report: versioned JSON per page, documented in
// rules/README.md ("The removal report"). Written from the same decision
// stream as the clean text.
#pragma once
#include <functional>
#include <string>

#include "cleaner/cleaner.h"

namespace clean {

inline constexpr int kReportVersion = 1;

// Takes the report written so far (writes it out) and clears *out.
using ReportSink = std::function<void(std::string* out)>;
// Past this many bytes, *out is handed to the sink (when there is one).
inline constexpr size_t kReportChunkBytes = size_t{1} << 18;

// Appends r's report to *out. With a sink, the report goes to it in pieces
// of about kReportChunkBytes as the removed lines are written (a large
// page's report is never whole in memory), the rest staying in *out; the
// bytes, put together, are the same.
void WriteReport(const CleanResult& r, const KeepSet& keep, std::string* out,
                 const ReportSink& sink = {});

}  // namespace clean

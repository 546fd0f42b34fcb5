// HTML records (--html-field). The HTML path (issue 3) is built apart; this
// is the one place JSONL mode calls it, to be connected when it is merged.
// Until then HTML records are rejected with a clear message.
#pragma once
#include <string>
#include <string_view>

#include "cleaner/cleaner.h"

namespace clean {

// Cleans one record's HTML; false with *error set when it cannot.
bool CleanHtmlRecord(Cleaner& cleaner, std::string_view name, std::string_view html,
                     const Source* hint, std::string_view hint_by, CleanResult* out,
                     std::string* error);

}  // namespace clean

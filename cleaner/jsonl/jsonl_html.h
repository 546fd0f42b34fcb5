// HTML records (--html-field, and html=True in the Python module): the one
// place JSONL mode hands a record to the HTML path.
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

// `clean --features`: the trained model's feature rows of a page
// (line_features_model.h), as tab-separated values: a header line
//   page  line  mode  class  decider  <feature names...>  text
// then one row per non-blank line: the page's name, the 1-based line
// number, text or html, the class and the decider id the rules and
// heuristics gave it (before any model), the features (shortest decimal
// that reads back as the same 32-bit float), and the line's text with tabs
// made spaces. README.md ("Training the line scorer") documents the use.
#pragma once
#include <string>
#include <string_view>

#include "cleaner/cleaner.h"

namespace clean {

void AppendFeatureHeader(std::string* out);
// Rows of r's page (r.features must be set) named `page`.
void AppendFeatureRows(const CleanResult& r, std::string_view page, std::string* out);

}  // namespace clean

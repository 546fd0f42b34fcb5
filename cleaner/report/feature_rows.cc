#include "cleaner/report/feature_rows.h"

#include <charconv>

namespace clean {

void AppendFeatureHeader(std::string* out) {
  out->append("page\tline\tmode\tclass\tdecider");
  for (std::string_view n : ModelFeatureNames()) out->append("\t").append(n);
  out->append("\ttext\n");
}

void AppendFeatureRows(const CleanResult& r, std::string_view page, std::string* out) {
  const auto& ds = r.decisions();
  const size_t k = ModelFeatureCount();
  char buf[32];
  for (size_t i = 0; i < ds.size(); ++i) {
    if (ds[i].blank) continue;
    out->append(page).append("\t").append(std::to_string(i + 1));
    out->append(r.html ? "\thtml\t" : "\ttext\t").append(ClassName(ds[i].cls));
    out->append("\t").append(r.rules->deciders()[ds[i].decider].id);
    const float* row = r.features->row(i);
    for (size_t f = 0; f < k; ++f) {
      auto res = std::to_chars(buf, buf + sizeof buf, row[f]);  // shortest round trip
      out->append("\t").append(buf, res.ptr);
    }
    out->append("\t");
    for (char c : r.page->line(i)) out->push_back(c == '\t' ? ' ' : c);
    out->push_back('\n');
  }
}

}  // namespace clean

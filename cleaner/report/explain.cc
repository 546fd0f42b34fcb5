#include "cleaner/report/explain.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "cleaner/report/dom_explain.h"

namespace clean {

namespace {
constexpr size_t kMaxTextBytes = 100;

void Pad(std::string* out, std::string_view s, size_t width) {
  out->append(s);
  if (s.size() < width) out->append(width - s.size(), ' ');
  out->push_back(' ');
}

// A model-decided line: the features that weighed most in its score, each
// with its value and its share of the log-odds (LineModel::TopFeatures).
void ExplainModel(const CleanResult& r, size_t i, std::string* out) {
  const float* row = r.model && r.model_rows ? r.model_rows->row(i) : nullptr;
  if (!row) return;
  const auto& names = ModelFeatureNames();
  char item[160];
  const char* sep = ": ";
  for (const auto& [f, weight] : r.model->TopFeatures(r.html != nullptr, row, 3)) {
    std::snprintf(item, sizeof item, "%s%.*s=%g %+.2f", sep, static_cast<int>(names[f].size()),
                  names[f].data(), row[f], weight);
    out->append(item);
    sep = ", ";
  }
}

// Cuts at a UTF-8 boundary.
std::string_view Cut(std::string_view s, size_t max) {
  if (s.size() <= max) return s;
  while (max > 0 && (static_cast<unsigned char>(s[max]) & 0xC0) == 0x80) --max;
  return s.substr(0, max);
}

// The header's words for the rules a page was cleaned with: "source upi
// (detected by fingerprint)", or "generic rules only (no source detected)".
std::string SourceLine(const CleanResult& r) {
  if (!r.source) return "generic rules only (no source detected)";
  std::string_view how = r.detected_by;
  std::string by = how == "option"        ? "given by --source"
                   : how == "field"       ? "from the record's source field"
                   : how == "domain"      ? "from the URL's domain"
                   : how == "fingerprint" ? "detected by fingerprint"
                                          : std::string(how);
  return "source " + r.source->name + " (" + by + ")";
}
}  // namespace

void WriteExplain(const CleanResult& r, const KeepSet& keep, std::string* out) {
  const auto& ds = r.decisions();
  const auto& deciders = r.rules->deciders();
  size_t id_w = 8, where_w = 8;
  DomExplained dom;
  for (size_t i = 0; i < ds.size(); ++i) {
    const Decision& d = ds[i];
    if (d.blank) continue;
    id_w = std::max(id_w, deciders[d.decider].id.size());
    where_w = std::max(where_w, deciders[d.decider].where().size());
    if (ExplainDom(r, i, &dom)) where_w = std::max(where_w, dom.where.size());
  }
  out->append("# " + r.page->name + ": " + SourceLine(r) + ", language " +
              (r.language.empty() ? std::string("unknown") : std::string(r.language)) + "\n");
  char num[32];
  std::string path;
  for (size_t i = 0; i < ds.size(); ++i) {
    const Decision& d = ds[i];
    std::snprintf(num, sizeof num, "%6zu %c ", i + 1,
                  d.blank ? ' ' : (keep.Has(d.cls) ? '+' : '-'));
    out->append(num);
    if (d.blank) {
      out->append("blank\n");
      continue;
    }
    const Decider& who = deciders[d.decider];
    bool dom_match = ExplainDom(r, i, &dom);
    Pad(out, ClassName(d.cls), 13);
    Pad(out, who.id, id_w);
    if (dom_match && !dom.where.empty())
      Pad(out, dom.where, where_w);
    else
      Pad(out, who.file.empty() ? DeciderKindName(who.kind) : std::string_view(who.where()),
          where_w);
    std::string_view t = r.page->line(i);
    out->append(Cut(t, kMaxTextBytes));
    if (t.size() > kMaxTextBytes) out->append("…");
    if (d.regex_limit) out->append("  [regex limit hit]");
    if (r.model_scores && !std::isnan((*r.model_scores)[i])) {  // the line scorer's score
      char score[32];
      std::snprintf(score, sizeof score, "  [score %.3f", (*r.model_scores)[i]);
      out->append(score);
      if (who.kind == Decider::Kind::kModel) ExplainModel(r, i, out);
      out->push_back(']');
    }
    if (dom_match) out->append("  [").append(dom.key).append(" ").append(dom.value).append("]");
    if (r.html) {  // the element's path, for writing xpath rules
      path.clear();
      r.html->tree.AppendPath(r.html->lines[i].block, &path);
      out->append("  @ ").append(path);
    }
    out->push_back('\n');
  }
}

}  // namespace clean

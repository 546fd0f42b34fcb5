#include "cleaner/report.h"

#include <array>

#include "cleaner/json_writer.h"

namespace clean {

namespace {

// The text of the first line decided by a rule tagged `as FIELD`; for
// "title", the first title line otherwise.
std::string_view FieldText(const CleanResult& r, std::string_view field) {
  const auto& ds = r.decisions();
  const auto& deciders = r.rules->deciders();
  for (size_t i = 0; i < ds.size(); ++i)
    if (!ds[i].blank && deciders[ds[i].decider].field == field) return r.page->line(i);
  if (field == "title")
    for (size_t i = 0; i < ds.size(); ++i)
      if (!ds[i].blank && ds[i].cls == LineClass::kTitle) return r.page->line(i);
  return {};
}

void OptionalString(JsonWriter& j, std::string_view key, std::string_view v) {
  j.Key(key);
  if (v.empty()) j.Null();
  else j.String(v);
}

}  // namespace

void WriteReport(const CleanResult& r, const KeepSet& keep, std::string* out) {
  const Page& page = *r.page;
  const auto& ds = r.decisions();
  const auto& deciders = r.rules->deciders();
  JsonWriter j(out);
  j.BeginObject();
  j.Key("report_version").Int(kReportVersion);

  size_t blank = 0;
  std::array<size_t, kNumClasses> lines{}, bytes{};
  for (size_t i = 0; i < ds.size(); ++i) {
    if (ds[i].blank) {
      ++blank;
      continue;
    }
    ++lines[static_cast<int>(ds[i].cls)];
    bytes[static_cast<int>(ds[i].cls)] += page.lines[i].end - page.lines[i].begin;
  }

  j.Key("input").BeginObject();
  j.Key("name").String(page.name);
  j.Key("bytes").Int(static_cast<int64_t>(page.input_bytes));
  j.Key("lines").Int(static_cast<int64_t>(page.lines.size()));
  j.Key("blank_lines").Int(static_cast<int64_t>(blank));
  j.Key("bom_removed").Bool(page.had_bom);
  j.Key("crlf").Bool(page.had_crlf);
  j.Key("final_newline").Bool(page.final_newline);
  j.Key("invalid_utf8_replaced").Int(static_cast<int64_t>(page.invalid_utf8));
  j.EndObject();

  j.Key("source").BeginObject();
  if (r.source) j.Key("name").String(r.source->name);
  else j.Key("name").Null();
  j.Key("detected_by").String(r.detected_by);
  if (r.detected_by == "fingerprint") {
    const Decider& d = deciders[r.detect_decider];
    j.Key("rule").String(d.id);
    j.Key("where").String(d.where());
  }
  j.EndObject();

  OptionalString(j, "language", r.language);
  OptionalString(j, "title", FieldText(r, "title"));
  std::string_view date = page.header_date;
  if (date.empty()) date = FieldText(r, "date");
  OptionalString(j, "date", date);
  OptionalString(j, "byline", FieldText(r, "byline"));

  j.Key("kept_classes").Inline().BeginArray();
  for (int c = 0; c < kNumClasses; ++c)
    if (keep.keep[c]) j.String(ClassName(static_cast<LineClass>(c)));
  j.EndArray();

  j.Key("counts").BeginObject();
  for (int c = 0; c < kNumClasses; ++c) {
    j.Key(ClassName(static_cast<LineClass>(c))).Inline().BeginObject();
    j.Key("lines").Int(static_cast<int64_t>(lines[c]));
    j.Key("bytes").Int(static_cast<int64_t>(bytes[c]));
    j.EndObject();
  }
  j.EndObject();

  j.Key("regex_limits").BeginArray();
  for (const Hit& h : r.work->scan.limits) {
    j.Inline().BeginObject();
    j.Key("line").Int(h.line + 1);
    j.Key("pattern").String(r.rules->matcher(h.matcher).regex->pattern());
    j.EndObject();
  }
  j.EndArray();

  // Only when a budget ran out, so reports of ordinary pages keep their shape.
  if (r.over_time_budget) {
    j.Key("budget_exceeded").Inline().BeginObject();
    j.Key("budget").String("page_time_budget_ms");
    j.Key("limit").Int(r.time_budget_ms);
    j.Key("effect").String("rule matching stopped; later lines decided by heuristics");
    j.EndObject();
  }

  j.Key("removed").BeginArray();
  for (size_t i = 0; i < ds.size(); ++i) {
    const Decision& d = ds[i];
    if (d.blank || keep.Has(d.cls)) continue;
    const Decider& who = deciders[d.decider];
    j.Inline().BeginObject();
    j.Key("line").Int(static_cast<int64_t>(i + 1));
    j.Key("class").String(ClassName(d.cls));
    j.Key("rule").String(who.id);
    j.Key("kind").String(DeciderKindName(who.kind));
    j.Key("where").String(who.where());
    if (d.regex_limit) j.Key("regex_limit").Bool(true);
    j.Key("text").String(page.line(i));
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
}

}  // namespace clean

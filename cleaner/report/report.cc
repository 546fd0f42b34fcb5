#include "cleaner/report/report.h"

#include <cstdio>

#include <algorithm>
#include <array>
#include <cstdint>

#include "cleaner/report/dom_explain.h"
#include "cleaner/json/json_writer.h"

namespace clean {

namespace {

// The texts of the first lines decided by rules tagged `as title`, `as
// date` and `as byline`; for the title, the first title line otherwise.
// One pass over the decisions for the three.
struct FieldTexts {
  std::string_view title, date, byline;
};

FieldTexts FindFieldTexts(const CleanResult& r) {
  const auto& ds = r.decisions();
  const auto& deciders = r.rules->deciders();
  constexpr size_t kNone = static_cast<size_t>(-1);
  size_t title = kNone, date = kNone, byline = kNone, title_line = kNone;
  for (size_t i = 0; i < ds.size(); ++i) {
    if (ds[i].blank) continue;
    if (ds[i].cls == LineClass::kTitle && title_line == kNone) title_line = i;
    const std::string& field = deciders[ds[i].decider].field;
    if (field.empty()) continue;
    if (field == "title")
      title = std::min(title, i);
    else if (field == "date")
      date = std::min(date, i);
    else if (field == "byline")
      byline = std::min(byline, i);
  }
  if (title == kNone) title = title_line;
  auto text = [&](size_t i) { return i == kNone ? std::string_view() : r.page->line(i); };
  return {text(title), text(date), text(byline)};
}

void OptionalString(JsonWriter& j, std::string_view key, std::string_view v) {
  j.Key(key);
  if (v.empty())
    j.Null();
  else
    j.String(v);
}

// What only HTML input has: the charset, what was skipped or cut before
// the lines were made, and the page's metadata.
void WriteHtmlSection(const HtmlPage& h, JsonWriter& j) {
  j.Key("html").BeginObject();
  j.Key("charset").Inline().BeginObject();
  j.Key("name").String(h.charset.name);
  j.Key("found_by").String(h.charset.source);
  j.Key("replaced").Int(static_cast<int64_t>(h.charset.replaced));
  j.EndObject();
  j.Key("skipped").Inline().BeginObject();
  j.Key("comments").Int(static_cast<int64_t>(h.stats.comments));
  j.Key("script_style_bytes").Int(static_cast<int64_t>(h.stats.script_bytes));
  j.Key("hidden_elements").Int(static_cast<int64_t>(h.stats.hidden));
  for (const auto& [tag, n] : h.stats.skipped) j.Key(tag).Int(n);
  j.EndObject();
  j.Key("noscript_rendered").Bool(h.noscript_rendered);
  j.Key("cut").Inline().BeginObject();
  j.Key("deep_tags").Int(static_cast<int64_t>(h.stats.depth_cut_tags));
  j.Key("bytes").Int(static_cast<int64_t>(h.stats.size_cut_bytes));
  // Only when one was left open, so reports of ordinary pages keep their shape.
  if (h.stats.unclosed_closed > 0)
    j.Key("unclosed_raw_text").Int(static_cast<int64_t>(h.stats.unclosed_closed));
  j.EndObject();
  j.Key("metadata").BeginObject();
  OptionalString(j, "title", h.meta.title);
  OptionalString(j, "date", h.meta.date);
  OptionalString(j, "author", h.meta.author);
  OptionalString(j, "canonical_url", h.meta.canonical_url);
  OptionalString(j, "site_name", h.meta.site_name);
  OptionalString(j, "domain", h.meta.domain);
  j.EndObject();
  j.EndObject();
}

// Reserves room for the removed lines' entries, so that a large page's
// report is not copied as it grows nor left with up to twice its size
// allocated. A bound for entries whose text and rule names need few
// escapes (a sixteenth more for those); room never written is never
// touched (no memory of it is used). HTML entries' paths are not counted:
// they may make it grow.
// `limit`: reserve at most this much.
void ReserveRemoved(const CleanResult& r, const KeepSet& keep, std::string* out, size_t limit) {
  // Separator, "line" and its number, regex_limit, "text", quotes, braces;
  // the class-and-decider part's keys, class and kind.
  constexpr size_t kFixed = 72, kFragment = 80;
  size_t fragment = 0;
  for (const Decider& d : r.rules->deciders())
    fragment = std::max(fragment, kFragment + d.id.size() + d.where().size());
  const auto& ds = r.decisions();
  size_t need = 0;
  for (size_t i = 0; i < ds.size(); ++i)
    if (!ds[i].blank && !keep.Has(ds[i].cls))
      need += kFixed + fragment + (r.page->lines[i].end - r.page->lines[i].begin);
  out->reserve(out->size() + std::min(need + need / 16, limit));
}

}  // namespace

void WriteReport(const CleanResult& r, const KeepSet& keep, std::string* out,
                 const ReportSink& sink) {
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
  if (r.source)
    j.Key("name").String(r.source->name);
  else
    j.Key("name").Null();
  j.Key("detected_by").String(r.detected_by);
  if (r.detected_by == "fingerprint") {
    const Decider& d = deciders[r.detect_decider];
    j.Key("rule").String(d.id);
    j.Key("where").String(d.where());
  }
  j.EndObject();

  OptionalString(j, "language", r.language);
  FieldTexts fields = FindFieldTexts(r);
  OptionalString(j, "title", fields.title);
  std::string_view date = page.header_date;
  if (date.empty() && r.html) date = r.html->meta.date;
  if (date.empty()) date = fields.date;
  OptionalString(j, "date", date);
  OptionalString(j, "byline", fields.byline);

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

  if (r.html) WriteHtmlSection(*r.html, j);

  j.Key("regex_limits").BeginArray();
  for (const Hit& h : r.work->scan.limits) {
    j.Inline().BeginObject();
    j.Key("line").Int(h.line + 1);
    j.Key("pattern").String(r.rules->matcher(h.matcher).regex->pattern());
    j.EndObject();
  }
  j.EndArray();

  // Only when a tag was over a parse cap, so reports of ordinary pages keep their shape.
  if (r.html && r.html->stats.capped_tags > 0) {
    const HtmlParseStats& s = r.html->stats;
    j.Key("parse_limits").Inline().BeginObject();
    j.Key("html_max_attributes").Int(s.max_attributes);
    j.Key("html_max_tag_bytes").Int(s.max_tag_bytes);
    j.Key("tags").Int(static_cast<int64_t>(s.capped_tags));
    j.Key("attributes_dropped").Int(static_cast<int64_t>(s.capped_attributes));
    j.Key("bytes_dropped").Int(static_cast<int64_t>(s.capped_bytes));
    j.EndObject();
  }

  // Only when a budget ran out, so reports of ordinary pages keep their shape.
  if (r.over_time_budget) {
    j.Key("budget_exceeded").Inline().BeginObject();
    j.Key("budget").String("page_time_budget_ms");
    j.Key("limit").Int(r.time_budget_ms);
    j.Key("effect").String(r.html && r.html->late
                               ? "second rendering skipped; rule matching stopped; later "
                                 "lines decided by heuristics"
                               : "rule matching stopped; later lines decided by heuristics");
    j.EndObject();
  }

  // The removed lines: most of a report, so each entry is written by hand
  // (the shape an inline object of the writer has), its part that depends
  // only on the class and decider written once per report.
  j.Key("removed").BeginArray();
  thread_local FragmentCache fragments;
  fragments.Reset(deciders.size() * kNumClasses);
  auto class_and_decider = [&](const Decision& d) {
    return fragments.Get(d.decider * kNumClasses + static_cast<size_t>(d.cls), [&](std::string* o) {
      const Decider& who = deciders[d.decider];
      o->append(", \"class\": ");
      AppendJsonEscaped(ClassName(d.cls), o);
      o->append(", \"rule\": ");
      AppendJsonEscaped(who.id, o);
      o->append(", \"kind\": ");
      AppendJsonEscaped(DeciderKindName(who.kind), o);
      o->append(", \"where\": ");
      AppendJsonEscaped(who.where(), o);
    });
  };
  std::string path, separator;
  // A piece, the staging block and a line's entry fit: the line's text is
  // at most a page.
  ReserveRemoved(r, keep, out, sink ? kReportChunkBytes + StagedAppend::kSize : SIZE_MAX);
  DomExplained dom;
  {
    StagedAppend o(out);
    bool first = true;
    for (size_t i = 0; i < ds.size(); ++i) {
      const Decision& d = ds[i];
      if (d.blank || keep.Has(d.cls)) continue;
      if (first) {  // the writer's separator, newline and indentation
        o.Flush();
        j.RawValue();
        separator = j.Separator();
        first = false;
      } else {
        o.Append(separator);
      }
      static constexpr std::string_view kLine = "{\"line\": ";
      char* p = o.Room(kLine.size() + kMaxDecimal);
      p = WriteDecimal(i + 1, std::copy(kLine.begin(), kLine.end(), p));
      o.Commit(p);
      bool dom_match = r.html && ExplainDom(r, i, &dom);
      if (dom_match && !dom.where.empty()) {  // a vocabulary entry decided: it is the where
        const Decider& who = deciders[d.decider];
        o.Append(", \"class\": ");
        AppendJsonEscaped(ClassName(d.cls), &o);
        o.Append(", \"rule\": ");
        AppendJsonEscaped(who.id, &o);
        o.Append(", \"kind\": ");
        AppendJsonEscaped(DeciderKindName(who.kind), &o);
        o.Append(", \"where\": ");
        AppendJsonEscaped(dom.where, &o);
      } else {
        o.Append(class_and_decider(d));
      }
      if (d.regex_limit) o.Append(", \"regex_limit\": true");
      if (r.model_scores && deciders[d.decider].kind == Decider::Kind::kModel) {
        char score[32];
        std::snprintf(score, sizeof score, ", \"score\": %.3f", (*r.model_scores)[i]);
        o.Append(std::string_view(score));
      }
      if (dom_match) {
        o.Append(", \"");
        o.Append(dom.key);
        o.Append("\": ");
        AppendJsonEscaped(dom.value, &o);
      }
      if (r.html) {
        path.clear();
        r.html->tree.AppendPath(r.html->lines[i].block, &path);
        o.Append(", \"path\": ");
        AppendJsonEscaped(path, &o);
      }
      o.Append(", \"text\": ");
      AppendJsonEscaped(page.line(i), &o);
      o.Append('}');
      if (sink && out->size() >= kReportChunkBytes) sink(out);
    }
  }
  j.EndArray();
  j.EndObject();
}

}  // namespace clean

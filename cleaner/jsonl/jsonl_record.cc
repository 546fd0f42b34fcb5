#include "cleaner/jsonl/jsonl_record.h"

#include <algorithm>

#include <chrono>
#include <cstring>

#include "cleaner/classify/line_model.h"
#include "cleaner/json/json_writer.h"
#include "cleaner/jsonl/jsonl_html.h"
#include "cleaner/report/span_report.h"
#include "cleaner/base/text_util.h"
#include "cleaner/ruleset/url_source.h"

namespace clean {

RecordCleaner::RecordCleaner(const RuleSet& rules, const Options& base, const Source* forced,
                             const KeepSet& keep, const JsonlOptions& options, std::string digest)
    : rules_(rules),
      options_(options),
      keep_(keep),
      digest_(std::move(digest)),
      cleaner_(rules, base, forced) {
  cleaner_.set_input_valid_utf8(true);  // text fields are decoded from validated strings
  cleaner_.set_stop_budget_ms(options_.time_budget_ms);  // every stage, not only the last
  cleaner_.set_prefilter(options_.prefilter);
  if (options_.model) cleaner_.set_model(options_.model, options_.model_decider);
  JsonWriter head(&summary_head_, /*pretty=*/false);
  head.BeginObject();
  head.Key("version").String(CLEAN_VERSION);
  head.Key("rules").String(digest_);
  if (options_.model) {
    head.Key("model").BeginObject();
    head.Key("name").String(options_.model->id());
    head.Key("digest").String(options_.model->digest());
    head.EndObject();
  }
  for (int c = 0; c < kNumClasses; ++c) {
    std::string key = c ? "," : "";
    AppendJsonEscaped(ClassName(static_cast<LineClass>(c)), &key);
    count_keys_.push_back(key + ":{\"lines\":");
  }
}

RecordOutcome RecordCleaner::Reject(RunStats* stats, std::string* message, std::string text) {
  ++stats->rejected;
  *message = std::move(text);
  return RecordOutcome::kRejected;
}

namespace {

// A JSON string, or null when empty (as the per-page report writes them).
void AppendOptional(std::string_view v, std::string* out) {
  if (v.empty())
    out->append("null");
  else
    AppendJsonEscaped(v, out);
}

// ,"metadata":{...}: an HTML record's metadata, the keys of the per-page
// report's html.metadata (report.cc) in its order.
void AppendMetadata(const HtmlMeta& m, std::string* out) {
  const std::pair<std::string_view, const std::string*> fields[] = {
      {"title", &m.title},         {"date", &m.date},
      {"author", &m.author},       {"canonical_url", &m.canonical_url},
      {"site_name", &m.site_name}, {"domain", &m.domain}};
  out->append(",\"metadata\":{");
  for (const auto& [key, value] : fields) {
    if (key != "title") out->push_back(',');
    AppendJsonEscaped(key, out);
    out->push_back(':');
    AppendOptional(*value, out);
  }
  out->push_back('}');
}

}  // namespace

void RecordCleaner::Summary(const CleanResult* r, const ClassCounts* counts, std::string_view limit,
                            std::string* out) const {
  // What a JsonWriter would write, from the fixed text made once (a
  // record's summary is some thirty keys and values, most the same every
  // time).
  out->assign(summary_head_);
  if (!r) {
    out->append(",\"over_limit\":");
    AppendJsonEscaped(limit, out);
    out->push_back('}');
    return;
  }
  out->append(",\"source\":");
  if (r->source)
    AppendJsonEscaped(r->source->name, out);
  else
    out->append("null");
  out->append(",\"detected_by\":");
  AppendJsonEscaped(r->detected_by, out);
  out->append(",\"language\":");
  AppendOptional(r->language, out);
  out->append(",\"counts\":{");
  for (int c = 0; c < kNumClasses; ++c) {
    out->append(count_keys_[c]);
    // `LINES,"bytes":BYTES}` made on the stack, one append.
    constexpr std::string_view kBytes = ",\"bytes\":";
    char buf[2 * kMaxDecimal + kBytes.size() + 1];
    char* q = WriteDecimal(counts->lines[c], buf);
    std::memcpy(q, kBytes.data(), kBytes.size());
    q = WriteDecimal(counts->bytes[c], q + kBytes.size());
    *q++ = '}';
    out->append(buf, static_cast<size_t>(q - buf));
  }
  out->push_back('}');
  if (r->html) AppendMetadata(r->html->meta, out);
  out->push_back('}');
}

void RecordCleaner::AppendRecord(std::string_view line, const JsonMember* text, bool add_text,
                                 const CleanResult* clean, std::string_view summary,
                                 std::string* out) const {
  // The edits in record order: the text value replaced (or, for an HTML
  // record without a text field, a text member added at the end), and the
  // summary (replacing the first existing member's value, else added at
  // the end; later members of that key are removed with the comma before
  // them, so a record has exactly one summary). Each is written straight
  // into *out: the clean text run by run from the page, escaped, with no
  // copy of it between.
  enum Kind : unsigned char { kText, kSummary, kRemove };
  struct Edit {
    size_t begin, end;
    Kind kind;  // at one place the text comes first
    bool add;   // a member added before the closing '}'
  };
  thread_local std::vector<Edit> edits;
  edits.clear();
  const size_t close = scan_.close;
  if (clean && text)
    edits.push_back({text->value_begin, text->value_end, kText, false});
  else if (clean && add_text)
    edits.push_back({close, close, kText, true});
  bool summary_found = false;
  for (size_t k = 0; k < scan_.members.size(); ++k) {
    const JsonMember& m = scan_.members[k];
    if (!MemberKeyIs(line, m, options_.summary_key)) continue;
    if (!summary_found)
      edits.push_back({m.value_begin, m.value_end, kSummary, false});
    else
      edits.push_back({scan_.members[k - 1].value_end, m.value_end, kRemove, false});
    summary_found = true;
  }
  if (!summary_found) edits.push_back({close, close, kSummary, true});
  std::stable_sort(edits.begin(), edits.end(),
                   [](const Edit& a, const Edit& b) { return a.begin < b.begin; });
  bool has_members = !scan_.members.empty();
  size_t pos = 0;
  for (const Edit& e : edits) {
    out->append(line.substr(pos, e.begin - pos));
    pos = e.end;
    if (e.kind == kRemove) continue;
    if (e.add) {
      if (has_members) out->push_back(',');
      has_members = true;
      AppendJsonEscaped(e.kind == kSummary ? options_.summary_key : options_.text_field, out);
      out->push_back(':');
    }
    if (e.kind == kSummary) {
      out->append(summary);
    } else {
      const char* const page = clean->page->text.data();
      out->push_back('"');
      ForEachCleanRun(*clean, keep_, [&](uint32_t begin, uint32_t end) {
        AppendJsonEscapedBody(std::string_view(page + begin, end - begin), out);
        out->append("\\n", 2);
      });
      out->push_back('"');
    }
  }
  out->append(line.substr(pos));
  out->push_back('\n');
}

RecordOutcome RecordCleaner::Process(std::string_view line, std::string* out, std::string* report,
                                     RunStats* stats, std::string* message) {
  if (TrimAscii(line).empty()) {
    ++stats->blank_lines;
    return RecordOutcome::kBlank;
  }
  ++stats->records;
  std::string error;
  if (!ScanJsonObject(line, &scan_, &error)) return Reject(stats, message, "bad JSON: " + error);

  bool dup = false;
  const JsonMember* html = nullptr;
  if (!options_.html_field.empty()) {
    html = FindMember(line, scan_, options_.html_field, &dup);
    if (dup) return Reject(stats, message, "field '" + options_.html_field + "' appears twice");
  }
  const JsonMember* text = FindMember(line, scan_, options_.text_field, &dup);
  if (dup) return Reject(stats, message, "field '" + options_.text_field + "' appears twice");
  const JsonMember* input = html ? html : text;
  const std::string& input_name = html ? options_.html_field : options_.text_field;
  if (!input)
    return Reject(
        stats, message,
        "no field '" + options_.text_field + "'" +
            (options_.html_field.empty() ? std::string() : " or '" + options_.html_field + "'"));
  if (input->type != JsonType::kString)
    return Reject(stats, message,
                  "field '" + input_name + "' is " + std::string(JsonTypeName(input->type)) +
                      ", not a string");

  std::string_view id_json;
  if (const JsonMember* id = FindMember(line, scan_, options_.id_field))
    id_json = line.substr(id->value_begin, id->value_end - id->value_begin);

  // The source: the record's source field, else its URL's domain (--source
  // overrides both inside the Cleaner).
  const Source* hint = nullptr;
  std::string_view hint_by;
  // String values come decoded from the scan (JsonObjectScan::Decoded).
  auto string_field = [&](const std::string& key, std::string_view* value) {
    const JsonMember* m = key.empty() ? nullptr : FindMember(line, scan_, key);
    if (!m || m->type != JsonType::kString) return false;
    *value = scan_.Decoded(*m);
    return true;
  };
  std::string_view field;
  if (string_field(options_.source_field, &field) && (hint = rules_.FindSource(field)))
    hint_by = "field";
  if (!hint && string_field(options_.url_field, &field) &&
      (hint = SourceForHost(rules_, UrlHost(field))))
    hint_by = "domain";

  const std::string_view input_text = scan_.Decoded(*input);

  auto over_limit = [&](std::string_view limit) {
    ++stats->over_limit;
    if (report) WriteLimitReport(id_json, limit, options_.drop_over_limit, report);
    if (options_.drop_over_limit) {
      ++stats->dropped;
      return RecordOutcome::kDropped;
    }
    Summary(nullptr, nullptr, limit, &summary_);
    AppendRecord(line, nullptr, false, nullptr, summary_, out);
    return RecordOutcome::kPassed;
  };
  if (options_.max_bytes && input_text.size() > options_.max_bytes) return over_limit("max_bytes");

  // A text record's report spans: worked out by the page reader as it
  // splits the lines (else below, when the text was read as HTML).
  cleaner_.set_line_spans(report && !html ? &spans_ : nullptr);
  auto started = std::chrono::steady_clock::now();
  CleanResult r;
  bool ok = html ? CleanHtmlRecord(cleaner_, "record", input_text, hint, hint_by, &r, &error)
                 : cleaner_.Clean("record", input_text, &r, &error, hint, hint_by);
  if (!ok && !cleaner_.over_limit().empty()) return over_limit(cleaner_.over_limit());
  if (!ok) return Reject(stats, message, "field '" + input_name + "': " + error);
  // All its lines: as many as the page has.
  if (report && !html && !cleaner_.line_spans_written())
    LineCodePointSpans(input_text, input_text.size() + 1, &spans_);
  if (options_.time_budget_ms > 0) {
    std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - started;
    if (took.count() > options_.time_budget_ms) return over_limit("time_budget");
  }

  // The clean text is written into the record by AppendRecord, not before
  // (RunStats::Add works its size out from the counts).
  const ClassCounts counts = stats->Add(rules_, r, keep_);
  Summary(&r, &counts, {}, &summary_);
  // An HTML record's clean text goes to the text field (replaced, or added).
  AppendRecord(line, text, html && !text, &r, summary_, out);
  // An HTML record's spans index its rendered text, the lines decided on.
  if (report && html) PageCodePointSpans(*r.page, &spans_);
  if (report) WriteSpanReport(id_json, spans_, r, report);
  return RecordOutcome::kCleaned;
}

}  // namespace clean

#include "cleaner/run_stats.h"

#include "cleaner/json_writer.h"

namespace clean {

ClassCounts CountClasses(const CleanResult& r) {
  ClassCounts c;
  const auto& ds = r.decisions();
  for (size_t i = 0; i < ds.size(); ++i) {
    if (ds[i].blank) continue;
    int k = static_cast<int>(ds[i].cls);
    ++c.lines[k];
    c.bytes[k] += r.page->lines[i].end - r.page->lines[i].begin;
  }
  return c;
}

namespace {

void AddVector(std::vector<uint64_t>& into, const std::vector<uint64_t>& from) {
  if (into.size() < from.size()) into.resize(from.size());
  for (size_t i = 0; i < from.size(); ++i) into[i] += from[i];
}

void WriteCounts(JsonWriter& j, uint64_t lines, uint64_t bytes) {
  j.Inline().BeginObject();
  j.Key("lines").Int(static_cast<int64_t>(lines));
  j.Key("bytes").Int(static_cast<int64_t>(bytes));
  j.EndObject();
}

}  // namespace

ClassCounts RunStats::Add(const RuleSet& rules, const CleanResult& r, size_t out_bytes) {
  ++cleaned;
  text_bytes_in += r.page->input_bytes;
  text_bytes_out += out_bytes;
  const size_t n = rules.deciders().size() * kNumClasses;
  if (rule_lines.size() < n) {
    rule_lines.resize(n);
    rule_bytes.resize(n);
  }
  if (source_records.size() < rules.sources().size() + 1)
    source_records.resize(rules.sources().size() + 1);
  ++source_records[r.source ? r.source - rules.sources().data() + 1 : 0];
  // Lines come in runs of one decider and class: counted in locals while
  // the run lasts, added to the arrays when it ends (an increment in
  // memory per line would wait on the last one's store, line after line).
  ClassCounts page;
  const Decision* const ds = r.decisions().data();
  const LineSpan* const lines = r.page->lines.data();
  const size_t count = r.decisions().size();
  size_t run = n;  // none yet
  uint64_t run_lines = 0, run_bytes = 0;
  for (size_t i = 0; i < count; ++i) {
    if (ds[i].blank) continue;
    const size_t slot = ds[i].decider * kNumClasses + static_cast<size_t>(ds[i].cls);
    if (slot != run) {
      if (run_lines) AddRun(run, run_lines, run_bytes, &page);
      run = slot;
      run_lines = run_bytes = 0;
    }
    ++run_lines;
    run_bytes += lines[i].end - lines[i].begin;
  }
  if (run_lines) AddRun(run, run_lines, run_bytes, &page);
  for (int c = 0; c < kNumClasses; ++c) {
    classes.lines[c] += page.lines[c];
    classes.bytes[c] += page.bytes[c];
  }
  return page;
}

void RunStats::AddRun(size_t slot, uint64_t lines, uint64_t bytes, ClassCounts* page) {
  rule_lines[slot] += lines;
  rule_bytes[slot] += bytes;
  page->lines[slot % kNumClasses] += lines;
  page->bytes[slot % kNumClasses] += bytes;
}

void RunStats::Merge(const RunStats& o) {
  records += o.records;
  cleaned += o.cleaned;
  over_limit += o.over_limit;
  dropped += o.dropped;
  rejected += o.rejected;
  blank_lines += o.blank_lines;
  text_bytes_in += o.text_bytes_in;
  text_bytes_out += o.text_bytes_out;
  for (int c = 0; c < kNumClasses; ++c) {
    classes.lines[c] += o.classes.lines[c];
    classes.bytes[c] += o.classes.bytes[c];
  }
  AddVector(rule_lines, o.rule_lines);
  AddVector(rule_bytes, o.rule_bytes);
  AddVector(source_records, o.source_records);
}

void RunStats::WriteJson(const RuleSet& rules, std::string* out) const {
  JsonWriter j(out);
  j.BeginObject();
  j.Key("stats_version").Int(kStatsVersion);
  j.Key("records").BeginObject();
  j.Key("read").Int(static_cast<int64_t>(records));
  j.Key("cleaned").Int(static_cast<int64_t>(cleaned));
  j.Key("over_limit").Int(static_cast<int64_t>(over_limit));
  j.Key("dropped").Int(static_cast<int64_t>(dropped));
  j.Key("rejected").Int(static_cast<int64_t>(rejected));
  j.Key("blank_lines").Int(static_cast<int64_t>(blank_lines));
  j.EndObject();
  j.Key("text_bytes").BeginObject();
  j.Key("in").Int(static_cast<int64_t>(text_bytes_in));
  j.Key("out").Int(static_cast<int64_t>(text_bytes_out));
  j.EndObject();
  j.Key("classes").BeginObject();
  for (int c = 0; c < kNumClasses; ++c) {
    j.Key(ClassName(static_cast<LineClass>(c)));
    WriteCounts(j, classes.lines[c], classes.bytes[c]);
  }
  j.EndObject();
  j.Key("sources").BeginObject();
  for (size_t i = 0; i < source_records.size(); ++i) {
    if (!source_records[i]) continue;
    j.Key(i == 0 ? std::string_view("(none)") : std::string_view(rules.sources()[i - 1].name));
    j.Int(static_cast<int64_t>(source_records[i]));
  }
  j.EndObject();
  // Rules that decided at least one line, in rule-set order; per class, as a
  // heuristic decides several classes.
  j.Key("rules").BeginArray();
  const auto& deciders = rules.deciders();
  for (size_t d = 0; d < deciders.size(); ++d) {
    for (int c = 0; c < kNumClasses; ++c) {
      size_t slot = d * kNumClasses + c;
      if (slot >= rule_lines.size() || !rule_lines[slot]) continue;
      j.Inline().BeginObject();
      j.Key("rule").String(deciders[d].id);
      j.Key("class").String(ClassName(static_cast<LineClass>(c)));
      j.Key("kind").String(DeciderKindName(deciders[d].kind));
      j.Key("where").String(deciders[d].where());
      j.Key("lines").Int(static_cast<int64_t>(rule_lines[slot]));
      j.Key("bytes").Int(static_cast<int64_t>(rule_bytes[slot]));
      j.EndObject();
    }
  }
  j.EndArray();
  j.EndObject();
}

}  // namespace clean

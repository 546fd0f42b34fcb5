#include "cleaner/report/run_stats.h"

#include "cleaner/json/json_writer.h"

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

ClassCounts RunStats::Add(const RuleSet& rules, const CleanResult& r, const KeepSet& keep) {
  ++cleaned;
  text_bytes_in += r.page->input_bytes;
  const size_t n = rules.deciders().size() * kNumClasses;
  if (rule_lines.size() < n) {
    rule_lines.resize(n);
    rule_bytes.resize(n);
  }
  if (source_records.size() < rules.sources().size() + 1)
    source_records.resize(rules.sources().size() + 1);
  ++source_records[r.source ? r.source - rules.sources().data() + 1 : 0];
  // Without a branch per line (blank lines, which come unpredictably, are
  // counted in a slot of their own that is thrown away).
  std::array<uint64_t, kNumClasses + 1> page_lines{}, page_bytes{};
  uint64_t blank_slot[2] = {};
  const Decision* const ds = r.decisions().data();
  const LineSpan* const lines = r.page->lines.data();
  const size_t count = r.decisions().size();
  // Local copies of the counters' addresses: the stores through them could
  // alias the vectors, and would reload them on every line.
  uint64_t* const slot_lines = rule_lines.data();
  uint64_t* const slot_bytes = rule_bytes.data();
  for (size_t i = 0; i < count; ++i) {
    const Decision& d = ds[i];
    const size_t k = static_cast<size_t>(d.cls);
    const uint64_t b = lines[i].end - lines[i].begin;
    const size_t slot = d.decider * kNumClasses + k;
    uint64_t* l = d.blank ? &blank_slot[0] : &slot_lines[slot];
    uint64_t* y = d.blank ? &blank_slot[1] : &slot_bytes[slot];
    ++*l;
    *y += b;
    const size_t pk = d.blank ? kNumClasses : k;
    ++page_lines[pk];
    page_bytes[pk] += b;
  }
  ClassCounts page;
  for (int c = 0; c < kNumClasses; ++c) {
    page.lines[c] = page_lines[c];
    page.bytes[c] = page_bytes[c];
    classes.lines[c] += page_lines[c];
    classes.bytes[c] += page_bytes[c];
    // The clean text's size: each kept line and its '\n' (WriteCleanText).
    if (keep.Has(static_cast<LineClass>(c))) text_bytes_out += page_lines[c] + page_bytes[c];
  }
  return page;
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

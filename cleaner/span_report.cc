#include "cleaner/span_report.h"

#include <cstring>

#include "cleaner/json_writer.h"
#include "cleaner/swar.h"
#include "cleaner/text_util.h"

namespace clean {

namespace {

// Code points in s: bytes that do not continue a UTF-8 sequence.
uint64_t CodePoints(std::string_view s) {
  uint64_t n = 0;
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {  // continuation bytes are 10xxxxxx
    uint64_t v = swar::Load8(s.data() + i);
    n += 8 - static_cast<uint64_t>(__builtin_popcountll(v & ~(v << 1) & swar::kHigh));
  }
  for (; i < s.size(); ++i) n += (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
  return n;
}

void BeginLine(std::string_view id_json, std::string* out) {
  out->append("{\"id\":");
  out->append(id_json.empty() ? std::string_view("null") : id_json);
}

}  // namespace

void WriteSpanReport(std::string_view id_json, std::string_view original, const CleanResult& r,
                     std::string* out) {
  const auto& ds = r.decisions();
  const auto& deciders = r.rules->deciders();
  // Span of each input line in the original, in code points: the same
  // split as the reader's (a leading BOM dropped, lines on '\n', ASCII
  // whitespace trimmed).
  struct Span {
    uint64_t start, end;
  };
  thread_local std::vector<Span> spans;
  spans.clear();
  uint64_t cp = 0;
  size_t pos = 0;
  if (original.substr(0, 3) == "\xEF\xBB\xBF") {
    pos = 3;
    cp = 1;
  }
  while (pos < original.size() && spans.size() < ds.size()) {
    const void* nl = std::memchr(original.data() + pos, '\n', original.size() - pos);
    size_t end = nl ? static_cast<const char*>(nl) - original.data() : original.size();
    std::string_view raw = original.substr(pos, end - pos);
    std::string_view t = TrimAscii(raw);
    // The trimmed bytes are ASCII whitespace: one code point each.
    uint64_t lead = static_cast<uint64_t>(t.data() - raw.data());
    uint64_t len = CodePoints(t);
    spans.push_back({cp + lead, cp + lead + len});
    cp += raw.size() - t.size() + len + 1;
    pos = end + 1;
  }
  BeginLine(id_json, out);
  out->append(",\"attributes\":{");
  for (int c = 0; c < kNumClasses; ++c) {
    if (c) out->push_back(',');
    out->append("\"clean__").append(ClassName(static_cast<LineClass>(c))).append("\":[");
    bool first = true;
    for (size_t i = 0; i < ds.size() && i < spans.size(); ++i) {
      if (ds[i].blank || static_cast<int>(ds[i].cls) != c) continue;
      if (!first) out->push_back(',');
      first = false;
      out->push_back('[');
      AppendJsonInt(static_cast<int64_t>(spans[i].start), out);
      out->push_back(',');
      AppendJsonInt(static_cast<int64_t>(spans[i].end), out);
      out->push_back(',');
      AppendJsonEscaped(deciders[ds[i].decider].id, out);
      out->push_back(']');
    }
    out->push_back(']');
  }
  out->append("}}\n");
}

void WriteLimitReport(std::string_view id_json, std::string_view limit, bool dropped,
                      std::string* out) {
  BeginLine(id_json, out);
  out->append(",\"attributes\":{},\"over_limit\":");
  AppendJsonEscaped(limit, out);
  if (dropped) out->append(",\"dropped\":true");
  out->append("}\n");
}

}  // namespace clean

#include "cleaner/span_report.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>

#include "cleaner/json_writer.h"
#include "cleaner/swar.h"
#include "cleaner/text_util.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace clean {

namespace {

constexpr size_t kBlock = 64;

// A bit per byte of a block of kBlock bytes: which are '\n', which continue
// a UTF-8 sequence (10xxxxxx).
struct BlockMasks {
  uint64_t newline = 0, continuation = 0;
};

BlockMasks Classify(const char* p) {
  BlockMasks m;
#ifdef __SSE2__
  for (int k = 0; k < 4; ++k) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    __m128i newline = _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'));
    __m128i continuation = _mm_cmplt_epi8(v, _mm_set1_epi8(static_cast<char>(0xC0)));
    auto bits = [&](__m128i x) {
      return static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(x))) << (16 * k);
    };
    m.newline |= bits(newline);
    m.continuation |= bits(continuation);
  }
#else
  for (size_t k = 0; k < kBlock; ++k) {
    unsigned char c = static_cast<unsigned char>(p[k]);
    m.newline |= static_cast<uint64_t>(c == '\n') << k;
    m.continuation |= static_cast<uint64_t>((c & 0xC0) == 0x80) << k;
  }
#endif
  return m;
}

// The same for the last `width` (< kBlock) bytes of a text.
BlockMasks ClassifyTail(const char* p, size_t width) {
  char block[kBlock] = {};
  BlockMasks m = Classify(static_cast<const char*>(std::memcpy(block, p, width)));
  uint64_t valid = (uint64_t{1} << width) - 1;
  m.newline &= valid;
  m.continuation &= valid;
  return m;
}

// Bits [0, hi) of a block mask (hi < kBlock).
uint64_t Below(uint32_t hi) { return (uint64_t{1} << hi) - 1; }

int Popcount(uint64_t v) { return v ? swar::Popcount(v) : 0; }  // ASCII text: mostly 0

}  // namespace

void LineCodePointSpans(std::string_view original, size_t max_lines,
                        std::vector<CodePointSpan>* out) {
  out->clear();
  size_t pos = 0;
  uint64_t continuations = 0;  // before the current block
  if (original.substr(0, 3) == "\xEF\xBB\xBF") {
    pos = 3;
    continuations = 2;  // the BOM is one code point
  }
  const size_t n = original.size();
  if (pos >= n || max_lines == 0) return;
  // The code point index of a byte offset is the offset less the
  // continuation bytes before it, which the blocks count for the newlines.
  // The whitespace a line is trimmed of is ASCII (one byte, one code
  // point), so its text's first and last code points are found from the
  // code points of the line's start and of its newline by stepping over
  // that whitespace byte by byte (mostly none).
  const char* s = original.data();
  size_t line_start = pos;
  uint64_t line_start_cp = pos - continuations;
  // The line [line_start, at), `at` being code point at_cp.
  auto emit = [&](size_t at, uint64_t at_cp) {
    size_t first = line_start;
    while (first < at && IsAsciiSpace(static_cast<unsigned char>(s[first]))) ++first;
    if (first == at) {
      out->push_back({at_cp, at_cp});
      return;
    }
    size_t end = at;
    while (IsAsciiSpace(static_cast<unsigned char>(s[end - 1]))) --end;  // stops at `first`
    out->push_back({line_start_cp + (first - line_start), at_cp - (at - end)});
  };
  for (size_t base = pos; base < n; base += kBlock) {
    size_t width = std::min(kBlock, n - base);
    BlockMasks m = width == kBlock ? Classify(s + base) : ClassifyTail(s + base, width);
    for (uint64_t nl = m.newline; nl; nl &= nl - 1) {
      uint32_t bit = static_cast<uint32_t>(__builtin_ctzll(nl));
      size_t at = base + bit;
      uint64_t at_cp = at - continuations - static_cast<uint64_t>(Popcount(m.continuation & Below(bit)));
      emit(at, at_cp);
      if (out->size() == max_lines) return;
      line_start = at + 1;
      line_start_cp = at_cp + 1;
    }
    continuations += static_cast<uint64_t>(Popcount(m.continuation));
  }
  if (line_start < n) emit(n, n - continuations);  // a last line without '\n'
}

namespace {

void BeginLine(std::string_view id_json, StagedAppend* out) {
  out->Append("{\"id\":");
  out->Append(id_json.empty() ? std::string_view("null") : id_json);
}

}  // namespace

void WriteSpanReport(std::string_view id_json, std::string_view original, const CleanResult& r,
                     std::string* out) {
  const auto& ds = r.decisions();
  const auto& deciders = r.rules->deciders();
  thread_local std::vector<CodePointSpan> spans;
  LineCodePointSpans(original, ds.size(), &spans);
  // The spanned lines grouped by class (a counting sort, input order kept).
  const size_t lines = std::min(ds.size(), spans.size());
  std::array<size_t, kNumClasses + 1> from{};
  for (size_t i = 0; i < lines; ++i)
    if (!ds[i].blank) ++from[static_cast<size_t>(ds[i].cls) + 1];
  for (int c = 0; c < kNumClasses; ++c) from[c + 1] += from[c];
  thread_local std::vector<uint32_t> order;
  order.resize(from[kNumClasses]);
  std::array<size_t, kNumClasses> next{};
  std::copy(from.begin(), from.end() - 1, next.begin());
  for (size_t i = 0; i < lines; ++i)
    if (!ds[i].blank) order[next[static_cast<size_t>(ds[i].cls)]++] = static_cast<uint32_t>(i);
  // `,"RULE"]` per decider, escaped once per record.
  thread_local FragmentCache ids;
  ids.Reset(deciders.size());

  StagedAppend o(out);
  BeginLine(id_json, &o);
  o.Append(",\"attributes\":{");
  for (int c = 0; c < kNumClasses; ++c) {
    if (c) o.Append(',');
    o.Append("\"clean__");
    o.Append(ClassName(static_cast<LineClass>(c)));
    o.Append("\":[");
    for (size_t k = from[c]; k < from[c + 1]; ++k) {
      uint32_t i = order[k];
      constexpr size_t kDigits = 20;  // of a uint64_t
      char* p = o.Room(2 * kDigits + 3);  // ,[START,END
      *p = ',';
      p += k != from[c];
      *p++ = '[';
      p = std::to_chars(p, p + kDigits, spans[i].start).ptr;
      *p++ = ',';
      p = std::to_chars(p, p + kDigits, spans[i].end).ptr;
      o.Commit(p);
      o.Append(ids.Get(ds[i].decider, [&](std::string* f) {
        f->push_back(',');
        AppendJsonEscaped(deciders[ds[i].decider].id, f);
        f->push_back(']');
      }));
    }
    o.Append(']');
  }
  o.Append("}}\n");
}

void WriteLimitReport(std::string_view id_json, std::string_view limit, bool dropped,
                      std::string* out) {
  StagedAppend o(out);
  BeginLine(id_json, &o);
  o.Append(",\"attributes\":{},\"over_limit\":");
  AppendJsonEscaped(limit, &o);
  if (dropped) o.Append(",\"dropped\":true");
  o.Append("}\n");
}

}  // namespace clean

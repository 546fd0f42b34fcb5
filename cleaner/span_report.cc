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

// A bit per byte of a block of kBlock bytes: which are '\n', which are not
// ASCII whitespace (IsAsciiSpace), which continue a UTF-8 sequence
// (10xxxxxx).
struct BlockMasks {
  uint64_t newline = 0, text = 0, continuation = 0;
};

BlockMasks Classify(const char* p) {
  BlockMasks m;
#ifdef __SSE2__
  for (int k = 0; k < 4; ++k) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    __m128i t9 = _mm_sub_epi8(v, _mm_set1_epi8(9));  // '\t'..'\r' -> 0..4
    __m128i space = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
                                 _mm_cmpeq_epi8(_mm_min_epu8(t9, _mm_set1_epi8(4)), t9));
    __m128i newline = _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'));
    __m128i continuation = _mm_cmplt_epi8(v, _mm_set1_epi8(static_cast<char>(0xC0)));
    auto bits = [&](__m128i x) {
      return static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(x))) << (16 * k);
    };
    m.newline |= bits(newline);
    m.text |= bits(space);  // inverted below
    m.continuation |= bits(continuation);
  }
  m.text = ~m.text;
#else
  for (size_t k = 0; k < kBlock; ++k) {
    unsigned char c = static_cast<unsigned char>(p[k]);
    m.newline |= static_cast<uint64_t>(c == '\n') << k;
    m.text |= static_cast<uint64_t>(!IsAsciiSpace(c)) << k;
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
  m.text &= valid;
  m.continuation &= valid;
  return m;
}

// Bits [0, hi) of a block mask (hi <= kBlock).
uint64_t Below(uint32_t hi) { return hi >= 64 ? ~uint64_t{0} : (uint64_t{1} << hi) - 1; }

// Bits [lo, hi) of a block mask.
uint64_t Bits(uint32_t lo, uint32_t hi) { return Below(hi) & ~Below(lo); }

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
  // continuation bytes before it. Per line: the code points of its first
  // text byte and of the end of its last one, once seen.
  bool seen_text = false;
  uint64_t first = 0, last_end = 0;
  size_t line_start = pos;
  for (size_t base = pos; base < n; base += kBlock) {
    size_t width = std::min(kBlock, n - base);
    BlockMasks m = width == kBlock ? Classify(original.data() + base)
                                   : ClassifyTail(original.data() + base, width);
    auto code_point = [&](uint32_t bit) {
      return base + bit - continuations -
             static_cast<uint64_t>(Popcount(m.continuation & Below(bit)));
    };
    auto see_text = [&](uint32_t lo, uint32_t hi) {  // bytes [lo, hi) of the current line
      uint64_t t = m.text & Bits(lo, hi);
      if (!t) return;
      if (!seen_text) first = code_point(static_cast<uint32_t>(__builtin_ctzll(t)));
      seen_text = true;
      last_end = code_point(64 - static_cast<uint32_t>(__builtin_clzll(t)));
    };
    uint32_t lo = 0;
    for (uint64_t nl = m.newline; nl; nl &= nl - 1) {
      uint32_t at = static_cast<uint32_t>(__builtin_ctzll(nl));
      see_text(lo, at);
      if (seen_text) {
        out->push_back({first, last_end});
      } else {
        uint64_t end = code_point(at);
        out->push_back({end, end});
      }
      if (out->size() == max_lines) return;
      seen_text = false;
      lo = at + 1;
      line_start = base + lo;
    }
    see_text(lo, static_cast<uint32_t>(width));
    continuations += static_cast<uint64_t>(Popcount(m.continuation));
  }
  if (line_start < n) {  // a last line without '\n'
    uint64_t end = n - continuations;
    out->push_back(seen_text ? CodePointSpan{first, last_end} : CodePointSpan{end, end});
  }
}

namespace {

void BeginLine(std::string_view id_json, std::string* out) {
  out->append("{\"id\":");
  out->append(id_json.empty() ? std::string_view("null") : id_json);
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

  BeginLine(id_json, out);
  out->append(",\"attributes\":{");
  for (int c = 0; c < kNumClasses; ++c) {
    if (c) out->push_back(',');
    out->append("\"clean__").append(ClassName(static_cast<LineClass>(c))).append("\":[");
    for (size_t k = from[c]; k < from[c + 1]; ++k) {
      uint32_t i = order[k];
      constexpr int kDigits = 20;  // of a uint64_t
      char buf[2 * kDigits + 4];   // [START,END
      char* p = buf;
      if (k != from[c]) *p++ = ',';
      *p++ = '[';
      p = std::to_chars(p, p + kDigits, spans[i].start).ptr;
      *p++ = ',';
      p = std::to_chars(p, p + kDigits, spans[i].end).ptr;
      out->append(buf, static_cast<size_t>(p - buf));
      out->append(ids.Get(ds[i].decider, [&](std::string* o) {
        o->push_back(',');
        AppendJsonEscaped(deciders[ds[i].decider].id, o);
        o->push_back(']');
      }));
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

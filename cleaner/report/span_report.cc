#include "cleaner/report/span_report.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string>

#include "cleaner/json/json_writer.h"
#include "cleaner/base/swar.h"
#include "cleaner/base/text_util.h"

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

// No branch on v == 0: blocks with and without non-ASCII text alternate
// unpredictably.
int Popcount(uint64_t v) { return swar::Popcount(v); }

// The code point spans of the lines of `original`, 64 bytes a block
// (Classify: SSE2 or byte by byte), bits counted by SWAR popcount.
void CodePointSpans(std::string_view original, size_t max_lines, std::vector<CodePointSpan>* out) {
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
  // A blank line needs no case of its own (first == end == at gives the
  // empty span at its end), so no branch that blank lines would mispredict.
  auto emit = [&](size_t at, uint64_t at_cp) {
    size_t first = line_start;
    while (first < at && IsAsciiSpace(static_cast<unsigned char>(s[first]))) ++first;
    size_t end = at;
    while (end > first && IsAsciiSpace(static_cast<unsigned char>(s[end - 1]))) --end;
    out->push_back({line_start_cp + (first - line_start), at_cp - (at - end)});
  };
  for (size_t base = pos; base < n; base += kBlock) {
    size_t width = std::min(kBlock, n - base);
    BlockMasks m = width == kBlock ? Classify(s + base) : ClassifyTail(s + base, width);
    for (uint64_t nl = m.newline; nl; nl &= nl - 1) {
      uint32_t bit = static_cast<uint32_t>(__builtin_ctzll(nl));
      size_t at = base + bit;
      uint64_t at_cp =
          at - continuations - static_cast<uint64_t>(Popcount(m.continuation & Below(bit)));
      emit(at, at_cp);
      if (out->size() == max_lines) return;
      line_start = at + 1;
      line_start_cp = at_cp + 1;
    }
    continuations += static_cast<uint64_t>(Popcount(m.continuation));
  }
  if (line_start < n) emit(n, n - continuations);  // a last line without '\n'
}

}  // namespace

void LineCodePointSpans(std::string_view original, size_t max_lines,
                        std::vector<CodePointSpan>* out) {
  std::string cr_as_newline;  // a lone CR ends a line, as in the page reader
  if (ReplaceLoneCr(original, &cr_as_newline)) original = cr_as_newline;
  CodePointSpans(original, max_lines, out);
}

void PageCodePointSpans(const Page& page, std::vector<CodePointSpan>* out) {
  out->clear();
  const std::string_view text = page.text;
  size_t at = 0;                   // a byte offset of the text
  uint64_t cp = 0;                 // its code point index
  auto advance = [&](size_t to) {  // a code point is a byte that does not continue one
    for (; at < to; ++at) cp += (static_cast<unsigned char>(text[at]) & 0xC0) != 0x80;
  };
  for (const LineSpan& line : page.lines) {
    advance(line.begin);
    const uint64_t start = cp;
    advance(line.end);
    out->push_back({start, cp});
  }
}

namespace {

// `{"id":ID,"version":N`: what every line starts with.
constexpr std::string_view kVersionKey = ",\"version\":";

void BeginLine(std::string_view id_json, StagedAppend* out) {
  out->Append("{\"id\":");
  out->Append(id_json.empty() ? std::string_view("null") : id_json);
  out->Append(kVersionKey);
  out->Append(std::to_string(kSpanReportVersion));
}

// Makes room for `need` bytes at p in `text` (p pointing into it), growing
// it; returns p's place after.
[[gnu::noinline]] char* Grow(std::string* text, char* p, size_t need) {
  const size_t used = text->empty() ? 0 : static_cast<size_t>(p - text->data());
  if (text->size() < used + need)
    text->resize(std::max({used + need, 2 * text->size(), size_t{4096}}));
  return text->data() + used;
}

// The most an entry takes: `,[START,END,SCORE]` (a score is at most
// kMaxScore bytes).
constexpr size_t kMaxScore = 24;
constexpr size_t kEntry = 4 + 2 * kMaxDecimal + kMaxScore;

// `,SCORE]` of a line's score at p (room for kMaxScore + 2); returns the
// end. 1.0 (and a line without a score: NaN, or none given) is `,1.0]`;
// others the shortest decimal that reads back as the same float, with
// `.0` after an integer (a JSON number that reads as a float).
inline char* PutScore(float score, char* p) {
  if (score == 1.0f || !std::isfinite(score)) {
    std::memcpy(p, ",1.0]", 5);
    return p + 5;
  }
  *p++ = ',';
  char* end = std::to_chars(p, p + kMaxScore, score).ptr;
  if (std::find_if(p, end, [](char c) { return c == '.' || c == 'e'; }) == end) {
    std::memcpy(end, ".0", 2);
    end += 2;
  }
  *end = ']';
  return end + 1;
}

#ifdef __SSE2__
// The multipliers of PutSpan, made once per report. Hidden from the
// compiler's constant folding (an empty asm might change them): it would
// otherwise turn each multiplication by 100 or 10 into shifts and adds,
// and rebuild the constants on every line.
struct SpanDigits {
  __m128i div10000 = _mm_set1_epi64x(3518437209), times10000 = _mm_set1_epi64x(10000),
          div100 = _mm_set1_epi16(5243), times100 = _mm_set1_epi16(100),
          div10 = _mm_set1_epi16(6554), times10 = _mm_set1_epi16(10), ascii = _mm_set1_epi8('0');
  SpanDigits() {
    for (__m128i* k : {&div10000, &times10000, &div100, &times100, &div10, &times10, &ascii})
      asm("" : "+x"(*k));
  }
};
#else
struct SpanDigits {};
#endif

// Writes `,[START,END` at p (room for kEntry) and returns the end.
inline char* PutSpan(const CodePointSpan& span, const SpanDigits& k, char* p) {
  p[0] = ',';
  p[1] = '[';
#ifdef __SSE2__
  // Both offsets below 2^26 (< 10^8, all but pages of tens of megabytes):
  // their eight digits each are worked out side by side in the two 64-bit
  // lanes, as WriteDecimal does in one (four digits per 32-bit lane, then
  // two per 16-bit lane, then one per byte; the first digit lowest), and
  // the leading zeros of each dropped by shifting its lane once in a
  // register.
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&span));
  const __m128i zero = _mm_setzero_si128();
  if (_mm_movemask_epi8(_mm_cmpeq_epi32(_mm_srli_epi64(v, 26), zero)) == 0xFFFF) {
    // v / 10000 (exact for 32-bit v), and v % 10000 above it.
    const __m128i high = _mm_srli_epi64(_mm_mul_epu32(v, k.div10000), 45);
    const __m128i low = _mm_sub_epi64(v, _mm_mul_epu32(high, k.times10000));
    const __m128i fours = _mm_or_si128(high, _mm_slli_epi64(low, 32));
    // Each 32-bit lane (< 10^4) / 100, and % 100 above it.
    const __m128i hundreds = _mm_srli_epi16(_mm_mulhi_epu16(fours, k.div100), 3);
    const __m128i twos = _mm_or_si128(
        hundreds, _mm_slli_epi32(_mm_sub_epi16(fours, _mm_mullo_epi16(hundreds, k.times100)), 16));
    // Each 16-bit lane (< 100) / 10, and % 10 above it.
    const __m128i tens = _mm_mulhi_epu16(twos, k.div10);
    const __m128i digits = _mm_or_si128(
        tens, _mm_slli_epi16(_mm_sub_epi16(twos, _mm_mullo_epi16(tens, k.times10)), 8));
    // Leading zero digits are the low zero bytes of a lane (a zero: one digit).
    const unsigned nonzero =
        ~static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(digits, zero)));
    const size_t start_zeros = static_cast<size_t>(__builtin_ctz(nonzero | 0x80));
    const size_t end_zeros = static_cast<size_t>(__builtin_ctz((nonzero >> 8) | 0x80));
    const __m128i text = _mm_add_epi8(digits, k.ascii);
    const uint64_t start = static_cast<uint64_t>(_mm_cvtsi128_si64(text)) >> (8 * start_zeros);
    const uint64_t end =
        static_cast<uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(text, text))) >> (8 * end_zeros);
    std::memcpy(p + 2, &start, 8);
    p += 10 - start_zeros;
    *p = ',';
    std::memcpy(p + 1, &end, 8);
    return p + 9 - end_zeros;
  }
#else
  (void)k;
#endif
  p = WriteDecimal(span.start, p + 2);
  *p++ = ',';
  return WriteDecimal(span.end, p);
}

// A decider's entries in a record: text[0, used).
struct RuleEntries {
  std::string text;
  size_t used = 0;
};

// Per thread, kept between records: each class's entries of a record, and
// each decider's (indexed by decider; `deciders_used` lists those with
// entries in this record, which are emptied after it).
struct ReportScratch {
  std::array<std::string, kNumClasses> entries;
  std::vector<RuleEntries> by_decider;
  std::vector<uint32_t> deciders_used;
  std::string head;  // a rule attribute's key
};

// Writes `,[START,END,SCORE]` at p (room for kEntry) and returns the end.
inline char* PutEntry(const CodePointSpan& span, const float* scores, size_t i,
                      const SpanDigits& digits, char* p) {
  p = PutSpan(span, digits, p);
  if (!scores) {
    std::memcpy(p, ",1.0]", 5);
    return p + 5;
  }
  return PutScore(scores[i], p);
}

// Writes the entries of the spanned lines, in input order, each to its
// class's text at[c] and to its decider's text (`,[START,END,SCORE]`: the
// comma before the first is dropped when the texts are joined), in one pass
// over the lines. `at` and `limit` are locals, not members: the stores
// through the pointers could otherwise alias them.
inline void WriteEntries(const Decision* decision, const CodePointSpan* span, const float* scores,
                         size_t lines, size_t deciders, ReportScratch* scratch,
                         size_t used[kNumClasses]) {
  char* at[kNumClasses];
  const char* limit[kNumClasses];
  for (int c = 0; c < kNumClasses; ++c) {
    std::string& t = scratch->entries[c];
    at[c] = Grow(&t, t.data(), kEntry);
    limit[c] = t.data() + t.size() - kEntry;
  }
  std::vector<RuleEntries>& by_decider = scratch->by_decider;
  if (by_decider.size() < deciders) by_decider.resize(deciders);
  const SpanDigits digits{};
  for (size_t i = 0; i < lines; ++i) {
    const Decision* const decision_i = decision + i;
    if (decision_i->blank) continue;
    const size_t c = static_cast<size_t>(decision_i->cls);
    char* p = at[c];
    if (p > limit[c]) {
      std::string& t = scratch->entries[c];
      p = Grow(&t, p, kEntry);
      limit[c] = t.data() + t.size() - kEntry;
    }
    at[c] = PutEntry(span[i], scores, i, digits, p);
    // The same bytes to the decider's text: kEntry of them copied (p has
    // room for kEntry), the entry's length kept.
    RuleEntries& rule = by_decider[decision_i->decider];
    if (rule.used == 0) scratch->deciders_used.push_back(decision_i->decider);
    if (rule.text.size() < rule.used + kEntry)
      rule.text.resize(std::max(2 * rule.text.size(), rule.used + 8 * kEntry));
    std::memcpy(rule.text.data() + rule.used, p, kEntry);
    rule.used += static_cast<size_t>(at[c] - p);
  }
  for (int c = 0; c < kNumClasses; ++c)
    used[c] = static_cast<size_t>(at[c] - scratch->entries[c].data());
}

// Appends `,"clean__rule__ID":[ENTRIES]` for each decider with entries in
// this record, in rule-set order (the entries were written in input order
// by WriteEntries), and clears their texts for the next record.
void WriteRuleAttributes(const std::vector<Decider>& deciders, ReportScratch* scratch,
                         std::string* out) {
  std::vector<uint32_t>& used = scratch->deciders_used;
  std::sort(used.begin(), used.end());
  std::string& head = scratch->head;
  for (const uint32_t d : used) {
    RuleEntries& entries = scratch->by_decider[d];
    head.assign(",\"clean__rule__");
    AppendJsonEscapedBody(deciders[d].id, &head);
    head.append("\":[");
    out->append(head);
    out->append(entries.text.data() + 1, entries.used - 1);  // not the first ','
    out->push_back(']');
    entries.used = 0;
  }
  used.clear();
}

}  // namespace

void WriteSpanReport(std::string_view id_json, std::string_view original, const CleanResult& r,
                     std::string* out) {
  thread_local std::vector<CodePointSpan> spans;
  LineCodePointSpans(original, r.decisions().size(), &spans);
  WriteSpanReport(id_json, spans, r, out);
}

void WriteSpanReport(std::string_view id_json, const std::vector<CodePointSpan>& spans,
                     const CleanResult& r, std::string* out) {
  const auto& ds = r.decisions();
  const size_t lines = std::min(ds.size(), spans.size());
  const float* scores = nullptr;
  if (r.line_scores && r.line_scores->size() >= lines) {
    scores = r.line_scores->data();
  } else if (r.line_scores) {  // the lines past its end: 1.0
    thread_local std::vector<float> padded;
    padded.assign(r.line_scores->begin(), r.line_scores->end());
    padded.resize(lines, 1.0f);
    scores = padded.data();
  }
  thread_local ReportScratch scratch;
  size_t used[kNumClasses];
  const auto& deciders = r.rules->deciders();
  WriteEntries(ds.data(), spans.data(), scores, lines, deciders.size(), &scratch, used);

  // What comes before each class's entries, made once.
  static const std::array<std::string, kNumClasses> heads = [] {
    std::array<std::string, kNumClasses> h;
    for (int c = 0; c < kNumClasses; ++c)
      h[c] = std::string(c ? "," : "") + "\"clean__" +
             std::string(ClassName(static_cast<LineClass>(c))) + "\":[";
    return h;
  }();
  out->append("{\"id\":");
  out->append(id_json.empty() ? std::string_view("null") : id_json);
  out->append(kVersionKey);
  out->append(std::to_string(kSpanReportVersion));
  // HTML records: the offsets index the rendered text (PageCodePointSpans).
  out->append(r.html ? ",\"offsets\":\"rendered\"" : ",\"offsets\":\"text\"");
  out->append(",\"attributes\":{");
  for (int c = 0; c < kNumClasses; ++c) {
    out->append(heads[c]);
    if (used[c]) out->append(scratch.entries[c].data() + 1, used[c] - 1);  // not the first ','
    out->push_back(']');
  }
  WriteRuleAttributes(deciders, &scratch, out);
  out->append("}}\n");
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

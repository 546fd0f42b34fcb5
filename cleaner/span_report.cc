#include "cleaner/span_report.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "cleaner/avx2_dispatch.h"
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

// No branch on v == 0: blocks with and without non-ASCII text alternate
// unpredictably.
int Popcount(uint64_t v) { return swar::Popcount(v); }

// How LineCodePointSpans classifies blocks and counts bits: the baseline
// (SSE2 or byte by byte, SWAR popcount) and, inlined into an AVX2 variant,
// two 32-byte loads and POPCNT.
struct BaselineBits {
  static BlockMasks Block(const char* p) { return Classify(p); }
  static int Count(uint64_t v) { return Popcount(v); }
};

#ifdef CLEAN_AVX2_VARIANTS
struct Avx2Bits {
  [[gnu::target(CLEAN_AVX2_TARGET)]] static BlockMasks Block(const char* p) {
    BlockMasks m;
    for (int k = 0; k < 2; ++k) {
      __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * k));
      __m256i newline = _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\n'));
      // 10xxxxxx: below 0xC0 as a signed byte, i.e. from -128 to -65.
      __m256i continuation = _mm256_cmpgt_epi8(_mm256_set1_epi8(static_cast<char>(0xC0)), v);
      m.newline |= static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(newline)))
                   << (32 * k);
      m.continuation |=
          static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(continuation)))
          << (32 * k);
    }
    return m;
  }
  [[gnu::target(CLEAN_AVX2_TARGET)]] static int Count(uint64_t v) {
    return static_cast<int>(_mm_popcnt_u64(v));
  }
};
#endif

template <typename Bits>
void CodePointSpans(std::string_view original, size_t max_lines,
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
    BlockMasks m = width == kBlock ? Bits::Block(s + base) : ClassifyTail(s + base, width);
    for (uint64_t nl = m.newline; nl; nl &= nl - 1) {
      uint32_t bit = static_cast<uint32_t>(__builtin_ctzll(nl));
      size_t at = base + bit;
      uint64_t at_cp =
          at - continuations - static_cast<uint64_t>(Bits::Count(m.continuation & Below(bit)));
      emit(at, at_cp);
      if (out->size() == max_lines) return;
      line_start = at + 1;
      line_start_cp = at_cp + 1;
    }
    continuations += static_cast<uint64_t>(Bits::Count(m.continuation));
  }
  if (line_start < n) emit(n, n - continuations);  // a last line without '\n'
}

#ifdef CLEAN_AVX2_VARIANTS
[[gnu::target(CLEAN_AVX2_TARGET), gnu::flatten]] void CodePointSpansAvx2(
    std::string_view original, size_t max_lines, std::vector<CodePointSpan>* out) {
  CodePointSpans<Avx2Bits>(original, max_lines, out);
}
#endif

}  // namespace

void LineCodePointSpans(std::string_view original, size_t max_lines,
                        std::vector<CodePointSpan>* out) {
#ifdef CLEAN_AVX2_VARIANTS
  if (avx2::Enabled()) return CodePointSpansAvx2(original, max_lines, out);
#endif
  CodePointSpans<BaselineBits>(original, max_lines, out);
}

namespace {

void BeginLine(std::string_view id_json, StagedAppend* out) {
  out->Append("{\"id\":");
  out->Append(id_json.empty() ? std::string_view("null") : id_json);
}

}  // namespace

namespace {

// The class of each line as a byte, kNoClass for a blank line.
constexpr char kNoClass = -1;

// Writes each i < n where codes[i] == c at `to`, in order, and returns the
// end: sixteen codes compared at a time (the lines of a class are mostly
// in runs or far apart).
uint32_t* AppendEqual(const char* codes, size_t n, char c, uint32_t* to) {
  size_t i = 0;
#ifdef __SSE2__
  const __m128i want = _mm_set1_epi8(c);
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(codes + i));
    for (unsigned bits = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, want))); bits;
         bits &= bits - 1)
      *to++ = static_cast<uint32_t>(i + static_cast<size_t>(__builtin_ctz(bits)));
  }
#endif
  for (; i < n; ++i)
    if (codes[i] == c) *to++ = static_cast<uint32_t>(i);
  return to;
}

// Room AppendEqualAvx2 needs at `to` past what it writes.
constexpr size_t kGroupSlack = 32;

#ifdef CLEAN_AVX2_VARIANTS
// AppendEqual 32 codes at a time, the offsets of a block's matches written
// eight at a time whatever their number (past the last one too: `to` needs
// room for kGroupSlack more), so that the loop does not end on a branch
// for each match.
[[gnu::target(CLEAN_AVX2_TARGET)]] uint32_t* AppendEqualAvx2(const char* codes, size_t n,
                                                             char c, uint32_t* to) {
  size_t i = 0;
  const __m256i want = _mm256_set1_epi8(c);
  for (; i + 32 <= n; i += 32) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(codes + i));
    uint32_t bits = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, want)));
    if (!bits) continue;
    const uint32_t count = static_cast<uint32_t>(_mm_popcnt_u32(bits));
    const uint32_t base = static_cast<uint32_t>(i);
    uint32_t* w = to;
    do {
      for (int k = 0; k < 8; ++k) {
        w[k] = base + _tzcnt_u32(bits);
        bits = _blsr_u32(bits);
      }
      w += 8;
    } while (bits);
    to += count;
  }
  for (; i < n; ++i)
    if (codes[i] == c) *to++ = static_cast<uint32_t>(i);
  return to;
}
#endif

// The lines of each class c, in order, at [from[c], from[c + 1]), from[0]
// being `to` (room for kGroupSlack more than `n`).
void GroupByClass(const char* codes, size_t n, uint32_t* to,
                  std::array<const uint32_t*, kNumClasses + 1>* from) {
  (*from)[0] = to;
#ifdef CLEAN_AVX2_VARIANTS
  if (avx2::Enabled()) {
    for (int c = 0; c < kNumClasses; ++c)
      (*from)[c + 1] = to = AppendEqualAvx2(codes, n, static_cast<char>(c), to);
    return;
  }
#endif
  for (int c = 0; c < kNumClasses; ++c)
    (*from)[c + 1] = to = AppendEqual(codes, n, static_cast<char>(c), to);
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
  const auto& deciders = r.rules->deciders();
  // The spanned lines grouped by class, input order kept: the classes as
  // bytes, then the lines of each class picked from them.
  const size_t lines = std::min(ds.size(), spans.size());
  thread_local std::string codes;
  thread_local std::vector<uint32_t> order;
  if (codes.size() < lines) {
    codes.resize(lines);
    order.resize(lines + kGroupSlack);
  }
  for (size_t i = 0; i < lines; ++i)
    codes[i] = ds[i].blank ? kNoClass : static_cast<char>(ds[i].cls);
  std::array<const uint32_t*, kNumClasses + 1> from{};  // class c: [from[c], from[c + 1])
  GroupByClass(codes.data(), lines, order.data(), &from);
  // `,"RULE"]` per decider, escaped once per record.
  thread_local FragmentCache ids;
  ids.Reset(deciders.size());

  StagedAppend o(out);
  BeginLine(id_json, &o);
  o.Append(",\"attributes\":{");
  // Per line, written at `p`, a local (no lambda holds it: the stores
  // through it could alias it), committed to `o` only when its block is
  // full. Local copies of the arrays' addresses for the same reason.
  constexpr size_t kPad = FragmentCache::kPad;
  constexpr size_t kEntry = 2 * kMaxDecimal + 3 + kPad;  // ,[START,END,"RULE"]
  const char* const stop = o.end() - kEntry;
  const CodePointSpan* const span = spans.data();
  const Decision* const decision = ds.data();
  for (int c = 0; c < kNumClasses; ++c) {
    if (c) o.Append(',');
    o.Append("\"clean__");
    o.Append(ClassName(static_cast<LineClass>(c)));
    o.Append("\":[");
    char* p = o.Room(kEntry);
    for (const uint32_t* at = from[c]; at != from[c + 1]; ++at) {
      if (p > stop) {
        o.Commit(p);
        p = o.Room(kEntry);
      }
      const uint32_t i = *at;
      *p = ',';
      p += at != from[c];
      *p++ = '[';
      p = WriteDecimal(span[i].start, p);
      *p++ = ',';
      p = WriteDecimal(span[i].end, p);
      const size_t decider = decision[i].decider;
      std::string_view id = ids.Get(decider, [&](std::string* f) {
        f->push_back(',');
        AppendJsonEscaped(deciders[decider].id, f);
        f->push_back(']');
      });
      if (id.size() <= kPad) {
        std::memcpy(p, id.data(), kPad);
        p += id.size();
      } else {
        o.Commit(p);
        o.Append(id);
        p = o.Room(kEntry);
      }
    }
    o.Commit(p);
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

#include "cleaner/classify/classifier.h"

#include <algorithm>
#include <bit>
#include <climits>
#include <cstddef>
#include <cstring>

#include "cleaner/base/avx2_dispatch.h"

#include "cleaner/classify/context.h"
#include "cleaner/base/heuristics.h"

namespace clean {

namespace {

// The options Describe reads, copied out of Options so that they stay in
// registers across a page's lines (the byte stores to the per-line arrays
// could alias Options, and would reload them on every line).
struct DescribeLimits {
  uint32_t long_chars;
  double stop_low;
  int sentence_words;
  uint32_t title_max;
  int repeat_min;
  bool lang_known;
  DescribeLimits(const Options& o, bool lang)
      : long_chars(static_cast<uint32_t>(o.long_line_chars)),
        stop_low(o.stopword_low),
        sentence_words(o.sentence_min_words),
        title_max(static_cast<uint32_t>(std::max(o.title_max_words, 0))),
        repeat_min(o.repeat_min),
        lang_known(lang) {}
};

// Written without branches on the line's features (a branch per test was
// mispredicted about twice a line).
LineKind KindOf(const LineFeatures& f, const DescribeLimits& o) {
  bool sentence = f.terminal | f.has_sentence_break;
  bool long_line = f.chars >= o.long_chars;
  bool stop_ok = !o.lang_known | (f.stop_share() >= o.stop_low);
  bool prose = long_line & stop_ok & (sentence | (f.chars >= 2 * o.long_chars));
  bool medium = (f.words >= o.sentence_words) & stop_ok & sentence;
  LineKind k = prose ? LineKind::kProse : medium ? LineKind::kMedium : LineKind::kShort;
  k = f.letters == 0 ? LineKind::kNoWords : k;
  return f.chars == 0 ? LineKind::kBlank : k;
}

// Kinds, facts and fresh decisions of lines [from, to): the portable path,
// and the reference for DescribeAvx2.
void DescribeLines(const LineFeatures* features, const LineSpan* spans, size_t from, size_t to,
                   const DescribeLimits& o, LineKind* kinds, uint8_t* facts, uint8_t* context,
                   Decision* decisions) {
  for (size_t i = from; i < to; ++i) {
    const LineFeatures& f = features[i];
    LineKind k = KindOf(f, o);
    kinds[i] = k;
    bool title = (f.letters > 0) & (f.words >= 1) & (f.words <= o.title_max) &
                 !f.has_sentence_break & (k != LineKind::kProse);
    bool open_end = title & !f.terminal;
    facts[i] = static_cast<uint8_t>(
        (f.repeats >= o.repeat_min) * PageWork::kRepeated | title * PageWork::kTitleLike |
        (open_end & (f.words >= 4)) * PageWork::kHeadlineLike |
        (open_end & (f.words >= 3)) * PageWork::kTitleShape |
        f.list_marker * PageWork::kListMarker | (f.words <= 4) * PageWork::kFewWords);
    bool is_short = k == LineKind::kShort;
    uint8_t allowed = static_cast<uint8_t>(
        (is_short & (f.repeats < o.repeat_min)) * PageWork::kCtxShortRun |
        (open_end & (f.words >= 4)) * PageWork::kCtxHeadline |
        (is_short & (f.words <= 4)) * PageWork::kCtxLabel |
        ((k == LineKind::kProse) | (k == LineKind::kMedium)) * PageWork::kCtxSentence);
    Decision d;
    d.blank = spans[i].blank();
    context[i] = d.blank ? PageWork::kCtxBlank : allowed;
    decisions[i] = d;
  }
}

#ifdef CLEAN_AVX2_VARIANTS
// The first 24 bytes of a LineFeatures hold every field Describe reads, in
// the dwords DescribeAvx2 takes them from; it reads 32 bytes a line, the
// last 8 from the next line's (so the last line is read from a copy).
static_assert(offsetof(LineFeatures, chars) == 0 && sizeof(LineFeatures::chars) == 4);
static_assert(offsetof(LineFeatures, words) == 4 && offsetof(LineFeatures, stop_words) == 6);
static_assert(offsetof(LineFeatures, letters) == 8);
static_assert(offsetof(LineFeatures, terminal) == 0x12 &&
              offsetof(LineFeatures, list_marker) == 0x13);
static_assert(offsetof(LineFeatures, has_sentence_break) == 0x14 &&
              offsetof(LineFeatures, repeats) == 0x16);
static_assert(sizeof(LineFeatures) == 24 && sizeof(LineSpan) == 8);
static_assert(sizeof(Decision) == 8 && offsetof(Decision, blank) == 5 &&
              static_cast<int>(LineClass::kBody) == 0);
static_assert(static_cast<int>(LineKind::kBlank) == 0 && static_cast<int>(LineKind::kProse) == 1 &&
              static_cast<int>(LineKind::kMedium) == 2 && static_cast<int>(LineKind::kShort) == 3 &&
              static_cast<int>(LineKind::kNoWords) == 4);

// Unsigned a >= b, lane by lane.
[[gnu::target(CLEAN_AVX2_TARGET)]] inline __m256i GeU32(__m256i a, __m256i b) {
  return _mm256_cmpeq_epi32(_mm256_max_epu32(a, b), a);
}
// `value` in the lanes of `mask`, 0 in the others.
[[gnu::target(CLEAN_AVX2_TARGET)]] inline __m256i Bit(__m256i mask, int value) {
  return _mm256_and_si256(mask, _mm256_set1_epi32(value));
}

// DescribeLines for eight lines: the first 32 bytes of their features,
// transposed, give each field in the eight 32-bit lanes of one register, and
// every test of the reference is a lane-wise compare (the stop share is the
// same double division, four lanes at a time).
[[gnu::target(CLEAN_AVX2_TARGET), gnu::always_inline]] inline void DescribeEight(
    const LineFeatures* features, const LineSpan* spans, const DescribeLimits& o,
    LineKind* kinds, uint8_t* facts, uint8_t* context, Decision* decisions) {
  const __m256i zero = _mm256_setzero_si256();
  const __m256i ones = _mm256_set1_epi32(-1);
  const __m256i low16 = _mm256_set1_epi32(0xFFFF), low8 = _mm256_set1_epi32(0xFF);
  const __m256i long_chars = _mm256_set1_epi32(static_cast<int>(o.long_chars));
  const __m256i long2_chars = _mm256_set1_epi32(static_cast<int>(2 * o.long_chars));
  const __m256i sentence_words = _mm256_set1_epi32(o.sentence_words);
  // words <= title_max, with title_max <= INT_MAX: a signed compare.
  const __m256i title_max = _mm256_set1_epi32(static_cast<int>(o.title_max));
  const __m256i repeat_min = _mm256_set1_epi32(o.repeat_min);
  const __m256d stop_low = _mm256_set1_pd(o.stop_low);
  // Byte 0 of every dword to bytes 0-3 of each 128-bit lane, byte 1 to
  // bytes 4-7, byte 2 to bytes 8-11.
  const __m256i gather_bytes = _mm256_setr_epi8(
      0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, -1, -1, -1, -1,
      0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, -1, -1, -1, -1);
  const __m256i kinds_facts_context = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
  // Each span's 64 bits all ones when begin == end; then one dword a line,
  // 1 for a blank line.
  const __m256i s0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(spans));
  const __m256i s1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(spans + 4));
  const __m256 e0 = _mm256_castsi256_ps(
      _mm256_cmpeq_epi32(s0, _mm256_shuffle_epi32(s0, _MM_SHUFFLE(2, 3, 0, 1))));
  const __m256 e1 = _mm256_castsi256_ps(
      _mm256_cmpeq_epi32(s1, _mm256_shuffle_epi32(s1, _MM_SHUFFLE(2, 3, 0, 1))));
  __m256i blank = _mm256_castps_si256(_mm256_shuffle_ps(e0, e1, _MM_SHUFFLE(2, 0, 2, 0)));
  blank = _mm256_permute4x64_epi64(blank, _MM_SHUFFLE(3, 1, 2, 0));
  {
    const char* base = reinterpret_cast<const char*>(features);
    __m256i r[8];
    for (int k = 0; k < 8; ++k)
      r[k] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(base + k * sizeof(LineFeatures)));
    // Transpose the dwords 0, 1, 2, 4 and 5 of the eight rows.
    __m256i t0 = _mm256_unpacklo_epi32(r[0], r[1]), t1 = _mm256_unpackhi_epi32(r[0], r[1]);
    __m256i t2 = _mm256_unpacklo_epi32(r[2], r[3]), t3 = _mm256_unpackhi_epi32(r[2], r[3]);
    __m256i t4 = _mm256_unpacklo_epi32(r[4], r[5]), t5 = _mm256_unpackhi_epi32(r[4], r[5]);
    __m256i t6 = _mm256_unpacklo_epi32(r[6], r[7]), t7 = _mm256_unpackhi_epi32(r[6], r[7]);
    __m256i u0 = _mm256_unpacklo_epi64(t0, t2), u1 = _mm256_unpackhi_epi64(t0, t2);
    __m256i u2 = _mm256_unpacklo_epi64(t1, t3);
    __m256i u4 = _mm256_unpacklo_epi64(t4, t6), u5 = _mm256_unpackhi_epi64(t4, t6);
    __m256i u6 = _mm256_unpacklo_epi64(t5, t7);
    const __m256i chars = _mm256_permute2x128_si256(u0, u4, 0x20);  // dword 0
    const __m256i d1 = _mm256_permute2x128_si256(u1, u5, 0x20);     // words, stop words
    const __m256i d2 = _mm256_permute2x128_si256(u2, u6, 0x20);     // letters, uppers
    const __m256i d4 = _mm256_permute2x128_si256(u0, u4, 0x31);     // .., terminal, list marker
    const __m256i d5 = _mm256_permute2x128_si256(u1, u5, 0x31);     // sentence break, .., repeats
    const __m256i words = _mm256_and_si256(d1, low16);
    const __m256i letters = _mm256_and_si256(d2, low16);
    const __m256i terminal = _mm256_and_si256(_mm256_srli_epi32(d4, 16), low8);
    const __m256i list_marker = _mm256_srli_epi32(d4, 24);
    const __m256i sentence_break = _mm256_and_si256(d5, low8);
    const __m256i repeats = _mm256_srli_epi32(d5, 16);

    const __m256i sentence =
        _mm256_xor_si256(_mm256_cmpeq_epi32(_mm256_or_si256(terminal, sentence_break), zero), ones);
    const __m256i long_line = GeU32(chars, long_chars);
    __m256i stop_ok = ones;
    if (o.lang_known) {
      // words ? stop_words / words : 0.0, as the reference divides.
      const __m256i stop = _mm256_srli_epi32(d1, 16);
      const __m256i no_words = _mm256_cmpeq_epi32(words, zero);
      const __m256i divisor = _mm256_or_si256(words, _mm256_and_si256(no_words, _mm256_set1_epi32(1)));
      __m256d q_lo = _mm256_div_pd(_mm256_cvtepi32_pd(_mm256_castsi256_si128(stop)),
                                   _mm256_cvtepi32_pd(_mm256_castsi256_si128(divisor)));
      __m256d q_hi = _mm256_div_pd(_mm256_cvtepi32_pd(_mm256_extracti128_si256(stop, 1)),
                                   _mm256_cvtepi32_pd(_mm256_extracti128_si256(divisor, 1)));
      __m256 ok_lo = _mm256_castpd_ps(_mm256_cmp_pd(q_lo, stop_low, _CMP_GE_OQ));
      __m256 ok_hi = _mm256_castpd_ps(_mm256_cmp_pd(q_hi, stop_low, _CMP_GE_OQ));
      // The low dword of each 64-bit mask, back in line order.
      __m256i ok = _mm256_castps_si256(_mm256_shuffle_ps(ok_lo, ok_hi, _MM_SHUFFLE(2, 0, 2, 0)));
      ok = _mm256_permute4x64_epi64(ok, _MM_SHUFFLE(3, 1, 2, 0));
      // A line without words has share 0.0.
      const __m256i zero_ok = _mm256_set1_epi32(0.0 >= o.stop_low ? -1 : 0);
      stop_ok = _mm256_blendv_epi8(ok, zero_ok, no_words);
    }
    const __m256i prose = _mm256_and_si256(
        _mm256_and_si256(long_line, stop_ok), _mm256_or_si256(sentence, GeU32(chars, long2_chars)));
    // words >= sentence_words: not sentence_words > words.
    const __m256i medium = _mm256_andnot_si256(_mm256_cmpgt_epi32(sentence_words, words),
                                               _mm256_and_si256(stop_ok, sentence));
    __m256i kind = _mm256_blendv_epi8(_mm256_set1_epi32(3), _mm256_set1_epi32(2), medium);
    kind = _mm256_blendv_epi8(kind, _mm256_set1_epi32(1), prose);
    kind = _mm256_blendv_epi8(kind, _mm256_set1_epi32(4), _mm256_cmpeq_epi32(letters, zero));
    kind = _mm256_andnot_si256(_mm256_cmpeq_epi32(chars, zero), kind);

    const __m256i is_prose = _mm256_cmpeq_epi32(kind, _mm256_set1_epi32(1));
    const __m256i has_letters = _mm256_xor_si256(_mm256_cmpeq_epi32(letters, zero), ones);
    const __m256i some_words = _mm256_cmpgt_epi32(words, zero);
    const __m256i few_enough = _mm256_xor_si256(_mm256_cmpgt_epi32(words, title_max), ones);
    const __m256i no_break = _mm256_cmpeq_epi32(sentence_break, zero);
    const __m256i title = _mm256_andnot_si256(
        is_prose, _mm256_and_si256(_mm256_and_si256(has_letters, some_words),
                                   _mm256_and_si256(few_enough, no_break)));
    const __m256i open_end = _mm256_and_si256(title, _mm256_cmpeq_epi32(terminal, zero));
    const __m256i repeated = _mm256_xor_si256(_mm256_cmpgt_epi32(repeat_min, repeats), ones);
    __m256i fact = _mm256_or_si256(Bit(repeated, PageWork::kRepeated), Bit(title, PageWork::kTitleLike));
    const __m256i headline = _mm256_and_si256(open_end, _mm256_cmpgt_epi32(words, _mm256_set1_epi32(3)));
    fact = _mm256_or_si256(fact, Bit(headline, PageWork::kHeadlineLike));
    fact = _mm256_or_si256(
        fact, Bit(_mm256_and_si256(open_end, _mm256_cmpgt_epi32(words, _mm256_set1_epi32(2))),
                  PageWork::kTitleShape));
    fact = _mm256_or_si256(fact, _mm256_slli_epi32(list_marker, 4));  // kListMarker
    const __m256i many_words = _mm256_cmpgt_epi32(words, _mm256_set1_epi32(4));
    fact = _mm256_or_si256(fact, _mm256_andnot_si256(many_words, _mm256_set1_epi32(PageWork::kFewWords)));
    const __m256i is_short = _mm256_cmpeq_epi32(kind, _mm256_set1_epi32(3));
    __m256i allowed = _mm256_or_si256(Bit(_mm256_andnot_si256(repeated, is_short), PageWork::kCtxShortRun),
                                      Bit(headline, PageWork::kCtxHeadline));
    allowed = _mm256_or_si256(allowed, Bit(_mm256_andnot_si256(many_words, is_short), PageWork::kCtxLabel));
    allowed = _mm256_or_si256(
        allowed, Bit(_mm256_or_si256(is_prose, _mm256_cmpeq_epi32(kind, _mm256_set1_epi32(2))),
                     PageWork::kCtxSentence));
    const __m256i ctx = _mm256_blendv_epi8(allowed, _mm256_set1_epi32(PageWork::kCtxBlank), blank);
    // Kind in byte 0 of each dword, facts in byte 1, context in byte 2;
    // then the eight kinds in bytes 0-7, the facts in bytes 8-15, the
    // contexts in bytes 16-23.
    __m256i all = _mm256_or_si256(kind, _mm256_slli_epi32(fact, 8));
    all = _mm256_or_si256(all, _mm256_slli_epi32(ctx, 16));
    all = _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(all, gather_bytes), kinds_facts_context);
    const __m128i out = _mm256_castsi256_si128(all);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(kinds), out);
    _mm_storeh_pi(reinterpret_cast<__m64*>(facts), _mm_castsi128_ps(out));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(context), _mm256_extracti128_si256(all, 1));
  }
  // Fresh decisions: zero bytes but the blank flags, which are at bytes 5,
  // 13, 21, ... of the eight (8 bytes each): byte 1 of every odd dword of
  // two 32-byte blocks, the line's flag (1 when its span is empty) moved
  // there; the other dwords are cleared.
  static_assert(sizeof(Decision) * 8 == 64);
  blank = _mm256_slli_epi32(_mm256_and_si256(blank, _mm256_set1_epi32(1)), 8);
  const __m256i odd = _mm256_setr_epi32(0, -1, 0, -1, 0, -1, 0, -1);
  char* d = reinterpret_cast<char*>(decisions);
  const __m256i first = _mm256_setr_epi32(0, 0, 0, 1, 0, 2, 0, 3);  // lines 0-3
  const __m256i last = _mm256_setr_epi32(0, 4, 0, 5, 0, 6, 0, 7);   // lines 4-7
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(d),
                      _mm256_and_si256(_mm256_permutevar8x32_epi32(blank, first), odd));
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(d + 32),
                      _mm256_and_si256(_mm256_permutevar8x32_epi32(blank, last), odd));
}

// DescribeLines with DescribeEight: eight lines at a time while a line
// follows them, and the last few through copies padded to eight (and one
// more, read past).
[[gnu::target(CLEAN_AVX2_TARGET)]] void DescribeAvx2(const LineFeatures* features,
                                                     const LineSpan* spans, size_t n,
                                                     const DescribeLimits& o, LineKind* kinds,
                                                     uint8_t* facts, uint8_t* context,
                                                     Decision* decisions) {
  size_t i = 0;
  for (; i + 9 <= n; i += 8)
    DescribeEight(features + i, spans + i, o, kinds + i, facts + i, context + i, decisions + i);
  if (i == n) return;
  const size_t rest = n - i;
  LineFeatures f[9];
  LineSpan s[8];
  LineKind k[8];
  uint8_t t[8], c[8];
  Decision d[8];
  std::copy(features + i, features + n, f);
  std::copy(spans + i, spans + n, s);
  DescribeEight(f, s, o, k, t, c, d);
  std::copy(k, k + rest, kinds + i);
  std::copy(t, t + rest, facts + i);
  std::copy(c, c + rest, context + i);
  std::copy(d, d + rest, decisions + i);
}
#endif

// A line's score for LocateRegion, and the page arrays it reads.
struct RegionScorer {
  const Options& o;
  const LineFeatures* features;
  const Decision* decisions;
  const uint8_t* by_rule;
  const uint8_t* list_item;
  const uint8_t* facts;
  const LineKind* kinds;
  // A line no rule decided scores by its kind: per character (prose,
  // medium), else a fixed amount (by whether it repeats). Both are looked
  // up, as chars * per_char + fixed with the other term zero: the sum is
  // the term itself (a zero's sign aside, which no sum or comparison of
  // scores can tell).
  static constexpr int kKinds = 5;
  double per_char[kKinds] = {}, fixed[kKinds][2] = {};

  RegionScorer(const Options& options, const Page& page, const PageWork& w)
      : o(options),
        features(w.features.lines.data()),
        decisions(w.decisions.data()),
        by_rule(w.by_rule.data()),
        list_item(w.list_item.data()),
        facts(w.facts.data()),
        kinds(w.kinds.data()) {
    (void)page;
    static_assert(static_cast<int>(LineKind::kNoWords) == kKinds - 1);
    static_assert(PageWork::kRepeated == 1);
    per_char[static_cast<int>(LineKind::kProse)] = o.region_good_weight;
    per_char[static_cast<int>(LineKind::kMedium)] = 0.5 * o.region_good_weight;
    fixed[static_cast<int>(LineKind::kShort)][0] = -o.region_short_penalty;
    fixed[static_cast<int>(LineKind::kShort)][1] = -o.region_bad_penalty;
    fixed[static_cast<int>(LineKind::kNoWords)][0] =
        fixed[static_cast<int>(LineKind::kNoWords)][1] = -o.region_short_penalty;
  }

  const uint8_t* kinds_bytes() const { return reinterpret_cast<const uint8_t*>(kinds); }

  // The score of a line that no rule decided and no lead-in list holds.
  double ByKind(size_t i) const {
    int k = static_cast<int>(kinds[i]);  // blank lines are of kind kBlank: 0
    return features[i].chars * per_char[k] + fixed[k][facts[i] & PageWork::kRepeated];
  }

  double Score(size_t i) const {
    const uint32_t chars = features[i].chars;
    if (by_rule[i] && !decisions[i].blank) {
      // Ads and single promoted links ("Read more: ...") sit between
      // paragraphs: such a rule line neither adds to nor breaks the stretch
      // it sits in. A section's lines (a headline list) do break it.
      LineClass c = decisions[i].cls;
      bool inserted = c == LineClass::kAd || (c == LineClass::kHeadlineList &&
                                              by_rule[i] == PageWork::kByLineRule);
      return c == LineClass::kBody ? chars * o.region_good_weight
             : inserted            ? 0.0
                                   : -o.region_bad_penalty;
    }
    if (list_item[i]) return chars * o.region_list_weight;  // never blank
    return ByKind(i);
  }
};

#ifdef CLEAN_AVX2_VARIANTS
// RegionScorer::Score for every line: ByKind four lines at a time in lanes
// (the same products and sums of the same table entries, chosen by
// compares), then a rule's line or a list item among them one by one, and
// the last lines one by one. Returns n.
[[gnu::target(CLEAN_AVX2_TARGET)]] size_t ScoreLinesAvx2(const RegionScorer& r, size_t n,
                                                         double* scores) {
  const __m256d per_prose = _mm256_set1_pd(r.per_char[1]), per_medium = _mm256_set1_pd(r.per_char[2]);
  const __m256d short_once = _mm256_set1_pd(r.fixed[3][0]), short_repeated = _mm256_set1_pd(r.fixed[3][1]);
  const __m256d no_words = _mm256_set1_pd(r.fixed[4][0]);
  static_assert(static_cast<int>(LineKind::kProse) == 1 && static_cast<int>(LineKind::kMedium) == 2 &&
                static_cast<int>(LineKind::kShort) == 3 && static_cast<int>(LineKind::kNoWords) == 4);
  const __m256i one = _mm256_set1_epi64x(1);
  // Local copies of the arrays' addresses: the stores to scores could alias
  // the scorer's members.
  const LineFeatures* const features = r.features;
  const uint8_t* const by_rule = r.by_rule;
  const uint8_t* const list_item = r.list_item;
  const uint8_t* const kind_of = r.kinds_bytes();
  const uint8_t* const fact_of = r.facts;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    uint32_t rules, items, kinds, facts;
    std::memcpy(&rules, by_rule + i, 4);
    std::memcpy(&items, list_item + i, 4);
    std::memcpy(&kinds, kind_of + i, 4);
    std::memcpy(&facts, fact_of + i, 4);
    const __m256i k = _mm256_cvtepu8_epi64(_mm_cvtsi32_si128(static_cast<int>(kinds)));
    const __m256i repeated = _mm256_cmpeq_epi64(
        _mm256_and_si256(_mm256_cvtepu8_epi64(_mm_cvtsi32_si128(static_cast<int>(facts))), one), one);
    // The chars as doubles (unsigned: biased into int32 range and back).
    const __m128i c32 = _mm_xor_si128(
        _mm_setr_epi32(static_cast<int>(features[i].chars), static_cast<int>(features[i + 1].chars),
                       static_cast<int>(features[i + 2].chars),
                       static_cast<int>(features[i + 3].chars)),
        _mm_set1_epi32(INT32_MIN));
    const __m256d chars = _mm256_add_pd(_mm256_cvtepi32_pd(c32), _mm256_set1_pd(2147483648.0));
    const __m256d is_prose = _mm256_castsi256_pd(_mm256_cmpeq_epi64(k, one));
    const __m256d is_medium = _mm256_castsi256_pd(_mm256_cmpeq_epi64(k, _mm256_set1_epi64x(2)));
    const __m256d is_short = _mm256_castsi256_pd(_mm256_cmpeq_epi64(k, _mm256_set1_epi64x(3)));
    const __m256d is_no_words = _mm256_castsi256_pd(_mm256_cmpeq_epi64(k, _mm256_set1_epi64x(4)));
    const __m256d per =
        _mm256_or_pd(_mm256_and_pd(is_prose, per_prose), _mm256_and_pd(is_medium, per_medium));
    const __m256d fixed = _mm256_or_pd(
        _mm256_and_pd(is_short,
                      _mm256_blendv_pd(short_once, short_repeated, _mm256_castsi256_pd(repeated))),
        _mm256_and_pd(is_no_words, no_words));
    _mm256_storeu_pd(scores + i, _mm256_add_pd(_mm256_mul_pd(chars, per), fixed));
    // A rule's line or a list item (few) is scored again, one by one (the
    // bytes are read as one little-endian word).
    uint32_t special = rules | items;
    while (special != 0) {
      const int byte = std::countr_zero(special) / 8;
      scores[i + byte] = r.Score(i + byte);
      special &= ~(0xFFu << (8 * byte));
    }
  }
  for (; i < n; ++i) scores[i] = r.Score(i);
  return n;
}
#endif

}  // namespace

const Source* Classifier::Detect(const Page& page, uint32_t* decider) {
  const MatchPlan& plan = rules_.detect_plan();
  if (plan.regexes.empty() && plan.exact.empty()) return nullptr;
  scanner_.Scan(plan, page, &detect_scan_);
  return BestSource(detect_scan_.hits, decider);
}

const Source* Classifier::BestSource(const std::vector<Hit>& hits, uint32_t* decider) const {
  const Source* best = nullptr;
  size_t best_score = 0;
  for (const Source& s : rules_.sources()) {
    size_t score = 0;
    uint32_t first = 0;
    for (auto [m, d] : s.fingerprints) {
      bool hit = std::any_of(hits.begin(), hits.end(),
                             [m = m](const Hit& h) { return h.matcher == m; });
      if (hit && score++ == 0) first = d;
    }
    if (score > best_score) {
      best = &s;
      best_score = score;
      *decider = first;
    }
  }
  return best;
}

void Classifier::MarkGeneric() {
  if (!in_generic_.empty()) return;
  const MatchPlan& generic = rules_.generic().plan;
  in_generic_.assign(generic.has.size() + 1, 0);  // never empty once marked
  for (int m : generic.regexes) in_generic_[m] = 1;
  for (const auto& [text, ms] : generic.exact)
    for (int m : ms) in_generic_[m] = 1;
}

// One scan of the detect-and-generic plan both detects the page's source
// and, when none is found, gives the generic plan's hits: every plan's
// regexes find their candidates through the rule set's one prefilter, so
// a matcher's hits do not depend on the plan it is in.
const Source* Classifier::DetectAndScan(const Page& page, uint32_t* decider, PageWork* w) {
  w->scanned = nullptr;
  const MatchPlan& plan = rules_.detect_generic_plan();
  if (rules_.detect_plan().regexes.empty() && rules_.detect_plan().exact.empty())
    return Detect(page, decider);
  MarkGeneric();
  scanner_.Scan(plan, page, &w->scan);
  w->prefiltered = true;
  // A fingerprint's hits are those the detect plan would find.
  const Source* s = BestSource(w->scan.hits, decider);
  if (s) return s;  // Classify scans the source's plan (from the same candidates)
  // Only the generic plan's matchers stay (a fingerprint's limit is no
  // limit of the generic rules).
  auto foreign = [this](const Hit& h) {
    return static_cast<size_t>(h.matcher) >= in_generic_.size() || !in_generic_[h.matcher];
  };
  std::erase_if(w->scan.hits, foreign);
  std::erase_if(w->scan.limits, foreign);
  w->scanned = &rules_.generic().plan;
  return nullptr;
}

void Classifier::Classify(const Page& page, const Source* source, const Options& o,
                          PageWork* w) {
  features_.Compute(page, &w->features);
  Describe(page, o, w);
  uint32_t rule_classes = ApplyRules(page, source, w);
  LocateRegion(page, o, w);
  ApplyHeuristics(page, o, w);
  ApplyContext(page, o, rule_classes, w);
}

void Classifier::Describe(const Page& page, const Options& o, PageWork* w) {
  size_t n = page.lines.size();
  w->kinds.resize(n);
  w->facts.resize(n);
  w->context.resize(n);
  w->decisions.resize(n);
  w->by_rule.assign(n, 0);
  const DescribeLimits limits(o, w->features.language >= 0);
  const LineFeatures* const features = w->features.lines.data();
  const LineSpan* const spans = page.lines.data();
#ifdef CLEAN_AVX2_VARIANTS
  if (avx2::Enabled())
    return DescribeAvx2(features, spans, n, limits, w->kinds.data(), w->facts.data(),
                        w->context.data(), w->decisions.data());
#endif
  DescribeLines(features, spans, 0, n, limits, w->kinds.data(), w->facts.data(),
                w->context.data(), w->decisions.data());
}

uint32_t Classifier::ApplyRules(const Page& page, const Source* source, PageWork* w) {
  const MatchPlan& plan = source ? source->plan : rules_.generic().plan;
  if (w->scanned != &plan) scanner_.Scan(plan, page, &w->scan, w->prefiltered);
  w->scanned = nullptr;
  w->prefiltered = false;
  const Layer* layers[2] = {source ? &source->layer : nullptr, &rules_.generic().layer};
  const CompiledRule* open[2] = {nullptr, nullptr};
  HitCursor cursor(w->scan.hits);
  HitCursor limits(w->scan.limits);
  size_t n = page.lines.size();
  uint32_t classes = 0;
  for (uint32_t i = 0; i < n; ++i) {
    if (i > 0 && !open[0] && !open[1]) {
      // No section open: nothing happens before the next line with a hit
      // or a limit (Describe set every line's blank flag).
      uint32_t next = std::min(cursor.Upcoming(), limits.Upcoming());
      if (next >= n) break;
      i = next;
    }
    Decision& d = w->decisions[i];
    bool blank = page.lines[i].blank();
    cursor.Seek(i);
    limits.Seek(i);
    d.regex_limit = limits.Any();
    // Open sections end first: the end line is not part of the section.
    for (int li = 0; li < 2; ++li) {
      if (!open[li]) continue;
      for (const auto& e : open[li]->ends) {
        bool ends = (e.kind == SectionEnd::Kind::kMatch && cursor.Has(e.matcher)) ||
                    (e.kind == SectionEnd::Kind::kBlank && blank) ||
                    (e.kind == SectionEnd::Kind::kBody && w->kinds[i] == LineKind::kProse);
        if (ends) {
          open[li] = nullptr;
          break;
        }
      }
    }
    if (blank) {
      d.blank = true;
      continue;
    }
    if (i == 0 && page.date_header) {  // an input-format fact, decided first
      d.cls = LineClass::kMeta;
      d.decider = DeciderOf(Heuristic::kDateHeader);
      w->by_rule[i] = PageWork::kByLineRule;
      classes |= 1u << static_cast<int>(LineClass::kMeta);
      continue;
    }
    bool decided = false, by_section = false;
    for (int li = 0; li < 2 && !decided; ++li) {
      if (!layers[li]) continue;
      const CompiledRule* opened = nullptr;
      if (cursor.Any()) {
        // A section opens on its start line even when a line rule decides
        // that line (a `start` header then takes the line rule's class).
        // Of the rules the line's hits name, the first in the layer's
        // order wins (a `start` header that is not part of its section
        // decides nothing).
        const Layer& layer = *layers[li];
        uint32_t first_section = UINT32_MAX, first_rule = UINT32_MAX;
        for (const Hit& h : cursor) {
          if (static_cast<size_t>(h.matcher) >= layer.rules_of.size()) continue;
          for (uint32_t k : layer.rules_of[h.matcher]) {
            const CompiledRule& r = layer.rules[k];
            bool section = r.kind == RuleSpec::Kind::kSection;
            if (section) first_section = std::min(first_section, k);
            if (!section || r.header_in_section) first_rule = std::min(first_rule, k);
          }
        }
        if (first_section != UINT32_MAX) opened = &layer.rules[first_section];
        if (first_rule != UINT32_MAX) {
          const CompiledRule& r = layer.rules[first_rule];
          d.cls = r.cls;
          d.decider = r.decider;
          decided = true;
          by_section = r.kind == RuleSpec::Kind::kSection;
        }
      }
      if (opened) {
        open[li] = opened;
        if (!opened->header_in_section) continue;  // `after`: the section starts below
      }
      if (!decided && open[li]) {
        d.cls = open[li]->cls;
        d.decider = open[li]->decider;
        decided = true;
        by_section = true;
      }
    }
    if (decided) {
      w->by_rule[i] = by_section ? PageWork::kBySection : PageWork::kByLineRule;
      classes |= 1u << static_cast<int>(d.cls);
    }
  }
  return classes;
}

void Classifier::MarkLeadInLists(const Page& page, const Options& o, PageWork* w) {
  // "... the draft includes:" followed by short lines: the lines are the
  // list the sentence announces, up to the next prose line, rule-decided
  // line or repeated line (menus repeat; list items do not).
  size_t n = w->decisions.size();
  w->list_item.assign(n, 0);
  // Local copies of the arrays' addresses: the byte stores to list_item
  // could alias PageWork's vectors, and would reload them on every line.
  const Decision* const decisions = w->decisions.data();
  const uint8_t* const by_rule = w->by_rule.data();
  const uint8_t* const facts = w->facts.data();
  const LineKind* const kinds = w->kinds.data();
  uint8_t* const list_item = w->list_item.data();
  const LineSpan* const spans = page.lines.data();
  const char* const text = page.text.data();
  const uint32_t list_max = static_cast<uint32_t>(o.lead_in_list_max);
  // The last byte of a line that is not blank.
  auto last = [&](uint32_t k) { return text[spans[k].end - 1]; };
  auto item = [&](uint32_t k) {
    return !by_rule[k] && !(facts[k] & PageWork::kRepeated) &&
           (kinds[k] == LineKind::kShort || kinds[k] == LineKind::kMedium);
  };
  // A lead-in is a rule's line or a prose or medium one: the next of them,
  // eight lines at a time where the bytes are read as one little-endian
  // word (most lines are none).
  const uint8_t* const context = w->context.data();
  auto next_lead_in = [&](uint32_t i) {
    if constexpr (std::endian::native == std::endian::little) {
      for (; i + 8 <= n; i += 8) {
        uint64_t rules, ctx;
        std::memcpy(&rules, by_rule + i, 8);
        std::memcpy(&ctx, context + i, 8);
        const uint64_t any = rules | (ctx & (PageWork::kCtxSentence * 0x0101010101010101ull));
        if (any) return i + static_cast<uint32_t>(std::countr_zero(any) / 8);
      }
    }
    while (i < n && !by_rule[i] && !(context[i] & PageWork::kCtxSentence)) ++i;
    return i;
  };
  for (uint32_t i = next_lead_in(0); i < n; i = next_lead_in(i + 1)) {
    LineKind k = kinds[i];
    bool sentence = by_rule[i] ? decisions[i].cls == LineClass::kBody
                               : (k == LineKind::kProse || k == LineKind::kMedium);
    if (!sentence || spans[i].blank() || last(i) != ':') continue;
    uint32_t e = i + 1, items = 0;
    while (e < n && items < list_max && (decisions[e].blank || item(e))) {
      if (!decisions[e].blank) ++items;
      if (!decisions[e].blank && last(e) == ':') break;  // the next lead-in
      ++e;
    }
    if (items < 2) continue;
    // A list proves itself by its shape (every item marked, or items closed
    // by ';' or ',' as enumerations are) or by the text going on after it;
    // a lead-in followed by the page's tail (links, contact lines) is not one.
    uint32_t marked = 0, enumerated = 0;
    for (uint32_t j = i + 1; j < e; ++j) {
      if (decisions[j].blank) continue;
      marked += (facts[j] & PageWork::kListMarker) != 0;
      char c = last(j);
      enumerated += c == ';' || c == ',';
    }
    uint32_t next = e;
    while (next < n && decisions[next].blank) ++next;
    bool goes_on = next < n && (by_rule[next] ? decisions[next].cls == LineClass::kBody
                                              : kinds[next] == LineKind::kProse ||
                                                    kinds[next] == LineKind::kMedium);
    if (marked < items && 2 * enumerated < items && !goes_on) continue;
    for (uint32_t j = i + 1; j < e; ++j)
      if (!decisions[j].blank) list_item[j] = 1;
    i = e - 1;
  }
}

void Classifier::LocateRegion(const Page& page, const Options& o, PageWork* w) {
  // The main text is the stretch of lines with the highest score: prose
  // adds its length, boilerplate costs a penalty (maximum-sum subarray).
  // Other stretches scoring a good share of the best one join it.
  size_t n = w->decisions.size();
  MarkLeadInLists(page, o, w);
  w->scores.resize(n);
  const RegionScorer scorer(o, page, *w);
  double* const scores = w->scores.data();
  size_t done = 0;
#ifdef CLEAN_AVX2_VARIANTS
  if (avx2::Enabled()) done = ScoreLinesAvx2(scorer, n, scores);
#endif
  for (size_t i = done; i < n; ++i) scores[i] = scorer.Score(i);
  // Segments: stretches whose running sum stays positive, each cut at its
  // best end; the lines after that end are scanned again as a stretch of
  // their own (bounded to a few passes over the page, so it stays linear).
  segments_.clear();
  double run = 0, seg_best = 0;
  uint32_t run_begin = 0, seg_end = 0;
  size_t budget = 4 * n + 16;
  for (uint32_t i = 0; i <= n; ++i) {
    if (i == n || run + scores[i] <= 0) {
      if (seg_best > 0) segments_.push_back({run_begin, seg_end, seg_best});
      bool rescan = seg_best > 0 && seg_end < i && budget > (i - seg_end);
      if (rescan) budget -= i - seg_end;
      uint32_t next = rescan ? seg_end : i + 1;
      run = 0;
      seg_best = 0;
      run_begin = next;
      if (rescan) {
        i = next - 1;  // the loop's ++i lands on `next`
        continue;
      }
      continue;
    }
    run += scores[i];
    if (run > seg_best) {
      seg_best = run;
      seg_end = i + 1;
    }
  }
  w->in_region.assign(n, 0);
  w->region_begin = w->region_end = 0;
  double best = 0;
  for (const auto& sg : segments_)
    if (sg.score > best) {
      best = sg.score;
      w->region_begin = sg.begin;
      w->region_end = sg.end;
    }
  for (const auto& sg : segments_)
    if (sg.score >= best * o.region_secondary_share)
      for (uint32_t i = sg.begin; i < sg.end; ++i) w->in_region[i] = 1;
}

void Classifier::ApplyHeuristics(const Page& page, const Options& o, PageWork* w) {
  (void)page;
  // Local copies of the arrays' addresses and of the one option read: the
  // decisions' stores would otherwise reload them on every line.
  const size_t n = w->decisions.size();
  Decision* const decisions = w->decisions.data();
  const uint8_t* const by_rule = w->by_rule.data();
  const uint8_t* const in_region = w->in_region.data();
  const uint8_t* const list_item = w->list_item.data();
  const uint8_t* const facts = w->facts.data();
  const LineKind* const kinds = w->kinds.data();
  const LineFeatures* const features = w->features.lines.data();
  // Describe set what the context pass may do with each line; a line
  // decided body here or by a rule is body to it, a rule's removal nothing.
  uint8_t* const context = w->context.data();
  const uint32_t keep_chars = static_cast<uint32_t>(o.region_outside_keep_chars);
  for (uint32_t i = 0; i < n; ++i) {
    Decision& d = decisions[i];
    if (d.blank) continue;
    if (by_rule[i]) {
      context[i] = d.cls == LineClass::kBody ? PageWork::kCtxBody : 0;
      continue;
    }
    bool inside = in_region[i];
    LineKind k = kinds[i];
    auto set = [&](LineClass c, Heuristic h) {
      d.cls = c;
      d.decider = DeciderOf(h);
    };
    auto body = [&](Heuristic h) {
      set(LineClass::kBody, h);
      context[i] = PageWork::kCtxBody;
    };
    if (k == LineKind::kNoWords) {
      set(LineClass::kNavigation, Heuristic::kNoWords);
    } else if ((facts[i] & PageWork::kRepeated) && k != LineKind::kProse) {
      set(LineClass::kNavigation, Heuristic::kRepeated);
    } else if (inside && list_item[i]) {
      body(Heuristic::kLeadInList);
    } else if (inside) {
      if (k == LineKind::kProse) body(Heuristic::kProse);
      else if (k == LineKind::kMedium) body(Heuristic::kMainRegion);
      else set(LineClass::kNavigation, Heuristic::kShortLabel);
    } else if (k == LineKind::kProse && features[i].chars >= keep_chars) {
      body(Heuristic::kProse);
    } else {
      set(LineClass::kNavigation, Heuristic::kOutsideRegion);
    }
  }
}

}  // namespace clean

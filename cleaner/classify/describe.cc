#include "cleaner/classify/describe.h"

#include <algorithm>
#include <cstdint>

namespace clean {

namespace {

// The options Describe reads, copied out of Options so that they stay in
// registers across a page's lines (the byte stores to the per-line arrays
// could alias Options, and would reload them on every line).
struct DescribeLimits {
  uint32_t long_chars, unpunctuated_chars;
  double stop_low;
  int sentence_words;
  uint32_t title_max;
  int repeat_min;
  uint32_t headline_min, title_shape_min, few_max;
  bool lang_known;
  DescribeLimits(const Options& o, bool lang)
      : long_chars(static_cast<uint32_t>(o.long_line_chars)),
        unpunctuated_chars(static_cast<uint32_t>(std::max(o.prose_unpunctuated_chars, 0))),
        stop_low(o.stopword_low),
        sentence_words(o.sentence_min_words),
        title_max(static_cast<uint32_t>(std::max(o.title_max_words, 0))),
        repeat_min(o.repeat_min),
        headline_min(static_cast<uint32_t>(std::max(o.headline_min_words, 0))),
        title_shape_min(static_cast<uint32_t>(std::max(o.title_shape_min_words, 0))),
        few_max(static_cast<uint32_t>(std::max(o.few_words_max, 0))),
        lang_known(lang) {}
};

// Written without branches on the line's features (a branch per test was
// mispredicted about twice a line).
LineKind KindOf(const LineFeatures& f, const DescribeLimits& o) {
  bool sentence = f.terminal | f.has_sentence_break;
  bool long_line = f.chars >= o.long_chars;
  bool stop_ok = !o.lang_known | (f.stop_share() >= o.stop_low);
  bool prose = long_line & stop_ok & (sentence | (f.chars >= o.unpunctuated_chars));
  bool medium = (f.words >= o.sentence_words) & stop_ok & sentence;
  LineKind k = prose ? LineKind::kProse : medium ? LineKind::kMedium : LineKind::kShort;
  k = f.letters == 0 ? LineKind::kNoWords : k;
  return f.chars == 0 ? LineKind::kBlank : k;
}

// Kinds, facts and fresh decisions of lines [from, to).
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
        (open_end & (f.words >= o.headline_min)) * PageWork::kHeadlineLike |
        (open_end & (f.words >= o.title_shape_min)) * PageWork::kTitleShape |
        f.list_marker * PageWork::kListMarker | (f.words <= o.few_max) * PageWork::kFewWords);
    bool is_short = k == LineKind::kShort;
    uint8_t allowed = static_cast<uint8_t>(
        (is_short & (f.repeats < o.repeat_min)) * PageWork::kCtxShortRun |
        (open_end & (f.words >= o.headline_min)) * PageWork::kCtxHeadline |
        (is_short & (f.words <= o.few_max)) * PageWork::kCtxLabel |
        ((k == LineKind::kProse) | (k == LineKind::kMedium)) * PageWork::kCtxSentence);
    Decision d;
    d.blank = spans[i].blank();
    context[i] = d.blank ? PageWork::kCtxBlank : allowed;
    decisions[i] = d;
  }
}

}  // namespace

void Describe(const Page& page, const Options& o, PageWork* w) {
  size_t n = page.lines.size();
  w->kinds.resize(n);
  w->facts.resize(n);
  w->context.resize(n);
  w->decisions.resize(n);
  w->by_rule.assign(n, 0);
  const DescribeLimits limits(o, w->features.language >= 0);
  const LineFeatures* const features = w->features.lines.data();
  const LineSpan* const spans = page.lines.data();
  DescribeLines(features, spans, 0, n, limits, w->kinds.data(), w->facts.data(), w->context.data(),
                w->decisions.data());
}

}  // namespace clean

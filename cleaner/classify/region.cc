#include "cleaner/classify/region.h"

#include <algorithm>
#include <cstdint>

namespace clean {

namespace {

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

  RegionScorer(const Options& options, const PageWork& w)
      : o(options),
        features(w.features.lines.data()),
        decisions(w.decisions.data()),
        by_rule(w.by_rule.data()),
        list_item(w.list_item.data()),
        facts(w.facts.data()),
        kinds(w.kinds.data()) {
    static_assert(static_cast<int>(LineKind::kNoWords) == kKinds - 1);
    static_assert(PageWork::kRepeated == 1);
    per_char[static_cast<int>(LineKind::kProse)] = o.region_good_weight;
    per_char[static_cast<int>(LineKind::kMedium)] = o.region_medium_share * o.region_good_weight;
    fixed[static_cast<int>(LineKind::kShort)][0] = -o.region_short_penalty;
    fixed[static_cast<int>(LineKind::kShort)][1] = -o.region_bad_penalty;
    fixed[static_cast<int>(LineKind::kNoWords)][0] =
        fixed[static_cast<int>(LineKind::kNoWords)][1] = -o.region_short_penalty;
  }

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
      bool inserted = c == LineClass::kAd ||
                      (c == LineClass::kHeadlineList && by_rule[i] == PageWork::kByLineRule);
      return c == LineClass::kBody ? chars * o.region_good_weight
             : inserted            ? 0.0
                                   : -o.region_bad_penalty;
    }
    if (list_item[i]) return chars * o.region_list_weight;  // never blank
    return ByKind(i);
  }
};

}  // namespace

void LocateRegion(const Options& o, PageWork* w) {
  // The main text is the stretch of lines with the highest score: prose
  // adds its length, boilerplate costs a penalty (maximum-sum subarray).
  // Other stretches scoring a good share of the best one join it.
  size_t n = w->decisions.size();
  w->scores.resize(n);
  const RegionScorer scorer(o, *w);
  double* const scores = w->scores.data();
  for (size_t i = 0; i < n; ++i) scores[i] = scorer.Score(i);
  // Segments: stretches whose running sum stays positive, each cut at its
  // best end; the lines after that end are scanned again as a stretch of
  // their own (bounded to a few passes over the page, so it stays linear).
  w->segments.clear();
  double run = 0, seg_best = 0;
  uint32_t run_begin = 0, seg_end = 0;
  size_t budget = 4 * n + 16;
  for (uint32_t i = 0; i <= n; ++i) {
    if (i == n || run + scores[i] <= 0) {
      if (seg_best > 0) w->segments.push_back({run_begin, seg_end, seg_best});
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
  for (const auto& sg : w->segments)
    if (sg.score > best) {
      best = sg.score;
      w->region_begin = sg.begin;
      w->region_end = sg.end;
    }
  // A block far below the best one (comments, the footer's prose) needs a
  // larger share than one just past it (the article's text after a box).
  const auto far = static_cast<uint32_t>(std::max(o.region_secondary_far_lines, 0));
  for (const auto& sg : w->segments) {
    const bool below_far = sg.begin >= w->region_end && sg.begin - w->region_end > far;
    const double share = below_far ? o.region_secondary_far_share : o.region_secondary_share;
    if (sg.score >= best * share)
      for (uint32_t i = sg.begin; i < sg.end; ++i) w->in_region[i] = 1;
  }
}

}  // namespace clean

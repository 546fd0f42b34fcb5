#include "cleaner/classify/line_features_model.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "cleaner/base/heuristics.h"

namespace clean {

namespace {

// Row layout: the fixed features, then one per heuristic (its decision).
enum F : uint32_t {
  // The line's own text.
  kCharsLog,
  kWordsLog,
  kStopShare,
  kLetterShare,
  kUpperShare,
  kDigitShare,
  kCapWordShare,
  kLongWordShare,
  kTerminal,
  kListMarker,
  kSentenceBreak,
  kRepeated,
  kKindProse,
  kKindMedium,
  kKindShort,
  kKindNoWords,
  kTitleLike,
  kHeadlineLike,
  kLeadInItem,
  // What decided it.
  kByRule,
  kKept,
  kClassBody,
  kClassTitle,
  kClassMeta,
  kClassHeadlineList,
  kClassNavigation,
  kClassCaption,
  kClassAd,
  kKindHeuristic,
  kKindContext,
  kKindRule,
  // Its place in the page and relative to the main text region.
  kPosition,
  kCharsVsMax,
  kCharsVsKeptMean,
  kInRegion,
  kInBestRegion,
  kRegionScore,
  kBeforeRegion,
  kAfterRegion,
  kRegionDistance,
  kKeptBefore,
  kKeptAfter,
  kProseBefore,
  kProseAfter,
  // The runs it belongs to.
  kKeptRunShare,
  kInLargestKeptRun,
  kKeptRunPosition,
  kProseRunShare,
  kInLongestProseRun,
  // Neighbours (the nearest non-blank lines), 5 features each for -2, -1, +1, +2.
  kNeighbourBase,
  kDomBase = kNeighbourBase + 20,
  // HTML: link density, in the main element, block tag, depth.
  kLinkDensity = kDomBase,
  kInMain,
  kTagP,
  kTagLi,
  kTagHeading,
  kTagCell,
  kTagOther,
  kDepth,
  kNeighbourLinks,
  kDecisionBase,
};

constexpr int kNeighbourOffsets[4] = {-2, -1, 1, 2};

const char* const kFixedNames[] = {"chars_log",
                                   "words_log",
                                   "stop_share",
                                   "letter_share",
                                   "upper_share",
                                   "digit_share",
                                   "cap_word_share",
                                   "long_word_share",
                                   "terminal",
                                   "list_marker",
                                   "sentence_break",
                                   "repeated",
                                   "kind_prose",
                                   "kind_medium",
                                   "kind_short",
                                   "kind_no_words",
                                   "title_like",
                                   "headline_like",
                                   "lead_in_item",
                                   "by_rule",
                                   "kept",
                                   "class_body",
                                   "class_title",
                                   "class_meta",
                                   "class_headline_list",
                                   "class_navigation",
                                   "class_caption",
                                   "class_ad",
                                   "decider_heuristic",
                                   "decider_context",
                                   "decider_rule",
                                   "position",
                                   "chars_vs_max",
                                   "chars_vs_kept_mean",
                                   "in_region",
                                   "in_best_region",
                                   "region_score",
                                   "before_region",
                                   "after_region",
                                   "region_distance",
                                   "kept_before",
                                   "kept_after",
                                   "prose_before",
                                   "prose_after",
                                   "kept_run_share",
                                   "in_largest_kept_run",
                                   "kept_run_position",
                                   "prose_run_share",
                                   "in_longest_prose_run"};
static_assert(sizeof(kFixedNames) / sizeof(kFixedNames[0]) == kNeighbourBase);

const char* const kNeighbourNames[5] = {"chars_log", "kept", "sentence", "title_like", "exists"};
const char* const kDomNames[] = {"link_density", "in_main",     "tag_p",
                                 "tag_li",       "tag_heading", "tag_cell",
                                 "tag_other",    "depth",       "neighbour_links"};
static_assert(sizeof(kDomNames) / sizeof(kDomNames[0]) == kDecisionBase - kDomBase);

std::vector<std::string> BuildNames() {
  std::vector<std::string> names(kFixedNames, kFixedNames + kNeighbourBase);
  for (int o : kNeighbourOffsets)
    for (const char* n : kNeighbourNames)
      names.push_back(std::string(o < 0 ? "prev" : "next") + std::to_string(o < 0 ? -o : o) + "_" +
                      n);
  for (const char* n : kDomNames) names.push_back(std::string("dom_") + n);
  for (uint32_t h = 0; h < static_cast<uint32_t>(Heuristic::kCount); ++h)
    names.push_back("by." + std::string(GetHeuristicInfo(static_cast<Heuristic>(h)).name));
  return names;
}

bool Sentence(LineKind k) { return k == LineKind::kProse || k == LineKind::kMedium; }

float Share(double part, double whole) { return whole > 0 ? static_cast<float>(part / whole) : 0; }

}  // namespace

const std::vector<std::string_view>& ModelFeatureNames() {
  static const std::vector<std::string> owned = BuildNames();
  static const std::vector<std::string_view> views(owned.begin(), owned.end());
  return views;
}

size_t ModelFeatureCount() { return ModelFeatureNames().size(); }

bool ModelFeatureExtractor::Eligible(const PageWork& w, const RuleSet& rules, size_t i) {
  const Decision& d = w.decisions[i];
  if (d.blank || d.cls != LineClass::kBody || w.by_rule[i]) return false;
  const Decider::Kind kind = rules.deciders()[d.decider].kind;
  return kind != Decider::Kind::kSourceRule && kind != Decider::Kind::kGenericRule;
}

void ModelFeatureExtractor::Compute(const Page& page, const PageWork& w, const RuleSet& rules,
                                    const HtmlPage* html, const std::vector<uint8_t>* in_main,
                                    bool all_lines) {
  stride_ = ModelFeatureCount();
  const size_t n = page.lines.size();
  slot_.resize(n);
  uint32_t rows = 0;
  for (size_t i = 0; i < n; ++i) slot_[i] = all_lines || Eligible(w, rules, i) ? rows++ : kNoRow;
  rows_.assign(size_t{rows} * stride_, 0.0f);
  Own(page, w, rules);
  Runs(page, w);
  Neighbours(page, w);
  if (html && in_main && html->lines.size() == page.lines.size() &&
      in_main->size() == page.lines.size())
    Dom(page, *html, *in_main);
}

void ModelFeatureExtractor::Own(const Page& page, const PageWork& w, const RuleSet& rules) {
  const size_t n = page.lines.size();
  uint32_t max_chars = 0, kept_lines = 0;
  double kept_chars = 0, prose_chars = 0;
  for (size_t i = 0; i < n; ++i) {
    if (w.decisions[i].blank) continue;
    const uint32_t c = w.features.lines[i].chars;
    max_chars = std::max(max_chars, c);
    if (w.decisions[i].cls == LineClass::kBody) kept_chars += c, ++kept_lines;
    if (Sentence(w.kinds[i])) prose_chars += c;
  }
  const double kept_mean = kept_lines ? kept_chars / kept_lines : 0;
  const uint32_t heuristics = static_cast<uint32_t>(Heuristic::kCount);
  double kept_before = 0, prose_before = 0;
  for (size_t i = 0; i < n; ++i) {
    const Decision& d = w.decisions[i];
    if (d.blank) continue;
    const LineFeatures& f = w.features.lines[i];
    float* r = mut(i);
    if (!r) {  // left out: only the running sums
      if (d.cls == LineClass::kBody) kept_before += f.chars;
      if (Sentence(w.kinds[i])) prose_before += f.chars;
      continue;
    }
    r[kCharsLog] = static_cast<float>(std::log1p(f.chars));
    r[kWordsLog] = static_cast<float>(std::log1p(f.words));
    r[kStopShare] = static_cast<float>(f.stop_share());
    r[kLetterShare] = Share(f.letters, f.chars);
    r[kUpperShare] = Share(f.uppers, f.letters);
    r[kDigitShare] = Share(f.digits, f.chars);
    r[kCapWordShare] = Share(f.cap_words, f.words);
    r[kLongWordShare] = Share(f.long_words, f.words);
    r[kTerminal] = f.terminal;
    r[kListMarker] = f.list_marker;
    r[kSentenceBreak] = f.has_sentence_break;
    r[kRepeated] = w.has(static_cast<uint32_t>(i), PageWork::kRepeated);
    const LineKind k = w.kinds[i];
    r[kKindProse] = k == LineKind::kProse;
    r[kKindMedium] = k == LineKind::kMedium;
    r[kKindShort] = k == LineKind::kShort;
    r[kKindNoWords] = k == LineKind::kNoWords;
    r[kTitleLike] = w.has(static_cast<uint32_t>(i), PageWork::kTitleLike);
    r[kHeadlineLike] = w.has(static_cast<uint32_t>(i), PageWork::kHeadlineLike);
    r[kLeadInItem] = i < w.list_item.size() && w.list_item[i];
    r[kByRule] = w.by_rule[i] != 0;
    const bool kept = d.cls == LineClass::kBody;
    r[kKept] = kept;
    r[kClassBody + static_cast<int>(d.cls)] = 1;
    const Decider::Kind kind = rules.deciders()[d.decider].kind;
    r[kKindHeuristic] = kind == Decider::Kind::kHeuristic;
    r[kKindContext] = kind == Decider::Kind::kContext;
    r[kKindRule] = kind == Decider::Kind::kSourceRule || kind == Decider::Kind::kGenericRule;
    if (d.decider < heuristics) r[kDecisionBase + d.decider] = 1;
    r[kPosition] = n > 1 ? static_cast<float>(double(i) / double(n - 1)) : 0;
    r[kCharsVsMax] = Share(f.chars, max_chars);
    r[kCharsVsKeptMean] = std::min(10.0f, Share(f.chars, kept_mean));
    r[kInRegion] = w.in_region[i] != 0;
    const bool best = i >= w.region_begin && i < w.region_end;
    r[kInBestRegion] = best;
    r[kRegionScore] = static_cast<float>(std::clamp(w.scores[i] / 100.0, -5.0, 5.0));
    r[kBeforeRegion] = i < w.region_begin;
    r[kAfterRegion] = i >= w.region_end;
    const double span = std::max<double>(1, w.region_end - w.region_begin);
    const double dist = i < w.region_begin  ? w.region_begin - i
                        : i >= w.region_end ? i + 1 - w.region_end
                                            : 0;
    r[kRegionDistance] = static_cast<float>(std::min(10.0, dist / span));
    r[kKeptBefore] = Share(kept_before, kept_chars);
    r[kProseBefore] = Share(prose_before, prose_chars);
    if (kept) kept_before += f.chars;
    if (Sentence(k)) prose_before += f.chars;
    r[kKeptAfter] = kept_chars > 0 ? static_cast<float>(1.0 - kept_before / kept_chars) : 0;
    r[kProseAfter] = prose_chars > 0 ? static_cast<float>(1.0 - prose_before / prose_chars) : 0;
  }
}

void ModelFeatureExtractor::Runs(const Page& page, const PageWork& w) {
  // Runs of kept lines and of sentence lines; blank lines neither break nor
  // join them.
  const size_t n = page.lines.size();
  constexpr uint32_t kNone = UINT32_MAX;
  run_id_.assign(n, kNone);
  run_chars_.clear();
  prose_run_.assign(n, 0);
  double kept_chars = 0;
  uint32_t longest_prose = 0;
  for (size_t i = 0, prose_start = 0, prose_len = 0; i <= n; ++i) {
    if (i < n && w.decisions[i].blank) continue;
    const bool kept = i < n && w.decisions[i].cls == LineClass::kBody;
    if (kept) {
      if (run_chars_.empty() || i == 0 || !KeptContinues(w, i)) run_chars_.push_back(0);
      run_id_[i] = static_cast<uint32_t>(run_chars_.size() - 1);
      run_chars_.back() += w.features.lines[i].chars;
      kept_chars += w.features.lines[i].chars;
    }
    const bool sentence = i < n && Sentence(w.kinds[i]);
    if (sentence) {
      if (prose_len == 0) prose_start = i;
      ++prose_len;
    } else if (prose_len > 0) {
      for (size_t j = prose_start; j < i; ++j)
        if (!w.decisions[j].blank) prose_run_[j] = static_cast<uint32_t>(prose_len);
      longest_prose = std::max<uint32_t>(longest_prose, static_cast<uint32_t>(prose_len));
      prose_len = 0;
    }
  }
  uint32_t largest = kNone, largest_chars = 0;
  for (uint32_t k = 0; k < run_chars_.size(); ++k)
    if (run_chars_[k] > largest_chars) largest_chars = run_chars_[k], largest = k;
  // Position within the run: lines of the run before this one / its lines.
  uint32_t at = 0, len = 0, current = kNone;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t id = run_id_[i];
    if (id == kNone) continue;
    if (id != current) {
      current = id;
      at = 0;
      len = 0;
      for (size_t j = i; j < n && (run_id_[j] == id || w.decisions[j].blank); ++j)
        len += run_id_[j] == id;
    }
    float* r = mut(i);
    ++at;
    if (!r) continue;
    r[kKeptRunShare] = Share(run_chars_[id], kept_chars);
    r[kInLargestKeptRun] = id == largest;
    r[kKeptRunPosition] = len > 1 ? static_cast<float>(double(at - 1) / double(len - 1)) : 0;
  }
  for (size_t i = 0; i < n; ++i) {
    float* r = mut(i);
    if (!prose_run_[i] || !r) continue;
    r[kProseRunShare] = Share(prose_run_[i], longest_prose);
    r[kInLongestProseRun] = prose_run_[i] == longest_prose;
  }
}

bool ModelFeatureExtractor::KeptContinues(const PageWork& w, size_t i) {
  // The previous non-blank line is kept too.
  for (size_t j = i; j-- > 0;)
    if (!w.decisions[j].blank) return w.decisions[j].cls == LineClass::kBody;
  return false;
}

void ModelFeatureExtractor::Neighbours(const Page& page, const PageWork& w) {
  // The nearest non-blank lines (their values as their own rows have them).
  const size_t n = page.lines.size();
  size_t prev[2] = {SIZE_MAX, SIZE_MAX};  // nearest first
  for (size_t i = 0; i < n; ++i) {
    if (page.lines[i].blank()) continue;
    if (float* r = mut(i)) {
      for (int k = 0; k < 2; ++k) {
        // prev2 is slot 0, prev1 slot 1.
        const size_t j = prev[1 - k];
        if (j != SIZE_MAX) Neighbour(w, j, r + kNeighbourBase + 5 * k);
      }
    }
    prev[1] = prev[0];
    prev[0] = i;
  }
  size_t next[2] = {SIZE_MAX, SIZE_MAX};
  for (size_t i = n; i-- > 0;) {
    if (page.lines[i].blank()) continue;
    if (float* r = mut(i)) {
      for (int k = 0; k < 2; ++k) {
        const size_t j = next[k];
        if (j != SIZE_MAX) Neighbour(w, j, r + kNeighbourBase + 10 + 5 * k);
      }
    }
    next[1] = next[0];
    next[0] = i;
  }
}

void ModelFeatureExtractor::Neighbour(const PageWork& w, size_t from, float* to) {
  // The values of Own's chars_log, kept, kind_prose + kind_medium, title_like.
  to[0] = static_cast<float>(std::log1p(w.features.lines[from].chars));
  to[1] = w.decisions[from].cls == LineClass::kBody;
  to[2] = Sentence(w.kinds[from]);
  to[3] = w.has(static_cast<uint32_t>(from), PageWork::kTitleLike);
  to[4] = 1;
}

void ModelFeatureExtractor::Dom(const Page& page, const HtmlPage& html,
                                const std::vector<uint8_t>& in_main) {
  const size_t n = page.lines.size();
  uint32_t max_depth = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t b = html.lines[i].block;
    if (!page.lines[i].blank() && b != kNoNode)
      max_depth = std::max<uint32_t>(max_depth, html.tree.node(b).depth);
  }
  // neighbour_links: the previous non-blank line's link density plus the
  // next one's.
  float last_links = 0;
  size_t last = SIZE_MAX;
  for (size_t i = 0; i < n; ++i) {
    if (page.lines[i].blank()) continue;
    const DomLine& dl = html.lines[i];
    const float links = static_cast<float>(dl.link_density());
    if (last != SIZE_MAX) {
      if (float* l = mut(last)) l[kNeighbourLinks] += links;
    }
    float* r = mut(i);
    if (!r) {
      last_links = links;
      last = i;
      continue;
    }
    r[kLinkDensity] = links;
    r[kInMain] = in_main[i] != 0;
    std::string_view tag = dl.block != kNoNode ? html.tree.tag(dl.block) : std::string_view();
    const bool heading = tag.size() == 2 && tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6';
    const bool p = tag == "p", li = tag == "li" || tag == "dd" || tag == "dt";
    const bool cell = tag == "td" || tag == "th";
    r[kTagP] = p;
    r[kTagLi] = li;
    r[kTagHeading] = heading;
    r[kTagCell] = cell;
    r[kTagOther] = !(p || li || heading || cell);
    r[kDepth] = dl.block != kNoNode ? Share(html.tree.node(dl.block).depth, max_depth) : 0;
    r[kNeighbourLinks] = last_links;
    last_links = links;
    last = i;
  }
}

}  // namespace clean

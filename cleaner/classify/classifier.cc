#include "cleaner/classify/classifier.h"

#include <algorithm>
#include <bit>
#include <climits>
#include <cstddef>
#include <cstring>

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
  ApplyContext(page, o, rule_classes, rules_.deciders(), w);
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
  for (size_t i = 0; i < n; ++i) scores[i] = scorer.Score(i);
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

#include "cleaner/context.h"

#include "cleaner/heuristics.h"

namespace clean {

namespace {

// The page's per-line arrays, their addresses copied out of PageWork: a
// decision's byte store could alias PageWork's vectors, and would make
// every line's tests reload them.
struct Lines {
  Decision* decisions;
  const uint8_t* by_rule;
  const uint8_t* facts;
  const LineKind* kinds;
  const uint8_t* in_region;
  size_t n;
  explicit Lines(PageWork* w)
      : decisions(w->decisions.data()),
        by_rule(w->by_rule.data()),
        facts(w->facts.data()),
        kinds(w->kinds.data()),
        in_region(w->in_region.data()),
        n(w->decisions.size()) {}
  bool has(uint32_t i, uint8_t fact) const { return (facts[i] & fact) != 0; }
};

bool IsBody(const Lines& w, uint32_t i) {
  return !w.decisions[i].blank && w.decisions[i].cls == LineClass::kBody;
}

// A heuristic removal the context pass may revise.
bool Revisable(const Lines& w, uint32_t i) {
  return !w.decisions[i].blank && !w.by_rule[i] && w.decisions[i].cls != LineClass::kBody;
}

bool HeadlineLike(const Lines& w, uint32_t i) { return w.has(i, PageWork::kHeadlineLike); }

void Set(const Lines& w, uint32_t i, LineClass c, Heuristic h) {
  w.decisions[i].cls = c;
  w.decisions[i].decider = DeciderOf(h);
}

// Short lines between body paragraphs are body: subheadings, list items.
void BetweenBody(const Options& o, const Lines& w) {
  const size_t n = w.n;
  uint32_t i = 0;
  while (i < n) {
    if (w.kinds[i] != LineKind::kShort || w.has(i, PageWork::kRepeated) || !Revisable(w, i)) {
      ++i;
      continue;
    }
    // A run of revisable short lines (blank lines inside it allowed).
    uint32_t b = i, e = i, count = 0;
    bool ok = true;
    while (e < n) {
      if (w.decisions[e].blank) {
        ++e;
        continue;
      }
      if (Revisable(w, e) && w.kinds[e] == LineKind::kShort && !w.has(e, PageWork::kRepeated)) {
        ++count;
        ++e;
        continue;
      }
      break;
    }
    // A longer run is still body when it lies inside the main text region
    // (a bullet list with its lead-in line).
    bool in_region = true;
    for (uint32_t k = b; k < e && in_region; ++k) in_region = w.in_region[k];
    if (count > static_cast<uint32_t>(o.context_max_gap) && !in_region) ok = false;
    int prev = static_cast<int>(b) - 1;
    while (prev >= 0 && w.decisions[prev].blank) --prev;
    ok = ok && prev >= 0 && IsBody(w, prev) && e < n && IsBody(w, e);
    if (ok)
      for (uint32_t k = b; k < e; ++k)
        if (!w.decisions[k].blank)
          Set(w, k, LineClass::kBody,
              w.has(k, PageWork::kListMarker) ? Heuristic::kListInBody : Heuristic::kBetweenBody);
    i = e;
  }
}

// The title: the nearest title-like removed line before the main region,
// and every repeat of it.
void FindTitle(const Page& page, const PageFeatures& features, uint32_t region_begin,
               uint32_t region_end, const Lines& w) {
  if (region_end == 0) return;
  int steps = 0;
  for (int i = static_cast<int>(region_begin) - 1; i >= 0 && steps < 8; --i) {
    if (w.decisions[i].blank) continue;
    ++steps;
    if (!Revisable(w, i) || !w.has(i, PageWork::kTitleShape)) continue;
    // A line the page has once (its count cannot have wrapped with fewer
    // than 65536 lines) is its only copy: no need to look for others.
    if (features.lines[i].repeats == 1 && w.n < 65536) {
      Set(w, i, LineClass::kTitle, Heuristic::kTitle);
      return;
    }
    std::string_view t = page.line(i);
    for (uint32_t k = 0; k < w.n; ++k) {
      const LineSpan& l = page.lines[k];
      if (l.end - l.begin == t.size() && Revisable(w, k) && page.line(k) == t)
        Set(w, k, LineClass::kTitle, Heuristic::kTitle);
    }
    return;
  }
}

// Runs of headline-like lines outside the main region, and a label opening
// such a run, are headline lists.
void HeadlineRuns(const Options& o, const Lines& w) {
  const size_t n = w.n;
  uint32_t i = 0;
  while (i < n) {
    if (!HeadlineLike(w, i) || !Revisable(w, i) || w.decisions[i].cls == LineClass::kTitle) {
      ++i;
      continue;
    }
    uint32_t b = i, e = i, count = 0;
    while (e < n && (w.decisions[e].blank ||
                     (Revisable(w, e) && w.decisions[e].cls != LineClass::kTitle &&
                      HeadlineLike(w, e)))) {
      if (!w.decisions[e].blank) ++count;
      ++e;
    }
    if (count >= static_cast<uint32_t>(o.headline_run_min)) {
      for (uint32_t k = b; k < e; ++k)
        if (!w.decisions[k].blank) Set(w, k, LineClass::kHeadlineList, Heuristic::kHeadlineRun);
      int h = static_cast<int>(b) - 1;
      while (h >= 0 && w.decisions[h].blank) --h;
      if (h >= 0 && Revisable(w, h) && w.kinds[h] == LineKind::kShort &&
          w.has(h, PageWork::kFewWords) && w.decisions[h].cls != LineClass::kTitle)
        Set(w, h, LineClass::kHeadlineList, Heuristic::kSectionHeader);
    }
    i = e;
  }
}

// A short removed line next to a caption is its credit.
void CaptionCredits(const Lines& w) {
  const size_t n = w.n;
  for (uint32_t i = 0; i < n; ++i) {
    if (w.decisions[i].blank || w.decisions[i].cls != LineClass::kCaption) continue;
    for (int k : {static_cast<int>(i) - 1, static_cast<int>(i) + 1}) {
      if (k < 0 || k >= static_cast<int>(n)) continue;
      if (Revisable(w, k) && w.kinds[k] == LineKind::kShort &&
          w.decisions[k].cls != LineClass::kCaption)
        Set(w, k, LineClass::kCaption, Heuristic::kCaptionCredit);
    }
  }
}

}  // namespace

void ApplyContext(const Page& page, const Options& o, uint32_t rule_classes, PageWork* w) {
  // Titles and captions here are the rules' (the heuristics decide body
  // and navigation only; no pass below turns a line into a caption, nor
  // one before FindTitle into a title).
  const bool title = rule_classes >> static_cast<int>(LineClass::kTitle) & 1;
  const bool caption = rule_classes >> static_cast<int>(LineClass::kCaption) & 1;
  const Lines lines(w);
  BetweenBody(o, lines);
  if (!title) FindTitle(page, w->features, w->region_begin, w->region_end, lines);  // else a rule found it
  HeadlineRuns(o, lines);
  if (caption) CaptionCredits(lines);
}

}  // namespace clean

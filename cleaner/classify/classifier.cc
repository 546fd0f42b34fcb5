#include "cleaner/classify/classifier.h"

#include <algorithm>
#include <climits>
#include <cstddef>

#include "cleaner/base/heuristics.h"
#include "cleaner/classify/context.h"
#include "cleaner/classify/describe.h"
#include "cleaner/classify/lead_in_lists.h"
#include "cleaner/classify/line_heuristics.h"
#include "cleaner/classify/region.h"

namespace clean {

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
      bool hit =
          std::any_of(hits.begin(), hits.end(), [m = m](const Hit& h) { return h.matcher == m; });
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

void Classifier::Classify(const Page& page, const Source* source, const Options& o, PageWork* w) {
  features_.Compute(page, &w->features);
  Describe(page, o, w);
  uint32_t rule_classes = ApplyRules(page, source, w);
  MarkLeadInLists(page, o, w);
  LocateRegion(o, w);
  ApplyHeuristics(o, w);
  ApplyContext(page, o, rule_classes, rules_.deciders(), w);
}

// Rule files decide first: line rules, then sections, source layer before
// the generic one. One loop over the page's lines in order, because an open
// section of either layer is state that every later line reads; split, the
// state would travel through every piece.
uint32_t Classifier::ApplyRules(const Page& page, const Source* source, PageWork* w) {
  const MatchPlan& plan = source ? source->plan : rules_.generic().plan;
  if (w->scanned != &plan) scanner_.Scan(plan, page, &w->scan, w->prefiltered);
  w->scanned = nullptr;
  w->prefiltered = false;
  const Layer* layers[2] = {source ? &source->layer : nullptr, &rules_.generic().layer};
  const CompiledRule* open[2] = {nullptr, nullptr};
  // HTML: the box that ends the open generic section (section_box.h), and
  // the section a box ended while its own ends have not come (its lines are
  // marked in w->past_section_box).
  uint32_t generic_box = kNoNode;
  const SectionBoxes* boxes = w->section_boxes;
  const CompiledRule* boxed = nullptr;
  w->past_section_box.assign(boxes ? page.lines.size() : 0, 0);
  HitCursor cursor(w->scan.hits);
  HitCursor limits(w->scan.limits);
  size_t n = page.lines.size();
  uint32_t classes = 0;
  for (uint32_t i = 0; i < n; ++i) {
    if (i > 0 && !open[0] && !open[1] && !boxed) {
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
    auto ends_at = [&](const CompiledRule* r) {
      for (const auto& e : r->ends)
        if ((e.kind == SectionEnd::Kind::kMatch && cursor.Has(e.matcher)) ||
            (e.kind == SectionEnd::Kind::kBlank && blank) ||
            (e.kind == SectionEnd::Kind::kBody && w->kinds[i] == LineKind::kProse))
          return true;
      return false;
    };
    if (boxed && ends_at(boxed)) boxed = nullptr;
    if (open[1] && boxes && !blank && w->kinds[i] == LineKind::kMedium &&
        !boxes->Holds(generic_box, i) && !boxes->InNamedBox(i, rules_.dom_vocab())) {
      boxed = open[1];
      open[1] = nullptr;
    }
    if (boxed) w->past_section_box[i] = 1;
    for (int li = 0; li < 2; ++li)
      if (open[li] && ends_at(open[li])) open[li] = nullptr;
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
        if (li == 1 && boxes) {
          generic_box = boxes->BoxOf(i);
          boxed = nullptr;
          w->past_section_box[i] = 0;
        }
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

}  // namespace clean

#include "cleaner/classify/context.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "cleaner/base/heuristics.h"
#include "cleaner/classify/author_bio.h"
#include "cleaner/classify/card_list.h"
#include "cleaner/classify/comment_section.h"
#include "cleaner/classify/comment_thread.h"

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
  uint8_t* context;  // PageWork::context, kept up to date by every Set
  size_t n;
  explicit Lines(PageWork* w)
      : decisions(w->decisions.data()),
        by_rule(w->by_rule.data()),
        facts(w->facts.data()),
        kinds(w->kinds.data()),
        in_region(w->in_region.data()),
        context(w->context.data()),
        n(w->decisions.size()) {}
  bool has(uint32_t i, uint8_t fact) const { return (facts[i] & fact) != 0; }
};

// The first line from `i` on whose context has one of `bits`, or n: eight
// lines at a time where the bytes are read as one little-endian word (most
// lines are none that the scans start at).
uint32_t NextWith(const Lines& w, uint32_t i, uint8_t bits) {
  const size_t n = w.n;
  if constexpr (std::endian::native == std::endian::little) {
    const uint64_t mask = bits * 0x0101010101010101ull;
    for (; i + 8 <= n; i += 8) {
      uint64_t word;
      std::memcpy(&word, w.context + i, 8);
      if (word & mask) return i + static_cast<uint32_t>(std::countr_zero(word & mask) / 8);
    }
  }
  while (i < n && !(w.context[i] & bits)) ++i;
  return i;
}

bool Blank(const Lines& w, uint32_t i) { return w.context[i] & PageWork::kCtxBlank; }
bool IsBody(const Lines& w, uint32_t i) { return w.context[i] & PageWork::kCtxBody; }

// A heuristic removal the context pass may revise.
bool Revisable(const Lines& w, uint32_t i) {
  return !w.decisions[i].blank && !w.by_rule[i] && w.decisions[i].cls != LineClass::kBody;
}

void Set(const Lines& w, uint32_t i, LineClass c, Heuristic h) {
  w.decisions[i].cls = c;
  w.decisions[i].decider = DeciderOf(h);
}

// Short lines between body paragraphs are body: subheadings, list items.
void BetweenBody(const Options& o, const Lines& w) {
  const size_t n = w.n;
  uint32_t i = 0;
  while ((i = NextWith(w, i, PageWork::kCtxShortRun)) < n) {
    // A run of revisable short lines (blank lines inside it allowed).
    uint32_t b = i, e = i, count = 0;
    bool ok = true;
    while (e < n) {
      const uint8_t c = w.context[e];
      if (c & PageWork::kCtxBlank) {
        ++e;
        continue;
      }
      if (c & PageWork::kCtxShortRun) {
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
    while (prev >= 0 && Blank(w, prev)) --prev;
    ok = ok && prev >= 0 && IsBody(w, prev) && e < n && IsBody(w, e);
    if (ok)
      for (uint32_t k = b; k < e; ++k)
        if (!Blank(w, k)) {
          Set(w, k, LineClass::kBody,
              w.has(k, PageWork::kListMarker) ? Heuristic::kListInBody : Heuristic::kBetweenBody);
          w.context[k] = PageWork::kCtxBody;
        }
    i = e;
  }
}

// The title: the nearest title-like removed line before the main region,
// and every repeat of it.
void FindTitle(const Page& page, const PageFeatures& features, uint32_t region_begin,
               uint32_t region_end, const Options& o, const Lines& w) {
  if (region_end == 0) return;
  int steps = 0;
  for (int i = static_cast<int>(region_begin) - 1; i >= 0 && steps < o.title_lookback_lines; --i) {
    if (w.decisions[i].blank) continue;
    ++steps;
    if (!Revisable(w, i) || !w.has(i, PageWork::kTitleShape)) continue;
    // A line the page has once (its count cannot have wrapped with fewer
    // than 65536 lines) is its only copy: no need to look for others.
    if (features.lines[i].repeats == 1 && w.n < 65536) {
      Set(w, i, LineClass::kTitle, Heuristic::kTitle);
      w.context[i] = 0;  // a title: no headline, no label
      return;
    }
    std::string_view t = page.line(i);
    for (uint32_t k = 0; k < w.n; ++k) {
      const LineSpan& l = page.lines[k];
      if (l.end - l.begin == t.size() && Revisable(w, k) && page.line(k) == t) {
        Set(w, k, LineClass::kTitle, Heuristic::kTitle);
        w.context[k] = 0;
      }
    }
    return;
  }
}

// Runs of headline-like lines outside the main region, and a label opening
// such a run, are headline lists. (The lines they decide keep their
// context: no later scan of this pass reads it.)
void HeadlineRuns(const Options& o, const Lines& w) {
  const size_t n = w.n;
  uint32_t i = 0;
  while ((i = NextWith(w, i, PageWork::kCtxHeadline)) < n) {
    uint32_t b = i, e = i, count = 0;
    while (e < n && (w.context[e] & (PageWork::kCtxBlank | PageWork::kCtxHeadline))) {
      if (!Blank(w, e)) ++count;
      ++e;
    }
    if (count >= static_cast<uint32_t>(o.headline_run_min)) {
      for (uint32_t k = b; k < e; ++k)
        if (!Blank(w, k)) Set(w, k, LineClass::kHeadlineList, Heuristic::kHeadlineRun);
      int h = static_cast<int>(b) - 1;
      while (h >= 0 && Blank(w, h)) --h;
      if (h >= 0 && (w.context[h] & PageWork::kCtxLabel))
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

// A record list after the article: groups of marker lines (a rule's meta
// line: a date, a byline, "Name says:") each followed by text,
// repeated (comment threads, teaser cards with dates). Its text is not the
// article's: the heuristics' body lines from its first marker to the end of
// the page are removed.
class RecordLists {
 public:
  // signature: per line, 1 for a comment signature line (comment_thread.h).
  RecordLists(const Options& o, const LineFeatures* features, const Lines& w,
              const std::vector<uint8_t>& signature, const std::vector<Decider>& deciders)
      : o_(o), f_(features), w_(w), sig_(signature), deciders_(deciders) {}

  void Run() {
    const uint32_t n = static_cast<uint32_t>(w_.n);
    const auto min_article = static_cast<uint64_t>(std::max(o_.record_min_article_chars, 0));
    uint32_t i = 0;
    uint64_t prose = 0;  // characters of the body lines before line i
    while (i < n) {
      // A chain starts at a marker with the article's text above it: a
      // marker higher up (the article's own date line) starts none, so
      // that the records below are not taken for part of the article.
      for (; i < n && !(Marker(i) && prose >= min_article); ++i)
        if (IsBody(w_, i)) prose += f_[i].chars;
      if (i >= n) return;
      const uint32_t next = Chain(i);
      for (; i < next; ++i)
        if (IsBody(w_, i)) prose += f_[i].chars;
    }
  }

 private:
  bool Marker(uint32_t i) const {
    const Decision& d = w_.decisions[i];
    if (d.blank) return false;
    if (sig_[i]) return true;
    if (!w_.by_rule[i]) return false;
    if (d.decider < deciders_.size() && deciders_[d.decider].field == "record") return true;
    return d.cls == LineClass::kMeta && w_.kinds[i] != LineKind::kProse;
  }
  bool Content(uint32_t i) const {
    return !w_.by_rule[i] && (w_.kinds[i] == LineKind::kProse || w_.kinds[i] == LineKind::kMedium);
  }

  // The chain of records from the marker at `b`; returns where to go on.
  uint32_t Chain(uint32_t b) {
    const uint32_t n = static_cast<uint32_t>(w_.n);
    const int max_lines = o_.record_max_lines;
    int records = 0, since = 0;
    bool content = false;
    uint32_t end = b + 1, k = b + 1;
    for (; k < n; ++k) {
      if (Blank(w_, k)) continue;
      if (Marker(k)) {
        records += content;
        content = false;
        since = 0;
        end = k + 1;
        continue;
      }
      if (++since > max_lines) break;
      if (Content(k)) {
        content = true;
        end = k + 1;
      }
    }
    records += content;
    // A thread opened by a signature line is a comment thread.
    const Heuristic h =
        sig_[b] && !w_.by_rule[b] ? Heuristic::kCommentThread : Heuristic::kRecordList;
    // The page below a record list is not the article's either (replies
    // past the chain's reach, the footer's prose): the removal runs to the
    // end of the page.
    if (records < o_.record_list_min) return std::max(end, b + 1);
    for (uint32_t j = b; j < n; ++j)
      if (!Blank(w_, j) && IsBody(w_, j) && !w_.by_rule[j]) {
        Set(w_, j, LineClass::kNavigation, h);
        w_.context[j] = 0;
      }
    return n;
  }

  const Options& o_;
  const LineFeatures* f_;
  const Lines& w_;
  const std::vector<uint8_t>& sig_;
  const std::vector<Decider>& deciders_;
};

}  // namespace

void ApplyContext(const Page& page, const Options& o, uint32_t rule_classes,
                  const std::vector<Decider>& deciders, PageWork* w) {
  // Titles and captions here are the rules' (the heuristics decide body
  // and navigation only; no pass below turns a line into a caption, nor
  // one before FindTitle into a title).
  const bool title = rule_classes >> static_cast<int>(LineClass::kTitle) & 1;
  const bool caption = rule_classes >> static_cast<int>(LineClass::kCaption) & 1;
  const Lines lines(w);
  const std::vector<uint8_t> signature =
      SignatureLines(page, w->kinds.data(), w->features.lines.data(), o);
  RemoveCommentSection(o, deciders, signature, w);
  RecordLists(o, w->features.lines.data(), lines, signature, deciders).Run();
  RemoveAuthorBios(page, o, deciders, w);
  BetweenBody(o, lines);
  RemoveCardLists(o, w);
  if (!title)
    FindTitle(page, w->features, w->region_begin, w->region_end, o, lines);  // else a rule found it
  HeadlineRuns(o, lines);
  if (caption) CaptionCredits(lines);
}

}  // namespace clean

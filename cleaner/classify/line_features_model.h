// The features of the trained line scorer (line_model.h), one row of
// kModelFeatureCount floats per page line, computed from what the
// classifier and the DOM pass decided (their final decisions, before the
// model): the line's own text features, the heuristics' signals and
// decisions, its place relative to the page's main text and the runs it
// belongs to, its neighbours, and in HTML its DOM features. Every value is
// normalised within the page (shares, ratios, log lengths): no raw page
// length or line count, which would tell corpora apart rather than body
// from boilerplate. `clean --features` writes these rows; the model reads
// the same rows, so training and inference share this one implementation.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "cleaner/classify/page_work.h"
#include "cleaner/html/html_page.h"
#include "cleaner/ruleset/rule_set.h"

namespace clean {

// The feature names, in row order (stable: model files name them).
const std::vector<std::string_view>& ModelFeatureNames();
size_t ModelFeatureCount();

// Reusable: the table and the per-line scratch keep their capacity.
class ModelFeatureExtractor {
 public:
  // Rows for every line of the page (blank lines get rows of zeros), or
  // with `all_lines` false only for the lines the model may veto
  // (Eligible): the same values, the others left out (row() null).
  // `html` and `in_main` (per line: inside the DOM's main element) are null
  // for text input.
  void Compute(const Page& page, const PageWork& w, const RuleSet& rules, const HtmlPage* html,
               const std::vector<uint8_t>* in_main, bool all_lines = true);
  // The line's row, or null when it was left out.
  const float* row(size_t line) const {
    return slot_[line] == kNoRow ? nullptr : rows_.data() + size_t{slot_[line]} * stride_;
  }
  size_t lines() const { return slot_.size(); }
  // A line the model may veto: kept as body by no rule (a heuristic, the
  // context or the DOM pass decided it).
  static bool Eligible(const PageWork& w, const RuleSet& rules, size_t line);

 private:
  void Own(const Page& page, const PageWork& w, const RuleSet& rules);
  void Runs(const Page& page, const PageWork& w);
  void Neighbours(const Page& page, const PageWork& w);
  static bool KeptContinues(const PageWork& w, size_t i);
  static void Neighbour(const PageWork& w, size_t from, float* to);
  void Dom(const Page& page, const HtmlPage& html, const std::vector<uint8_t>& in_main);
  float* mut(size_t line) {
    return slot_[line] == kNoRow ? nullptr : rows_.data() + size_t{slot_[line]} * stride_;
  }

  static constexpr uint32_t kNoRow = UINT32_MAX;
  size_t stride_ = 0;
  std::vector<uint32_t> slot_;  // per line: its row, or kNoRow
  std::vector<float> rows_;
  std::vector<uint32_t> run_id_;     // per line: its run of kept lines (UINT32_MAX: none)
  std::vector<uint32_t> run_chars_;  // per run: its characters
  std::vector<uint32_t> prose_run_;  // per line: length of its run of sentence lines
};

}  // namespace clean

// The trained line scorer: gradient-boosted trees over the rows of
// line_features_model.h, read from a model file (rules/model/README.md has
// the format) and applied after every other stage. It may only veto: a
// line the rules left to the heuristics, which the heuristics, context and
// DOM passes kept as body, is removed (class navigation, decider
// `model.<name>`) when its score, the trees' probability that it is body,
// is below the model's threshold. Lines decided by a rule are never
// touched. Evaluation is deterministic and allocates nothing per line.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>
#include <utility>

#include "cleaner/base/diagnostics.h"
#include "cleaner/classify/line_features_model.h"

namespace clean {

class LineModel {
 public:
  // Reads a model file. Null when it is unreadable or malformed: every
  // problem is in *diags as `file:line: error: ...` (unknown feature,
  // truncated file, bad number, a tree that does not close).
  static std::unique_ptr<LineModel> Load(const std::string& path, Diagnostics* diags);

  // "model.<name>", and where the model file names it (for its Decider).
  const std::string& id() const { return id_; }
  const std::string& file() const { return file_; }
  int name_line() const { return name_line_; }
  // "fnv1a64:..." of the model file's bytes (the JSONL summary's "model").
  const std::string& digest() const { return digest_; }

  // Whether the model has trees for this input mode.
  bool Covers(bool html) const { return part(html) != nullptr; }
  // The score (probability of body) of a feature row in that mode's part;
  // the mode must be covered.
  double Score(bool html, const float* row) const;
  // The raw sum (log-odds) behind Score.
  double Margin(bool html, const float* row) const;
  // The `count` features that weighed most in the row's score, strongest
  // first, as (feature row index, log-odds): a split's weight is the leaf
  // its row reached minus the leaf it would have reached had that split
  // gone the other way (the rest of the walk by the row), summed per
  // feature over every tree. For --explain; allocates.
  std::vector<std::pair<int, double>> TopFeatures(bool html, const float* row, size_t count) const;
  // Vetoes the page's eligible kept lines (see above), deciding them by
  // `decider`; (*scores)[i] is set for every line scored (NaN for the
  // others). A `threshold` of 0 or more replaces the model file's (a
  // source's `set model_threshold`).
  void Apply(const ModelFeatureExtractor& features, bool html, const RuleSet& rules,
             uint32_t decider, double threshold, PageWork* w, std::vector<float>* scores) const;

 private:
  struct Node {
    int32_t feature;  // index into the feature row; -1: a leaf
    uint32_t left;    // row value <= threshold (as float, compared as double)
    uint32_t right;
    double threshold;  // split: threshold; leaf: value
  };
  struct Part {
    double base = 0;
    double threshold = 0.5;
    std::vector<uint32_t> roots;  // first node of each tree
    std::vector<Node> nodes;
    // The same trees as perfect trees of `depth` levels (a leaf above the
    // last level becomes splits that always go left to copies of it), for
    // a walk without branches: tree t's splits at t * (2^depth - 1), heap
    // order, its leaves at t * 2^depth. depth 0: not built (too deep).
    uint32_t depth = 0;
    std::vector<int32_t> flat_feature;
    std::vector<double> flat_threshold, flat_leaf;
  };
  // Builds p's perfect trees when its trees are at most kMaxFlatDepth deep.
  static void Flatten(Part* p);
  static void FlattenNode(const Part& p, uint32_t node, uint32_t level, uint32_t at, uint32_t tree,
                          Part* out);
  const Part* part(bool html) const {
    const Part& p = html ? html_ : text_;
    return p.roots.empty() ? nullptr : &p;
  }
  friend class LineModelParser;
  std::string id_, file_, digest_;
  int name_line_ = 0;
  Part text_, html_;
};

}  // namespace clean

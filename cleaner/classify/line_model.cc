#include "cleaner/classify/line_model.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>

#include "cleaner/base/heuristics.h"
#include "cleaner/ruleset/rules_digest.h"

namespace clean {

// Reads the format of rules/model/README.md line by line; every problem is
// a diagnostic at its line, and the first one stops the reading.
class LineModelParser {
 public:
  LineModelParser(const std::string& path, Diagnostics* diags) : path_(path), diags_(diags) {}

  std::unique_ptr<LineModel> Parse(std::istream& in) {
    auto m = std::make_unique<LineModel>();
    m->file_ = path_;
    std::string line;
    bool header = false, ended = false;
    while (std::getline(in, line)) {
      ++line_no_;
      text_ = line;
      std::istringstream words(StripComment(line));
      std::string key;
      if (!(words >> key)) continue;
      if (ended) return Fail("text after 'end'");
      if (!header) {
        int version = 0;
        if (key != "clean-model" || !(words >> version) || version != 1 || More(words))
          return Fail("expected 'clean-model 1' first");
        header = true;
        continue;
      }
      if (key == "end") {
        if (More(words) || !CloseSection()) return Fail("'end' closes the file");
        ended = true;
      } else if (!Entry(key, words, m.get())) {
        return nullptr;
      }
    }
    line_no_ = std::max(line_no_, 1);
    text_.clear();
    if (!header) return Fail("empty model file: expected 'clean-model 1'");
    if (!ended) return Fail("truncated: no 'end' line" + Pending());
    if (m->name_line_ == 0) return Fail("no 'name'");
    if (m->text_.roots.empty() && m->html_.roots.empty()) return Fail("no 'input' section");
    LineModel::Flatten(&m->text_);
    LineModel::Flatten(&m->html_);
    return m;
  }

 private:
  std::string StripComment(const std::string& s) {
    size_t hash = s.find('#');
    return hash == std::string::npos ? s : s.substr(0, hash);
  }
  static bool More(std::istringstream& words) {
    std::string extra;
    return static_cast<bool>(words >> extra);
  }
  std::nullptr_t Fail(const std::string& message) {
    diags_->items.push_back({path_, line_no_, 0, false, message, text_});
    return nullptr;
  }
  bool Error(const std::string& message) {
    Fail(message);
    return false;
  }
  // What a section still lacks, for the truncation message.
  std::string Pending() const {
    if (!part_) return "";
    if (nodes_left_ > 0) return " (a tree lacks " + std::to_string(nodes_left_) + " node(s))";
    if (part_->roots.size() < trees_)
      return " (" + std::to_string(trees_ - part_->roots.size()) + " tree(s) missing)";
    return "";
  }
  bool Number(std::istringstream& words, double* out) {
    std::string w;
    if (!(words >> w)) return false;
    char* end = nullptr;
    errno = 0;
    *out = std::strtod(w.c_str(), &end);
    return *end == '\0' && errno == 0 && std::isfinite(*out);
  }
  bool Count(std::istringstream& words, uint32_t* out, uint32_t max) {
    double v = 0;
    if (!Number(words, &v) || v < 0 || v > max || v != std::floor(v)) return false;
    *out = static_cast<uint32_t>(v);
    return true;
  }
  // The section open so far is complete.
  bool CloseSection() {
    if (!part_) return true;
    if (features_.size() != declared_features_)
      return Error("'features " + std::to_string(declared_features_) + "' but " +
                   std::to_string(features_.size()) + " 'feature' line(s)");
    if (nodes_left_ > 0 || part_->roots.size() != trees_)
      return Error("truncated section" + Pending());
    return true;
  }
  bool Entry(const std::string& key, std::istringstream& words, LineModel* m) {
    if (key == "name") {
      std::string name;
      if (!(words >> name) || More(words)) return Error("expected 'name NAME'");
      m->id_ = "model." + name;
      m->name_line_ = line_no_;
      return true;
    }
    if (key == "input") {
      std::string mode;
      if (!(words >> mode) || More(words) || (mode != "text" && mode != "html"))
        return Error("expected 'input text' or 'input html'");
      if (!CloseSection()) return false;
      part_ = mode == "html" ? &m->html_ : &m->text_;
      if (!part_->roots.empty() || part_->nodes.size())
        return Error("a second '" + mode + "' section");
      features_.clear();
      declared_features_ = trees_ = nodes_left_ = 0;
      return true;
    }
    if (!part_) return Error("'" + key + "' before an 'input' section");
    if (key == "threshold" || key == "base") {
      double v = 0;
      if (!Number(words, &v) || More(words)) return Error("expected '" + key + " NUMBER'");
      if (key == "threshold" && (v < 0 || v > 1)) return Error("threshold must be in [0, 1]");
      (key == "base" ? part_->base : part_->threshold) = v;
      return true;
    }
    if (key == "features") {
      if (!Count(words, &declared_features_, 100000) || More(words))
        return Error("expected 'features COUNT'");
      return true;
    }
    if (key == "feature") return Feature(words);
    if (key == "trees") {
      if (features_.size() != declared_features_)
        return Error("'features " + std::to_string(declared_features_) + "' but " +
                     std::to_string(features_.size()) + " 'feature' line(s)");
      if (!Count(words, &trees_, 1000000) || More(words)) return Error("expected 'trees COUNT'");
      return true;
    }
    if (key == "tree") {
      if (nodes_left_ > 0) return Error("a tree before the last one's nodes" + Pending());
      if (part_->roots.size() >= trees_) return Error("more trees than 'trees' declares");
      if (!Count(words, &nodes_left_, 1000000) || nodes_left_ == 0 || More(words))
        return Error("expected 'tree NODES'");
      tree_nodes_ = nodes_left_;
      part_->roots.push_back(static_cast<uint32_t>(part_->nodes.size()));
      return true;
    }
    if (key == "node") return Node(words);
    return Error("unknown entry '" + key + "'");
  }
  bool Feature(std::istringstream& words) {
    std::string name;
    if (!(words >> name) || More(words)) return Error("expected 'feature NAME'");
    const auto& names = ModelFeatureNames();
    for (size_t k = 0; k < names.size(); ++k)
      if (names[k] == name) {
        features_.push_back(static_cast<int32_t>(k));
        return true;
      }
    return Error("unknown feature '" + name + "' (clean --features lists the features)");
  }
  bool Node(std::istringstream& words) {
    if (nodes_left_ == 0) return Error("'node' outside a tree");
    const uint32_t at = tree_nodes_ - nodes_left_;
    uint32_t index = 0;
    std::string kind;
    if (!Count(words, &index, 1000000) || index != at || !(words >> kind))
      return Error("expected 'node " + std::to_string(at) + " split|leaf ...'");
    LineModel::Node n{};
    if (kind == "leaf") {
      n.feature = -1;
      if (!Number(words, &n.threshold) || More(words)) return Error("expected 'node N leaf VALUE'");
    } else if (kind == "split") {
      uint32_t f = 0, left = 0, right = 0;
      if (!Count(words, &f, 100000) || !Number(words, &n.threshold) ||
          !Count(words, &left, 1000000) || !Count(words, &right, 1000000) || More(words))
        return Error("expected 'node N split FEATURE THRESHOLD LEFT RIGHT'");
      if (f >= features_.size()) return Error("feature " + std::to_string(f) + " is not listed");
      if (left <= at || right <= at || left >= tree_nodes_ || right >= tree_nodes_)
        return Error("a child must be a later node of the same tree");
      const uint32_t root = part_->roots.back();
      n.feature = features_[f];
      n.left = root + left;
      n.right = root + right;
    } else {
      return Error("expected 'split' or 'leaf', got '" + kind + "'");
    }
    part_->nodes.push_back(n);
    --nodes_left_;
    return true;
  }

  std::string path_;
  Diagnostics* diags_;
  int line_no_ = 0;
  std::string text_;
  LineModel::Part* part_ = nullptr;
  std::vector<int32_t> features_;  // the section's feature list, as row indices
  uint32_t declared_features_ = 0, trees_ = 0, nodes_left_ = 0, tree_nodes_ = 0;
};

std::unique_ptr<LineModel> LineModel::Load(const std::string& path, Diagnostics* diags) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags->items.push_back({path, 0, 0, false, "cannot read the model file", ""});
    return nullptr;
  }
  std::unique_ptr<LineModel> m = LineModelParser(path, diags).Parse(in);
  if (m) m->digest_ = FileDigest(path);
  return m;
}

namespace {

constexpr uint32_t kMaxFlatDepth = 8;  // 255 splits and 256 leaves a tree

}  // namespace

void LineModel::Flatten(Part* p) {
  // The deepest tree's levels (a node's children are later nodes, so one
  // pass from the back gives every node's height).
  std::vector<uint32_t> height(p->nodes.size(), 0);
  uint32_t depth = 0;
  for (size_t k = p->nodes.size(); k-- > 0;) {
    const Node& n = p->nodes[k];
    if (n.feature >= 0) height[k] = 1 + std::max(height[n.left], height[n.right]);
  }
  for (uint32_t root : p->roots) depth = std::max(depth, height[root]);
  p->depth = 0;
  if (depth == 0 || depth > kMaxFlatDepth) return;
  p->depth = depth;
  const uint32_t splits = (1u << depth) - 1, leaves = 1u << depth;
  p->flat_feature.assign(p->roots.size() * splits, 0);
  p->flat_threshold.assign(p->roots.size() * splits, std::numeric_limits<double>::infinity());
  p->flat_leaf.assign(p->roots.size() * leaves, 0);
  for (uint32_t t = 0; t < p->roots.size(); ++t) FlattenNode(*p, p->roots[t], 0, 0, t, p);
}

void LineModel::FlattenNode(const Part& p, uint32_t node, uint32_t level, uint32_t at,
                            uint32_t tree, Part* out) {
  const Node& n = p.nodes[node];
  const uint32_t splits = (1u << out->depth) - 1;
  if (level == out->depth) {  // a leaf on the last level
    out->flat_leaf[tree * (splits + 1) + (at - splits)] = n.threshold;
    return;
  }
  if (n.feature >= 0) {
    out->flat_feature[tree * splits + at] = n.feature;
    out->flat_threshold[tree * splits + at] = n.threshold;
    FlattenNode(p, n.left, level + 1, 2 * at + 1, tree, out);
    FlattenNode(p, n.right, level + 1, 2 * at + 2, tree, out);
  } else {  // feature 0 <= +inf: always left, to a copy of the leaf (both sides)
    FlattenNode(p, node, level + 1, 2 * at + 1, tree, out);
    FlattenNode(p, node, level + 1, 2 * at + 2, tree, out);
  }
}

double LineModel::Margin(bool html, const float* row) const {
  const Part& p = *part(html);
  double sum = p.base;
  if (p.depth) {
    const uint32_t splits = (1u << p.depth) - 1;
    const int32_t* feature = p.flat_feature.data();
    const double* threshold = p.flat_threshold.data();
    const double* leaf = p.flat_leaf.data();
    for (size_t t = 0; t < p.roots.size(); ++t) {
      uint32_t at = 0;
      for (uint32_t level = 0; level < p.depth; ++level)
        at = 2 * at + 1 + !(static_cast<double>(row[feature[at]]) <= threshold[at]);
      sum += leaf[at - splits];
      feature += splits;
      threshold += splits;
      leaf += splits + 1;
    }
    return sum;
  }
  const Node* nodes = p.nodes.data();
  for (uint32_t root : p.roots) {
    const Node* n = nodes + root;
    while (n->feature >= 0)
      n = nodes + (static_cast<double>(row[n->feature]) <= n->threshold ? n->left : n->right);
    sum += n->threshold;
  }
  return sum;
}

std::vector<std::pair<int, double>> LineModel::TopFeatures(bool html, const float* row,
                                                           size_t count) const {
  const Part& p = *part(html);
  const Node* nodes = p.nodes.data();
  auto leaf = [&](const Node* n) {
    while (n->feature >= 0)
      n = nodes + (static_cast<double>(row[n->feature]) <= n->threshold ? n->left : n->right);
    return n->threshold;
  };
  std::vector<double> weight(ModelFeatureCount(), 0.0);
  for (uint32_t root : p.roots) {
    const double reached = leaf(nodes + root);
    for (const Node* n = nodes + root; n->feature >= 0;) {
      const bool left = static_cast<double>(row[n->feature]) <= n->threshold;
      weight[n->feature] += reached - leaf(nodes + (left ? n->right : n->left));
      n = nodes + (left ? n->left : n->right);
    }
  }
  std::vector<std::pair<int, double>> top;
  for (size_t f = 0; f < weight.size(); ++f)
    if (weight[f] != 0) top.emplace_back(static_cast<int>(f), weight[f]);
  std::stable_sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
    return std::fabs(a.second) > std::fabs(b.second);
  });
  if (top.size() > count) top.resize(count);
  return top;
}

double LineModel::Score(bool html, const float* row) const {
  return 1.0 / (1.0 + std::exp(-Margin(html, row)));
}

void LineModel::Apply(const ModelFeatureExtractor& features, bool html, const RuleSet& rules,
                      uint32_t decider, double threshold, PageWork* w,
                      std::vector<float>* scores) const {
  const size_t n = w->decisions.size();
  scores->assign(n, std::numeric_limits<float>::quiet_NaN());
  const Part* p = part(html);
  if (!p) return;
  if (threshold < 0) threshold = p->threshold;
  for (size_t i = 0; i < n; ++i) {
    if (!ModelFeatureExtractor::Eligible(*w, rules, i)) continue;
    Decision& d = w->decisions[i];
    const double s = Score(html, features.row(i));
    (*scores)[i] = static_cast<float>(s);
    if (s < threshold) {
      d.cls = LineClass::kNavigation;
      d.decider = decider;
    }
  }
}

}  // namespace clean

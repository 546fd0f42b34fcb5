// The loaded, validated and compiled rules of a rules directory:
//   <dir>/generic.rules      the generic layer, applied to every page
//   <dir>/<source>.rules     one file per source (--source NAME)
//   <dir>/shared/*.rules     include-only files
//   <dir>/stopwords/*.txt    stop-word lists
// Everything is checked at load time; a RuleSet that loaded is safe to use
// from many threads at once (matching state lives in MatchScratch).
#pragma once
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "cleaner/base/decision.h"
#include "cleaner/base/diagnostics.h"
#include "cleaner/ruleset/dom_vocab.h"
#include "cleaner/ruleset/lexicon.h"
#include "cleaner/base/options.h"
#include "cleaner/match/prefilter/prefilter.h"
#include "cleaner/match/regex.h"
#include "cleaner/ruleset/rule_file.h"
#include "cleaner/match/xml_tree.h"

namespace clean {

struct Matcher {
  MatcherSpec::Kind kind = MatcherSpec::Kind::kExact;
  std::string text;  // exact: the text (lower-cased when caseless)
  bool caseless = false;
  std::unique_ptr<Regex> regex;
};

struct CompiledRule {
  RuleSpec::Kind kind = RuleSpec::Kind::kLine;
  LineClass cls = LineClass::kBody;
  uint32_t decider = 0;
  int matcher = -1;  // the line matcher or the section opener
  bool header_in_section = true;
  struct End {
    SectionEnd::Kind kind = SectionEnd::Kind::kEof;
    int matcher = -1;
  };
  std::vector<End> ends;
};

// The rules one page is matched against, in precedence order, and what the
// matcher scan must run for them.
struct Layer {
  std::vector<CompiledRule> rules;
  // Matcher id -> the indices (ascending) of the rules it opens or decides
  // with: the first rule of a line's hits is found from its hits.
  std::vector<std::vector<uint32_t>> rules_of;
  void Index() {
    rules_of.clear();
    for (uint32_t i = 0; i < rules.size(); ++i) {
      int m = rules[i].matcher;
      if (m < 0) continue;
      if (rules_of.size() <= static_cast<size_t>(m)) rules_of.resize(m + 1);
      rules_of[m].push_back(i);
    }
  }
};

// The rule set's prefilter (prefilter.h), built on first use.
struct LazyPrefilter {
  std::once_flag once;
  Prefilter value;
};

struct MatchPlan {
  // Matcher ids. The candidates of the generic regexes and the
  // fingerprints, in every plan, come from one prefilter, the rule set's
  // (RuleSet::prefilter: one automaton and one Hyperscan database to load,
  // and a page scanned once serves every plan); a source's plan has a
  // small prefilter of its own for the source's other regexes
  // (RuleSet::own_prefilter), run only on that source's pages. A plan
  // confirms the candidates of its own regexes.
  std::vector<int> regexes;
  std::vector<uint8_t> has;  // by matcher id: 1 for the plan's regexes
  std::vector<int> own;      // the plan's regexes the rule set's prefilter lacks
  std::unique_ptr<struct LazyPrefilter> own_prefilter;  // of `own`, built on first use
  // exact text (lower-cased for caseless matchers) -> matcher ids
  std::unordered_map<std::string_view, std::vector<int>> exact;
  size_t max_exact_bytes = 0;
  // exact_length[n]: some exact text is n bytes long. Lower-casing keeps a
  // line's length (text_util.h), so other lines need no lookup.
  std::vector<bool> exact_length;
};

struct Expectation {
  ExpectSpec spec;
  std::string file;
};

// An `xpath` or `container` directive, compiled (HTML input only).
struct XPathRule {
  uint32_t decider = 0;
  bool container = false;
  LineClass cls = LineClass::kNavigation;
  std::shared_ptr<const XPathExpr> expr;
};

struct Source {
  std::string name;
  std::string file;
  Layer layer;
  std::vector<std::string> domains;
  std::vector<std::pair<int, uint32_t>> fingerprints;  // matcher, decider
  Options options;  // base options with this source's `set` overrides
  std::vector<Expectation> expects;
  MatchPlan plan;  // this layer + the generic layer
  std::vector<XPathRule> xpaths;
};

class RuleSet {
 public:
  // Loads `dir`. Returns null when any error was found; every problem of
  // every file is in *diags. The heuristics of heuristics.h are the first
  // deciders, at the index of their enum value. `extra_dir` (--rules-extra,
  // "" for none): a directory of more source files (learned ones), loaded
  // after dir's; a file of a source that dir has already is skipped with a
  // warning (the shipped file wins), and so is an extra generic.rules.
  static std::unique_ptr<RuleSet> Load(const std::string& dir, const Options& base,
                                       Diagnostics* diags, const std::string& extra_dir = "");

  const Source* FindSource(std::string_view name) const;
  const std::vector<Source>& sources() const { return sources_; }
  const Source& generic() const { return generic_; }  // generic layer only
  const Matcher& matcher(int id) const { return matchers_[id]; }
  const std::vector<Decider>& deciders() const { return deciders_; }
  // Adds a decider from outside the rule files (the trained model's);
  // returns its index. Call before cleaning starts.
  uint32_t AddDecider(Decider d) {
    deciders_.push_back(std::move(d));
    return static_cast<uint32_t>(deciders_.size() - 1);
  }
  const Lexicon& lexicon() const { return lexicon_; }
  const DomVocabulary& dom_vocab() const { return dom_vocab_; }
  const MatchPlan& detect_plan() const { return detect_plan_; }
  // The generic plan with the fingerprints added: one scan of a page both
  // detects its source and, when none is found, gives the generic plan's
  // hits (the hits of a matcher do not depend on the plan it is in).
  const MatchPlan& detect_generic_plan() const { return detect_generic_plan_; }
  const std::string& dir() const { return dir_; }
  const std::string& extra_dir() const { return extra_dir_; }  // "" when none
  // The prefilter of the generic regexes and the fingerprints (the
  // detect-and-generic plan's regexes), compiled
  // (or loaded from the cache) on first use; safe to call from many
  // threads. The fingerprints go to its Hyperscan database.
  const Prefilter& prefilter() const;
  // The prefilter of plan.own (null when it is empty), the same way; all
  // in its Hyperscan database (or PCRE2 alone).
  const Prefilter* own_prefilter(const MatchPlan& plan) const;
  // Builds (or loads) now, before any page, the prefilters a run may use:
  // the rule set's, and the own prefilter of `only` (null: of every
  // source, as detection may pick any). `progress(done, total, name,
  // regexes)` is called before each one.
  using PrefilterProgress = void (*)(size_t done, size_t total, const std::string& name,
                                     size_t regexes);
  void BuildPrefilters(const Source* only, PrefilterProgress progress) const;
  // Regexes of the prefilters BuildPrefilters would build.
  size_t PrefilterRegexes(const Source* only) const;

 private:
  RuleSet() = default;
  std::string dir_;
  std::string extra_dir_;
  std::string cache_dir_;  // for compiled prefilters ("" = none)
  mutable LazyPrefilter prefilter_;
  std::vector<Matcher> matchers_;
  std::vector<Decider> deciders_;
  std::vector<Source> sources_;
  Source generic_;
  MatchPlan detect_plan_;
  MatchPlan detect_generic_plan_;
  Lexicon lexicon_;
  DomVocabulary dom_vocab_;
  friend class RuleSetBuilder;
};

}  // namespace clean

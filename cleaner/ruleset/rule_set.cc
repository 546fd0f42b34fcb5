#include "cleaner/ruleset/rule_set.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "cleaner/base/heuristics.h"
#include "cleaner/base/text_util.h"

namespace clean {

namespace fs = std::filesystem;

class RuleSetBuilder {
 public:
  RuleSetBuilder(RuleSet* rs, Diagnostics* diags, const std::string& dir)
      : rs_(rs), diags_(diags), dir_(fs::path(dir).lexically_normal()) {
    shown_dir_ = dir_.filename().string();
    if (shown_dir_.empty()) shown_dir_ = dir_.parent_path().filename().string();
    if (shown_dir_.empty()) shown_dir_ = "rules";
  }

  void Build(const Options& base, const std::string& extra) {
    for (uint32_t h = 0; h < static_cast<uint32_t>(Heuristic::kCount); ++h) {
      const auto& info = GetHeuristicInfo(static_cast<Heuristic>(h));
      rs_->deciders_.push_back(Decider::Make(info.kind, std::string(info.name), "", 0));
    }
    rs_->dir_ = dir_.string();
    std::error_code ec;
    if (!fs::is_directory(dir_, ec)) {
      Error(dir_.string(), 0, 0, "rules directory not found", "");
      return;
    }
    rs_->lexicon_.Load((dir_ / "stopwords").string(), diags_);
    rs_->dom_vocab_.Load((dir_ / "dom" / "boilerplate.txt").string(),
                         Shown(dir_ / "dom" / "boilerplate.txt"), diags_);

    // Every std::filesystem call here takes an error_code: a symlink loop
    // or an unreadable entry is a rule-file error, never an exception.
    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code e;
      if (it->path().extension() == ".rules" && it->is_regular_file(e))
        files.push_back(it->path());
      else if (e && it->path().extension() == ".rules")
        Error(Shown(it->path()), 0, 0, "cannot read rule file: " + e.message(), "");
    }
    if (ec) Error(dir_.string(), 0, 0, "cannot list the rules directory: " + ec.message(), "");
    std::sort(files.begin(), files.end());

    rs_->generic_.name = "generic";
    rs_->generic_.options = base;
    fs::path generic_path = dir_ / "generic.rules";
    if (fs::exists(generic_path, ec)) BuildSource(generic_path, &rs_->generic_, true);

    for (const auto& p : files) {
      if (p.filename() == "generic.rules") continue;
      Source s;
      s.options = rs_->generic_.options;  // generic overrides, then the source's
      BuildSource(p, &s, false);
      if (s.name == "generic") {
        Error(Shown(p), 0, 0, "the source name 'generic' is reserved", "");
        continue;
      }
      if (rs_->FindSource(s.name)) {
        Error(Shown(p), 0, 0, "source '" + s.name + "' is defined twice", "");
        continue;
      }
      rs_->sources_.push_back(std::move(s));
    }
    if (!extra.empty()) AddExtra(extra);
    rs_->generic_.layer.Index();
    for (auto& s : rs_->sources_) s.layer.Index();
    // Plans: each source with the generic layer after it.
    BuildPlan(rs_->generic_.layer, nullptr, &rs_->generic_.plan);
    for (auto& s : rs_->sources_) BuildPlan(s.layer, &rs_->generic_.layer, &s.plan);
    // The generic regexes and the fingerprints: what RuleSet::prefilter reads.
    BuildPlan(rs_->generic_.layer, nullptr, &rs_->detect_generic_plan_);
    for (const auto& s : rs_->sources_)
      for (auto [m, d] : s.fingerprints) {
        AddToPlan(m, &rs_->detect_plan_);
        AddToPlan(m, &rs_->detect_generic_plan_);
      }
    std::vector<MatchPlan*> plans = {&rs_->generic_.plan, &rs_->detect_plan_,
                                     &rs_->detect_generic_plan_};
    for (auto& s : rs_->sources_) plans.push_back(&s.plan);
    // A plan's regexes beyond the rule set's prefilter (that of the
    // detect-and-generic plan) are its own.
    std::vector<uint8_t> shared(rs_->matchers_.size(), 0);
    for (int m : rs_->detect_generic_plan_.regexes) shared[m] = 1;
    for (MatchPlan* plan : plans) {
      plan->has.assign(rs_->matchers_.size(), 0);
      for (int m : plan->regexes) {
        plan->has[m] = 1;
        if (!shared[m]) plan->own.push_back(m);
      }
      if (!plan->own.empty()) plan->own_prefilter = std::make_unique<LazyPrefilter>();
    }
    rs_->cache_dir_ = Prefilter::DefaultCacheDir();
  }

 private:
  std::string Shown(const fs::path& p) const {
    if (!extra_.empty()) {
      fs::path rel = p.lexically_relative(extra_);
      if (!rel.empty() && *rel.begin() != "..") return (extra_shown_ / rel).string();
    }
    return (fs::path(shown_dir_) / p.lexically_relative(dir_)).string();
  }

  // The source files of --rules-extra, after the rules directory's: a
  // source the directory has already keeps its file (a warning says so).
  void AddExtra(const std::string& extra) {
    extra_ = fs::path(extra).lexically_normal();
    extra_shown_ = extra_.filename().empty() ? extra_.parent_path().filename() : extra_.filename();
    rs_->extra_dir_ = extra_.string();
    std::error_code ec;
    if (!fs::is_directory(extra_, ec)) {
      Error(extra, 0, 0, "extra rules directory not found", "");
      return;
    }
    std::vector<fs::path> files;
    for (fs::directory_iterator it(extra_, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code e;
      if (it->path().extension() == ".rules" && it->is_regular_file(e))
        files.push_back(it->path());
      else if (e && it->path().extension() == ".rules")
        Error(Shown(it->path()), 0, 0, "cannot read rule file: " + e.message(), "");
    }
    if (ec) Error(extra, 0, 0, "cannot list the extra rules directory: " + ec.message(), "");
    std::sort(files.begin(), files.end());
    for (const auto& p : files) {
      std::string why;
      const RuleFile* f = Parse(p, Shown(p), &why);
      if (!f) {
        Error(Shown(p), 0, 0, "cannot read rule file: " + why, "");
        continue;
      }
      if (f->source == "generic") {
        Warn(Shown(p), "generic rules come from the rules directory only: file skipped");
        continue;
      }
      if (const Source* shipped = rs_->FindSource(f->source)) {
        Warn(Shown(p), "source '" + f->source + "' is also in " + shipped->file +
                           ", which wins: file skipped");
        continue;
      }
      Source s;
      s.options = rs_->generic_.options;
      BuildSource(p, &s, false);
      rs_->sources_.push_back(std::move(s));
    }
  }

  void Warn(const std::string& file, const std::string& msg) {
    diags_->items.push_back({file, 0, 0, true, msg, ""});
  }

  void Error(const std::string& file, int line, int col, const std::string& msg,
             const std::string& text) {
    diags_->items.push_back({file, line, col, false, msg, text});
  }

  // The file at `path`, parsed once; null (and *why says why) when it is
  // not a regular file, cannot be read or is over kMaxRuleFileBytes.
  const RuleFile* Parse(const fs::path& path, const std::string& shown, std::string* why) {
    auto key = path.lexically_normal().string();
    auto it = parsed_.find(key);
    if (it != parsed_.end()) return &it->second;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
      *why = ec ? ec.message() : "not a regular file";
      return nullptr;
    }
    const uintmax_t size = fs::file_size(path, ec);
    if (ec) {
      *why = ec.message();
      return nullptr;
    }
    if (size > kMaxRuleFileBytes) {
      *why = std::to_string(size) + " bytes is over the limit of " +
             std::to_string(kMaxRuleFileBytes) + " bytes a rule file may hold (kMaxRuleFileBytes)";
      return nullptr;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      *why = "cannot open it";
      return nullptr;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    return &parsed_.emplace(key, ParseRuleFile(shown, ss.str(), diags_)).first->second;
  }

  void BuildSource(const fs::path& path, Source* s, bool generic) {
    std::string shown = Shown(path);
    std::string why;
    const RuleFile* f = Parse(path, shown, &why);
    if (!f) {
      Error(shown, 0, 0, "cannot read rule file: " + why, "");
      return;
    }
    s->name = f->source;
    s->file = shown;
    s->domains = f->domains;
    std::vector<std::pair<std::string, std::string>> stack{
        {IncludeKey(path.lexically_normal()), shown}};
    Flatten(*f, path, generic ? Decider::Kind::kGenericRule : Decider::Kind::kSourceRule, &stack,
            &s->layer);
    for (const auto& fp : f->fingerprints) {
      if (!CountRule(*f, fp.line, 0)) break;
      uint32_t d = AddDecider(fp.id, Decider::Kind::kSourceRule, *f, fp.line);
      int m = CompileMatcher(fp.matcher, *f);
      if (m >= 0) s->fingerprints.emplace_back(m, d);
    }
    for (const auto& set : f->sets) {
      const OptionField* field = FindOption(set.name);
      std::string err;
      if (!field)
        Error(shown, set.line, set.column, "unknown option '" + set.name + "'",
              f->lines[set.line - 1]);
      else if (!SetOption(s->options, *field, set.value, &err))
        Error(shown, set.line, set.column, err, f->lines[set.line - 1]);
    }
    for (const auto& x : f->expects) s->expects.push_back({x, shown});
    for (const auto& x : f->xpaths) {
      XPathRule r;
      r.decider = AddDecider(
          x.id, generic ? Decider::Kind::kGenericRule : Decider::Kind::kSourceRule, *f, x.line);
      r.container = x.container;
      r.cls = x.cls;
      std::string err;
      size_t off = 0;
      r.expr = XPathExpr::Compile(x.expr.text, &err, &off);
      if (!r.expr) {
        Error(shown, x.line, x.expr.column + static_cast<int>(off), "xpath: " + err,
              f->lines[x.line - 1]);
        continue;
      }
      s->xpaths.push_back(std::move(r));
    }
  }

  // Counts one more rule of the rule set (`line` of file f; col 0: none);
  // false, with one error, once the set is over kMaxRules.
  bool CountRule(const RuleFile& f, int line, int col) {
    if (++rule_count_ <= kMaxRules) return true;
    if (rule_count_ == kMaxRules + 1)
      Error(f.path, line, col,
            "the rule set expands past " + std::to_string(kMaxRules) +
                " rules, fingerprints and includes (kMaxRules; an included file counts each "
                "time it is spliced in)",
            f.lines[line - 1]);
    return false;
  }

  // The included file's identity: its canonical path when it resolves (so
  // that a cycle through a symlinked directory is seen as one), else its
  // normalised path.
  static std::string IncludeKey(const fs::path& inc) {
    std::error_code ec;
    fs::path c = fs::weakly_canonical(inc, ec);
    return ec ? inc.string() : c.string();
  }

  void Flatten(const RuleFile& f, const fs::path& path, Decider::Kind kind,
               std::vector<std::pair<std::string, std::string>>* stack, Layer* out) {
    for (const auto& e : f.entries) {
      if (rule_count_ > kMaxRules || too_deep_) return;
      if (!e.rule) {
        fs::path inc = (path.parent_path() / e.include).lexically_normal();
        std::string key = IncludeKey(inc);
        auto same = [&key](const auto& s) { return s.first == key; };
        if (std::any_of(stack->begin(), stack->end(), same)) {
          std::string chain;
          for (const auto& s : *stack) chain += s.second + " -> ";
          Error(f.path, e.line, e.column, "include cycle: " + chain + Shown(inc),
                f.lines[e.line - 1]);
          continue;
        }
        if (stack->size() > static_cast<size_t>(kMaxIncludeDepth)) {
          Error(f.path, e.line, e.column,
                "includes nested deeper than " + std::to_string(kMaxIncludeDepth) +
                    " files (kMaxIncludeDepth)",
                f.lines[e.line - 1]);
          too_deep_ = true;  // one error: the other ways down lead to the same place
          return;
        }
        std::string why;
        const RuleFile* g = Parse(inc, Shown(inc), &why);
        if (!g) {
          Error(f.path, e.line, e.column, "cannot read included file '" + e.include + "': " + why,
                f.lines[e.line - 1]);
          continue;
        }
        // A splice counts too: a tree of includes without rules is bounded as well.
        if (!CountRule(f, e.line, e.column)) return;
        stack->emplace_back(key, Shown(inc));
        Flatten(*g, inc, kind, stack, out);
        stack->pop_back();
        continue;
      }
      if (!CountRule(f, e.line, 0)) return;
      auto key = std::make_pair(f.path, e.line);
      auto it = compiled_.find(key);
      if (it == compiled_.end()) {
        std::optional<CompiledRule> r = Compile(*e.rule, f, kind);
        it = compiled_.emplace(key, std::move(r)).first;
      }
      if (it->second) out->rules.push_back(*it->second);
    }
  }

  uint32_t AddDecider(const std::string& id, Decider::Kind kind, const RuleFile& f, int line) {
    auto seen = ids_.find(id);
    if (seen != ids_.end()) {
      const Decider& d = rs_->deciders_[seen->second];
      if (d.file == f.path && d.line == line) return seen->second;
      Error(f.path, line, 0, "duplicate rule id '" + id + "' (first at " + d.where() + ")",
            f.lines[line - 1]);
      return seen->second;
    }
    rs_->deciders_.push_back(Decider::Make(kind, id, f.path, line));
    uint32_t idx = static_cast<uint32_t>(rs_->deciders_.size() - 1);
    ids_.emplace(id, idx);
    return idx;
  }

  std::optional<CompiledRule> Compile(const RuleSpec& spec, const RuleFile& f, Decider::Kind kind) {
    CompiledRule r;
    r.kind = spec.kind;
    r.cls = spec.cls;
    r.header_in_section = spec.header_in_section;
    r.decider = AddDecider(spec.id, kind, f, spec.line);
    rs_->deciders_[r.decider].field = spec.field;
    r.matcher = CompileMatcher(spec.matcher, f);
    bool ok = r.matcher >= 0;
    for (const auto& e : spec.ends) {
      CompiledRule::End ce;
      ce.kind = e.kind;
      if (e.kind == SectionEnd::Kind::kMatch) {
        ce.matcher = CompileMatcher(e.matcher, f);
        ok = ok && ce.matcher >= 0;
      }
      r.ends.push_back(ce);
    }
    if (!ok) return std::nullopt;
    return r;
  }

  int CompileMatcher(const MatcherSpec& spec, const RuleFile& f) {
    const std::string& text = f.lines[spec.line - 1];
    Matcher m;
    m.kind = spec.kind;
    m.caseless = spec.caseless;
    if (spec.kind == MatcherSpec::Kind::kExact) {
      std::string_view t = TrimAscii(spec.text);
      if (t.empty()) {
        Error(f.path, spec.line, spec.column, "exact text is empty or only whitespace", text);
        return -1;
      }
      if (spec.caseless)
        Utf8Lower(t, &m.text);
      else
        m.text = std::string(t);
    } else {
      std::string err;
      size_t off = 0;
      m.regex = Regex::Compile(spec.text, spec.caseless, &err, &off);
      if (!m.regex) {
        Error(f.path, spec.line, spec.column + PatternColumnOffset(spec, text, off),
              "regex: " + err, text);
        return -1;
      }
      if (m.regex->CanMatchEmpty()) {
        Error(f.path, spec.line, spec.column,
              "regex can match the empty string, so it would match every line", text);
        return -1;
      }
    }
    rs_->matchers_.push_back(std::move(m));
    return static_cast<int>(rs_->matchers_.size() - 1);
  }

  void AddToPlan(int m, MatchPlan* plan) {
    const Matcher& mt = rs_->matchers_[m];
    if (mt.kind == MatcherSpec::Kind::kRegex) {
      // plan->has marks the regexes added so far (Build sets it again after).
      if (plan->has.size() <= static_cast<size_t>(m)) plan->has.resize(m + 1, 0);
      if (!plan->has[m]) plan->regexes.push_back(m);
      plan->has[m] = 1;
      return;
    }
    auto& v = plan->exact[mt.text];
    if (std::find(v.begin(), v.end(), m) == v.end()) v.push_back(m);
    plan->max_exact_bytes = std::max(plan->max_exact_bytes, mt.text.size());
    if (plan->exact_length.size() <= mt.text.size()) plan->exact_length.resize(mt.text.size() + 1);
    plan->exact_length[mt.text.size()] = true;
  }

  void BuildPlan(const Layer& first, const Layer* second, MatchPlan* plan) {
    for (const Layer* l : {&first, second}) {
      if (!l) continue;
      for (const auto& r : l->rules) {
        AddToPlan(r.matcher, plan);
        for (const auto& e : r.ends)
          if (e.matcher >= 0) AddToPlan(e.matcher, plan);
      }
    }
  }

  RuleSet* rs_;
  Diagnostics* diags_;
  fs::path dir_;
  std::string shown_dir_;
  fs::path extra_, extra_shown_;  // --rules-extra and its name as shown
  std::map<std::string, RuleFile> parsed_;
  std::map<std::pair<std::string, int>, std::optional<CompiledRule>> compiled_;
  std::unordered_map<std::string, uint32_t> ids_;
  size_t rule_count_ = 0;  // rules, fingerprints and include splices so far
  bool too_deep_ = false;  // an include went past kMaxIncludeDepth: no more flattening
};

std::unique_ptr<RuleSet> RuleSet::Load(const std::string& dir, const Options& base,
                                       Diagnostics* diags, const std::string& extra_dir) {
  std::unique_ptr<RuleSet> rs(new RuleSet);
  size_t before = diags->items.size();
  RuleSetBuilder(rs.get(), diags, dir).Build(base, extra_dir);
  for (size_t i = before; i < diags->items.size(); ++i)
    if (!diags->items[i].warning) return nullptr;
  return rs;
}

const Prefilter& RuleSet::prefilter() const {
  std::call_once(prefilter_.once, [&] {
    const std::vector<int>& generic = generic_.plan.regexes;
    std::vector<Prefilter::Regex> regexes;
    for (int m : detect_generic_plan_.regexes) {
      bool head_ok = std::find(generic.begin(), generic.end(), m) != generic.end();
      regexes.push_back({m, matchers_[m].regex->pattern(), matchers_[m].caseless, head_ok});
    }
    prefilter_.value = Prefilter::Build(regexes, cache_dir_);
  });
  return prefilter_.value;
}

const Prefilter* RuleSet::own_prefilter(const MatchPlan& plan) const {
  if (!plan.own_prefilter) return nullptr;
  std::call_once(plan.own_prefilter->once, [&] {
    std::vector<Prefilter::Regex> regexes;
    for (int m : plan.own)
      regexes.push_back({m, matchers_[m].regex->pattern(), matchers_[m].caseless, false});
    plan.own_prefilter->value = Prefilter::Build(regexes, cache_dir_);
  });
  return &plan.own_prefilter->value;
}

size_t RuleSet::PrefilterRegexes(const Source* only) const {
  size_t n = detect_generic_plan_.regexes.size();
  for (const Source& s : sources_)
    if (!only || only == &s) n += s.plan.own.size();
  return n;
}

void RuleSet::BuildPrefilters(const Source* only, PrefilterProgress progress) const {
  std::vector<const Source*> own;
  for (const Source& s : sources_)
    if ((!only || only == &s) && s.plan.own_prefilter) own.push_back(&s);
  const size_t total = own.size() + 1;
  if (progress)
    progress(0, total, "generic rules and fingerprints", detect_generic_plan_.regexes.size());
  prefilter();
  for (size_t i = 0; i < own.size(); ++i) {
    if (progress) progress(i + 1, total, own[i]->name, own[i]->plan.own.size());
    own_prefilter(own[i]->plan);
  }
}

const Source* RuleSet::FindSource(std::string_view name) const {
  for (const auto& s : sources_)
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace clean

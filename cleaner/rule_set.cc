#include "cleaner/rule_set.h"

#include "cleaner/prefilter_cache.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "cleaner/heuristics.h"
#include "cleaner/text_util.h"

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

  void Build(const Options& base) {
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

    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir_, ec))
      if (e.is_regular_file() && e.path().extension() == ".rules") files.push_back(e.path());
    std::sort(files.begin(), files.end());

    rs_->generic_.name = "generic";
    rs_->generic_.options = base;
    fs::path generic_path = dir_ / "generic.rules";
    if (fs::exists(generic_path)) BuildSource(generic_path, &rs_->generic_, true);

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
    const MatchPlan& shared = rs_->detect_generic_plan_;
    for (MatchPlan* plan : plans) {
      plan->has.assign(rs_->matchers_.size(), 0);
      for (int m : plan->regexes) {
        plan->has[m] = 1;
        if (std::find(shared.regexes.begin(), shared.regexes.end(), m) == shared.regexes.end())
          plan->own.push_back(m);
      }
      if (!plan->own.empty()) plan->own_prefilter = std::make_unique<LazyPrefilter>();
    }
    rs_->cache_dir_ = DefaultCacheDir();
  }

 private:
  std::string Shown(const fs::path& p) const {
    return (fs::path(shown_dir_) / p.lexically_relative(dir_)).string();
  }

  void Error(const std::string& file, int line, int col, const std::string& msg,
             const std::string& text) {
    diags_->items.push_back({file, line, col, false, msg, text});
  }

  const RuleFile* Parse(const fs::path& path, const std::string& shown) {
    auto key = path.lexically_normal().string();
    auto it = parsed_.find(key);
    if (it != parsed_.end()) return &it->second;
    std::ifstream in(path, std::ios::binary);
    if (!in) return nullptr;
    std::stringstream ss;
    ss << in.rdbuf();
    return &parsed_.emplace(key, ParseRuleFile(shown, ss.str(), diags_)).first->second;
  }

  void BuildSource(const fs::path& path, Source* s, bool generic) {
    std::string shown = Shown(path);
    const RuleFile* f = Parse(path, shown);
    if (!f) {
      Error(shown, 0, 0, "cannot read rule file", "");
      return;
    }
    s->name = f->source;
    s->file = shown;
    s->domains = f->domains;
    std::vector<std::string> stack{path.lexically_normal().string()};
    Flatten(*f, path, generic ? Decider::Kind::kGenericRule : Decider::Kind::kSourceRule,
            &stack, &s->layer);
    for (const auto& fp : f->fingerprints) {
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
      r.decider = AddDecider(x.id, generic ? Decider::Kind::kGenericRule : Decider::Kind::kSourceRule,
                             *f, x.line);
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

  void Flatten(const RuleFile& f, const fs::path& path, Decider::Kind kind,
               std::vector<std::string>* stack, Layer* out) {
    for (const auto& e : f.entries) {
      if (!e.rule) {
        fs::path inc = (path.parent_path() / e.include).lexically_normal();
        std::string key = inc.string();
        if (std::find(stack->begin(), stack->end(), key) != stack->end()) {
          std::string chain;
          for (const auto& s : *stack) chain += Shown(s) + " -> ";
          Error(f.path, e.line, e.column, "include cycle: " + chain + Shown(inc),
                f.lines[e.line - 1]);
          continue;
        }
        const RuleFile* g = fs::is_regular_file(inc) ? Parse(inc, Shown(inc)) : nullptr;
        if (!g) {
          Error(f.path, e.line, e.column, "cannot read included file '" + e.include + "'",
                f.lines[e.line - 1]);
          continue;
        }
        stack->push_back(key);
        Flatten(*g, inc, kind, stack, out);
        stack->pop_back();
        continue;
      }
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

  std::optional<CompiledRule> Compile(const RuleSpec& spec, const RuleFile& f,
                                      Decider::Kind kind) {
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
      if (spec.caseless) Utf8Lower(t, &m.text);
      else m.text = std::string(t);
    } else {
      std::string err;
      size_t off = 0;
      m.regex = Regex::Compile(spec.text, spec.caseless, &err, &off);
      if (!m.regex) {
        Error(f.path, spec.line, spec.column + PatternColumnOffset(spec, text, off), "regex: " + err, text);
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
      if (std::find(plan->regexes.begin(), plan->regexes.end(), m) == plan->regexes.end())
        plan->regexes.push_back(m);
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
  std::map<std::string, RuleFile> parsed_;
  std::map<std::pair<std::string, int>, std::optional<CompiledRule>> compiled_;
  std::unordered_map<std::string, uint32_t> ids_;
};

std::unique_ptr<RuleSet> RuleSet::Load(const std::string& dir, const Options& base,
                                       Diagnostics* diags) {
  std::unique_ptr<RuleSet> rs(new RuleSet);
  size_t before = diags->items.size();
  RuleSetBuilder(rs.get(), diags, dir).Build(base);
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

const Source* RuleSet::FindSource(std::string_view name) const {
  for (const auto& s : sources_)
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace clean

#include "cleaner/cli/batch.h"

#include <csignal>
#include <cstdio>
#include <filesystem>

#include "cleaner/cli/expectations.h"
#include "cleaner/cli/flag_check.h"
#include "cleaner/cli/jsonl_run.h"
#include "cleaner/cli/page_run.h"
#include "cleaner/ruleset/regex_lint.h"

namespace clean {

namespace fs = std::filesystem;

namespace {

void Message(const std::string& s) { std::fprintf(stderr, "clean: %s\n", s.c_str()); }

}  // namespace

std::string DefaultRulesDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path dir = exe.parent_path();
    for (const fs::path& c : {dir / "rules", dir.parent_path() / "rules",
                              dir.parent_path() / "share" / "clean" / "rules"})
      if (fs::is_regular_file(c / "generic.rules", ec)) return c.string();
  }
  return CLEAN_SOURCE_RULES_DIR;
}

namespace {
// The CLI's rule set lives until the process ends: freeing it (PCRE2's JIT
// code, the prefilter's tables) took about 3 ms of every run and gives
// nothing back. Parked in a static, so leak checkers still see it.
struct KeepUntilExit {
  void operator()(RuleSet* r) const {
    [[maybe_unused]] static RuleSet* volatile kept = nullptr;  // volatile: the store stays
    kept = r;
  }
};
}  // namespace

// Builds the prefilters before the first page (a large rule set takes a
// while when the cache is cold: better at start-up than mid-batch), and
// says so on stderr when the rules hold over kPrefilterNoticeRegexes
// regexes.
constexpr size_t kPrefilterNoticeRegexes = 2000;
static void BuildPrefilters(const RuleSet& rules, const Source* source, bool quiet) {
  const size_t n = rules.PrefilterRegexes(source);
  RuleSet::PrefilterProgress say = nullptr;
  if (n > kPrefilterNoticeRegexes && !quiet) {
    Message("compiling the prefilters of " + std::to_string(n) +
            " regexes (milliseconds each when not cached; cached for the next run)");
    say = [](size_t done, size_t total, const std::string& name, size_t regexes) {
      Message("prefilter " + std::to_string(done + 1) + "/" + std::to_string(total) + ": " + name +
              " (" + std::to_string(regexes) + " regexes)");
    };
  }
  rules.BuildPrefilters(source, say);
}

namespace {

using RulesPtr = std::unique_ptr<RuleSet, KeepUntilExit>;

// Loads the rules; null (the diagnostics and a summary line on stderr)
// when they have errors. Warnings are shown unless `quiet`.
RulesPtr LoadRules(const std::string& rules_dir, const std::string& extra_dir, const Options& base,
                   bool quiet) {
  Diagnostics diags;
  RulesPtr rules(RuleSet::Load(rules_dir, base, &diags, extra_dir).release());
  if (!rules) {
    std::fputs(diags.Format().c_str(), stderr);
    size_t errors = 0;
    for (const auto& d : diags.items) errors += !d.warning;
    Message(std::to_string(errors) + " error(s) in the rules of " + rules_dir);
    return nullptr;
  }
  if (!quiet && !diags.items.empty()) std::fputs(diags.Format().c_str(), stderr);
  return rules;
}

// --check-rules: the regex lint (warnings), then every expectation.
int CheckRules(const RuleSet& rules, const std::string& rules_dir, const Options& base) {
  Diagnostics lint;  // patterns likely to backtrack badly: warnings only
  LintRuleDir(rules_dir, &lint);
  if (!rules.extra_dir().empty()) LintRuleDir(rules.extra_dir(), &lint);
  std::fputs(lint.Format().c_str(), stderr);
  Diagnostics check;
  size_t n = CheckExpectations(rules, base, &check);
  std::fputs(check.Format().c_str(), stderr);
  size_t rule_count = rules.generic().layer.rules.size();
  for (const auto& s : rules.sources()) rule_count += s.layer.rules.size();
  if (check.HasErrors()) {
    Message(std::to_string(check.items.size()) + " of " + std::to_string(n) +
            " expectation(s) failed");
    return 2;
  }
  std::fprintf(stdout,
               "clean: rules OK: %zu source(s) + generic, %zu rule(s), %zu expectation(s) "
               "passed\n",
               rules.sources().size(), rule_count, n);
  return 0;
}

// --list-sources.
int ListSources(const RuleSet& rules) {
  for (const auto& s : rules.sources()) {
    std::string domains;
    for (const auto& d : s.domains) domains += " " + d;
    std::printf("%-24s %s%s%s\n", s.name.c_str(), s.file.c_str(),
                domains.empty() ? "" : "  domains:", domains.c_str());
  }
  return 0;
}

// --source NAME: the source, or null with a message naming the known ones.
const Source* FindSource(const RuleSet& rules, const std::string& name,
                         const std::string& rules_dir) {
  const Source* source = rules.FindSource(name);
  if (!source) {
    std::string names;
    for (const auto& s : rules.sources()) names += (names.empty() ? "" : ", ") + s.name;
    Message("unknown source '" + name + "' (sources in " + rules_dir + ": " + names + ")");
  }
  return source;
}

}  // namespace

int RunCli(const CliOptions& o) {
  std::string error;
  if (!CheckFlags(o, &error)) {  // every rule about flags together (flag_check.h)
    Message(error);
    return 2;
  }
  std::signal(SIGPIPE, SIG_IGN);
  std::string rules_dir = o.rules_dir.empty() ? DefaultRulesDir() : o.rules_dir;
  Options base;
  RulesPtr rules = LoadRules(rules_dir, o.rules_extra, base, o.quiet);
  if (!rules) return 2;
  if (o.check_rules) return CheckRules(*rules, rules_dir, base);
  if (o.list_sources) return ListSources(*rules);
  const Source* source = nullptr;
  if (!o.source.empty() && !(source = FindSource(*rules, o.source, rules_dir))) return 2;
  PageModel model;  // --model (page and JSONL mode)
  if (o.model != "none") {
    Diagnostics model_diags;
    if (!(model.model = LineModel::Load(o.model, &model_diags))) {
      std::fputs(model_diags.Format().c_str(), stderr);
      return 2;
    }
    model.decider = rules->AddDecider(Decider::Make(Decider::Kind::kModel, model.model->id(),
                                                    model.model->file(), model.model->name_line()));
  }
  if (o.prefilter) BuildPrefilters(*rules, source, o.quiet);
  if (o.jsonl.enabled) return RunJsonl(o, *rules, base, source, model);  // JSONL mode (jsonl_run.h)
  return RunPages(o, *rules, base, source, model);                       // page mode (page_run.h)
}

}  // namespace clean

#include "cleaner/cli/expectations.h"

#include "cleaner/cleaner.h"

namespace clean {

namespace {

size_t CheckSource(const RuleSet& rules, const Options& base, const Source& src, bool generic,
                   Diagnostics* diags) {
  Cleaner cleaner(rules, base, generic ? nullptr : &src, /*detect=*/false);
  std::string page, error;
  for (const Expectation& x : src.expects) {
    page.clear();
    if (x.spec.after) page += *x.spec.after + "\n";
    page += x.spec.text + "\n";
    CleanResult r;
    std::string problem;
    if (!cleaner.Clean(x.file, page, &r, &error)) {
      problem = error;
    } else {
      const Decision& d = r.decisions().back();
      bool ok = false;
      std::string want;
      switch (x.spec.want) {
        case ExpectSpec::Want::kClass:
          ok = d.cls == x.spec.cls;
          want = std::string(ClassName(x.spec.cls));
          break;
        case ExpectSpec::Want::kKeep:
          ok = d.cls == LineClass::kBody;
          want = "kept (body)";
          break;
        case ExpectSpec::Want::kRemove:
          ok = d.cls != LineClass::kBody;
          want = "removed";
          break;
      }
      if (!ok) {
        const Decider& who = rules.deciders()[d.decider];
        problem = "expectation failed: the line is " + std::string(ClassName(d.cls)) + " (by " +
                  who.id + (who.file.empty() ? "" : " at " + who.where()) + "), expected " + want;
      }
    }
    if (!problem.empty()) diags->items.push_back({x.file, x.spec.line, 0, false, problem, ""});
  }
  return src.expects.size();
}

}  // namespace

size_t CheckExpectations(const RuleSet& rules, const Options& base, Diagnostics* diags) {
  size_t n = CheckSource(rules, base, rules.generic(), true, diags);
  for (const Source& s : rules.sources()) n += CheckSource(rules, base, s, false, diags);
  return n;
}

}  // namespace clean

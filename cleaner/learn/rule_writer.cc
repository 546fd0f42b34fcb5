#include "cleaner/learn/rule_writer.h"

#include <cstdio>

#include "cleaner/learn/line_key.h"

namespace clean {

namespace {

std::string Share(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

std::string RuleMatcher(const LearnedLine& l) {
  if (!l.varies) return QuoteExact(l.text);
  return "/" + l.regex + "/";  // KeyRegex escapes '/' already
}

}  // namespace

std::string WriteLearnedRules(const LearnedSource& s, const LearnOptions& options,
                              const std::string& corpus) {
  std::string out;
  out +=
      "# Learned by `clean learn` from " + std::to_string(s.pages) + " pages of " + s.name + "\n";
  out += "# corpus: " + corpus + "\n";
  out += "# thresholds: --min-pages " + std::to_string(options.min_pages) + " --min-share " +
         Share(options.min_share) + " (a line on at least " + std::to_string(s.threshold) + " of " +
         std::to_string(s.pages) + " pages), --body-share " + Share(options.body_share) + "\n";
  out +=
      "# Each rule says on how many pages its line was and why it got its class. A line\n"
      "# the classifier kept as body on most pages is commented out: uncomment it (and\n"
      "# its expect line) if it is boilerplate after all. Edit freely; learned files\n"
      "# are loaded with `clean --rules-extra DIR`.\n";
  out += "source " + s.name + "\n";
  if (!s.domain.empty()) out += "domain " + s.domain + "\n";
  out += "\n";
  std::string expects;
  int n = 0;
  for (const LearnedLine& l : s.lines) {
    const std::string id = "learned." + s.name + "." + std::to_string(++n);
    const std::string cls(ClassName(l.cls));
    const std::string counts =
        "on " + std::to_string(l.pages) + "/" + std::to_string(s.pages) + " pages, " + l.why;
    if (l.commented) {
      out += l.shipped * 2 > l.pages
                 ? "# in a section of the shipped rules on " + std::to_string(l.shipped) +
                       " of its " + std::to_string(l.pages) + " pages:\n"
                 : "# kept as body on " + std::to_string(l.body) + " of its " +
                       std::to_string(l.pages) + " pages:\n";
      out += "# line " + id + " " + cls + " " + RuleMatcher(l) + "  # " + counts + "\n";
      expects += "# expect " + cls + " " + QuoteExact(l.text) + "\n";
    } else {
      out += "line " + id + " " + cls + " " + RuleMatcher(l) + "  # " + counts + "\n";
      expects += "expect " + cls + " " + QuoteExact(l.text) + "\n";
    }
  }
  for (const LearnedSection& sec : s.sections) {
    const std::string id = "learned." + s.name + "." + std::to_string(++n);
    const std::string cls(ClassName(sec.cls));
    const LearnedLine& opener = s.lines[sec.opener];
    out += "section " + id + " " + cls + " after " + RuleMatcher(opener) + " end " +
           RuleMatcher(s.lines[sec.closer]) + " end body  # on " + std::to_string(sec.pages) + "/" +
           std::to_string(s.pages) + " pages, changing lines between two recurring ones (" +
           std::to_string(sec.lines) + " in all)\n";
    if (!sec.example.empty())
      expects += "expect " + cls + " " + QuoteExact(sec.example) + " after " +
                 QuoteExact(opener.text) + "\n";
  }
  if (!expects.empty()) out += "\n" + expects;
  return out;
}

}  // namespace clean

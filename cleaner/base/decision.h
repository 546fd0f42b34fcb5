// What decided a line: a rule from a rule file, or a named heuristic. The
// classifier emits one Decision per line; the clean text and the report are
// both written from that one stream.
#pragma once
#include <cstdint>
#include <string>
#include <utility>

#include "cleaner/base/line_class.h"

namespace clean {

struct Decider {
  enum class Kind : uint8_t { kSourceRule, kGenericRule, kHeuristic, kContext, kInput, kModel };
  Kind kind = Kind::kHeuristic;
  std::string id;        // rule id ("upi.share") or heuristic name ("heuristic.short-label")
  std::string file;      // rule file as shown to users ("rules/upi.rules"); empty for heuristics
  int line = 0;          // line of the rule in that file
  std::string field;     // report field the rule fills ("date", "byline", "title")
  std::string location;  // "file:line", or the id for heuristics (see Make)
  // "rules/upi.rules:10" for a rule, the id for a heuristic.
  const std::string& where() const { return location; }

  static Decider Make(Kind kind, std::string id, std::string file, int line) {
    Decider d{kind, std::move(id), std::move(file), line, "", ""};
    d.location = d.file.empty() ? d.id : d.file + ":" + std::to_string(line);
    return d;
  }
};

std::string_view DeciderKindName(Decider::Kind k);

// 8 bytes a line: the decider first, no padding between the fields.
struct Decision {
  uint32_t decider = 0;  // index into RuleSet::deciders()
  LineClass cls = LineClass::kBody;
  bool blank = false;        // blank lines are counted, not classified
  bool regex_limit = false;  // a rule's match gave up on this line (PCRE2 limit)
};

}  // namespace clean

#include "tests/conservation.h"

#include <map>
#include <nlohmann/json.hpp>

namespace clean::testing {

namespace {

bool IsTrimmed(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsTrimmed(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsTrimmed(s.back())) s.remove_suffix(1);
  return s;
}

// Calls f(line) for each line; a line ends at '\n' or at a lone '\r' (one
// not followed by '\n'), as the cleaner's pages do. A final line without
// an end counts, an empty remainder after the last end does not.
template <typename F>
void ForEachLine(std::string_view s, F f) {
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = start;
    while (nl < s.size() && s[nl] != '\n' &&
           !(s[nl] == '\r' && (nl + 1 == s.size() || s[nl + 1] != '\n')))
      ++nl;
    f(s.substr(start, nl - start));
    start = nl + 1;
  }
}

std::string Shown(std::string_view line) {
  std::string s(line.substr(0, 80));
  if (line.size() > 80) s += "...";
  return s;
}

}  // namespace

std::string ConservationProblem(const Page& page, std::string_view text,
                                std::string_view report_json) {
  auto report = nlohmann::json::parse(report_json, nullptr, false);
  if (report.is_discarded() || !report.is_object() || !report["removed"].is_array())
    return "the report is not a JSON object with a \"removed\" array";
  std::map<int64_t, std::string> removed;
  for (const auto& r : report["removed"]) {
    int64_t line = r["line"].get<int64_t>();
    if (removed.count(line))
      return "line " + std::to_string(line) + " is listed twice in the report";
    removed[line] = r["text"].get<std::string>();
  }
  std::vector<std::string_view> kept;
  ForEachLine(text, [&](std::string_view l) { kept.push_back(l); });
  size_t k = 0;
  for (size_t i = 0; i < page.lines.size(); ++i) {
    if (page.lines[i].blank()) continue;
    std::string_view line = page.line(i);
    std::string where = "line " + std::to_string(i + 1) + " (" + Shown(line) + ")";
    auto it = removed.find(static_cast<int64_t>(i + 1));
    if (it != removed.end()) {
      if (it->second != line)
        return where + ": the report holds another text: " + Shown(it->second);
      removed.erase(it);
    } else {
      if (k >= kept.size()) return where + ": neither in the clean text nor in the report";
      if (kept[k] != line)
        return where + ": not in the report, and the clean text has " + Shown(kept[k]) +
               " in its place";
      ++k;
    }
  }
  if (k != kept.size()) return "the clean text has lines that are no input line: " + Shown(kept[k]);
  if (!removed.empty())
    return "the report lists line " + std::to_string(removed.begin()->first) +
           ", not an input line";
  return "";
}

std::string KeptLinesProblem(std::string_view raw_input, std::string_view text) {
  if (raw_input.substr(0, 3) == "\xEF\xBB\xBF") raw_input.remove_prefix(3);
  std::vector<std::string_view> input;
  ForEachLine(raw_input, [&](std::string_view l) { input.push_back(Trim(l)); });
  size_t at = 0, n = 0;
  std::string problem;
  ForEachLine(text, [&](std::string_view kept) {
    ++n;
    if (!problem.empty()) return;
    while (at < input.size() && input[at] != kept) ++at;
    if (at == input.size())
      problem = "clean text line " + std::to_string(n) + " (" + Shown(kept) +
                ") is not an input line (trimmed, byte-identical, in order)";
    else
      ++at;
  });
  return problem;
}

}  // namespace clean::testing

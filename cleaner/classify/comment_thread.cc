#include "cleaner/classify/comment_thread.h"

#include <unordered_map>

#include "cleaner/base/options.h"
#include "cleaner/text/page.h"

namespace clean {

namespace {

bool Digit(char c) { return c >= '0' && c <= '9'; }

// "3:14", "08:25PM", "@08:25": digits, ':', two digits.
bool HasTime(std::string_view t) {
  for (size_t i = 1; i + 2 < t.size(); ++i)
    if (t[i] == ':' && Digit(t[i - 1]) && Digit(t[i + 1]) && Digit(t[i + 2])) return true;
  return false;
}

// A run of exactly four digits 19xx or 20xx.
bool HasYear(std::string_view t) {
  for (size_t i = 0; i + 4 <= t.size(); ++i) {
    if (i > 0 && Digit(t[i - 1])) continue;
    if (!(Digit(t[i]) && Digit(t[i + 1]) && Digit(t[i + 2]) && Digit(t[i + 3]))) continue;
    if (i + 4 < t.size() && Digit(t[i + 4])) continue;
    if ((t[i] == '1' && t[i + 1] == '9') || (t[i] == '2' && t[i + 1] == '0')) return true;
  }
  return false;
}

bool Letter(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

}  // namespace

std::string SignatureShape(std::string_view line, int max_tokens, int max_word) {
  // Neither a year nor a time anywhere: no token has one (tokens end at
  // spaces, which neither pattern holds), so no shape. Most lines stop here.
  if (!HasYear(line) && !HasTime(line)) return {};
  std::string shape;
  bool year = false, time = false, word = false;
  int tokens = 0;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size()) break;
    size_t e = i;
    while (e < line.size() && line[e] != ' ' && line[e] != '\t') ++e;
    const std::string_view t = line.substr(i, e - i);
    i = e;
    if (++tokens > max_tokens) return {};
    year = year || HasYear(t);
    time = time || HasTime(t);
    // The token's letters, without the punctuation around them.
    size_t b = 0, z = t.size();
    while (b < z && !Letter(t[b]) && !Digit(t[b]) && static_cast<unsigned char>(t[b]) < 0x80) ++b;
    while (z > b && !Letter(t[z - 1]) && !Digit(t[z - 1]) &&
           static_cast<unsigned char>(t[z - 1]) < 0x80)
      --z;
    std::string_view lead = t.substr(0, b), core = t.substr(b, z - b), tail = t.substr(z);
    bool digits = false;
    for (char c : core) digits = digits || Digit(c);
    std::string_view mark;
    if (digits) mark = "#";
    else if (!core.empty() && ((core[0] >= 'A' && core[0] <= 'Z') ||
                               static_cast<unsigned char>(core[0]) >= 0x80))
      mark = "A";
    else if (core.size() <= static_cast<size_t>(max_word))
      mark = core;
    else
      mark = "a";  // a lowercase name ("greenreader") or a long word
    word = word || (!core.empty() && mark == core);
    // Runs of names, and runs of numbers, are one mark.
    const bool run = lead.empty() && (mark == "A" || mark == "#" || mark == "a") &&
                     shape.size() >= 2 && shape.back() == mark[0] &&
                     shape[shape.size() - 2] == ' ';
    if (!run) {
      if (!shape.empty()) shape += ' ';
      shape.append(lead).append(mark).append(tail);
    } else {
      shape.append(tail);
    }
  }
  // A time alone ("21:22 Frances Watkins") stamps live-blog entries too;
  // a signature has a year, or a lowercase word ("by", "at", "ago").
  return year || (time && word) ? shape : std::string();
}

std::vector<uint8_t> SignatureLines(const Page& page, const LineKind* kinds,
                                    const LineFeatures* features, const Options& o) {
  const size_t n = page.lines.size();
  std::vector<uint8_t> out(n, 0);
  std::vector<std::pair<size_t, std::string>> shapes;  // the lines that have one
  std::unordered_map<std::string, int> count;
  for (size_t i = 0; i < n; ++i) {
    if (kinds[i] == LineKind::kBlank || kinds[i] == LineKind::kProse) continue;
    if (features[i].digits < 3) continue;  // a year has four, a time ("3:14") three
    const std::string_view line = page.line(i);
    if (line.size() > static_cast<size_t>(o.signature_max_chars)) continue;
    std::string shape = SignatureShape(line, o.signature_max_tokens, o.signature_word_max_chars);
    if (shape.empty()) continue;
    ++count[shape];
    shapes.emplace_back(i, std::move(shape));
  }
  for (const auto& [i, shape] : shapes)
    if (count[shape] >= o.record_list_min) out[i] = 1;
  return out;
}

}  // namespace clean

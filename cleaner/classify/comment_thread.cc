#include "cleaner/classify/comment_thread.h"

#include <algorithm>

#include "cleaner/base/options.h"
#include "cleaner/text/page.h"

namespace clean {

namespace {

bool Digit(char c) { return c >= '0' && c <= '9'; }

// What a line holds of a signature's stamps: a year (a run of exactly four
// digits 19xx or 20xx) and a time ("3:14", "08:25PM", "@08:25": digits,
// ':', two digits). Neither pattern holds a space, so a line has one when
// one of its tokens has it: the tokens need no look of their own.
struct Stamps {
  bool year = false, time = false;
};

// One pass over the line's runs of digits.
Stamps FindStamps(std::string_view t) {
  Stamps s;
  const size_t n = t.size();
  for (size_t i = 0; i < n;) {
    if (!Digit(t[i])) {
      ++i;
      continue;
    }
    size_t e = i + 1;
    while (e < n && Digit(t[e])) ++e;
    if (e - i == 4 && ((t[i] == '1' && t[i + 1] == '9') || (t[i] == '2' && t[i + 1] == '0')))
      s.year = true;
    if (e + 2 < n && t[e] == ':' && Digit(t[e + 1]) && Digit(t[e + 2])) s.time = true;
    if (s.year && s.time) break;
    i = e;
  }
  return s;
}

bool Letter(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

// Appends the line's shape (SignatureShape) to *out and returns true, or
// returns false with *out as it was.
bool AppendShape(std::string_view line, int max_tokens, int max_word, std::string* out) {
  // Neither a year nor a time: no shape. Most lines stop here.
  const Stamps stamps = FindStamps(line);
  if (!stamps.year && !stamps.time) return false;
  // A shape is never longer than its line (each token's mark is at most
  // its letters, and tokens are apart by a space or a tab at least): it is
  // written into room for the line made once.
  const size_t start = out->size();
  out->resize(start + line.size());
  char* const shape = out->data() + start;
  char* w = shape;  // the shape's end
  auto put = [&](std::string_view v) { w = std::copy(v.begin(), v.end(), w); };
  bool word = false;
  int tokens = 0;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size()) break;
    // The token's end, and whether it has a digit (its letters do then:
    // the punctuation around them has none).
    size_t e = i;
    bool digits = false;
    for (; e < line.size() && line[e] != ' ' && line[e] != '\t'; ++e)
      digits = digits || Digit(line[e]);
    const std::string_view t = line.substr(i, e - i);
    i = e;
    if (++tokens > max_tokens) break;
    // The token's letters, without the punctuation around them.
    size_t b = 0, z = t.size();
    while (b < z && !Letter(t[b]) && !Digit(t[b]) && static_cast<unsigned char>(t[b]) < 0x80) ++b;
    while (z > b && !Letter(t[z - 1]) && !Digit(t[z - 1]) &&
           static_cast<unsigned char>(t[z - 1]) < 0x80)
      --z;
    std::string_view lead = t.substr(0, b), core = t.substr(b, z - b), tail = t.substr(z);
    std::string_view mark;
    if (digits)
      mark = "#";
    else if (!core.empty() &&
             ((core[0] >= 'A' && core[0] <= 'Z') || static_cast<unsigned char>(core[0]) >= 0x80))
      mark = "A";
    else if (core.size() <= static_cast<size_t>(max_word))
      mark = core;
    else
      mark = "a";  // a lowercase name ("greenreader") or a long word
    word = word || (!core.empty() && mark == core);
    // Runs of names, and runs of numbers, are one mark.
    const bool run = lead.empty() && (mark == "A" || mark == "#" || mark == "a") &&
                     w - shape >= 2 && w[-1] == mark[0] && w[-2] == ' ';
    if (!run) {
      if (w != shape) *w++ = ' ';
      put(lead);
      put(mark);
    }
    put(tail);
  }
  // A time alone ("21:22 Frances Watkins") stamps live-blog entries too;
  // a signature has a year, or a lowercase word ("by", "at", "ago").
  const bool signature = tokens <= max_tokens && (stamps.year || (stamps.time && word));
  out->resize(signature ? static_cast<size_t>(w - out->data()) : start);
  return signature;
}

}  // namespace

std::string SignatureShape(std::string_view line, int max_tokens, int max_word) {
  std::string shape;
  AppendShape(line, max_tokens, max_word, &shape);
  return shape;
}

std::vector<uint8_t> SignatureLines(const Page& page, const LineKind* kinds,
                                    const LineFeatures* features, const Options& o) {
  const size_t n = page.lines.size();
  std::vector<uint8_t> out(n, 0);
  // The shapes of the lines that have one, end to end in one text, and
  // per such line its index and its shape's end there; kept per thread.
  struct Shaped {
    uint32_t line, begin, end;
  };
  thread_local std::string text;
  thread_local std::vector<Shaped> shaped;
  text.clear();
  shaped.clear();
  for (size_t i = 0; i < n; ++i) {
    if (kinds[i] == LineKind::kBlank || kinds[i] == LineKind::kProse) continue;
    if (features[i].digits < 3) continue;  // a year has four, a time ("3:14") three
    const std::string_view line = page.line(i);
    if (line.size() > static_cast<size_t>(o.signature_max_chars)) continue;
    const size_t begin = text.size();
    if (!AppendShape(line, o.signature_max_tokens, o.signature_word_max_chars, &text)) continue;
    shaped.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(begin),
                      static_cast<uint32_t>(text.size())});
  }
  // Equal shapes side by side; a run of at least record_list_min marks its lines.
  auto shape = [&](const Shaped& s) {
    return std::string_view(text).substr(s.begin, s.end - s.begin);
  };
  std::sort(shaped.begin(), shaped.end(),
            [&](const Shaped& a, const Shaped& b) { return shape(a) < shape(b); });
  const auto min = static_cast<size_t>(std::max(o.record_list_min, 0));
  for (size_t k = 0; k < shaped.size();) {
    size_t e = k + 1;
    while (e < shaped.size() && shape(shaped[e]) == shape(shaped[k])) ++e;
    if (e - k >= min)
      for (size_t j = k; j < e; ++j) out[shaped[j].line] = 1;
    k = e;
  }
  return out;
}

}  // namespace clean

#include "cleaner/learn/learn_vocab.h"

#include <fstream>
#include <sstream>

#include "cleaner/base/text_util.h"

namespace clean {

namespace {

// The words of `s` separated by ASCII whitespace, with their columns.
template <typename F>
void ForEachWord(std::string_view s, F&& f) {
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && IsAsciiSpace(static_cast<unsigned char>(s[i]))) ++i;
    size_t j = i;
    while (j < s.size() && !IsAsciiSpace(static_cast<unsigned char>(s[j]))) ++j;
    if (j > i) f(s.substr(i, j - i), i + 1);
    i = j;
  }
}

bool IsWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

}  // namespace

void LearnVocabulary::Load(const std::string& path, const std::string& shown, Diagnostics* diags) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return;
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  int line_no = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    ++line_no;
    std::string_view body(line);
    if (size_t hash = body.find('#');
        hash != std::string_view::npos && (hash == 0 || IsAsciiSpace(body[hash - 1])))
      body = body.substr(0, hash);
    std::string keyword;
    std::optional<LineClass> cls;
    bool bad = false;
    ForEachWord(body, [&](std::string_view w, size_t col) {
      if (bad) return;
      if (keyword.empty()) {
        keyword = std::string(w);
        if (keyword != "suffix" && keyword != "month" && keyword != "weekday") {
          cls = ParseClass(keyword);
          if (!cls) {
            diags->items.push_back(
                {shown, line_no, static_cast<int>(col), false,
                 "unknown keyword '" + keyword + "' (suffix, month, weekday or a class)", line});
            bad = true;
          }
        }
        return;
      }
      if (keyword == "month" || keyword == "weekday") {  // as written: case counts
        dates_.Add(keyword == "month", std::string(w));
        return;
      }
      std::string lower;
      Utf8Lower(w, &lower);
      if (cls)
        words_.emplace(lower, *cls);
      else
        suffixes_.insert(lower);
    });
  }
}

std::string LearnVocabulary::RegisteredDomain(std::string_view host) const {
  std::string h;
  Utf8Lower(host, &h);
  while (!h.empty() && h.back() == '.') h.pop_back();
  bool numeric = !h.empty();
  for (char c : h) numeric = numeric && ((c >= '0' && c <= '9') || c == '.');
  if (numeric) return h;
  auto label_start = [&h](size_t labels) -> size_t {  // start of the last `labels` labels
    size_t pos = h.size();
    for (size_t i = 0; i < labels; ++i) {
      size_t dot = pos == 0 ? std::string::npos : h.rfind('.', pos - 1);
      if (dot == std::string::npos) return 0;
      pos = dot;
    }
    return pos + 1;
  };
  size_t two = label_start(2);
  if (two == 0) return h;
  if (suffixes_.count(h.substr(two))) return h.substr(label_start(3));
  return h.substr(two);
}

std::optional<LineClass> LearnVocabulary::ClassOf(std::string_view line) const {
  if (words_.empty()) return std::nullopt;
  std::string lower;
  Utf8Lower(line, &lower);
  size_t i = 0;
  while (i < lower.size()) {
    while (i < lower.size() && !IsWordByte(lower[i]) && lower[i] != '\xC2') ++i;
    size_t j = i;
    if (j + 1 < lower.size() && lower[j] == '\xC2' && lower[j + 1] == '\xA9') {
      j += 2;  // "©" is a word of its own
    } else {
      while (j < lower.size() && IsWordByte(lower[j]) &&
             !(lower[j] == '\xC2' && j + 1 < lower.size() && lower[j + 1] == '\xA9'))
        ++j;
    }
    if (j == i) {
      ++i;
      continue;
    }
    auto it = words_.find(lower.substr(i, j - i));
    if (it != words_.end()) return it->second;
    i = j;
  }
  return std::nullopt;
}

}  // namespace clean

#include "cleaner/ruleset/dom_vocab.h"

#include <fstream>
#include <sstream>

namespace clean {

namespace {
std::string Lower(std::string s) {
  for (char& c : s) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  return s;
}
}  // namespace

// Whether the word starts with a taxonomy prefix followed by '-' or '_'
// ("category-ads", "entry-author-jane"): its parts are a value, not a role.
bool DomVocabulary::Taxonomy(std::string_view word) const {
  if (taxonomy_.empty()) return false;
  for (size_t q = word.find_first_of("-_"); q != std::string_view::npos;
       q = word.find_first_of("-_", q + 1))
    if (q + 1 < word.size() && taxonomy_.count(Lower(std::string(word.substr(0, q))))) return true;
  return false;
}

void DomVocabulary::Load(const std::string& path, const std::string& shown, Diagnostics* diags) {
  tokens_.clear();
  taxonomy_.clear();
  shown_ = shown;
  std::ifstream in(path, std::ios::binary);
  if (!in) return;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    std::string text = line;
    size_t hash = line.find('#');
    if (hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::string cls_name, token;
    if (!(words >> cls_name)) continue;
    if (cls_name == "taxonomy") {  // prefixes of class words that carry a value
      while (words >> token) taxonomy_.insert(Lower(token));
      continue;
    }
    auto cls = ParseClass(cls_name);
    if (!cls) {
      diags->items.push_back({shown, line_no, static_cast<int>(text.find(cls_name)) + 1, false,
                              "unknown class '" + cls_name +
                                  "' (body, title, meta, headline_list, navigation, caption, ad;"
                                  " or taxonomy)",
                              text});
      continue;
    }
    while (words >> token) tokens_.emplace(Lower(token), Entry{*cls, line_no});
  }
}

const DomVocabulary::Entry* DomVocabulary::Lookup(std::string_view t) const {
  if (t.empty() || t.size() > 64) return nullptr;
  char buf[64];
  for (size_t i = 0; i < t.size(); ++i)
    buf[i] = (t[i] >= 'A' && t[i] <= 'Z') ? static_cast<char>(t[i] + 32) : t[i];
  auto it = tokens_.find(std::string(buf, t.size()));
  if (it == tokens_.end()) return nullptr;
  return &it->second;
}

std::optional<VocabMatch> DomVocabulary::Match(std::string_view v) const {
  if (tokens_.empty()) return std::nullopt;
  size_t i = 0;
  while (i < v.size()) {
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t' || v[i] == '\n')) ++i;
    size_t e = i;
    while (e < v.size() && v[e] != ' ' && v[e] != '\t' && v[e] != '\n') ++e;
    std::string_view word = v.substr(i, e - i);
    if (const Entry* c = Lookup(word)) return VocabMatch{c->cls, c->line, word};
    if (Taxonomy(word)) {
      i = e;
      continue;
    }
    size_t p = 0;
    while (p < word.size()) {
      size_t q = word.find_first_of("-_", p);
      if (q == std::string_view::npos) q = word.size();
      if (q - p < word.size())
        if (const Entry* c = Lookup(word.substr(p, q - p)))
          return VocabMatch{c->cls, c->line, word};
      p = q + 1;
    }
    i = e;
  }
  return std::nullopt;
}

}  // namespace clean

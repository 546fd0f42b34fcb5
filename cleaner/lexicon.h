// Stop-word lists shipped as data (rules/stopwords/<lang>.txt), looked up
// without allocating: one table maps a lower-cased word to the set of
// languages whose list holds it.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cleaner/diagnostics.h"

namespace clean {

inline constexpr int kMaxLanguages = 16;
using LangMask = uint16_t;

class Lexicon {
 public:
  // Loads every *.txt in dir (one word per line, '#' comments). Problems go
  // to *diags.
  bool Load(const std::string& dir, Diagnostics* diags);

  // Languages (bit i = languages()[i]) whose list holds `lower_word`.
  LangMask Lookup(std::string_view lower_word) const {
    auto it = words_.find(lower_word);
    return it == words_.end() ? 0 : it->second;
  }
  const std::vector<std::string>& languages() const { return languages_; }
  size_t max_word_bytes() const { return max_word_bytes_; }

 private:
  std::vector<std::string> languages_;
  std::vector<std::string> storage_;  // owns the words the map's keys view
  std::unordered_map<std::string_view, LangMask> words_;
  size_t max_word_bytes_ = 0;
};

}  // namespace clean

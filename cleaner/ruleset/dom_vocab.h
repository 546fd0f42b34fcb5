// The boilerplate vocabulary of the HTML path, loaded as data from
// rules/dom/boilerplate.txt: class/id tokens and ARIA roles that mark a
// subtree as navigation, a headline list, an ad, ... Format: one class per
// line followed by its tokens, '#' comments:
//   navigation  nav menu breadcrumb share social
// A class attribute "related-stories__list" is looked up whole and by its
// parts split at '-', '_' and spaces ("related", "stories", "list"). A
// `taxonomy` line lists prefixes of class words that carry a value (a
// post's category, tag or author: "category-ads", "entry-author-jane"):
// such a word is looked up whole only.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "cleaner/base/diagnostics.h"
#include "cleaner/base/line_class.h"

namespace clean {

// What Match found: the class, the vocabulary line that named it, and the
// whitespace-separated word of the attribute value that held the token.
struct VocabMatch {
  LineClass cls;
  int line;               // line of the token in the vocabulary file
  std::string_view word;  // a view into the value given to Match
};

class DomVocabulary {
 public:
  // Loads `path`; a missing file leaves the vocabulary empty. Errors (an
  // unknown class) go to *diags with file:line:col.
  void Load(const std::string& path, const std::string& shown, Diagnostics* diags);
  // The class of a class/id attribute value or role, if any of its tokens
  // is in the vocabulary (the first token found wins).
  std::optional<VocabMatch> Match(std::string_view attribute_value) const;
  bool empty() const { return tokens_.empty(); }
  // The file as shown to users ("rules/dom/boilerplate.txt").
  const std::string& shown() const { return shown_; }

 private:
  struct Entry {
    LineClass cls;
    int line;
  };
  const Entry* Lookup(std::string_view lower_token) const;
  bool Taxonomy(std::string_view word) const;
  std::unordered_map<std::string, Entry> tokens_;
  std::unordered_set<std::string> taxonomy_;
  std::string shown_;
};

}  // namespace clean

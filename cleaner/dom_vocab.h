// The boilerplate vocabulary of the HTML path, loaded as data from
// rules/dom/boilerplate.txt: class/id tokens and ARIA roles that mark a
// subtree as navigation, a headline list, an ad, ... Format: one class per
// line followed by its tokens, '#' comments:
//   navigation  nav menu breadcrumb share social
// A class attribute "related-stories__list" is looked up whole and by its
// parts split at '-', '_' and spaces ("related", "stories", "list").
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "cleaner/diagnostics.h"
#include "cleaner/line_class.h"

namespace clean {

class DomVocabulary {
 public:
  // Loads `path`; a missing file leaves the vocabulary empty. Errors (an
  // unknown class) go to *diags with file:line:col.
  void Load(const std::string& path, const std::string& shown, Diagnostics* diags);
  // The class of a class/id attribute value or role, if any of its tokens
  // is in the vocabulary (the first token found wins).
  std::optional<LineClass> Match(std::string_view attribute_value) const;
  bool empty() const { return tokens_.empty(); }

 private:
  std::optional<LineClass> Lookup(std::string_view lower_token) const;
  std::unordered_map<std::string, LineClass> tokens_;
};

}  // namespace clean

// The vocabulary of `clean learn`, loaded as data from
// rules/learn/vocabulary.txt: the two-label public suffixes that decide a
// host's registered domain (its source), and words that give a learned
// line a class (ad, meta) whatever its position. Format: a keyword
// (`suffix` or a class) then words, '#' comments:
//   suffix  co.uk com.au
//   ad      advertisement sponsored
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "cleaner/learn/line_key.h"
#include "cleaner/base/diagnostics.h"
#include "cleaner/base/line_class.h"

namespace clean {

class LearnVocabulary {
 public:
  // Loads `path`; a missing file leaves the vocabulary empty (hosts are
  // then grouped by their last two labels). Errors (an unknown keyword or
  // class) go to *diags with file:line:col.
  void Load(const std::string& path, const std::string& shown, Diagnostics* diags);
  // The registered domain of a host: lower-cased, without a trailing dot,
  // its last two labels, or three when the last two are a listed suffix
  // ("news.bbc.co.uk" -> "bbc.co.uk"); an IPv4 address or a one-label host
  // as it is. Empty for an empty host.
  std::string RegisteredDomain(std::string_view host) const;
  // The class the vocabulary gives a line (its first word found in a class
  // list, words compared lower-cased), if any.
  std::optional<LineClass> ClassOf(std::string_view line) const;
  // The month and weekday names line keys mask (`month`, `weekday` lines).
  const DateWords& date_words() const { return dates_; }

 private:
  std::unordered_set<std::string> suffixes_;
  std::unordered_map<std::string, LineClass> words_;
  DateWords dates_;
};

}  // namespace clean

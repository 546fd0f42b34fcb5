// A line's learning key: what makes two lines "the same line up to digits
// and dates". The key is the line with every run of ASCII digits replaced
// by one digit marker and every month or weekday name of DateWords (a
// whole word, as written there: no ASCII letter on either side) by a month
// or weekday marker; "© 2024 Foo" and "© 2025 Foo" share a key, as do "12 comments"
// and "3 comments". KeyRegex turns a key back into a rule regex that
// matches exactly the lines of that key.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace clean {

// The month and weekday names a key masks (rules/learn/vocabulary.txt,
// `month` and `weekday` lines; learn_vocab.h), compared case-sensitively.
struct DateWords {
  std::vector<std::string> months, weekdays;
  // The bytes some name starts with: a word starting otherwise (most
  // words: lower-case) is no name, without a look at the lists.
  std::array<bool, 256> first{};
  void Add(bool month, std::string word) {
    if (word.empty()) return;
    first[static_cast<unsigned char>(word[0])] = true;
    (month ? months : weekdays).push_back(std::move(word));
  }
};

// Writes the key of `line` (trimmed, valid UTF-8) to *key; *marked (when
// given) says whether it holds a marker. False when the line cannot be
// learned: it is empty or holds a control byte (other than a tab), which a
// rule file's quoted text could not show.
bool MakeLineKey(std::string_view line, const DateWords& dates, std::string* key,
                 bool* marked = nullptr);

// Whether a key holds a marker (lines of it may differ from one another).
bool KeyHasMarker(std::string_view key);

// A 64-bit hash of a key or a line, for the line table. The learned files
// never depend on its values (rules are ordered by place and text), only
// on which lines it tells apart.
uint64_t LineHash(std::string_view s);

// The regex (the text between a rule's slashes, '/' escaped) of `key`:
// anchored at both ends, markers as \d+ and the month and weekday names.
std::string KeyRegex(std::string_view key, const DateWords& dates);

// `text` as a rule file's quoted exact text ("..." with '"' and '\' escaped).
std::string QuoteExact(std::string_view text);

}  // namespace clean

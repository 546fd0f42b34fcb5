// Stop-word lists shipped as data (rules/stopwords/<lang>.txt), looked up
// without allocating: one open-addressing table maps a lower-cased word to
// the set of languages whose list holds it.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
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
    return Find(Head(lower_word), lower_word.data(), lower_word.size());
  }
  // The same for a word at p[0, n) followed by at least 8 - n readable
  // bytes (the features' word buffer): no variable-length copy.
  LangMask LookupPadded(const char* p, size_t n) const {
    uint64_t head;
    std::memcpy(&head, p, 8);
    if (n < 8) head &= (uint64_t{1} << (8 * n)) - 1;
    return Find(head, p, n);
  }
  const std::vector<std::string>& languages() const { return languages_; }
  size_t max_word_bytes() const { return max_word_bytes_; }

 private:
  // A slot holds a word's first eight bytes (zero-padded) as `head`: most
  // stop words fit, so a hit costs one slot read and one comparison.
  static uint64_t Head(std::string_view w) {
    uint64_t head = 0;
    std::memcpy(&head, w.data(), w.size() < 8 ? w.size() : 8);
    return head;
  }
  LangMask Find(uint64_t head, const char* p, size_t n) const {
    for (uint32_t i = SlotOf(head, n);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.len == 0) return 0;
      if (s.head == head && s.len == n &&
          (n <= 8 || std::memcmp(words_.data() + s.word + 8, p + 8, n - 8) == 0))
        return s.langs;
    }
  }
  uint32_t SlotOf(uint64_t head, size_t n) const {
    uint64_t h = (head ^ (n << 56)) * 0x9E3779B97F4A7C15ull;
    return static_cast<uint32_t>(h >> 40) & mask_;
  }
  std::vector<std::string> languages_;
  // Open addressing, at most half full; len 0 marks an empty slot.
  struct Slot {
    uint64_t head = 0;
    uint32_t word = 0;  // offset of the word's bytes in words_
    uint16_t len = 0;
    LangMask langs = 0;
  };
  std::string words_;  // every word's bytes, back to back
  std::vector<Slot> slots_;
  uint32_t mask_ = 0;
  size_t max_word_bytes_ = 0;
};

}  // namespace clean

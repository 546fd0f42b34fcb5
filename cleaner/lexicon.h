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
    return Lookup(lower_word, Hash(lower_word));
  }
  // The same with the word's Hash, computed by the caller as it goes.
  LangMask Lookup(std::string_view lower_word, uint32_t hash) const {
    for (uint32_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.len == 0) return 0;
      if (s.hash == hash && s.len == lower_word.size() &&
          std::memcmp(storage_[s.word].data(), lower_word.data(), s.len) == 0)
        return s.langs;
    }
  }
  // FNV-1a over the bytes; HashStep extends it by one byte.
  static constexpr uint32_t kHashSeed = 2166136261u;
  static uint32_t HashStep(uint32_t h, unsigned char c) { return (h ^ c) * 16777619u; }
  static uint32_t Hash(std::string_view w) {
    uint32_t h = kHashSeed;
    for (unsigned char c : w) h = HashStep(h, c);
    return h;
  }
  const std::vector<std::string>& languages() const { return languages_; }
  size_t max_word_bytes() const { return max_word_bytes_; }

 private:
  std::vector<std::string> languages_;
  // Open addressing, at most half full; len 0 marks an empty slot.
  struct Slot {
    uint32_t hash = 0;
    uint32_t word = 0;  // index into storage_
    uint16_t len = 0;
    LangMask langs = 0;
  };
  std::vector<std::string> storage_;
  std::vector<Slot> slots_;
  uint32_t mask_ = 0;
  size_t max_word_bytes_ = 0;
};

}  // namespace clean

// Stop-word lists shipped as data (rules/stopwords/<lang>.txt), looked up
// without allocating: a lower-cased word maps to the set of languages whose
// list holds it.
//
// Words of up to 16 bytes (every shipped stop word) sit in a minimal-probe
// table: a hash picks a bucket, the bucket's displacement (chosen when the
// lists load) picks the one slot that can hold the word, and one 16-byte
// comparison decides; no loop, no branch. Longer words (and words holding a
// NUL byte, which a line's word never does) are kept sorted on the side.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cleaner/diagnostics.h"

namespace clean {

inline constexpr int kMaxLanguages = 16;
using LangMask = uint16_t;

class Lexicon {
 public:
  // The longest word the short table holds.
  static constexpr size_t kShortBytes = 16;

  // Loads every *.txt in dir (one word per line, '#' comments). Problems go
  // to *diags.
  bool Load(const std::string& dir, Diagnostics* diags);

  // Languages (bit i = languages()[i]) whose list holds `lower_word`.
  LangMask Lookup(std::string_view lower_word) const;

  // The short table: a word of 1..16 bytes with no NUL byte, given as its
  // bytes zero-padded to 16 and loaded little-endian (lo = bytes 0-7, hi =
  // bytes 8-15). A slot holds a word and its languages as one byte each
  // (what a line's per-language counters add), in 32 aligned bytes.
  struct alignas(32) Slot {
    uint64_t lo = 0, hi = 0;              // all zero: empty (no word is)
    uint8_t langs[kMaxLanguages] = {};  // 1: that language's list holds it
  };
  // The table as plain values, so that a loop can keep them in registers.
  struct ShortTable {
    const Slot* slots;
    const uint32_t* disp;  // per bucket
    uint64_t seed;
    uint32_t mask, bucket_shift, slot_shift;
    // Top bits pick the bucket, the bits below them the slot before the
    // bucket's displacement.
    static uint64_t Hash(uint64_t lo, uint64_t hi, uint64_t seed) {
      return (((lo ^ seed) * 0x9E3779B97F4A7C15ull) ^ hi) * 0xD6E8FEB86659FD93ull;
    }
    uint32_t SlotOf(uint64_t h) const {
      return (static_cast<uint32_t>(h >> slot_shift) ^ disp[h >> bucket_shift]) & mask;
    }
    // The one slot that can hold the word (compare its key).
    const Slot& Candidate(uint64_t lo, uint64_t hi) const {
      return slots[SlotOf(Hash(lo, hi, seed))];
    }
    LangMask Lookup(uint64_t lo, uint64_t hi) const;
  };
  ShortTable short_table() const {
    return {slots_.data(), disp_.data(), seed_, mask_, bucket_shift_, slot_shift_};
  }

  const std::vector<std::string>& languages() const { return languages_; }
  size_t max_word_bytes() const { return max_word_bytes_; }

 private:
  struct Key {
    uint64_t lo = 0, hi = 0;
  };
  // Builds the short table for `words` (distinct keys); false when this
  // seed and size leave two words no distinct slots.
  bool BuildShort(const std::vector<std::pair<Key, LangMask>>& words, uint64_t seed,
                  uint32_t slots);

  std::vector<std::string> languages_;
  // The short table: slots_, disp_ per bucket.
  std::vector<Slot> slots_{Slot()};
  std::vector<uint32_t> disp_{0, 0};
  uint64_t seed_ = 0;
  uint32_t mask_ = 0;
  uint32_t bucket_shift_ = 63, slot_shift_ = 0;
  // Words the short table cannot hold, sorted by their bytes.
  std::vector<std::pair<std::string, LangMask>> long_;
  size_t max_word_bytes_ = 0;
};

}  // namespace clean

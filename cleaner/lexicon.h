// Stop-word lists shipped as data (rules/stopwords/<lang>.txt), looked up
// without allocating: a lower-cased word maps to the set of languages whose
// list holds it.
//
// Words of up to 16 bytes (every shipped stop word) sit in a minimal-probe
// table: a hash picks a bucket, the bucket's displacement (chosen when the
// lists load) picks the one slot that can hold the word, and one 16-byte
// comparison decides; no loop, no branch. Each bucket also holds a 32-bit
// filter (a bit set per word of the bucket, picked by other bits of the
// hash), in the same 8 bytes as its displacement: a word whose bit is not
// set is in no list, and its lookup reads slot 0, which is always empty,
// instead of its own. Most words of a text that are not stop words
// are ruled out this way without touching the slots (128 KB for the shipped
// lists, more than a level-1 cache), and the stop words' slots are few and
// stay cached. Longer words (and words holding a NUL byte, which a line's
// word never does) are kept sorted on the side.
#pragma once
#include <bit>
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

  // Languages (bit i = languages()[i]) whose list holds `lower_word` (the
  // short table read without its filter).
  LangMask Lookup(std::string_view lower_word) const;
  // The same through the short table's filter (as the features look up).
  LangMask LookupFiltered(std::string_view lower_word) const;
  // The words of the short table (tests).
  std::vector<std::string> ShortWords() const;

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
    const Slot* slots;       // slots[0] is always empty
    // Per bucket: its words' filter bits (low 32) and its displacement, as
    // a byte offset like the slots' (high 32).
    const uint64_t* buckets;
    // XORed into the key's halves, lo's first: side by side, so that code
    // holding the key in a vector register XORs both at once.
    uint64_t seeds[2];
    uint32_t offset_mask;    // (slots - 1) * sizeof(Slot): a slot's byte offset
    uint32_t bucket_shift;
    // The 128-bit product of the key's halves, each XORed with a seed,
    // folded to 64 bits: one multiply (MULX), every bit of the hash hangs
    // on every bit of the key, and which words share a bucket changes
    // with the seeds. (Two 64-bit multiplies in a row cost two more
    // instructions a word and a longer chain.) Each seed has a 0xFF byte,
    // which UTF-8 never has: neither factor is ever zero.
    static uint64_t Hash(uint64_t lo, uint64_t hi, uint64_t lo_seed, uint64_t hi_seed) {
      return Fold(lo ^ lo_seed, hi ^ hi_seed);
    }
    uint64_t HashOf(uint64_t lo, uint64_t hi) const { return Hash(lo, hi, seeds[0], seeds[1]); }
    // The high and low halves of the 128-bit product a * b, XORed.
    static uint64_t Fold(uint64_t a, uint64_t b) {
#ifdef __SIZEOF_INT128__
      const unsigned __int128 p = static_cast<unsigned __int128>(a) * b;
      return static_cast<uint64_t>(p >> 64) ^ static_cast<uint64_t>(p);
#else
      const uint64_t al = a & 0xFFFFFFFFu, ah = a >> 32, bl = b & 0xFFFFFFFFu, bh = b >> 32;
      const uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
      const uint64_t mid = (ll >> 32) + (lh & 0xFFFFFFFFu) + (hl & 0xFFFFFFFFu);
      const uint64_t low = (mid << 32) | (ll & 0xFFFFFFFFu);
      const uint64_t high = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
      return high ^ low;
#endif
    }
    // Top bits pick the bucket; bits 27-31 the word's filter bit (one bit,
    // not two: 5 fewer instructions a word for 6% of the words of no list
    // let by instead of 2%, which measured faster), and the bits above them
    // the slot before the bucket's displacement. So h >> 27 is the filter
    // bit (its low 5 bits) and the slot's byte offset (a slot is 32 bytes)
    // at once, and the displacement is kept as an offset too: the slot's
    // address takes one shift, one XOR and one AND of the hash.
    static_assert(sizeof(Slot) == 32);
    // What a filtered-out word's offset is set from (hidden: read
    // straight from its address, not through the symbol table, in a shared
    // library too).
    [[gnu::visibility("hidden")]] static constexpr uint64_t kZero = 0;
    // The word's filter bit (0..31): a bucket's filter holds the bits of
    // its words.
    static uint32_t FilterBit(uint64_t h) { return static_cast<uint32_t>(h >> 27) & 31; }
    static uint32_t FilterBits(uint64_t h) { return uint32_t{1} << FilterBit(h); }
    // The bucket b's filter lets the word of hash h through.
    static bool Passes(uint64_t h, uint64_t b) {
      return (static_cast<uint32_t>(b) >> FilterBit(h)) & 1;
    }
    // The byte offset of the one slot that can hold the word of hash h
    // (unfiltered), given its bucket b. (The displacement rotated down,
    // not shifted: the compiler then takes it with one RORX, no copy.)
    uint32_t OffsetOf(uint64_t h, uint64_t b) const {
      return (static_cast<uint32_t>(h >> 27) ^ static_cast<uint32_t>(std::rotr(b, 32))) &
             offset_mask;
    }
    // The one slot that can hold the word of hash h (unfiltered).
    uint32_t SlotOf(uint64_t h) const {
      return OffsetOf(h, buckets[h >> bucket_shift]) / sizeof(Slot);
    }
    // The bucket's filter lets the word of hash h through (every word of
    // the table passes; most others do not).
    bool MayHold(uint64_t h) const { return Passes(h, buckets[h >> bucket_shift]); }
    // OffsetOf(h) when the filter lets the word through, else 0 (the empty
    // slot); without a branch (whether a word passes is as hard to predict
    // as whether it is a stop word). On x86-64 a bit test and a
    // conditional move, in asm: the compiler branches on the bit.
    uint64_t FilteredOffsetOf(uint64_t h) const {
      const uint64_t b = buckets[h >> bucket_shift];
      uint64_t offset = OffsetOf(h, b);
#if defined(__x86_64__) && defined(__GNUC__)
      // BT of a 32-bit register takes the bit number modulo 32: FilterBit.
      asm("bt %[bit], %[filter]\n\tcmovnc %[zero], %[offset]"
          : [offset] "+r"(offset)
          : [filter] "r"(static_cast<uint32_t>(b)), [bit] "r"(static_cast<uint32_t>(h >> 27)), [zero] "m"(kZero)
          : "cc");
#else
      offset &= 0 - static_cast<uint64_t>(Passes(h, b));
#endif
      return offset;
    }
    uint32_t FilteredSlotOf(uint64_t h) const {
      return static_cast<uint32_t>(FilteredOffsetOf(h) / sizeof(Slot));
    }
    // The one slot whose key can be the word (compare it): its own slot,
    // or slot 0 (empty) when the filter rules the word out.
    const Slot& Candidate(uint64_t lo, uint64_t hi) const { return CandidateOf(HashOf(lo, hi)); }
    // The same given the word's hash.
    const Slot& CandidateOf(uint64_t h) const {
      return *reinterpret_cast<const Slot*>(reinterpret_cast<const char*>(slots) +
                                            FilteredOffsetOf(h));
    }
    // Through Candidate (filtered).
    LangMask Lookup(uint64_t lo, uint64_t hi) const;
    // The word's own slot, with no filter (what the filter must agree with).
    LangMask LookupUnfiltered(uint64_t lo, uint64_t hi) const;
  };
  ShortTable short_table() const {
    return {slots_.data(), buckets_.data(), {lo_seed_, hi_seed_}, offset_mask_, bucket_shift_};
  }

  const std::vector<std::string>& languages() const { return languages_; }
  size_t max_word_bytes() const { return max_word_bytes_; }

 private:
  struct Key {
    uint64_t lo = 0, hi = 0;
  };
  // Builds the short table for `words` (distinct keys); false when these
  // seeds and size leave two words no distinct slots.
  bool BuildShort(const std::vector<std::pair<Key, LangMask>>& words, uint64_t lo_seed,
                  uint64_t hi_seed, uint32_t slots);

  std::vector<std::string> languages_;
  // The short table: slots_, buckets_ (filter and displacement).
  std::vector<Slot> slots_{Slot()};
  std::vector<uint64_t> buckets_{0, 0};
  uint64_t lo_seed_ = 0, hi_seed_ = 0;
  uint32_t offset_mask_ = 0;
  uint32_t bucket_shift_ = 63;
  // Words the short table cannot hold, sorted by their bytes.
  std::vector<std::pair<std::string, LangMask>> long_;
  size_t max_word_bytes_ = 0;
};

}  // namespace clean

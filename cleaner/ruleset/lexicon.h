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
// set is in no list, and its lookup reads an empty slot kept for it
// instead of its own. Most words of a text that are not stop words
// are ruled out this way without touching the slots (128 KB for the shipped
// lists, more than a level-1 cache), and the stop words' slots are few and
// stay cached. Longer words (and words holding a NUL byte, which a line's
// word never does) are kept sorted on the side.
#pragma once
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cleaner/base/diagnostics.h"

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
    uint64_t lo = 0, hi = 0;            // all zero: empty (no word is)
    uint8_t langs[kMaxLanguages] = {};  // 1: that language's list holds it
  };
  // The short table, in one block read from one pointer (the word loop
  // keeps one register for it, where it kept five fields and ran short):
  //   base - 32  the seeds, the offset mask and the bucket shift;
  //   base       an empty slot, the one a word the filter rules out reads;
  //   base + 32  the buckets, 8 bytes each: the filter bits of their words
  //              (low 32) and their displacement (high 32);
  //   base + S   the slots, S bytes of them (S a power of two).
  // A displacement is kept as a byte offset with S's bit set: XORed with
  // the slot bits of a word's hash (a byte offset below S), it is the
  // offset of the word's slot from base at once.
  struct ShortTable {
    const char* base;
    // The header's bucket shift, as a value: a copy the word loop keeps in
    // a register (SHRX takes its count from one; read through base, it was
    // loaded again for every word).
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
    uint64_t HashOf(uint64_t lo, uint64_t hi) const { return Hash(lo, hi, Seed(0), Seed(1)); }
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
    // The header, from base - 32: the seeds XORed into the key's halves
    // (lo's first: side by side, so that code holding the key in a vector
    // register XORs both at once), then the offset mask and the shift.
    static constexpr std::ptrdiff_t kSeedsAt = -32, kOffsetMaskAt = -16, kBucketShiftAt = -12;
    static constexpr std::ptrdiff_t kBucketsAt = 32;
    uint64_t Seed(int i) const { return Read<uint64_t>(kSeedsAt + 8 * i); }
    // (slots - 1) * sizeof(Slot): the slot bits of a hash, as a byte offset.
    uint32_t OffsetMask() const { return Read<uint32_t>(kOffsetMaskAt); }
    // 64 - log2(buckets): a hash's top bits pick its bucket.
    uint32_t BucketShift() const { return bucket_shift; }
    // The empty slot a word the filter rules out reads.
    const Slot& Empty() const { return *reinterpret_cast<const Slot*>(base); }
    // The slots, from base + S (tests).
    const Slot* Slots() const {
      return reinterpret_cast<const Slot*>(base + OffsetMask() + sizeof(Slot));
    }
    size_t SlotCount() const { return OffsetMask() / sizeof(Slot) + 1; }
    // Top bits pick the bucket; bits 0-4 the word's filter bit (one bit,
    // not two: 5 fewer instructions a word for 6% of the words of no list
    // let by instead of 2%, which measured faster); bits 32 and up the slot
    // before the bucket's displacement, as h >> 27 has them: a byte offset
    // (a slot is 32 bytes). The slot's address takes one shift, one AND
    // and one XOR of the hash.
    static_assert(sizeof(Slot) == 32);
    // What a filtered-out word's offset is set from (hidden: read
    // straight from its address, not through the symbol table, in a shared
    // library too).
    [[gnu::visibility("hidden")]] static constexpr uint64_t kZero = 0;
    // The word's filter bit (0..31): a bucket's filter holds the bits of
    // its words.
    static uint32_t FilterBit(uint64_t h) { return static_cast<uint32_t>(h) & 31; }
    static uint32_t FilterBits(uint64_t h) { return uint32_t{1} << FilterBit(h); }
    // The bucket of the word of hash h, from base.
    std::ptrdiff_t BucketAt(uint64_t h) const {
      return kBucketsAt + static_cast<std::ptrdiff_t>((h >> BucketShift()) * 8);
    }
    // The bucket's filter lets the word of hash h through (every word of
    // the table passes; most others do not).
    bool MayHold(uint64_t h) const { return (Read<uint32_t>(BucketAt(h)) >> FilterBit(h)) & 1; }
    // The byte offset from base of the one slot that can hold the word of
    // hash h (unfiltered).
    uint64_t OffsetOf(uint64_t h) const {
      return (static_cast<uint32_t>(h >> 27) & OffsetMask()) ^ Read<uint32_t>(BucketAt(h) + 4);
    }
    // Its index among Slots().
    uint32_t SlotOf(uint64_t h) const {
      return static_cast<uint32_t>((OffsetOf(h) - OffsetMask()) / sizeof(Slot) - 1);
    }
    // OffsetOf(h) when the filter lets the word through, else 0 (the empty
    // slot); without a branch (whether a word passes is as hard to predict
    // as whether it is a stop word). On x86-64 a bit test and a
    // conditional move, in asm: the compiler branches on the bit.
    uint64_t FilteredOffsetOf(uint64_t h) const {
      const std::ptrdiff_t bucket = BucketAt(h);
      // (h >> 27 as a rotation: one RORX, where the compiler copied and
      // shifted.)
      uint64_t offset =
          (static_cast<uint32_t>(std::rotr(h, 27)) & OffsetMask()) ^ Read<uint32_t>(bucket + 4);
#if defined(__x86_64__) && defined(__GNUC__)
      // BT of a 32-bit register takes the bit number modulo 32: FilterBit.
      asm("bt %[bit], %[filter]\n\tcmovnc %[zero], %[offset]"
          : [offset] "+r"(offset)
          : [filter] "r"(Read<uint32_t>(bucket)), [bit] "r"(static_cast<uint32_t>(h)),
            [zero] "m"(kZero)
          : "cc");
#else
      offset &= 0 - static_cast<uint64_t>((Read<uint32_t>(bucket) >> FilterBit(h)) & 1);
#endif
      return offset;
    }
    // The one slot whose key can be the word (compare it): its own slot,
    // or the empty one when the filter rules the word out.
    const Slot& Candidate(uint64_t lo, uint64_t hi) const { return CandidateOf(HashOf(lo, hi)); }
    // The same given the word's hash.
    const Slot& CandidateOf(uint64_t h) const {
      return *reinterpret_cast<const Slot*>(base + FilteredOffsetOf(h));
    }
    // Through Candidate (filtered).
    LangMask Lookup(uint64_t lo, uint64_t hi) const;
    // The word's own slot, with no filter (what the filter must agree with).
    LangMask LookupUnfiltered(uint64_t lo, uint64_t hi) const;

   private:
    template <class T>
    T Read(std::ptrdiff_t at) const {
      T v;
      std::memcpy(&v, base + at, sizeof v);
      return v;
    }
  };
  ShortTable short_table() const {
    const char* const base = reinterpret_cast<const char*>(short_.data() + 1);
    uint32_t bucket_shift;
    std::memcpy(&bucket_shift, base + ShortTable::kBucketShiftAt, 4);
    return {base, bucket_shift};
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
  // The block of an empty short table of `slots` slots and `buckets`
  // buckets (powers of two; see ShortTable), in slot-sized units (aligned
  // as slots are): the header, the empty slot, the buckets, the slots.
  static std::vector<Slot> LayOutShort(uint64_t lo_seed, uint64_t hi_seed, uint32_t slots,
                                       uint32_t buckets);

  std::vector<std::string> languages_;
  std::vector<Slot> short_ = LayOutShort(0, 0, 1, 2);
  // Words the short table cannot hold, sorted by their bytes.
  std::vector<std::pair<std::string, LangMask>> long_;
  size_t max_word_bytes_ = 0;
};

}  // namespace clean

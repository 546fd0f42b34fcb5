#include "cleaner/ruleset/lexicon.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

namespace clean {

namespace {

bool FitsShort(std::string_view w) {
  return !w.empty() && w.size() <= Lexicon::kShortBytes && w.find('\0') == std::string_view::npos;
}

// The next of a sequence of well-mixed 64-bit values (SplitMix64).
uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// A short word's bytes zero-padded to 16, as two little-endian halves.
std::pair<uint64_t, uint64_t> ShortKey(std::string_view w) {
  char padded[Lexicon::kShortBytes] = {};
  std::memcpy(padded, w.data(), w.size());
  uint64_t lo, hi;
  std::memcpy(&lo, padded, 8);
  std::memcpy(&hi, padded + 8, 8);
  return {lo, hi};
}

}  // namespace

bool Lexicon::Load(const std::string& dir, Diagnostics* diags) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".txt") files.push_back(e.path());
  if (ec || files.empty()) {
    diags->items.push_back({dir, 0, 0, false, "no stop-word lists (*.txt) found", ""});
    return false;
  }
  std::sort(files.begin(), files.end());
  if (files.size() > kMaxLanguages) {
    diags->items.push_back(
        {dir, 0, 0, false, "at most " + std::to_string(kMaxLanguages) + " stop-word lists", ""});
    return false;
  }
  std::map<std::string, LangMask> entries;  // word -> languages
  for (size_t li = 0; li < files.size(); ++li) {
    languages_.push_back(files[li].stem().string());
    std::ifstream in(files[li]);
    std::string line;
    while (std::getline(in, line)) {
      auto hash = line.find('#');
      if (hash != std::string::npos) line.resize(hash);
      while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t'))
        line.pop_back();
      size_t b = line.find_first_not_of(" \t");
      if (b == std::string::npos) continue;
      entries[line.substr(b)] |= static_cast<LangMask>(1u << li);
    }
  }
  std::vector<std::pair<Key, LangMask>> short_words;
  for (auto& [word, langs] : entries) {
    max_word_bytes_ = std::max(max_word_bytes_, word.size());
    if (!FitsShort(word)) {
      long_.emplace_back(word, langs);  // sorted: the map is
      continue;
    }
    const auto [lo, hi] = ShortKey(word);
    short_words.push_back({Key{lo, hi}, langs});
  }
  // Two thirds full at most; new seeds when two
  // words cannot be separated, a bigger table when many seeds fail.
  uint32_t slots = 16;
  while (slots < (short_words.size() + 1) * 3 / 2) slots <<= 1;
  uint64_t state = 0x2545F4914F6CDD1Dull;
  for (uint64_t attempt = 0;; ++attempt) {
    if (attempt > 0 && attempt % 32 == 0) slots <<= 1;
    // Each seed has a 0xFF byte (its top one), which UTF-8 never has: a
    // key's half XORed with it is never zero.
    const uint64_t lo_seed = SplitMix64(&state) | 0xFF00000000000000ull;
    const uint64_t hi_seed = SplitMix64(&state) | 0xFF00000000000000ull;
    if (BuildShort(short_words, lo_seed, hi_seed, slots)) break;
  }
  return true;
}

std::vector<Lexicon::Slot> Lexicon::LayOutShort(uint64_t lo_seed, uint64_t hi_seed, uint32_t slots,
                                                uint32_t buckets) {
  uint32_t bucket_bits = 1;  // a shift by 64 would be undefined
  while ((1u << bucket_bits) < buckets) ++bucket_bits;
  // S: the slots' size (more slots, all empty, where the buckets before
  // them need the room: ShortTable finds the slots at OffsetMask() + 32).
  while (size_t{slots} * sizeof(Slot) < ShortTable::kBucketsAt + size_t{buckets} * 8) slots <<= 1;
  const size_t s = size_t{slots} * sizeof(Slot);
  std::vector<Slot> block(1 + s / sizeof(Slot) + slots);
  char* const base = reinterpret_cast<char*>(block.data() + 1);
  const uint32_t offset_mask = (slots - 1) * uint32_t{sizeof(Slot)};
  const uint32_t bucket_shift = 64 - bucket_bits;
  std::memcpy(base + ShortTable::kSeedsAt, &lo_seed, 8);
  std::memcpy(base + ShortTable::kSeedsAt + 8, &hi_seed, 8);
  std::memcpy(base + ShortTable::kOffsetMaskAt, &offset_mask, 4);
  std::memcpy(base + ShortTable::kBucketShiftAt, &bucket_shift, 4);
  // Displacement 0 (S's bit set), no filter bits.
  const uint32_t at_slots = static_cast<uint32_t>(s);
  for (uint32_t b = 0; b < (1u << bucket_bits); ++b)
    std::memcpy(base + ShortTable::kBucketsAt + 8 * b + 4, &at_slots, 4);
  return block;
}

bool Lexicon::BuildShort(const std::vector<std::pair<Key, LangMask>>& words, uint64_t lo_seed,
                         uint64_t hi_seed, uint32_t slots) {
  const uint32_t buckets = slots / 4;  // about two words a bucket
  uint32_t bucket_bits = 0;
  while ((1u << bucket_bits) < buckets) ++bucket_bits;
  const uint32_t bucket_shift = 64 - bucket_bits;
  // The slot before the displacement: bits 32 and up of the hash (in a
  // table of more than 2^17 slots the top ones are the bucket's, the same
  // for all its words: still built, with fewer choices).
  auto slot_bits_of = [](uint64_t h) { return static_cast<uint32_t>(h >> 32); };
  std::vector<std::vector<uint32_t>> members(buckets);
  std::vector<uint64_t> hashes(words.size());
  for (uint32_t i = 0; i < words.size(); ++i) {
    hashes[i] = ShortTable::Hash(words[i].first.lo, words[i].first.hi, lo_seed, hi_seed);
    members[hashes[i] >> bucket_shift].push_back(i);
  }
  // The fullest buckets first, while most slots are free.
  std::vector<uint32_t> order(buckets);
  for (uint32_t b = 0; b < buckets; ++b) order[b] = b;
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return members[a].size() > members[b].size(); });
  std::vector<uint32_t> disp(buckets, 0);
  std::vector<char> taken(slots, 0);
  std::vector<uint32_t> tried;
  for (uint32_t b : order) {
    if (members[b].empty()) break;
    bool placed = false;
    for (uint32_t d = 0; d < slots && !placed; ++d) {
      tried.clear();
      for (uint32_t i : members[b]) {
        uint32_t s = (slot_bits_of(hashes[i]) ^ d) & (slots - 1);
        if (taken[s] || std::find(tried.begin(), tried.end(), s) != tried.end()) break;
        tried.push_back(s);
      }
      if (tried.size() != members[b].size()) continue;
      for (uint32_t s : tried) taken[s] = 1;
      disp[b] = d;
      placed = true;
    }
    if (!placed) return false;
  }
  short_ = LayOutShort(lo_seed, hi_seed, slots, buckets);
  char* const base = reinterpret_cast<char*>(short_.data() + 1);
  // Bucket b's filter bits (low 4 bytes) and displacement (high 4, which
  // hold S's bit already): `bits` ORed into them.
  auto set_bits = [base](uint32_t b, int half, uint32_t bits) {
    char* const at = base + ShortTable::kBucketsAt + 8 * b + 4 * half;
    uint32_t v;
    std::memcpy(&v, at, 4);
    v |= bits;
    std::memcpy(at, &v, 4);
  };
  for (uint32_t b = 0; b < buckets; ++b) set_bits(b, 1, disp[b] * uint32_t{sizeof(Slot)});
  for (uint32_t i = 0; i < words.size(); ++i)
    set_bits(static_cast<uint32_t>(hashes[i] >> bucket_shift), 0,
             ShortTable::FilterBits(hashes[i]));
  const ShortTable t = short_table();
  for (uint32_t i = 0; i < words.size(); ++i) {
    Slot& s = *reinterpret_cast<Slot*>(base + t.OffsetOf(hashes[i]));
    s.lo = words[i].first.lo;
    s.hi = words[i].first.hi;
    for (int l = 0; l < kMaxLanguages; ++l) s.langs[l] = (words[i].second >> l) & 1;
  }
  return true;
}

namespace {

LangMask MaskIfKey(const Lexicon::Slot& s, uint64_t lo, uint64_t hi) {
  if (s.lo != lo || s.hi != hi) return 0;
  LangMask m = 0;
  for (int l = 0; l < kMaxLanguages; ++l) m |= static_cast<LangMask>(s.langs[l] << l);
  return m;
}

}  // namespace

LangMask Lexicon::ShortTable::Lookup(uint64_t lo, uint64_t hi) const {
  return MaskIfKey(Candidate(lo, hi), lo, hi);
}

LangMask Lexicon::ShortTable::LookupUnfiltered(uint64_t lo, uint64_t hi) const {
  return MaskIfKey(Slots()[SlotOf(HashOf(lo, hi))], lo, hi);
}

LangMask Lexicon::LookupFiltered(std::string_view w) const {
  if (!FitsShort(w)) return Lookup(w);
  const auto [lo, hi] = ShortKey(w);
  return short_table().Lookup(lo, hi);
}

std::vector<std::string> Lexicon::ShortWords() const {
  std::vector<std::string> out;
  const ShortTable t = short_table();
  for (size_t i = 0; i < t.SlotCount(); ++i) {
    const Slot& s = t.Slots()[i];
    if (s.lo == 0 && s.hi == 0) continue;
    char bytes[kShortBytes];
    std::memcpy(bytes, &s.lo, 8);
    std::memcpy(bytes + 8, &s.hi, 8);
    out.emplace_back(bytes, strnlen(bytes, kShortBytes));
  }
  return out;
}

LangMask Lexicon::Lookup(std::string_view w) const {
  if (FitsShort(w)) {
    const auto [lo, hi] = ShortKey(w);
    return short_table().LookupUnfiltered(lo, hi);
  }
  auto it = std::lower_bound(long_.begin(), long_.end(), w, [](const auto& e, std::string_view x) {
    return std::string_view(e.first) < x;
  });
  return it != long_.end() && it->first == w ? it->second : 0;
}

}  // namespace clean

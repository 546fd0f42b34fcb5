#include "cleaner/classify/features.h"

#include <algorithm>

#include "cleaner/base/avx2_dispatch.h"
#include "cleaner/classify/line_pass.h"

namespace clean {

namespace {

using namespace line_pass;

// 16-byte blocks (SSE2, or a byte loop), up to the line's end.
struct BlockChunks {
  static constexpr size_t kReadPast = 16;
  // The masks of a chunk's last block hold the bytes past the line's end
  // (the pass masks them off).
  static constexpr bool kMasked = false;
  using Hasher = FastHash16;
  // The continuation bytes and the spaces of the chunk at p, of the line's
  // bytes only (in_line), where the pass needs them: Read has them.
  static uint64_t Continuations(const ByteMasks64& m, const char*, uint64_t in_line) {
    return m.cont & in_line;
  }
  static uint64_t Spaces(const ByteMasks64& m, const char*, uint64_t in_line) {
    return m.space & in_line;
  }
  // A word's key: its bytes with the ASCII letters lower-cased.
  static WordKey LowerKey(const char* p, size_t len) { return WordKey::Load(p, len).LowerAscii(); }
  // The one slot of the lexicon's short table whose word the key can be.
  static const Lexicon::Slot& Candidate(const Lexicon::ShortTable& table, const WordKey& key) {
    return table.Candidate(key.lo(), key.hi());
  }
  // How a word's lookup is counted (LangCounts::AddIfMatch); `empty`: an
  // empty slot.
  static void AddIfMatch(LangCounts* langs, const Lexicon::Slot& s, const WordKey& key,
                         const Lexicon::Slot&) {
    langs->AddIfMatch(s, key);
  }
  // Adds a line's stop words per language to the page's sums.
  static void AddStopWords(const StopCounts& f, std::array<uint32_t, kMaxLanguages>* sums) {
    for (int l = 0; l < kMaxLanguages; ++l) (*sums)[l] += f[l];
  }
  static ByteMasks64 Read(const char* p, size_t valid, FastHash16* hasher) {
    ByteMasks64 m;
    for (size_t b = 0; b < valid; b += 16) {
      m.Add(ClassifyBlock16(p + b), b);
      const WordKey bytes = WordKey::Load(p + b, valid - b < 16 ? valid - b : 16);
      hasher->Add(bytes.lo(), bytes.hi());
    }
    return m;
  }
};

void ComputeLinesBaseline(const LinePass& pass, const Page& page, PageFeatures* out,
                          Repeats* repeats, StopStore stops, std::string* tail,
                          std::array<uint32_t, kMaxLanguages>* per_lang) {
  ComputeLines<false, BlockChunks>(pass, page, out, repeats, stops, tail, per_lang);
}

}  // namespace

FeatureExtractor::FeatureExtractor(const Lexicon& lexicon)
    : lexicon_(lexicon), max_word_(std::min(lexicon.max_word_bytes(), kMaxWordBytes)) {}

void FeatureExtractor::Compute(const Page& page, PageFeatures* out) {
  const size_t n = page.lines.size();
  out->lines.resize(n);
  hashes_.resize(n);
  later_.assign((n + 63) / 64, 0);
  // Room for the lines of a page of up to kScratchKeptLines distinct ones;
  // more grow the table.
  size_t cap = 16;
  while (cap < std::min(n, kScratchKeptLines) * 2) cap <<= 1;
  slots_.assign(cap, UINT32_MAX);
  Repeats repeats{hashes_.data(), later_.data(), &slots_, cap - 1};
  stop_.resize(n);
  wide_stop_.clear();
  const StopStore stops{stop_.data(), &wide_stop_};
  std::array<uint32_t, kMaxLanguages> per_lang{};
  const LinePass pass{lexicon_.short_table(), &lexicon_, max_word_, lower_};
#ifdef CLEAN_AVX2_VARIANTS
  if (avx2::Enabled())
    ComputeLinesAvx2(pass, page, out, &repeats, stops, &tail_, &per_lang);
  else
#endif
    ComputeLinesBaseline(pass, page, out, &repeats, stops, &tail_, &per_lang);
  repeats.Finish(n, out);
  int nl = static_cast<int>(lexicon_.languages().size());
  out->language = -1;
  out->stop_hits = 0;
  for (int l = 0; l < nl; ++l)
    if (per_lang[l] > out->stop_hits) {
      out->stop_hits = per_lang[l];
      out->language = l;
    }
  // Too few hits to trust: treat the language as unknown (CJK, Bengali...).
  if (out->stop_hits * 20 < out->words || out->stop_hits < 3) out->language = -1;
  if (out->language >= 0) {
    const size_t l = static_cast<size_t>(out->language);
    auto wide = wide_stop_.begin();
    for (size_t i = 0; i < n; ++i) {
      const uint8_t v = stop_[i][l];
      out->lines[i].stop_words = v != 255 ? v : (wide++)->second[l];
    }
  }
  if (n > kScratchKeptLines) {
    std::vector<uint32_t>().swap(hashes_);
    std::vector<uint64_t>().swap(later_);
    std::vector<uint32_t>().swap(slots_);
    std::vector<std::array<uint8_t, kMaxLanguages>>().swap(stop_);
    std::vector<std::pair<uint32_t, StopCounts>>().swap(wide_stop_);
  }
}

StopCounts FeatureExtractor::stop_by_lang(size_t i) const {
  if (stop_[i][0] == 255)  // a byte is 255 only on lines whose counts are in wide_stop_
    for (const auto& [line, counts] : wide_stop_)
      if (line == i) return counts;
  StopCounts c{};
  for (int l = 0; l < kMaxLanguages; ++l) c[l] = stop_[i][l];
  return c;
}

}  // namespace clean

#include "cleaner/short_literals.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "cleaner/avx2_dispatch.h"

namespace clean {

namespace {

using Kind = BytePattern::Kind;

// Sorted, each once; false when past the limits (or `p` is not literal).
bool Normalize(std::vector<std::string>* set) {
  std::sort(set->begin(), set->end());
  set->erase(std::unique(set->begin(), set->end()), set->end());
  if (set->size() > ShortLiterals::kMaxLiterals) return false;
  for (const std::string& s : *set)
    if (s.size() > ShortLiterals::kMaxLiteralBytes) return false;
  return true;
}

// Every string `p` matches into *out (which is empty); false when these
// are not a small set of short literals. The limits are checked after each
// step, so a wide class or a long sequence stops the expansion early.
bool Expand(const BytePattern& p, std::vector<std::string>* out) {
  switch (p.kind) {
    case Kind::kBytes:
      if (p.bytes.count() > ShortLiterals::kMaxLiterals) return false;
      for (int b = 0; b < 256; ++b)
        if (p.bytes[b]) out->push_back(std::string(1, static_cast<char>(b)));
      return true;
    case Kind::kConcat: {
      out->push_back("");
      for (const BytePattern& kid : p.kids) {
        std::vector<std::string> tails, joined;
        if (!Expand(kid, &tails)) return false;
        for (const std::string& head : *out)
          for (const std::string& tail : tails) joined.push_back(head + tail);
        if (!Normalize(&joined)) return false;
        *out = std::move(joined);
      }
      return true;
    }
    case Kind::kAlt:
      for (const BytePattern& kid : p.kids) {
        std::vector<std::string> one;
        if (!Expand(kid, &one)) return false;
        out->insert(out->end(), one.begin(), one.end());
        if (!Normalize(out)) return false;
      }
      return true;
    case Kind::kRepeat: {
      if (p.max == BytePattern::kUnbounded || p.max > static_cast<int>(ShortLiterals::kMaxLiteralBytes))
        return false;
      std::vector<std::string> once, power = {""};
      if (!Expand(p.kids[0], &once)) return false;
      for (int r = 0; r <= p.max; ++r) {
        if (r >= p.min) out->insert(out->end(), power.begin(), power.end());
        if (!Normalize(out)) return false;
        std::vector<std::string> next;
        for (const std::string& head : power)
          for (const std::string& tail : once) next.push_back(head + tail);
        if (!Normalize(&next)) return false;
        power = std::move(next);
      }
      return true;
    }
    default:  // anchors: a literal scan cannot tell where lines start
      return false;
  }
}

// Like Expand, but for the ends only: x{1,n} and x+ end where x ends
// (each match of x is one, and a longer one ends with a match of x), so
// at the top (and in a top alternation) they are x's literals.
bool ExpandEnds(const BytePattern& p, std::vector<std::string>* out) {
  if (p.kind == Kind::kRepeat && p.min == 1) return ExpandEnds(p.kids[0], out);
  if (p.kind != Kind::kAlt) return Expand(p, out);
  for (const BytePattern& kid : p.kids) {
    std::vector<std::string> one;
    if (!ExpandEnds(kid, &one)) return false;
    out->insert(out->end(), one.begin(), one.end());
    if (!Normalize(out)) return false;
  }
  return true;
}

}  // namespace

std::optional<std::vector<std::string>> ShortLiterals::LiteralsOf(const BytePattern& p) {
  std::vector<std::string> set;
  if (!ExpandEnds(p, &set) || !Normalize(&set) || set.empty()) return std::nullopt;
  for (const std::string& s : set)
    if (s.empty()) return std::nullopt;
  return set;
}

bool ShortLiterals::Add(const std::vector<std::string>& literals) {
  if (literals.empty() || literals.size() > kMaxLiterals || patterns_ >= kMaxPatterns) return false;
  std::vector<unsigned char> last = last_bytes_;
  for (const std::string& s : literals) {
    if (s.empty() || s.size() > kMaxLiteralBytes) return false;
    const auto b = static_cast<unsigned char>(s.back());
    if (std::find(last.begin(), last.end(), b) == last.end()) last.push_back(b);
  }
  if (last.size() > kMaxLastBytes) return false;
  last_bytes_ = std::move(last);
  const auto pattern = static_cast<uint8_t>(patterns_++);
  for (const std::string& s : literals) {
    // A literal holding another of the pattern is left out: wherever it
    // ends, the other ends too, no later, on the same line (neither holds a
    // '\n'), so the line and its first end stay the same.
    bool holds_other = false;
    for (const std::string& o : literals) holds_other |= o != s && s.find(o) != std::string::npos;
    if (holds_other) continue;
    Literal l;
    l.size = static_cast<uint8_t>(s.size());
    l.pattern = pattern;
    for (size_t k = 0; k < s.size(); ++k) l.bytes[k] = static_cast<unsigned char>(s[s.size() - 1 - k]);
    literals_.push_back(l);
  }
  // Grouped by last byte; the sort is stable, so each group stays in
  // pattern order.
  std::stable_sort(literals_.begin(), literals_.end(),
                   [](const Literal& a, const Literal& b) { return a.bytes[0] < b.bytes[0]; });
  size_t i = 0;
  for (int b = 0; b <= 256; ++b) {
    while (b < 256 && i < literals_.size() && literals_[i].bytes[0] < b) ++i;
    first_[b] = static_cast<uint16_t>(b == 256 ? literals_.size() : i);
  }
  return true;
}

// The walk over one page's positions holding a literal's last byte: which
// line each is on (a cursor only moving forward), which patterns end there,
// which of them are new on the line.
class ShortLiterals::Walk {
 public:
  Walk(const ShortLiterals& s, std::string_view text, const LineSpan* lines, size_t n,
       std::vector<Found>* out)
      : s_(s), text_(reinterpret_cast<const unsigned char*>(text.data())), size_(text.size()),
        lines_(lines), n_(n), out_(out),
        all_(s.patterns_ == 64 ? ~uint64_t{0} : (uint64_t{1} << s.patterns_) - 1) {
    next_begin_ = n_ > 1 ? lines_[1].begin : SIZE_MAX;
  }

  // Position p holds one of the last bytes. Returns 0, or where the scan
  // goes on when every pattern has been found on p's line: the next line.
  size_t At(size_t p) {
    if (p >= next_begin_) {
      while (line_ + 1 < n_ && lines_[line_ + 1].begin <= p) ++line_;
      next_begin_ = line_ + 1 < n_ ? lines_[line_ + 1].begin : SIZE_MAX;
      seen_ = 0;
    }
    const unsigned char b = text_[p];
    for (size_t i = s_.first_[b], e = s_.first_[b + 1]; i < e; ++i) {
      const Literal& l = s_.literals_[i];
      const uint64_t bit = uint64_t{1} << l.pattern;
      if ((seen_ & bit) != 0 || l.size > p + 1) continue;
      bool match = true;
      for (size_t k = 1; k < l.size && match; ++k) match = text_[p - k] == l.bytes[k];
      if (!match) continue;
      seen_ |= bit;
      out_->push_back({static_cast<uint32_t>(line_), l.pattern});
    }
    if (seen_ != all_) return 0;
    return std::min(next_begin_, size_);
  }

  const unsigned char* text() const { return text_; }
  size_t size() const { return size_; }

 private:
  const ShortLiterals& s_;
  const unsigned char* text_;
  size_t size_;
  const LineSpan* lines_;
  size_t n_;
  std::vector<Found>* out_;
  uint64_t all_;           // every pattern's bit
  size_t line_ = 0;        // the line of the last position seen
  size_t next_begin_;      // where the line after it begins (SIZE_MAX: none)
  uint64_t seen_ = 0;      // the patterns found on line_
};

void ShortLiterals::ScanPortable(std::string_view text, const LineSpan* lines, size_t n,
                                 std::vector<Found>* out) const {
  if (n == 0 || patterns_ == 0) return;
  Walk walk(*this, text, lines, n, out);
  const unsigned char* t = walk.text();
  const size_t size = walk.size();
  for (size_t p = 0; p < size;) {
    const unsigned char b = t[p];
    if (first_[b] == first_[b + 1]) {
      ++p;
      continue;
    }
    const size_t skip = walk.At(p);
    p = skip != 0 ? skip : p + 1;
  }
}

#ifdef CLEAN_AVX2_VARIANTS
namespace {

// The positions among the 64 bytes at `p` holding one of `want`'s bytes.
template <int N>
[[gnu::target(CLEAN_AVX2_TARGET), gnu::always_inline]] inline uint64_t Ends(const unsigned char* p,
                                                                           const __m256i* want) {
  const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
  __m256i ma = _mm256_cmpeq_epi8(a, want[0]), mb = _mm256_cmpeq_epi8(b, want[0]);
  for (int i = 1; i < N; ++i) {
    ma = _mm256_or_si256(ma, _mm256_cmpeq_epi8(a, want[i]));
    mb = _mm256_or_si256(mb, _mm256_cmpeq_epi8(b, want[i]));
  }
  if (_mm256_testz_si256(_mm256_or_si256(ma, mb), _mm256_or_si256(ma, mb))) return 0;
  return static_cast<uint32_t>(_mm256_movemask_epi8(ma)) |
         static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(mb))) << 32;
}

// Puts the positions from `pos` on holding one of `last`'s bytes into
// `batch` (at least 64 places free when it starts) until it is nearly full
// or the text ends; returns where the next call goes on. It calls nothing,
// so the compared bytes stay in registers.
template <int N>
[[gnu::target(CLEAN_AVX2_TARGET)]] size_t FindEnds(const unsigned char* t, size_t size, size_t pos,
                                                  const unsigned char* last, uint32_t* batch,
                                                  size_t room, size_t* count) {
  __m256i want[N];
  for (int i = 0; i < N; ++i) want[i] = _mm256_set1_epi8(static_cast<char>(last[i]));
  size_t k = 0;
  auto put = [&](size_t base, uint64_t ends) {
    for (; ends != 0; ends &= ends - 1)
      batch[k++] = static_cast<uint32_t>(base + static_cast<size_t>(std::countr_zero(ends)));
  };
  for (; pos + 64 <= size && k + 64 <= room; pos += 64) put(pos, Ends<N>(t + pos, want));
  if (pos < size && k + 64 <= room) {
    if (size >= 64) {
      // The last bytes by a load ending at the text's end: the bytes
      // before `pos` it reads again are masked off.
      const size_t from = size - 64;
      put(from, Ends<N>(t + from, want) & (~uint64_t{0} << (pos - from)));
    } else {
      // A page shorter than a block, from a copy (never read past the
      // text); the copy's padding is masked off.
      alignas(32) unsigned char tail[64] = {};
      for (size_t i = pos; i < size; ++i) tail[i - pos] = t[i];
      put(pos, Ends<N>(tail, want) & ((uint64_t{1} << (size - pos)) - 1));
    }
    pos = size;
  }
  *count = k;
  return pos;
}

using FindEndsFn = size_t (*)(const unsigned char*, size_t, size_t, const unsigned char*, uint32_t*,
                              size_t, size_t*);
constexpr FindEndsFn kFindEnds[] = {FindEnds<1>, FindEnds<2>, FindEnds<3>, FindEnds<4>,
                                    FindEnds<5>, FindEnds<6>, FindEnds<7>, FindEnds<8>};

}  // namespace
#endif

void ShortLiterals::ScanAvx2(std::string_view text, const LineSpan* lines, size_t n,
                             std::vector<Found>* out) const {
#ifdef CLEAN_AVX2_VARIANTS
  if (n == 0 || patterns_ == 0) return;
  static_assert(sizeof kFindEnds / sizeof kFindEnds[0] == kMaxLastBytes);
  const FindEndsFn find = kFindEnds[last_bytes_.size() - 1];
  Walk walk(*this, text, lines, n, out);
  // The positions come in batches, found by a loop that calls nothing;
  // the walk then takes them in order, passing over those on a line it
  // has left (every pattern found there).
  constexpr size_t kBatch = 512;
  uint32_t batch[kBatch];
  size_t resume = 0;
  for (size_t pos = 0; pos < walk.size();) {
    size_t count = 0;
    pos = find(walk.text(), walk.size(), pos, last_bytes_.data(), batch, kBatch, &count);
    for (size_t i = 0; i < count; ++i) {
      if (batch[i] < resume) continue;
      if (const size_t skip = walk.At(batch[i])) resume = skip;
    }
  }
#else
  ScanPortable(text, lines, n, out);
#endif
}

void ShortLiterals::Scan(std::string_view text, const LineSpan* lines, size_t n,
                         std::vector<Found>* out) const {
  if (avx2::Enabled()) ScanAvx2(text, lines, n, out);
  else ScanPortable(text, lines, n, out);
}

}  // namespace clean

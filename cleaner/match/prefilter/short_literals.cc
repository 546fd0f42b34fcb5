#include "cleaner/match/prefilter/short_literals.h"

#include <algorithm>
#include <bit>

#include "cleaner/base/avx2_dispatch.h"

namespace clean {

namespace {

using Kind = BytePattern::Kind;

// Sorts the set and drops repeats; false when it is past the limits.
bool Normalize(std::vector<std::string>* set) {
  std::sort(set->begin(), set->end());
  set->erase(std::unique(set->begin(), set->end()), set->end());
  if (set->size() > ShortLiterals::kMaxLiterals) return false;
  for (const std::string& s : *set)
    if (s.size() > ShortLiterals::kMaxLiteralBytes) return false;
  return true;
}

// The strings of the alternation p's kids, each expanded by `expand`, into
// *out; false when past the limits.
bool Union(const BytePattern& p, bool (*expand)(const BytePattern&, std::vector<std::string>*),
           std::vector<std::string>* out) {
  for (const BytePattern& kid : p.kids) {
    std::vector<std::string> one;
    if (!expand(kid, &one)) return false;
    out->insert(out->end(), one.begin(), one.end());
    if (!Normalize(out)) return false;
  }
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
      return Union(p, Expand, out);
    case Kind::kRepeat: {
      if (p.max == BytePattern::kUnbounded ||
          p.max > static_cast<int>(ShortLiterals::kMaxLiteralBytes))
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
  return Union(p, ExpandEnds, out);
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
  std::vector<std::string> kept;
  for (const std::string& s : literals) {
    if (s.empty() || s.size() > kMaxLiteralBytes) return false;
    // A literal holding another of the pattern is left out: wherever it
    // ends, the other ends too, no later, on the same line (neither holds a
    // '\n'), so the line and its first end stay the same.
    bool holds_other = false;
    for (const std::string& o : literals) holds_other |= o != s && s.find(o) != std::string::npos;
    if (!holds_other && std::find(kept.begin(), kept.end(), s) == kept.end()) kept.push_back(s);
  }
  std::vector<unsigned char> last = last_bytes_;
  for (const std::string& s : kept) {
    const auto b = static_cast<unsigned char>(s.back());
    if (std::find(last.begin(), last.end(), b) == last.end()) last.push_back(b);
  }
  if (last.size() > kMaxLastBytes) return false;
  last_bytes_ = std::move(last);
  const auto pattern = static_cast<uint8_t>(patterns_++);
  for (const std::string& s : kept) {
    Literal l;
    l.size = static_cast<uint8_t>(s.size());
    l.pattern = pattern;
    for (size_t k = 0; k < s.size(); ++k)
      l.bytes[k] = static_cast<unsigned char>(s[s.size() - 1 - k]);
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
  // The AVX2 loop's test: G table lookups by low nibble (table g holds the
  // g-th last byte with each low nibble) cost 3G vector operations, the
  // compares 2N - 1 for N last bytes.
  std::array<int, 16> with_nibble{};
  for (unsigned char b : last_bytes_) ++with_nibble[b & 0x0f];
  const int g = *std::max_element(with_nibble.begin(), with_nibble.end());
  const int n = static_cast<int>(last_bytes_.size());
  lookups_ = g <= static_cast<int>(kMaxLookUps) && 3 * g < 2 * n - 1 ? static_cast<uint8_t>(g) : 0;
  // A byte with another low nibble never equals the lookup of its own.
  for (size_t k = 0; k < tables_.size(); ++k)
    tables_[k] = static_cast<unsigned char>((k & 0x0f) ^ 1);
  std::array<int, 16> placed{};
  for (unsigned char b : last_bytes_) {
    const int nib = b & 0x0f;
    if (placed[nib] < static_cast<int>(kMaxLookUps)) tables_[16 * placed[nib]++ + nib] = b;
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
      : s_(s),
        text_(reinterpret_cast<const unsigned char*>(text.data())),
        size_(text.size()),
        lines_(lines),
        n_(n),
        out_(out),
        all_(s.patterns_ == 64 ? ~uint64_t{0} : (uint64_t{1} << s.patterns_) - 1) {
    next_begin_ = n_ > 1 ? lines_[1].begin : SIZE_MAX;
  }

  // Position p holds one of the last bytes. Returns 0, or where the scan
  // goes on when every pattern has been found on p's line: the next line.
  size_t At(size_t p) {
    if (p >= next_begin_) {
      // The last line beginning at or before p: lines_[lo] is one; a
      // galloping search, since the next position may be many lines on.
      size_t lo = line_ + 1, step = 1, hi = lo + 1;
      while (hi < n_ && lines_[hi].begin <= p) {
        lo = hi;
        step *= 2;
        hi = lo + step;
      }
      hi = std::min(hi, n_);
      while (hi - lo > 1) {
        const size_t mid = lo + (hi - lo) / 2;
        if (lines_[mid].begin <= p)
          lo = mid;
        else
          hi = mid;
      }
      line_ = lo;
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
  uint64_t all_;       // every pattern's bit
  size_t line_ = 0;    // the line of the last position seen
  size_t next_begin_;  // where the line after it begins (SIZE_MAX: none)
  uint64_t seen_ = 0;  // the patterns found on line_
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

// The two ways the AVX2 loop finds the bytes of a vector that are last
// bytes (as 0xff), each a functor for FindEnds: one compare per last byte,
// or, when the last bytes' low nibbles are (nearly) all different, one
// table lookup by low nibble for up to 16 of them (ShortLiterals::Add
// picks).
template <int N>
struct CompareEach {
  __m256i want[N];
  [[gnu::target(CLEAN_AVX2_TARGET)]] explicit CompareEach(const unsigned char* last) {
    for (int i = 0; i < N; ++i) want[i] = _mm256_set1_epi8(static_cast<char>(last[i]));
  }
  [[gnu::target(CLEAN_AVX2_TARGET), gnu::always_inline]] __m256i operator()(__m256i x) const {
    __m256i m = _mm256_cmpeq_epi8(x, want[0]);
    for (int i = 1; i < N; ++i) m = _mm256_or_si256(m, _mm256_cmpeq_epi8(x, want[i]));
    return m;
  }
};

template <int G>
struct LookUp {
  __m256i tables[G];  // by low nibble: the last byte with it, or one without
  __m256i low;
  [[gnu::target(CLEAN_AVX2_TARGET)]] explicit LookUp(const unsigned char* t) {
    for (int g = 0; g < G; ++g)
      tables[g] = _mm256_broadcastsi128_si256(
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(t + 16 * g)));
    low = _mm256_set1_epi8(0x0f);
  }
  [[gnu::target(CLEAN_AVX2_TARGET), gnu::always_inline]] __m256i operator()(__m256i x) const {
    const __m256i nibble = _mm256_and_si256(x, low);
    __m256i m = _mm256_cmpeq_epi8(_mm256_shuffle_epi8(tables[0], nibble), x);
    for (int g = 1; g < G; ++g)
      m = _mm256_or_si256(m, _mm256_cmpeq_epi8(_mm256_shuffle_epi8(tables[g], nibble), x));
    return m;
  }
};

template <class Test>
[[gnu::target(CLEAN_AVX2_TARGET), gnu::always_inline]] inline __m256i At(const Test& test,
                                                                         const unsigned char* p) {
  return test(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
}

[[gnu::target(CLEAN_AVX2_TARGET), gnu::always_inline]] inline uint64_t Bits(__m256i lo,
                                                                            __m256i hi) {
  return static_cast<uint32_t>(_mm256_movemask_epi8(lo)) |
         static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(hi))) << 32;
}

// Puts the positions from `pos` on holding a last byte into `batch` (at
// least kRoom places free when it starts) until it is nearly full or the
// text ends; returns where the next call goes on. It calls nothing, so the
// test's vectors stay in registers; most blocks of 128 bytes hold no last
// byte, and cost one branch.
constexpr size_t kRoom = 128;
template <class Test>
[[gnu::target(CLEAN_AVX2_TARGET), gnu::noinline]] size_t FindEnds(const Test& how,
                                                                  const unsigned char* t,
                                                                  size_t size, size_t pos,
                                                                  uint32_t* batch, size_t room,
                                                                  size_t* count) {
  const Test test = how;
  size_t k = 0;
  auto put = [&](size_t base, uint64_t ends) {
    for (; ends != 0; ends &= ends - 1)
      batch[k++] = static_cast<uint32_t>(base + static_cast<size_t>(std::countr_zero(ends)));
  };
  while (pos + 128 <= size) {
    const __m256i m0 = At(test, t + pos), m1 = At(test, t + pos + 32);
    const __m256i m2 = At(test, t + pos + 64), m3 = At(test, t + pos + 96);
    const __m256i any = _mm256_or_si256(_mm256_or_si256(m0, m1), _mm256_or_si256(m2, m3));
    pos += 128;
    if (_mm256_testz_si256(any, any)) continue;
    put(pos - 128, Bits(m0, m1));
    put(pos - 64, Bits(m2, m3));
    if (k + kRoom > room) {
      *count = k;
      return pos;
    }
  }
  for (; pos + 64 <= size; pos += 64) put(pos, Bits(At(test, t + pos), At(test, t + pos + 32)));
  if (pos < size) {
    if (size >= 64) {
      // The last bytes by a load ending at the text's end: the bytes
      // before `pos` it reads again are masked off.
      const size_t from = size - 64;
      put(from, Bits(At(test, t + from), At(test, t + from + 32)) & (~uint64_t{0} << (pos - from)));
    } else {
      // A page shorter than a block, from a copy (never read past the
      // text); the copy's padding is masked off.
      alignas(32) unsigned char tail[64] = {};
      for (size_t i = pos; i < size; ++i) tail[i - pos] = t[i];
      put(pos, Bits(At(test, tail), At(test, tail + 32)) & ((uint64_t{1} << (size - pos)) - 1));
    }
    pos = size;
  }
  *count = k;
  return pos;
}

// The positions come in batches, found by a loop that calls nothing; the
// walk then takes them in order, passing over those on a line it has left
// (every pattern found there).
template <class Test>
[[gnu::target(CLEAN_AVX2_TARGET)]] void ScanWith(const Test& test, ShortLiterals::Walk& walk) {
  constexpr size_t kBatch = 512;
  uint32_t batch[kBatch];
  size_t resume = 0;
  for (size_t pos = 0; pos < walk.size();) {
    size_t count = 0;
    pos = FindEnds(test, walk.text(), walk.size(), pos, batch, kBatch, &count);
    for (size_t i = 0; i < count; ++i) {
      if (batch[i] < resume) continue;
      if (const size_t skip = walk.At(batch[i])) resume = skip;
    }
  }
}

template <int N>
[[gnu::target(CLEAN_AVX2_TARGET)]] void ScanComparing(const unsigned char* last,
                                                      ShortLiterals::Walk& walk) {
  ScanWith(CompareEach<N>(last), walk);
}

template <int G>
[[gnu::target(CLEAN_AVX2_TARGET)]] void ScanLookingUp(const unsigned char* tables,
                                                      ShortLiterals::Walk& walk) {
  ScanWith(LookUp<G>(tables), walk);
}

}  // namespace
#endif

void ShortLiterals::ScanAvx2(std::string_view text, const LineSpan* lines, size_t n,
                             std::vector<Found>* out) const {
#ifdef CLEAN_AVX2_VARIANTS
  if (n == 0 || patterns_ == 0) return;
  Walk walk(*this, text, lines, n, out);
  static_assert(kMaxLastBytes == 8 && kMaxLookUps == 2);
  if (lookups_ == 1) return ScanLookingUp<1>(tables_.data(), walk);
  if (lookups_ == 2) return ScanLookingUp<2>(tables_.data(), walk);
  const unsigned char* last = last_bytes_.data();
  switch (last_bytes_.size()) {
    case 1:
      return ScanComparing<1>(last, walk);
    case 2:
      return ScanComparing<2>(last, walk);
    case 3:
      return ScanComparing<3>(last, walk);
    case 4:
      return ScanComparing<4>(last, walk);
    case 5:
      return ScanComparing<5>(last, walk);
    case 6:
      return ScanComparing<6>(last, walk);
    case 7:
      return ScanComparing<7>(last, walk);
    default:
      return ScanComparing<8>(last, walk);
  }
#else
  ScanPortable(text, lines, n, out);
#endif
}

void ShortLiterals::Scan(std::string_view text, const LineSpan* lines, size_t n,
                         std::vector<Found>* out) const {
  if (avx2::Enabled())
    ScanAvx2(text, lines, n, out);
  else
    ScanPortable(text, lines, n, out);
}

}  // namespace clean

// ShortLiterals::ScanAvx2: the AVX2 loop of the literal scanner, 128 bytes
// at a time; ShortLiterals::ScanPortable (short_literals.cc) is its
// reference, and finds the same lines.
#include <algorithm>
#include <bit>

#include "cleaner/base/avx2_dispatch.h"
#include "cleaner/match/prefilter/short_literals.h"
#include "cleaner/match/prefilter/short_literals_walk.h"

namespace clean {

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
    case 1: return ScanComparing<1>(last, walk);
    case 2: return ScanComparing<2>(last, walk);
    case 3: return ScanComparing<3>(last, walk);
    case 4: return ScanComparing<4>(last, walk);
    case 5: return ScanComparing<5>(last, walk);
    case 6: return ScanComparing<6>(last, walk);
    case 7: return ScanComparing<7>(last, walk);
    default: return ScanComparing<8>(last, walk);
  }
#else
  ScanPortable(text, lines, n, out);
#endif
}

}  // namespace clean

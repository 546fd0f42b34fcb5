#include "cleaner/match/prefilter/short_literals.h"

#include <algorithm>
#include <bit>

#include "cleaner/base/avx2_dispatch.h"
#include "cleaner/match/prefilter/short_literals_walk.h"

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
    case Kind::kAlt: return Union(p, Expand, out);
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

void ShortLiterals::Scan(std::string_view text, const LineSpan* lines, size_t n,
                         std::vector<Found>* out) const {
  if (avx2::Enabled())
    ScanAvx2(text, lines, n, out);
  else
    ScanPortable(text, lines, n, out);
}

}  // namespace clean

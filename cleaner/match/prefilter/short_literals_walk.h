// ShortLiterals::Walk, shared by the scanner's portable loop
// (short_literals.cc) and its AVX2 loop (short_literals_avx2.cc).
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "cleaner/match/prefilter/short_literals.h"

namespace clean {

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

}  // namespace clean

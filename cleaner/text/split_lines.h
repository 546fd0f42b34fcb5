// Splitting a page's bytes into its lines (page.h BuildPage): SplitValid,
// over 16-byte blocks (NarrowBlocks, the reference) or, for text vouched
// valid, 64-byte ones (page_avx2.cc). Included by page.cc and page_avx2.cc
// only.
#pragma once
#include <algorithm>
#include <bit>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "cleaner/base/avx2_dispatch.h"
#include "cleaner/base/text_util.h"
#include "cleaner/text/byte_classes.h"
#include "cleaner/text/page.h"

namespace clean::split_lines {

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The bytes IsAsciiSpace (text_util.h) holds, as a table.
struct AsciiSpaceTable {
  bool is[256] = {};
  constexpr AsciiSpaceTable() {
    for (unsigned char c : {' ', '\t', '\r', '\n', '\f', '\v'}) is[c] = true;
  }
};
inline constexpr AsciiSpaceTable kAsciiSpace;

// " date YYYY-MM-DD" at the very start of the first line, as written by the
// datasets' render_text.py.
inline bool ParseDateHeader(std::string_view raw, std::string* date) {
  if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
  constexpr std::string_view kPrefix = " date ";
  if (raw.substr(0, kPrefix.size()) != kPrefix || raw.size() < kPrefix.size() + 10) return false;
  std::string_view d = raw.substr(kPrefix.size(), 10);
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!IsDigit(d[i])) return false;
  if (d[4] != '-' || d[7] != '-') return false;
  if (raw.size() > kPrefix.size() + 10 && raw[kPrefix.size() + 10] != ' ') return false;
  *date = std::string(d);
  return true;
}

#ifdef __SSE2__
// Bytes of a 16-byte block x (after the block prev) that break UTF-8 as
// Utf8SequenceLength (text_util.h) defines it: a continuation byte where
// none is due or none where one is (each lead takes 1 to 3), a byte no
// sequence has (C0, C1, F5-FF), an overlong or surrogate second byte or
// one beyond U+10FFFF. All ones where broken; no branch.
inline __m128i Utf8Errors(__m128i x, __m128i prev) {
  using byte_classes_detail::InRange;
  // The bytes 1, 2 and 3 places before each of x's.
  const __m128i p1 = _mm_or_si128(_mm_slli_si128(x, 1), _mm_srli_si128(prev, 15));
  const __m128i p2 = _mm_or_si128(_mm_slli_si128(x, 2), _mm_srli_si128(prev, 14));
  const __m128i p3 = _mm_or_si128(_mm_slli_si128(x, 3), _mm_srli_si128(prev, 13));
  auto is = [](__m128i v, int c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(static_cast<char>(c))); };
  auto in = [](__m128i v, int lo, int width) {
    return InRange(v, static_cast<char>(lo), static_cast<char>(width));
  };
  const __m128i due =
      _mm_or_si128(_mm_or_si128(in(p1, 0xC0, 0x40), in(p2, 0xE0, 0x20)), in(p3, 0xF0, 0x10));
  __m128i e = _mm_xor_si128(due, in(x, 0x80, 0x40));
  e = _mm_or_si128(e, _mm_or_si128(in(x, 0xC0, 2), in(x, 0xF5, 11)));
  e = _mm_or_si128(e, _mm_and_si128(is(p1, 0xE0), in(x, 0x80, 0x20)));  // overlong
  e = _mm_or_si128(e, _mm_and_si128(is(p1, 0xED), in(x, 0xA0, 0x20)));  // surrogate
  e = _mm_or_si128(e, _mm_and_si128(is(p1, 0xF0), in(x, 0x80, 0x10)));  // overlong
  e = _mm_or_si128(e, _mm_and_si128(is(p1, 0xF4), in(x, 0x90, 0x30)));  // > U+10FFFF
  return e;
}
#endif

// Splits text into lines in one scan of 16-byte blocks (SSE2 on x86-64, a
// byte loop elsewhere): their newlines as a bit mask, with no call per
// line, and (kCheck) UTF-8 checked in blocks with non-ASCII bytes and the
// block after each. Lines with nothing to trim are already in the text's
// form (joined by '\n'): runs of them are copied at once. Returns false,
// with the page as it was, when a sequence is invalid (a valid one never
// spans a '\n', and trimming ASCII spaces cuts none: valid input needs no
// repair).
// Blocks: the 16-byte blocks above (NarrowBlocks), or Avx2Newlines for
// text vouched valid (the check is written for 16-byte blocks).
struct NarrowBlocks {
  static constexpr size_t kBlock = 16;
  using Bits = uint32_t;  // a block's bytes, bit i: byte i
  static int Count(uint32_t v) { return std::popcount(v); }
};

// kSpans (text vouched valid): also the lines' code point spans, appended
// to *spans, from code point cp_base on (1 after a dropped BOM): the code
// point index of a byte is its offset less the continuation bytes before
// it, counted by the blocks for the newlines (as LineCodePointSpans
// counts, which would scan the text again).
template <bool kCheck, typename Blocks = NarrowBlocks, bool kSpans = false>
bool SplitValid(std::string_view bytes, Page* page, std::vector<CodePointSpan>* spans = nullptr,
                uint64_t cp_base = 0) {
  constexpr size_t kBlock = Blocks::kBlock;
  static_assert(!kCheck || kBlock == 16);
  static_assert(!(kCheck && kSpans));
  const char* d = bytes.data();
  const size_t n = bytes.size();
  std::string& text = page->text;
  const size_t text_at = text.size(), lines_at = page->lines.size();
  size_t copied = 0;                 // bytes[copied, ...) are not yet in the text
  uint64_t line_start_cp = cp_base;  // kSpans: of the line's first byte
  // One line, without its '\n' (at end, code point end_cp when kSpans).
  auto add = [&](size_t start, size_t end, uint64_t end_cp) __attribute__((always_inline)) {
    if (page->lines.empty())
      page->date_header = ParseDateHeader(bytes.substr(start, end - start), &page->header_date);
    LineSpan span;
    // Most lines have nothing to trim (and no '\r', a space): one look at
    // each end, from a table.
    if (start == end || !(kAsciiSpace.is[static_cast<unsigned char>(d[start])] |
                          kAsciiSpace.is[static_cast<unsigned char>(d[end - 1])])) [[likely]] {
      if constexpr (kSpans) {
        spans->push_back({line_start_cp, end_cp});
        line_start_cp = end_cp + 1;
      }
      // Copied later, with the lines around it.
      span.begin = static_cast<uint32_t>(text.size() + (start - copied));
      span.end = static_cast<uint32_t>(span.begin + (end - start));
    } else {
      if (d[end - 1] == '\r') page->had_crlf = true;
      size_t b = start, e = end;
      while (b < e && IsAsciiSpace(static_cast<unsigned char>(d[b]))) ++b;
      while (e > b && IsAsciiSpace(static_cast<unsigned char>(d[e - 1]))) --e;
      if constexpr (kSpans) {  // the spaces trimmed are ASCII: a byte, a code point
        spans->push_back({line_start_cp + (b - start), end_cp - (end - e)});
        line_start_cp = end_cp + 1;
      }
      text.append(d + copied, start - copied);
      span.begin = static_cast<uint32_t>(text.size());
      text.append(d + b, e - b);
      span.end = static_cast<uint32_t>(text.size());
      text.push_back('\n');
      copied = end + 1;
    }
    page->lines.push_back(span);
  };
  bool valid = true;
#ifdef __SSE2__
  __m128i prev = _mm_setzero_si128(), errors = _mm_setzero_si128();
  bool prev_high = false;
#else
  size_t checked = 0;  // sequences before this were found valid
#endif
  size_t start = 0;
  uint64_t continuations = 0;  // kSpans: before the block
  for (size_t base = 0; base < n; base += kBlock) {
    const size_t len = n - base < kBlock ? n - base : kBlock;
    using Bits = typename Blocks::Bits;
    Bits newline = 0, continuation = 0;
    if constexpr (kBlock == 64) {
      newline = Blocks::template Mask<kSpans>(d + base, len, &continuation);
    } else {
#ifdef __SSE2__
      __m128i x;
      if (len == 16) {
        x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + base));
      } else {  // the last bytes, zero-padded (a sequence cut short then shows)
        alignas(16) char last[16] = {};
        std::memcpy(last, d + base, len);
        x = _mm_load_si128(reinterpret_cast<const __m128i*>(last));
      }
      newline = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('\n'))));
      if (kSpans)
        continuation = static_cast<uint32_t>(
            _mm_movemask_epi8(_mm_cmplt_epi8(x, _mm_set1_epi8(static_cast<char>(0xC0)))));
      if (kCheck) {
        const bool high = _mm_movemask_epi8(x) != 0;
        if (high || prev_high) errors = _mm_or_si128(errors, Utf8Errors(x, prev));
        prev = x;
        prev_high = high;
      }
#else
      uint32_t high = 0;
      for (size_t k = 0; k < len; ++k) {
        newline |= uint32_t{d[base + k] == '\n'} << k;
        continuation |= uint32_t{(static_cast<unsigned char>(d[base + k]) & 0xC0) == 0x80} << k;
        high |= uint32_t{static_cast<unsigned char>(d[base + k]) >= 0x80} << k;
      }
      // Each sequence starting in this block (one that began before it was
      // checked whole).
      if (kCheck && valid && high) {
        size_t i = std::max(checked, base);
        while (i < base + len) {
          if (static_cast<unsigned char>(d[i]) < 0x80) {
            ++i;
            continue;
          }
          const size_t seq = Utf8SequenceLength(bytes, i);
          if (seq == 0) {
            valid = false;
            break;
          }
          i += seq;
        }
        checked = i;
      }
#endif
    }
    for (Bits nl = newline; nl; nl &= nl - 1) {
      const int bit = std::countr_zero(nl);
      const size_t end = base + static_cast<size_t>(bit);
      uint64_t end_cp = 0;
      if constexpr (kSpans)
        end_cp = cp_base + end - continuations -
                 static_cast<uint64_t>(Blocks::Count(continuation & ((Bits{1} << bit) - 1)));
      add(start, end, end_cp);
      start = end + 1;
    }
    if constexpr (kSpans) continuations += static_cast<uint64_t>(Blocks::Count(continuation));
  }
  if (start < n) add(start, n, cp_base + n - continuations);  // no final newline
  if (copied < n) {
    text.append(d + copied, n - copied);
    if (d[n - 1] != '\n') text.push_back('\n');
  }
#ifdef __SSE2__
  // A sequence cut short by the end of a whole last block.
  if (kCheck && prev_high && n % 16 == 0)
    errors = _mm_or_si128(errors, Utf8Errors(_mm_setzero_si128(), prev));
  valid = _mm_movemask_epi8(errors) == 0;
#endif
  if (!valid) {
    text.resize(text_at);
    page->lines.resize(lines_at);
    page->had_crlf = page->date_header = false;
    page->header_date.clear();
  }
  return valid;
}

// SplitValid<false> over 64-byte blocks, without and with the spans
// (page_avx2.cc; only where avx2::Enabled()).
bool SplitValidAvx2(std::string_view bytes, Page* page);
bool SplitSpansAvx2(std::string_view bytes, Page* page, std::vector<CodePointSpan>* spans,
                    uint64_t cp_base);

}  // namespace clean::split_lines

#include "cleaner/page.h"

#include <algorithm>
#include <cstring>
#include <limits>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "cleaner/byte_scan.h"
#include "cleaner/options.h"
#include "cleaner/text_util.h"

namespace clean {

void Page::Clear() {
  name.clear();
  text.clear();
  lines.clear();
  input_bytes = 0;
  had_bom = had_crlf = final_newline = date_header = false;
  invalid_utf8 = 0;
  header_date.clear();
}

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// " date YYYY-MM-DD" at the very start of the first line, as written by the
// datasets' render_text.py.
bool ParseDateHeader(std::string_view raw, std::string* date) {
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

// The length of the valid UTF-8 sequence at q (4 bytes readable), 0 when
// it is not valid, as Utf8SequenceLength (text_util.h) says, with one
// branch: by tables of the first byte (the length, the range of the
// second byte) and a mask test of the third and fourth.
struct LeadTable {
  uint8_t len[256] = {}, lo[256] = {}, hi[256] = {};
  constexpr LeadTable() {
    for (int c = 0xC2; c <= 0xF4; ++c) {
      len[c] = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      lo[c] = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
      hi[c] = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    }
  }
  size_t Length(const unsigned char* q) const {
    // Bytes 2 and 3 (of those the length takes) are continuation bytes.
    static constexpr uint32_t kMask[5] = {0, 0, 0, 0xC00000, 0xC0C00000};
    static constexpr uint32_t kCont[5] = {0, 0, 0, 0x800000, 0x80800000};
    const unsigned c = q[0];
    const uint32_t w = uint32_t{q[2]} << 16 | uint32_t{q[3]} << 24;
    const size_t l = len[c];
    const bool ok = (w & kMask[l]) == kCont[l] && q[1] >= lo[c] && q[1] <= hi[c];
    return ok ? l : 0;
  }
};
inline constexpr LeadTable kLeads;

// Splits text into lines in one scan of 16-byte blocks (SSE2 on x86-64, a
// byte loop elsewhere): their newlines as a bit mask, with no call per
// line, and (kCheck) the UTF-8 sequences of blocks with non-ASCII bytes.
// Lines with nothing to trim are already in the text's form (joined by
// '\n'): runs of them are copied at once. Returns false, with the page as
// it was, at the first invalid sequence (a valid one never spans a '\n',
// and trimming ASCII spaces cuts none: valid input needs no repair).
template <bool kCheck>
bool SplitValid(std::string_view bytes, Page* page) {
  const char* d = bytes.data();
  const size_t n = bytes.size();
  std::string& text = page->text;
  const size_t text_at = text.size(), lines_at = page->lines.size();
  size_t copied = 0;  // bytes[copied, ...) are not yet in the text
  auto add = [&](size_t start, size_t end) {  // one line, without its '\n'
    if (end > start && d[end - 1] == '\r') page->had_crlf = true;
    if (page->lines.empty())
      page->date_header = ParseDateHeader(bytes.substr(start, end - start), &page->header_date);
    size_t b = start, e = end;
    while (b < e && IsAsciiSpace(static_cast<unsigned char>(d[b]))) ++b;
    while (e > b && IsAsciiSpace(static_cast<unsigned char>(d[e - 1]))) --e;
    LineSpan span;
    if (b == start && e == end) {  // copied later, with the lines around it
      span.begin = static_cast<uint32_t>(text.size() + (start - copied));
      span.end = static_cast<uint32_t>(span.begin + (end - start));
    } else {
      text.append(d + copied, start - copied);
      span.begin = static_cast<uint32_t>(text.size());
      text.append(d + b, e - b);
      span.end = static_cast<uint32_t>(text.size());
      text.push_back('\n');
      copied = end + 1;
    }
    page->lines.push_back(span);
  };
  struct Block {
    uint32_t newline = 0, high = 0;
  };
  auto classify = [](const char* p, size_t len) {
    Block m;
#ifdef __SSE2__
    if (len == 16) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      m.newline = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('\n'))));
      m.high = static_cast<uint32_t>(_mm_movemask_epi8(x));
      return m;
    }
#endif
    for (size_t k = 0; k < len; ++k) {
      m.newline |= uint32_t{p[k] == '\n'} << k;
      m.high |= uint32_t{static_cast<unsigned char>(p[k]) >= 0x80} << k;
    }
    return m;
  };
  size_t start = 0, checked = 0;  // sequences before `checked` are valid
  for (size_t base = 0; base < n; base += 16) {
    const size_t len = n - base < 16 ? n - base : 16;
    const Block m = classify(d + base, len);
    if (kCheck && m.high) {
      // Each sequence starting in this block (the one that began before
      // it was checked whole).
      uint32_t lead = checked > base ? m.high & (~0u << (checked - base)) : m.high;
      while (lead) {
        const size_t i = base + static_cast<size_t>(__builtin_ctz(lead));
        const size_t seq = i + 4 <= n ? kLeads.Length(reinterpret_cast<const unsigned char*>(d + i))
                                      : Utf8SequenceLength(bytes, i);
        if (seq == 0) {
          text.resize(text_at);
          page->lines.resize(lines_at);
          page->had_crlf = page->date_header = false;
          page->header_date.clear();
          return false;
        }
        checked = i + seq;
        lead = checked - base >= 16 ? 0 : lead & (~0u << (checked - base));
      }
    }
    for (uint32_t nl = m.newline; nl; nl &= nl - 1) {
      const size_t end = base + static_cast<size_t>(__builtin_ctz(nl));
      add(start, end);
      start = end + 1;
    }
  }
  if (start < n) add(start, n);  // no final newline
  if (copied < n) {
    text.append(d + copied, n - copied);
    if (d[n - 1] != '\n') text.push_back('\n');
  }
  return true;
}

}  // namespace

bool BuildPage(std::string_view bytes, const Options& options, Page* page, std::string* error,
               bool valid_utf8) {
  page->input_bytes = bytes.size();
  if (bytes.size() >= std::numeric_limits<uint32_t>::max() / 2) {
    *error = "input too large (" + std::to_string(bytes.size()) + " bytes; at most 2 GB a page)";
    return false;
  }
  size_t sniff = std::min(bytes.size(), static_cast<size_t>(options.binary_sniff_bytes));
  if (const void* nul = std::memchr(bytes.data(), '\0', sniff)) {
    size_t at = static_cast<const char*>(nul) - bytes.data();
    *error = "binary input (NUL byte at offset " + std::to_string(at) + "), not cleaned";
    return false;
  }
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    page->had_bom = true;
    bytes.remove_prefix(3);
  }
  page->final_newline = !bytes.empty() && bytes.back() == '\n';
  page->text.reserve(bytes.size() + 16);
  // Valid UTF-8 (the usual case) needs no repair: its lines are found in
  // one scan; otherwise each line is repaired.
  if (valid_utf8 ? SplitValid<false>(bytes, page) : SplitValid<true>(bytes, page)) return true;
  size_t start = 0;
  while (start < bytes.size()) {
    const void* nl = std::memchr(bytes.data() + start, '\n', bytes.size() - start);
    size_t end = nl ? static_cast<const char*>(nl) - bytes.data() : bytes.size();
    std::string_view raw = bytes.substr(start, end - start);
    if (!raw.empty() && raw.back() == '\r') page->had_crlf = true;
    if (page->lines.empty()) page->date_header = ParseDateHeader(raw, &page->header_date);
    std::string_view t = TrimAscii(raw);
    LineSpan span;
    span.begin = static_cast<uint32_t>(page->text.size());
    page->invalid_utf8 += AppendRepaired(t, &page->text);
    span.end = static_cast<uint32_t>(page->text.size());
    page->text.push_back('\n');
    page->lines.push_back(span);
    start = end + 1;
  }
  return true;
}

}  // namespace clean

#include "cleaner/text/page.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "cleaner/base/avx2_dispatch.h"
#include "cleaner/base/options.h"
#include "cleaner/base/text_util.h"
#include "cleaner/text/split_lines.h"

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

size_t Page::LineAt(size_t pos) const {
  auto it = std::upper_bound(lines.begin(), lines.end(), pos,
                             [](size_t p, const LineSpan& l) { return p < l.begin; });
  return static_cast<size_t>(it - lines.begin()) - 1;
}

namespace {

using namespace split_lines;

// SplitValid for text vouched valid: 64 bytes at a time where the CPU has
// AVX2 (a quarter of the blocks, in the line splitting of every JSONL
// record); and
// the spans when asked for.
bool SplitVouched(std::string_view bytes, Page* page, std::vector<CodePointSpan>* spans,
                  uint64_t cp_base) {
#ifdef CLEAN_AVX2_VARIANTS
  if (avx2::Enabled())
    return spans ? SplitSpansAvx2(bytes, page, spans, cp_base) : SplitValidAvx2(bytes, page);
#endif
  return spans ? SplitValid<false, NarrowBlocks, true>(bytes, page, spans, cp_base)
               : SplitValid<false>(bytes, page);
}

}  // namespace

bool BuildPage(std::string_view bytes, const Options& options, Page* page, std::string* error,
               bool valid_utf8, std::vector<CodePointSpan>* spans) {
  if (spans) spans->clear();
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
  // Old Mac text ends its lines with a lone CR: read as '\n' (the copy is
  // only made for text that has one).
  std::string cr_as_newline;
  if (ReplaceLoneCr(bytes, &cr_as_newline)) bytes = cr_as_newline;
  page->final_newline = !bytes.empty() && bytes.back() == '\n';
  page->text.reserve(bytes.size() + 16);
  // Valid UTF-8 (the usual case) needs no repair: its lines are found in
  // one scan; otherwise each line is repaired.
  if (valid_utf8 ? SplitVouched(bytes, page, spans, page->had_bom) : SplitValid<true>(bytes, page))
    return true;
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

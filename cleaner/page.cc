#include "cleaner/page.h"

#include <cstring>
#include <limits>

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
  size_t start = 0;
  while (start < bytes.size()) {
    const void* nl = std::memchr(bytes.data() + start, '\n', bytes.size() - start);
    size_t end = nl ? static_cast<const char*>(nl) - bytes.data() : bytes.size();
    std::string_view raw = bytes.substr(start, end - start);
    if (!raw.empty() && raw.back() == '\r') page->had_crlf = true;
    if (page->lines.empty()) {
      std::string_view first = raw;
      if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
      page->date_header = ParseDateHeader(first, &page->header_date);
    }
    std::string_view t = TrimAscii(raw);
    LineSpan span;
    span.begin = static_cast<uint32_t>(page->text.size());
    if (valid_utf8) page->text.append(t);
    else page->invalid_utf8 += AppendRepaired(t, &page->text);
    span.end = static_cast<uint32_t>(page->text.size());
    page->text.push_back('\n');
    page->lines.push_back(span);
    start = end + 1;
  }
  return true;
}

}  // namespace clean

// Bytes of an HTML page to UTF-8: a BOM first, then valid UTF-8 as it is,
// else the charsets the page declares (<meta charset>, http-equiv
// content-type, in the first 200 kB), else windows-1252 — the order of
// ../shared/datasets/render_text.py, with the WHATWG label aliases browsers
// use (latin-1 and ascii mean windows-1252). Decoding goes through glibc's
// iconv (this is the only file that includes iconv.h).
#pragma once
#include <string>
#include <string_view>

namespace clean {

struct CharsetInfo {
  std::string name;         // "utf-8", "windows-1251", "shift_jis", ...
  std::string_view source;  // "bom", "utf-8" (valid as is), "declared", "fallback"
  size_t replaced = 0;      // bytes that did not decode, each now U+FFFD
};

// Returns the page as UTF-8: a view of `bytes` (less a BOM) when it already
// is, else of *scratch, which holds the decoded text. Never fails: bytes
// that do not decode become U+FFFD (counted in info->replaced).
std::string_view DecodeToUtf8(std::string_view bytes, std::string* scratch, CharsetInfo* info);

// Decodes `bytes` from `charset` (an iconv name) into *out. With `strict`,
// returns false at the first byte that does not decode; otherwise replaces
// it by U+FFFD and counts it in *replaced. False when iconv lacks `charset`.
bool DecodeCharset(std::string_view bytes, const std::string& charset, bool strict,
                   std::string* out, size_t* replaced);

}  // namespace clean

// Bytes of an HTML page to UTF-8: a charset forced by the caller (--encoding)
// first; else a BOM, then valid UTF-8 as it is, else the charsets the page
// declares (<meta charset>, http-equiv content-type, in the first 200 kB)
// that the bytes are valid in, else libuchardet's guess (a web encoding the
// bytes are valid in, on at least detect_min_bytes non-ASCII bytes), else
// declared UTF-8 repaired or a declared charset with replacements, else
// windows-1252 — the order of ../shared/datasets/render_text.py with the
// guess added, and the WHATWG label aliases browsers use (latin-1 and ascii
// mean windows-1252). Decoding goes through glibc's iconv (this is the only
// file that includes iconv.h).
#pragma once
#include <string>
#include <string_view>

namespace clean {

struct CharsetInfo {
  std::string name;  // "utf-8", "windows-1251", "shift_jis", ...
  // How it was chosen: "forced", "bom", "utf-8" (valid as is), "declared",
  // "detected", "fallback".
  std::string_view source;
  size_t replaced = 0;  // bytes that did not decode, each now U+FFFD
};

// What the caller decides about the charset.
struct CharsetChoice {
  std::string forced;        // a charset name (--encoding); empty: find it
  int detect_min_bytes = 8;  // Options::charset_detect_min_bytes
};

// Returns the page as UTF-8: a view of `bytes` (less a BOM) when it already
// is, else of *scratch, which holds the decoded text. Never fails: bytes
// that do not decode become U+FFFD (counted in info->replaced).
std::string_view DecodeToUtf8(std::string_view bytes, std::string* scratch, CharsetInfo* info,
                              const CharsetChoice& choice = {});

// A charset name in lower case with the WHATWG aliases applied ("Latin1"
// -> "windows-1252"), and whether iconv can decode it.
std::string CanonicalCharset(std::string_view name);
bool CharsetKnown(std::string_view name);

// Decodes `bytes` from `charset` (an iconv name) into *out. With `strict`,
// returns false at the first byte that does not decode; otherwise replaces
// it by U+FFFD and counts it in *replaced. False when iconv lacks `charset`.
bool DecodeCharset(std::string_view bytes, const std::string& charset, bool strict,
                   std::string* out, size_t* replaced);

}  // namespace clean

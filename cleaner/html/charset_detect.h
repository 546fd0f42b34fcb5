// The libuchardet adapter (the only file that includes uchardet.h): a guess
// at the charset of bytes that declare none, from their byte statistics.
#pragma once
#include <string>
#include <string_view>

namespace clean {

// uchardet's guess for `bytes` (at most their first `max_bytes` are read),
// in lower case ("windows-1251", "shift_jis", "gb18030", "utf-8", ...), or
// empty when it has none. A guess on little non-ASCII text is often wrong:
// the caller decides when to trust it (charset.cc).
std::string DetectCharset(std::string_view bytes, size_t max_bytes);

}  // namespace clean

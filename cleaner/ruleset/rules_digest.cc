#include "cleaner/ruleset/rules_digest.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "cleaner/io/byte_stream.h"

namespace clean {

namespace {

constexpr uint64_t kFnvOffset = 14695981039346656037ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;

void Mix(uint64_t* h, std::string_view s) {
  for (unsigned char c : s) {
    *h ^= c;
    *h *= kFnvPrime;
  }
  *h ^= 0xff;  // a separator, so ("ab","c") and ("a","bc") differ
  *h *= kFnvPrime;
}

namespace fs = std::filesystem;

// Mixes the files under `dir` into *h (their paths prefixed by `prefix`).
void MixDir(const std::string& dir, const std::string& prefix, uint64_t* h) {
  std::vector<std::string> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->path().filename().string()[0] == '.') {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file()) files.push_back(fs::relative(it->path(), dir).generic_string());
  }
  std::sort(files.begin(), files.end());
  std::string bytes, error;
  for (const auto& f : files) {
    if (!ReadInput((fs::path(dir) / f).string(), &bytes, &error)) bytes = "(unreadable)";
    Mix(h, prefix + f);
    Mix(h, bytes);
  }
}

std::string Hex(uint64_t h) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "fnv1a64:";
  for (int shift = 60; shift >= 0; shift -= 4) out.push_back(kHex[(h >> shift) & 15]);
  return out;
}

}  // namespace

std::string RulesDigest(const std::string& dir, const std::string& extra) {
  uint64_t h = kFnvOffset;
  MixDir(dir, "", &h);
  if (!extra.empty()) MixDir(extra, "extra/", &h);
  return Hex(h);
}

std::string FileDigest(const std::string& path) {
  std::string bytes, error;
  if (!ReadInput(path, &bytes, &error)) return "fnv1a64:unreadable";
  uint64_t h = kFnvOffset;
  Mix(&h, bytes);
  return Hex(h);
}

}  // namespace clean

// An on-disk cache of the compiled prefilters (plan_prefilter.h): Hyperscan
// databases and line-head automata. Building them costs tens of
// milliseconds per plan; loading them back from the cache about a
// millisecond, so single-page runs stay fast. The cache is an optimisation
// only: a missing, unwritable or corrupt cache changes nothing but the
// time taken.
//   $CLEAN_CACHE_DIR, else $XDG_CACHE_HOME/clean, else $HOME/.cache/clean;
//   CLEAN_CACHE_DIR set to the empty string turns the cache off.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace clean {

// The cache directory from the environment ("" when there is none).
std::string DefaultCacheDir();

// The GNU build ID of the binary holding this code (hex; "" when it has
// none): a key for cache entries that depend on the code itself, not only
// on what they are built from.
const std::string& BuildId();

// FNV-1a, 64 bits: stable across builds and machines (std::hash is not).
uint64_t StableHash(std::string_view bytes, uint64_t seed = 14695981039346656037ull);

// Reads the entry `key` into *bytes; false when absent or damaged.
bool CacheRead(const std::string& dir, uint64_t key, std::string* bytes);
// The same into the caller's memory: `place(length)` returns where the
// payload goes (null: not wanted). False when absent or damaged, and then
// the placed bytes mean nothing.
bool CacheReadInto(const std::string& dir, uint64_t key, const std::function<char*(size_t)>& place);
// The most entries a cache directory keeps. Entries are keyed by the build
// of `clean` and the patterns, so each rebuilt binary or edited rule set
// adds its own (about 20 for the shipped rules), and the old ones are never
// asked for again: writing an entry past this many removes the least
// recently used (a read marks an entry used).
inline constexpr size_t kMaxCacheEntries = 400;

// Writes the entry `key` (a temporary file renamed into place, so readers
// never see half an entry), then prunes the directory to `max_entries`
// entries, and removes temporary files an interrupted writer left over an
// hour ago. Failures are ignored.
void CacheWrite(const std::string& dir, uint64_t key, std::string_view bytes,
                size_t max_entries = kMaxCacheEntries);

}  // namespace clean

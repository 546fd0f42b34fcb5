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

// An entry holds, besides its payload, the exact bytes it was built from
// (`identity`: the patterns, their flags and the versions; its key is
// usually their hash) and a checksum of the whole entry. A read gives the
// payload only when the stored identity equals `identity` byte for byte and
// the checksum holds, so a hash collision or a damaged entry is a miss.
//
// The directory is private: created 0700, and used only when it and the
// entry are owned by this user and writable by no one else (otherwise
// stderr warns once, `clean: DIR: ...`, and the cache is not used), so no
// other user can plant an entry. Entries are opened without following
// symlinks and without blocking, and only regular files are read (a FIFO
// is a miss, never a hang).

// Reads the entry `key` into *bytes; false when absent, damaged or built
// from another identity.
bool CacheRead(const std::string& dir, uint64_t key, std::string* bytes,
               std::string_view identity = {});
// The same into the caller's memory: `place(length)` returns where the
// payload goes (null: not wanted). False when absent or damaged, and then
// the placed bytes mean nothing.
bool CacheReadInto(const std::string& dir, uint64_t key, const std::function<char*(size_t)>& place,
                   std::string_view identity = {});
// True when `dir` is a directory this user owns and no one else can write
// to; warns once per directory on stderr when it is not. Creates it (0700,
// its parents as usual) when `create` and it does not exist.
bool CacheDirIsPrivate(const std::string& dir, bool create);
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
                size_t max_entries = kMaxCacheEntries, std::string_view identity = {});

}  // namespace clean

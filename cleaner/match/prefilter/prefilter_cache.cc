#include "cleaner/match/prefilter/prefilter_cache.h"

#include <fcntl.h>
#include <link.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <bit>
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <set>
#include <utility>
#include <vector>

namespace clean {

namespace fs = std::filesystem;

namespace {
constexpr std::string_view kMagic = "clean-prefilter-3\n";
// magic, key, identity length, payload length, checksum
constexpr size_t kHeadBytes = kMagic.size() + 32;

std::string EntryPath(const std::string& dir, uint64_t key) {
  char name[32];
  // The entry format is in the name too: builds of another format keep
  // their own entries instead of replacing these.
  std::snprintf(name, sizeof name, "%016llx.3.hsdb", static_cast<unsigned long long>(key));
  return (fs::path(dir) / name).string();
}

void AppendU64(std::string* s, uint64_t v) {
  for (int i = 0; i < 8; ++i) s->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// A little-endian word (one load on little-endian machines).
uint64_t ReadU64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

// The payload's checksum: four FNV-style lanes over 8-byte little-endian
// words (entries are megabytes; byte-wise FNV-1a took milliseconds per
// run), then the tail bytes and the lanes folded in.
uint64_t PayloadSum(std::string_view bytes) {
  constexpr uint64_t kPrime = 1099511628211ull;
  uint64_t lane[4] = {1, 2, 3, 4};
  size_t i = 0;
  for (; i + 32 <= bytes.size(); i += 32)
    for (int k = 0; k < 4; ++k) {
      uint64_t w = ReadU64(bytes.data() + i + 8 * k);
      lane[k] = (lane[k] ^ w ^ (w >> 29)) * kPrime;
    }
  uint64_t h = StableHash(bytes.substr(i));
  for (uint64_t l : lane) h = (h ^ l ^ (l >> 32)) * kPrime;
  return h;
}
// The checksum of a whole entry: its key, lengths, identity and payload.
uint64_t EntrySum(uint64_t key, std::string_view identity, std::string_view payload) {
  constexpr uint64_t kPrime = 1099511628211ull;
  uint64_t h = StableHash(std::to_string(key) + ":" + std::to_string(identity.size()) + ":" +
                          std::to_string(payload.size()));
  h = (h ^ PayloadSum(identity)) * kPrime;
  return (h ^ PayloadSum(payload)) * kPrime;
}

// Reads exactly `n` bytes; false on an error or a short file.
bool ReadAll(int fd, char* to, size_t n) {
  while (n > 0) {
    const ssize_t got = ::read(fd, to, n);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    to += got;
    n -= static_cast<size_t>(got);
  }
  return true;
}

bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t put = ::write(fd, bytes.data(), bytes.size());
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(put));
  }
  return true;
}

// Owned by this user and writable by no one else.
bool Private(const struct stat& st) {
  return st.st_uid == geteuid() && (st.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

// An open file descriptor, closed when it goes.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// dl_iterate_phdr's visitor: the build ID note of the loaded object whose
// segments hold BuildId's code (the executable, or the Python module when
// the library is linked into one).
int FindBuildId(dl_phdr_info* info, size_t, void* out) {
  const auto here = reinterpret_cast<ElfW(Addr)>(&BuildId);
  bool mine = false;
  for (int i = 0; i < info->dlpi_phnum && !mine; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    const ElfW(Addr) begin = info->dlpi_addr + ph.p_vaddr;
    mine = ph.p_type == PT_LOAD && here >= begin && here < begin + ph.p_memsz;
  }
  if (!mine) return 0;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_NOTE) continue;
    const char* p = reinterpret_cast<const char*>(info->dlpi_addr + ph.p_vaddr);
    const char* end = p + ph.p_memsz;
    auto align4 = [](size_t n) { return (n + 3) & ~size_t{3}; };
    while (p + sizeof(ElfW(Nhdr)) <= end) {
      ElfW(Nhdr) nh;
      std::memcpy(&nh, p, sizeof nh);
      const char* name = p + sizeof nh;
      const char* desc = name + align4(nh.n_namesz);
      if (desc + nh.n_descsz > end) break;
      if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0) {
        auto* id = static_cast<std::string*>(out);
        for (size_t k = 0; k < nh.n_descsz; ++k) {
          char hex[3];
          std::snprintf(hex, sizeof hex, "%02x", static_cast<unsigned char>(desc[k]));
          id->append(hex);
        }
        return 1;
      }
      p = desc + align4(nh.n_descsz);
    }
  }
  return 1;  // this object, but without an ID
}
// Keeps the `max_entries` most recently used entries of `dir` (by their
// modification time, which a read sets) and removes the rest, and the
// temporary files of writers that stopped over an hour ago. Another
// process pruning at the same time, or reading an entry removed here, is
// harmless: an open entry stays readable, and a missing one is rebuilt.
void Prune(const std::string& dir, size_t max_entries) {
  std::error_code ec;
  std::vector<std::pair<fs::file_time_type, fs::path>> entries;
  const auto now = fs::file_time_type::clock::now();
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& path = it->path();
    const std::string name = path.filename().string();
    std::error_code e;
    const fs::file_time_type when = fs::last_write_time(path, e);
    if (e || !it->is_regular_file(e)) continue;
    if (name.ends_with(".hsdb")) {
      entries.emplace_back(when, path);
    } else if (name.find(".hsdb.tmp") != std::string::npos && now - when > std::chrono::hours(1)) {
      fs::remove(path, e);
    }
  }
  if (entries.size() <= max_entries) return;
  std::sort(entries.begin(), entries.end());
  for (size_t i = 0; i < entries.size() - max_entries; ++i) fs::remove(entries[i].second, ec);
}
}  // namespace

const std::string& BuildId() {
  static const std::string id = [] {
    std::string s;
    dl_iterate_phdr(&FindBuildId, &s);
    return s;
  }();
  return id;
}

std::string DefaultCacheDir() {
  if (const char* d = std::getenv("CLEAN_CACHE_DIR")) return d;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x)
    return (fs::path(x) / "clean").string();
  if (const char* h = std::getenv("HOME"); h && *h)
    return (fs::path(h) / ".cache" / "clean").string();
  return "";
}

uint64_t StableHash(std::string_view bytes, uint64_t h) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

bool CacheDirIsPrivate(const std::string& dir, bool create) {
  if (dir.empty()) return false;
  if (create) {
    std::error_code ec;
    const fs::path parent = fs::path(dir).lexically_normal().parent_path();
    if (!parent.empty()) fs::create_directories(parent, ec);
    ::mkdir(dir.c_str(), 0700);  // already there: checked below like any other
  }
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) return false;  // no cache yet
  if (S_ISDIR(st.st_mode) && Private(st)) return true;
  static std::mutex mutex;
  static std::set<std::string> warned;
  std::lock_guard<std::mutex> lock(mutex);
  if (warned.insert(dir).second)
    std::fprintf(stderr,
                 "clean: %s: the prefilter cache is not used: %s (it must be a directory of "
                 "this user's that no one else can write to)\n",
                 dir.c_str(),
                 !S_ISDIR(st.st_mode)     ? "not a directory"
                 : st.st_uid != geteuid() ? "owned by another user"
                                          : "writable by others");
  return false;
}

bool CacheReadInto(const std::string& dir, uint64_t key, const std::function<char*(size_t)>& place,
                   std::string_view identity) {
  if (dir.empty() || !CacheDirIsPrivate(dir, false)) return false;
  const std::string path = EntryPath(dir, key);
  Fd in{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)};
  struct stat st;
  if (in.fd < 0 || ::fstat(in.fd, &st) != 0 || !S_ISREG(st.st_mode)) return false;
  if (!Private(st)) {
    CacheDirIsPrivate(dir, false);  // the directory may be fine: the entry is skipped
    return false;
  }
  const auto size = static_cast<uint64_t>(st.st_size);
  char h[kHeadBytes];
  if (size < kHeadBytes || !ReadAll(in.fd, h, sizeof h)) return false;
  std::string_view hv(h, sizeof h);
  if (hv.substr(0, kMagic.size()) != kMagic) return false;
  const char* rest = h + kMagic.size();
  const uint64_t k = ReadU64(rest), id_len = ReadU64(rest + 8), len = ReadU64(rest + 16),
                 sum = ReadU64(rest + 24);
  if (k != key || id_len != identity.size() || id_len > size - kHeadBytes ||
      len != size - kHeadBytes - id_len)
    return false;
  std::string stored(static_cast<size_t>(id_len), '\0');
  if (!ReadAll(in.fd, stored.data(), stored.size()) || stored != identity) return false;
  // The payload is read straight into place (entries are megabytes: no
  // second copy) and checked there.
  char* to = place(static_cast<size_t>(len));
  if (!to || !ReadAll(in.fd, to, static_cast<size_t>(len)) ||
      EntrySum(key, identity, std::string_view(to, static_cast<size_t>(len))) != sum)
    return false;
  // Used now: pruning removes the least recently used entries first (a
  // read-only cache directory only makes this fail).
  ::futimens(in.fd, nullptr);
  return true;
}

bool CacheRead(const std::string& dir, uint64_t key, std::string* bytes,
               std::string_view identity) {
  bool ok = CacheReadInto(
      dir, key,
      [bytes](size_t len) {
        bytes->resize(len);
        return bytes->data();
      },
      identity);
  if (!ok) bytes->clear();
  return ok;
}

void CacheWrite(const std::string& dir, uint64_t key, std::string_view bytes, size_t max_entries,
                std::string_view identity) {
  if (dir.empty() || !CacheDirIsPrivate(dir, true)) return;
  std::error_code ec;
  std::string entry(kMagic);
  AppendU64(&entry, key);
  AppendU64(&entry, identity.size());
  AppendU64(&entry, bytes.size());
  AppendU64(&entry, EntrySum(key, identity, bytes));
  entry.append(identity);
  entry.append(bytes);
  std::string final_path = EntryPath(dir, key);
  static std::atomic<unsigned> serial{0};
  std::string tmp = final_path + ".tmp" + std::to_string(getpid()) + "." + std::to_string(serial++);
  {
    // A new file of this user's (O_EXCL: never one planted under the name).
    Fd out{::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)};
    if (out.fd < 0) return;
    if (!WriteAll(out.fd, entry)) {
      fs::remove(tmp, ec);
      return;
    }
  }
  fs::rename(tmp, final_path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return;
  }
  Prune(dir, max_entries);
}

}  // namespace clean

#include "cleaner/io/byte_stream.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>

namespace clean {

namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// File descriptors, not FILE*: an input is read with as few read calls as
// its size allows and an output written with one write call per Write (or
// per buffer of small ones), which matters when --out-dir writes two small
// files per page.

// Opens `path` for reading and checks that it is not a directory; -1 with
// *error set (errno's text, or `directory` for a directory). *st is the
// open file's.
int OpenForReading(const std::string& path, std::string_view directory, struct stat* st,
                   std::string* error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = std::strerror(errno);
    return -1;
  }
  if (::fstat(fd, st) != 0) {
    *error = std::strerror(errno);
    ::close(fd);
    return -1;
  }
  if (S_ISDIR(st->st_mode)) {
    *error = directory;
    ::close(fd);
    return -1;
  }
  return fd;
}

// read() retried on EINTR.
ssize_t ReadSome(int fd, char* buf, size_t cap) {
  while (true) {
    ssize_t n = ::read(fd, buf, cap);
    if (n >= 0 || errno != EINTR) return n;
  }
}

// Writes all of [p, p + n) to fd; false with errno set.
bool WriteAll(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

class FileInput : public InputStream {
 public:
  explicit FileInput(int fd, bool owned) : fd_(fd), owned_(owned) {}
  ~FileInput() override {
    if (owned_) ::close(fd_);
  }
  bool Read(char* buf, size_t cap, size_t* got, std::string* error) override {
    ssize_t n = ReadSome(fd_, buf, cap);
    if (n < 0) {
      *got = 0;
      *error = std::string("read error: ") + std::strerror(errno);
      return false;
    }
    *got = static_cast<size_t>(n);
    pos_ += *got;
    return true;
  }
  uint64_t raw_position() const override { return pos_; }

 private:
  int fd_;
  bool owned_;
  uint64_t pos_ = 0;
};

// Bytes read ahead (an input's head, or a whole input in memory), then the
// rest of `rest` when there is one.
class HeadInput : public InputStream {
 public:
  HeadInput(std::string head, std::unique_ptr<InputStream> rest)
      : head_(std::move(head)), rest_(std::move(rest)) {}
  bool Read(char* buf, size_t cap, size_t* got, std::string* error) override {
    if (pos_ < head_.size()) {
      *got = std::min(cap, head_.size() - pos_);
      std::memcpy(buf, head_.data() + pos_, *got);
      pos_ += *got;
      return true;
    }
    if (rest_) return rest_->Read(buf, cap, got, error);
    *got = 0;
    return true;
  }
  uint64_t raw_position() const override { return rest_ ? rest_->raw_position() : pos_; }

 private:
  std::string head_;
  size_t pos_ = 0;
  std::unique_ptr<InputStream> rest_;
};

// `raw` read through the decompressor of `c`.
std::unique_ptr<InputStream> Decompressing(Compression c, std::unique_ptr<InputStream> raw) {
  switch (c) {
    case Compression::kGzip: return NewGzipReader(std::move(raw));
    case Compression::kZstd: return NewZstdReader(std::move(raw));
    case Compression::kBzip2: return NewBzip2Reader(std::move(raw));
    case Compression::kXz: return NewXzReader(std::move(raw));
    case Compression::kNone: break;
  }
  return raw;
}

class StdoutOutput : public OutputStream {
 public:
  bool Write(std::string_view data, std::string* error) override {
    if (data.empty() || std::fwrite(data.data(), 1, data.size(), stdout) == data.size())
      return true;
    *error = std::strerror(errno);
    return false;
  }
  bool Close(std::string* error) override {
    if (std::fflush(stdout) == 0) return true;
    *error = std::strerror(errno);
    return false;
  }
};

// Writes to a temporary file beside PATH, renamed to PATH on Close; or, when
// PATH is a device or a pipe (tmp empty: in place), to PATH itself. PATH
// and tmp are relative to the directory dir_fd (AT_FDCWD: the working
// directory). The first write error is kept (failure_): later writes and
// the close fail with it and the temporary file is removed.
class FileOutput : public OutputStream {
 public:
  FileOutput(int fd, int dir_fd, std::string path, std::string tmp, bool durable)
      : fd_(fd), dir_fd_(dir_fd), path_(std::move(path)), tmp_(std::move(tmp)), durable_(durable) {}
  ~FileOutput() override {
    if (fd_ >= 0) {  // not closed: an error path; leave nothing behind
      ::close(fd_);
      if (!tmp_.empty()) ::unlinkat(dir_fd_, tmp_.c_str(), 0);
    }
  }
  bool Write(std::string_view data, std::string* error) override {
    if (!failure_.empty()) return Failed(error);
    if (data.size() < kSmall) {  // gathered, so that small writes cost no call each
      if (buf_.size() + data.size() > kBuffer && !Flush(error)) return false;
      buf_.append(data);
      return true;
    }
    return Flush(error) && Put(data, error);
  }
  bool Close(std::string* error) override {
    if (fd_ < 0) return failure_.empty() || Failed(error);
    bool ok = failure_.empty() ? Flush(error) : Failed(error);
    if (ok && durable_ && !tmp_.empty() && ::fsync(fd_) != 0) ok = Fail(error);
    if (::close(fd_) != 0 && ok) ok = Fail(error);
    fd_ = -1;
    if (tmp_.empty()) return ok;
    if (ok && ::renameat(dir_fd_, tmp_.c_str(), dir_fd_, path_.c_str()) != 0) ok = Fail(error);
    if (!ok)
      ::unlinkat(dir_fd_, tmp_.c_str(), 0);
    else if (durable_ && !SyncDirectory())
      ok = Fail(error);
    return ok;
  }

 private:
  static constexpr size_t kSmall = 1 << 13, kBuffer = 1 << 16;

  // Keeps errno's text as the failure; false.
  bool Fail(std::string* error) {
    failure_ = std::strerror(errno);
    return Failed(error);
  }
  bool Failed(std::string* error) const {
    *error = failure_;
    return false;
  }
  bool Put(std::string_view data, std::string* error) {
    return WriteAll(fd_, data.data(), data.size()) || Fail(error);
  }
  bool Flush(std::string* error) {
    bool ok = Put(buf_, error);
    buf_.clear();
    return ok;
  }
  // fsync of the directory that holds PATH, so that the rename is durable.
  bool SyncDirectory() const {
    if (dir_fd_ != AT_FDCWD) return ::fsync(dir_fd_) == 0;
    size_t slash = path_.rfind('/');
    std::string dir = slash == std::string::npos ? "." : path_.substr(0, slash + 1);
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
  }

  int fd_;
  int dir_fd_;
  std::string path_, tmp_;
  bool durable_;
  std::string buf_, failure_;
};

// 8 random characters of [0-9a-z] for a temporary file name.
std::string RandomSuffix() {
  static std::atomic<uint64_t> counter{0};
  uint64_t x = 0;
  if (::getrandom(&x, sizeof x, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof x))
    x = static_cast<uint64_t>(::getpid()) << 32;
  x ^= (counter.fetch_add(1) + 1) * 0x9E3779B97F4A7C15ull;  // distinct within the process
  x ^= static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  std::string s(8, '0');
  for (char& c : s) {
    c = "0123456789abcdefghijklmnopqrstuvwxyz"[x % 36];
    x /= 36;
  }
  return s;
}

bool IsSuffixChar(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'); }

// Creates the temporary file of `path` (relative to dir_fd): a new name
// each try, O_EXCL|O_NOFOLLOW, so that nothing planted under the name (a
// symbolic link, a file) is ever followed or reused. -1 with errno set.
int CreateTemp(int dir_fd, const std::string& path, std::string* tmp) {
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  std::string_view name = std::string_view(path).substr(dir.size());
  for (int attempt = 0; attempt < 100; ++attempt) {
    *tmp = dir + TempNameFor(name);
    int fd =
        ::openat(dir_fd, tmp->c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  return -1;  // errno is EEXIST
}

// What an existing non-regular file under an output's name is, for the
// message that refuses it.
const char* KindOf(mode_t mode) {
  if (S_ISDIR(mode)) return "is a directory";
  if (S_ISFIFO(mode)) return "is a named pipe (FIFO), not a regular file";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "is a device, not a regular file";
  return "is not a regular file";
}

// Opens `path` (relative to dir_fd) for writing as FileOutput does, the
// compression its extension asks for on top. `existing`: what is at path,
// as stat says: 0 for nothing or a regular file (written to a temporary
// file, then renamed), else its st_mode (a directory is refused, anything
// else is written in place unless options.regular_only refuses it).
std::unique_ptr<OutputStream> OpenFileOutput(int dir_fd, const std::string& path, mode_t existing,
                                             const OutputOptions& options, std::string* error) {
  // An existing device or pipe (/dev/null, /dev/stdout, a FIFO) is written
  // in place: a temporary file renamed over it would replace the device by
  // a file.
  bool in_place = existing != 0;
  if (in_place && (S_ISDIR(existing) || options.regular_only)) {
    *error = KindOf(existing);
    return nullptr;
  }
  std::string tmp;
  int fd = in_place ? ::openat(dir_fd, path.c_str(), O_WRONLY | O_CLOEXEC)
                    : CreateTemp(dir_fd, path, &tmp);
  if (fd < 0) {
    *error = std::strerror(errno);
    return nullptr;
  }
  std::unique_ptr<OutputStream> raw =
      std::make_unique<FileOutput>(fd, dir_fd, path, std::move(tmp), options.durable);
  switch (CompressionOf(path)) {
    case Compression::kGzip: return NewGzipWriter(std::move(raw));
    case Compression::kZstd: return NewZstdWriter(std::move(raw));
    default: break;  // no other extension is recognised
  }
  return raw;
}

// What OpenFileOutput's `existing` is for the stat of a path.
mode_t NonRegular(const struct stat& st) { return S_ISREG(st.st_mode) ? 0 : st.st_mode; }

}  // namespace

Compression CompressionOf(std::string_view path) {
  if (EndsWith(path, ".gz")) return Compression::kGzip;
  if (EndsWith(path, ".zst")) return Compression::kZstd;
  return Compression::kNone;
}

std::string_view StripCompression(std::string_view path) {
  for (std::string_view ext : {".gz", ".zst", ".bz2", ".xz"})
    if (EndsWith(path, ext)) return path.substr(0, path.size() - ext.size());
  return path;
}

std::string_view StripReadOnlyCompression(std::string_view path) {
  for (std::string_view ext : {".bz2", ".xz"})
    if (EndsWith(path, ext)) return path.substr(0, path.size() - ext.size());
  return path;
}

Compression CompressionOfBytes(std::string_view head) {
  auto starts = [&](std::string_view magic) { return head.substr(0, magic.size()) == magic; };
  if (starts("\x1f\x8b")) return Compression::kGzip;
  if (starts("\x28\xb5\x2f\xfd")) return Compression::kZstd;
  if (starts(std::string_view("\xfd"
                              "7zXZ\0",
                              6)))
    return Compression::kXz;
  // "BZh", the block size '1'-'9', then the magic of a block (pi) or of the
  // end of an empty stream (sqrt(pi)): a text may start with "BZh1".
  if (head.size() >= 10 && starts("BZh") && head[3] >= '1' && head[3] <= '9' &&
      (head.substr(4, 6) == "\x31\x41\x59\x26\x53\x59" ||
       head.substr(4, 6) == "\x17\x72\x45\x38\x50\x90"))
    return Compression::kBzip2;
  return Compression::kNone;
}

std::unique_ptr<InputStream> OpenInput(const std::string& path, std::string* error) {
  std::unique_ptr<InputStream> raw;
  if (path == "-") {
    raw = std::make_unique<FileInput>(STDIN_FILENO, false);
  } else {
    struct stat st;
    int fd = OpenForReading(path, "is a directory", &st, error);
    if (fd < 0) return nullptr;
    raw = std::make_unique<FileInput>(fd, true);
  }
  // The first bytes, read ahead and handed out again.
  std::string head(kMagicBytes, '\0');
  size_t have = 0, got = 0;
  do {
    if (!raw->Read(head.data() + have, head.size() - have, &got, error)) return nullptr;
    have += got;
  } while (got > 0 && have < head.size());
  head.resize(have);
  Compression c = CompressionOfBytes(head);
  if (c == Compression::kNone && path != "-") c = CompressionOf(path);
  raw = std::make_unique<HeadInput>(std::move(head), std::move(raw));
  return Decompressing(c, std::move(raw));
}

std::string TempNameFor(std::string_view name) {
  constexpr size_t kAdded = 13;  // ".XXXXXXXX.tmp"
  size_t keep = std::min<size_t>(name.size(), NAME_MAX - kAdded);
  return std::string(name.substr(0, keep)) + "." + RandomSuffix() + ".tmp";
}

std::string_view TempNameOwner(std::string_view temp) {
  if (!EndsWith(temp, ".tmp") || temp.size() <= 4) return {};
  std::string_view rest = temp.substr(0, temp.size() - 4);  // NAME or NAME.XXXXXXXX
  if (rest.size() > 9 && rest[rest.size() - 9] == '.' &&
      std::all_of(rest.end() - 8, rest.end(), IsSuffixChar))
    return rest.substr(0, rest.size() - 9);
  return rest;
}

std::unique_ptr<OutputStream> OpenOutput(const std::string& path, std::string* error,
                                         const OutputOptions& options) {
  if (path == "-") return std::make_unique<StdoutOutput>();
  struct stat st;
  mode_t existing = 0;
  if (::stat(path.c_str(), &st) == 0) {
    existing = NonRegular(st);
    // /dev/stdout (or /proc/self/fd/1) to a regular file: in place, never a
    // temporary file in /dev renamed over the link.
    if (!existing && (path.rfind("/dev/", 0) == 0 || path.rfind("/proc/", 0) == 0))
      existing = st.st_mode;
  }
  return OpenFileOutput(AT_FDCWD, path, existing, options, error);
}

OutputDir::~OutputDir() {
  if (fd_ >= 0) ::close(fd_);
}

bool OutputDir::Open(const std::string& path, std::string* error) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR* d = fd_ < 0 ? nullptr : ::fdopendir(::dup(fd_));
  if (!d) {
    *error = std::strerror(errno);
    return false;
  }
  while (const dirent* e = ::readdir(d)) {
    std::string_view name = e->d_name;
    if (e->d_type == DT_REG || e->d_type == DT_UNKNOWN) {  // an earlier run's temporary file?
      std::string_view owner = TempNameOwner(name);
      if (!owner.empty()) stale_.emplace(std::string(owner), std::string(name));
      if (e->d_type == DT_REG) continue;
    }
    if (name == "." || name == "..") continue;
    struct stat st;  // as OpenOutput's stat: through a symbolic link
    if (::fstatat(fd_, e->d_name, &st, 0) == 0 && NonRegular(st))
      non_regular_.emplace(std::string(name), NonRegular(st));
  }
  ::closedir(d);
  return true;
}

std::unique_ptr<OutputStream> OutputDir::OpenOutput(const std::string& name, std::string* error) {
  std::unique_lock<std::mutex> lock(stale_mu_);
  if (!stale_.empty()) {
    auto [first, last] = stale_.equal_range(name);
    for (auto it = first; it != last; ++it) ::unlinkat(fd_, it->second.c_str(), 0);
    stale_.erase(first, last);
  }
  lock.unlock();
  auto it = non_regular_.find(name);
  OutputOptions options;
  options.regular_only = true;
  options.durable = durable_;
  return OpenFileOutput(fd_, name, it == non_regular_.end() ? 0 : it->second, options, error);
}

bool ReadInput(const std::string& path, std::string* bytes, std::string* error) {
  int fd = STDIN_FILENO;
  // A regular file is read in one call: its size and one byte more (which
  // shows it did not grow), into the buffer as it is (no clearing first, so
  // a reused buffer is not zero-filled again).
  size_t want = 1 << 16;
  bool sized = false;
  if (path != "-") {
    struct stat st;
    fd = OpenForReading(
        path, "is a directory (give the directory itself as an input to clean every file in it)",
        &st, error);
    if (fd < 0) return false;
    if (S_ISREG(st.st_mode) && st.st_size > 0) {
      want = static_cast<size_t>(st.st_size);
      sized = true;
    }
  }
  size_t len = 0;
  bool ok = true;
  while (true) {
    size_t cap = len + want + 1;
    if (bytes->size() < cap) bytes->resize(cap);
    ssize_t n = ReadSome(fd, bytes->data() + len, cap - len);
    if (n < 0) {
      ok = false;
      *error = std::string("read error: ") + std::strerror(errno);
      break;
    }
    len += static_cast<size_t>(n);
    if (n == 0 || (sized && len == want)) break;  // the end, or all fstat promised
    sized = false;
    want = std::max(want, len);  // grow geometrically
  }
  if (fd != STDIN_FILENO) ::close(fd);
  bytes->resize(ok ? len : 0);
  return ok;
}

bool ReadAnyInput(const std::string& path, std::string* bytes, std::string* error) {
  if (!ReadInput(path, bytes, error)) return false;
  Compression c = CompressionOfBytes(std::string_view(*bytes).substr(0, kMagicBytes));
  if (c == Compression::kNone && path != "-") c = CompressionOf(path);
  if (c == Compression::kNone) return true;
  std::string compressed;
  compressed.swap(*bytes);
  bytes->clear();
  auto in = Decompressing(c, std::make_unique<HeadInput>(std::move(compressed), nullptr));
  char buf[1 << 16];
  size_t got;
  while (true) {
    if (!in->Read(buf, sizeof buf, &got, error)) return false;
    if (got == 0) return true;
    bytes->append(buf, got);
  }
}

}  // namespace clean

#include "cleaner/byte_stream.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
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

// Writes to PATH.tmp, renamed to PATH on Close; or, when PATH is a device
// or a pipe (in_place), to PATH itself. PATH is relative to the directory
// dir_fd (AT_FDCWD: the working directory).
class FileOutput : public OutputStream {
 public:
  FileOutput(int fd, int dir_fd, std::string path, bool in_place)
      : fd_(fd), dir_fd_(dir_fd), path_(std::move(path)), in_place_(in_place) {}
  ~FileOutput() override {
    if (fd_ >= 0) {  // not closed: an error path; leave nothing behind
      ::close(fd_);
      if (!in_place_) ::unlinkat(dir_fd_, (path_ + ".tmp").c_str(), 0);
    }
  }
  bool Write(std::string_view data, std::string* error) override {
    if (data.size() < kSmall) {  // gathered, so that small writes cost no call each
      if (buf_.size() + data.size() > kBuffer && !Flush(error)) return false;
      buf_.append(data);
      return true;
    }
    return Flush(error) && Put(data, error);
  }
  bool Close(std::string* error) override {
    bool ok = Flush(error);
    if (::close(fd_) != 0 && ok) ok = Failed(error);
    fd_ = -1;
    if (in_place_) return ok;
    std::string tmp = path_ + ".tmp";
    if (ok && ::renameat(dir_fd_, tmp.c_str(), dir_fd_, path_.c_str()) != 0) ok = Failed(error);
    if (!ok) ::unlinkat(dir_fd_, tmp.c_str(), 0);
    return ok;
  }

 private:
  static constexpr size_t kSmall = 1 << 13, kBuffer = 1 << 16;

  static bool Failed(std::string* error) {
    *error = std::strerror(errno);
    return false;
  }
  bool Put(std::string_view data, std::string* error) {
    return WriteAll(fd_, data.data(), data.size()) || Failed(error);
  }
  bool Flush(std::string* error) {
    bool ok = Put(buf_, error);
    buf_.clear();
    return ok;
  }

  int fd_;
  int dir_fd_;
  std::string path_;
  bool in_place_;
  std::string buf_;
};

// Opens `path` (relative to dir_fd) for writing as FileOutput does, the
// compression its extension asks for on top. `existing`: what is at path,
// as stat says: 0 for nothing or a regular file (written to PATH.tmp, then
// renamed), else its st_mode (a directory is refused, anything else is
// written in place).
std::unique_ptr<OutputStream> OpenFileOutput(int dir_fd, const std::string& path,
                                             mode_t existing, std::string* error) {
  // An existing device or pipe (/dev/null, /dev/stdout, a FIFO) is written
  // in place: a NAME.tmp renamed over it would replace the device by a file.
  bool in_place = existing != 0;
  if (in_place && S_ISDIR(existing)) {
    *error = "is a directory";
    return nullptr;
  }
  int fd = in_place ? ::openat(dir_fd, path.c_str(), O_WRONLY | O_CLOEXEC)
                    : ::openat(dir_fd, (path + ".tmp").c_str(),
                               O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) {
    *error = std::strerror(errno);
    return nullptr;
  }
  std::unique_ptr<OutputStream> raw = std::make_unique<FileOutput>(fd, dir_fd, path, in_place);
  switch (CompressionOf(path)) {
    case Compression::kGzip: return NewGzipWriter(std::move(raw));
    case Compression::kZstd: return NewZstdWriter(std::move(raw));
    case Compression::kNone: break;
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
  switch (CompressionOf(path)) {
    case Compression::kGzip: return path.substr(0, path.size() - 3);
    case Compression::kZstd: return path.substr(0, path.size() - 4);
    case Compression::kNone: break;
  }
  return path;
}

std::unique_ptr<InputStream> OpenInput(const std::string& path, std::string* error) {
  if (path == "-") return std::make_unique<FileInput>(STDIN_FILENO, false);
  struct stat st;
  int fd = OpenForReading(path, "is a directory", &st, error);
  if (fd < 0) return nullptr;
  std::unique_ptr<InputStream> raw = std::make_unique<FileInput>(fd, true);
  switch (CompressionOf(path)) {
    case Compression::kGzip: return NewGzipReader(std::move(raw));
    case Compression::kZstd: return NewZstdReader(std::move(raw));
    case Compression::kNone: break;
  }
  return raw;
}

std::unique_ptr<OutputStream> OpenOutput(const std::string& path, std::string* error) {
  if (path == "-") return std::make_unique<StdoutOutput>();
  struct stat st;
  return OpenFileOutput(AT_FDCWD, path, ::stat(path.c_str(), &st) == 0 ? NonRegular(st) : 0,
                        error);
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
    if (e->d_type == DT_REG) continue;
    std::string_view name = e->d_name;
    if (name == "." || name == "..") continue;
    struct stat st;  // as OpenOutput's stat: through a symbolic link
    if (::fstatat(fd_, e->d_name, &st, 0) == 0 && NonRegular(st))
      non_regular_.emplace(std::string(name), NonRegular(st));
  }
  ::closedir(d);
  return true;
}

std::unique_ptr<OutputStream> OutputDir::OpenOutput(const std::string& name,
                                                    std::string* error) const {
  auto it = non_regular_.find(name);
  return OpenFileOutput(fd_, name, it == non_regular_.end() ? 0 : it->second, error);
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
  if (path == "-" || CompressionOf(path) == Compression::kNone)
    return ReadInput(path, bytes, error);
  bytes->clear();
  auto in = OpenInput(path, error);
  if (!in) return false;
  char buf[1 << 16];
  size_t got;
  while (true) {
    if (!in->Read(buf, sizeof buf, &got, error)) return false;
    if (got == 0) return true;
    bytes->append(buf, got);
  }
}

}  // namespace clean

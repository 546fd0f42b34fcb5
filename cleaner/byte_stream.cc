#include "cleaner/byte_stream.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "cleaner/page.h"

namespace clean {

namespace fs = std::filesystem;

namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

class FileInput : public InputStream {
 public:
  FileInput(FILE* f, bool owned) : f_(f), owned_(owned) {}
  ~FileInput() override {
    if (owned_) std::fclose(f_);
  }
  bool Read(char* buf, size_t cap, size_t* got, std::string* error) override {
    *got = std::fread(buf, 1, cap, f_);
    pos_ += *got;
    if (*got == 0 && std::ferror(f_)) {
      *error = std::string("read error: ") + std::strerror(errno);
      return false;
    }
    return true;
  }
  uint64_t raw_position() const override { return pos_; }

 private:
  FILE* f_;
  bool owned_;
  uint64_t pos_ = 0;
};

class FileOutput : public OutputStream {
 public:
  // `path` empty: stdout.
  FileOutput(FILE* f, std::string path) : f_(f), path_(std::move(path)) {}
  ~FileOutput() override {
    if (f_ && !path_.empty()) {  // not closed: an error path; leave nothing behind
      std::fclose(f_);
      std::remove((path_ + ".tmp").c_str());
    }
  }
  bool Write(std::string_view data, std::string* error) override {
    if (data.empty() || std::fwrite(data.data(), 1, data.size(), f_) == data.size()) return true;
    *error = std::strerror(errno);
    return false;
  }
  bool Close(std::string* error) override {
    if (path_.empty()) {
      if (std::fflush(f_) != 0) {
        *error = std::strerror(errno);
        return false;
      }
      return true;
    }
    bool ok = std::fclose(f_) == 0;
    f_ = nullptr;
    std::string tmp = path_ + ".tmp";
    if (!ok) {
      *error = std::strerror(errno);
      std::remove(tmp.c_str());
      return false;
    }
    std::error_code ec;
    fs::rename(tmp, path_, ec);
    if (ec) {
      *error = ec.message();
      std::remove(tmp.c_str());
      return false;
    }
    return true;
  }

 private:
  FILE* f_;
  std::string path_;
};

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
  if (path == "-") return std::make_unique<FileInput>(stdin, false);
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    *error = "is a directory";
    return nullptr;
  }
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    *error = std::strerror(errno);
    return nullptr;
  }
  std::unique_ptr<InputStream> raw = std::make_unique<FileInput>(f, true);
  switch (CompressionOf(path)) {
    case Compression::kGzip: return NewGzipReader(std::move(raw));
    case Compression::kZstd: return NewZstdReader(std::move(raw));
    case Compression::kNone: break;
  }
  return raw;
}

std::unique_ptr<OutputStream> OpenOutput(const std::string& path, std::string* error) {
  if (path == "-") return std::make_unique<FileOutput>(stdout, "");
  FILE* f = std::fopen((path + ".tmp").c_str(), "wb");
  if (!f) {
    *error = std::strerror(errno);
    return nullptr;
  }
  std::unique_ptr<OutputStream> raw = std::make_unique<FileOutput>(f, path);
  switch (CompressionOf(path)) {
    case Compression::kGzip: return NewGzipWriter(std::move(raw));
    case Compression::kZstd: return NewZstdWriter(std::move(raw));
    case Compression::kNone: break;
  }
  return raw;
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

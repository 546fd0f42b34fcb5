// The zlib adapter: gzip reading (concatenated members too) and writing.
#include <zlib.h>

#include <vector>

#include "cleaner/io/byte_stream.h"

namespace clean {

namespace {

constexpr size_t kChunk = 1 << 16;
constexpr int kGzipWindow = 15 + 16;  // gzip wrapper only
constexpr int kGzipLevel = 6;         // zlib's default trade-off

class GzipReader : public InputStream {
 public:
  explicit GzipReader(std::unique_ptr<InputStream> raw) : raw_(std::move(raw)), in_(kChunk) {
    ok_ = inflateInit2(&z_, kGzipWindow) == Z_OK;
  }
  ~GzipReader() override { inflateEnd(&z_); }

  bool Read(char* buf, size_t cap, size_t* got, std::string* error) override {
    *got = 0;
    if (!ok_) {
      *error = "zlib: cannot initialize";
      return false;
    }
    z_.next_out = reinterpret_cast<Bytef*>(buf);
    z_.avail_out = static_cast<uInt>(cap);
    while (z_.avail_out == cap) {
      if (z_.avail_in == 0 && !eof_) {
        size_t n;
        if (!raw_->Read(reinterpret_cast<char*>(in_.data()), in_.size(), &n, error)) return false;
        eof_ = n == 0;
        empty_ = empty_ && eof_;
        z_.next_in = in_.data();
        z_.avail_in = static_cast<uInt>(n);
      }
      if (z_.avail_in == 0 && eof_) {
        if (in_member_ || empty_) {  // a 0-byte file is a stream cut before its header
          *error = empty_ ? "gzip: truncated input (empty file)" : "gzip: truncated input";
          return false;
        }
        break;
      }
      int rc = inflate(&z_, Z_NO_FLUSH);
      in_member_ = true;
      if (rc == Z_STREAM_END) {
        in_member_ = false;
        inflateReset(&z_);  // a following member, if any
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        *error = std::string("gzip: ") + (z_.msg ? z_.msg : "corrupt input");
        return false;
      }
    }
    *got = cap - z_.avail_out;
    return true;
  }
  uint64_t raw_position() const override { return raw_->raw_position(); }

 private:
  std::unique_ptr<InputStream> raw_;
  std::vector<Bytef> in_;
  z_stream z_{};
  bool ok_ = false, eof_ = false, in_member_ = false;
  bool empty_ = true;  // no compressed byte read yet
};

class GzipWriter : public OutputStream {
 public:
  explicit GzipWriter(std::unique_ptr<OutputStream> raw) : raw_(std::move(raw)), out_(kChunk) {
    ok_ = deflateInit2(&z_, kGzipLevel, Z_DEFLATED, kGzipWindow, 8, Z_DEFAULT_STRATEGY) == Z_OK;
  }
  ~GzipWriter() override { deflateEnd(&z_); }

  bool Write(std::string_view data, std::string* error) override {
    return Deflate(data, Z_NO_FLUSH, error);
  }
  bool Close(std::string* error) override {
    return Deflate({}, Z_FINISH, error) && raw_->Close(error);
  }

 private:
  bool Deflate(std::string_view data, int flush, std::string* error) {
    if (!ok_) {
      *error = "zlib: cannot initialize";
      return false;
    }
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z_.avail_in = static_cast<uInt>(data.size());
    while (true) {
      z_.next_out = out_.data();
      z_.avail_out = static_cast<uInt>(out_.size());
      int rc = deflate(&z_, flush);
      if (rc == Z_STREAM_ERROR) {
        *error = "zlib: deflate failed";
        return false;
      }
      size_t n = out_.size() - z_.avail_out;
      if (!raw_->Write({reinterpret_cast<char*>(out_.data()), n}, error)) return false;
      if (flush == Z_FINISH ? rc == Z_STREAM_END : (z_.avail_in == 0 && z_.avail_out != 0))
        return true;
    }
  }

  std::unique_ptr<OutputStream> raw_;
  std::vector<Bytef> out_;
  z_stream z_{};
  bool ok_ = false;
};

}  // namespace

std::unique_ptr<InputStream> NewGzipReader(std::unique_ptr<InputStream> raw) {
  return std::make_unique<GzipReader>(std::move(raw));
}
std::unique_ptr<OutputStream> NewGzipWriter(std::unique_ptr<OutputStream> raw) {
  return std::make_unique<GzipWriter>(std::move(raw));
}

}  // namespace clean

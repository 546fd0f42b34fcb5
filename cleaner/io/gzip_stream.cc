// The zlib adapter: gzip reading (concatenated members too) and writing.
#include <zlib.h>

#include <algorithm>
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

// One whole gzip member of `data` into *member (its bytes depend on `data`
// only); an empty `data` gives an empty *member. Thread-safe.
bool GzipMember(std::string_view data, std::string* member, std::string* error) {
  member->clear();
  if (data.empty()) return true;
  z_stream z{};
  if (deflateInit2(&z, kGzipLevel, Z_DEFLATED, kGzipWindow, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    *error = "zlib: cannot initialize";
    return false;
  }
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  int rc = Z_OK;
  size_t in_left = data.size();
  // uInt counts: data over 4 GiB goes in in parts.
  while (rc != Z_STREAM_END) {
    uInt in_step = static_cast<uInt>(std::min<size_t>(in_left, 1u << 30));
    z.avail_in += in_step;  // what the step before left, if any, too
    in_left -= in_step;
    size_t have = member->size();
    member->resize(have + deflateBound(&z, in_step) + 64);
    z.next_out = reinterpret_cast<Bytef*>(member->data() + have);
    z.avail_out = static_cast<uInt>(member->size() - have);
    rc = deflate(&z, in_left == 0 ? Z_FINISH : Z_NO_FLUSH);
    member->resize(member->size() - z.avail_out);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
  }
  deflateEnd(&z);
  if (rc != Z_STREAM_END) {
    *error = "zlib: deflate failed";
    return false;
  }
  return true;
}

// A gzip stream written by Write (one member, finished at Close or before a
// chunk) and by WriteChunk (members made by GzipMember); an output with no
// byte written is one empty member, a valid gzip file.
class GzipWriter : public OutputStream {
 public:
  explicit GzipWriter(std::unique_ptr<OutputStream> raw) : raw_(std::move(raw)), out_(kChunk) {
    ok_ = deflateInit2(&z_, kGzipLevel, Z_DEFLATED, kGzipWindow, 8, Z_DEFAULT_STRATEGY) == Z_OK;
  }
  ~GzipWriter() override { deflateEnd(&z_); }

  bool Write(std::string_view data, std::string* error) override {
    streaming_ = true;
    return Deflate(data, Z_NO_FLUSH, error);
  }
  bool Close(std::string* error) override {
    return ((!streaming_ && members_) || Deflate({}, Z_FINISH, error)) && raw_->Close(error);
  }
  ChunkCompressor chunk_compressor() const override { return &GzipMember; }
  bool WriteChunk(std::string_view chunk, std::string* error) override {
    if (chunk.empty()) return true;
    if (streaming_) {  // the member Write began ends first
      if (!Deflate({}, Z_FINISH, error)) return false;
      deflateReset(&z_);
      streaming_ = false;
    }
    ++members_;
    return raw_->Write(chunk, error);
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
  bool streaming_ = false;  // a member begun by Write is open
  uint64_t members_ = 0;    // chunks written
};

}  // namespace

std::unique_ptr<InputStream> NewGzipReader(std::unique_ptr<InputStream> raw) {
  return std::make_unique<GzipReader>(std::move(raw));
}
std::unique_ptr<OutputStream> NewGzipWriter(std::unique_ptr<OutputStream> raw) {
  return std::make_unique<GzipWriter>(std::move(raw));
}

}  // namespace clean

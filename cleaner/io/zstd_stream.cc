// The libzstd adapter: zstd reading (concatenated frames too) and writing.
#include <zstd.h>

#include <vector>

#include "cleaner/io/byte_stream.h"

namespace clean {

namespace {

constexpr int kZstdLevel = 3;  // libzstd's default level

class ZstdReader : public InputStream {
 public:
  explicit ZstdReader(std::unique_ptr<InputStream> raw)
      : raw_(std::move(raw)), dctx_(ZSTD_createDCtx()), in_(ZSTD_DStreamInSize()) {}
  ~ZstdReader() override { ZSTD_freeDCtx(dctx_); }

  bool Read(char* buf, size_t cap, size_t* got, std::string* error) override {
    ZSTD_outBuffer out{buf, cap, 0};
    while (out.pos == 0) {
      if (in_pos_ == in_len_ && !eof_) {
        size_t n;
        if (!raw_->Read(in_.data(), in_.size(), &n, error)) return false;
        eof_ = n == 0;
        empty_ = empty_ && eof_;
        in_len_ = n;
        in_pos_ = 0;
      }
      if (in_pos_ == in_len_ && eof_) {
        if (pending_ || empty_) {  // a 0-byte file is a stream cut before its header
          *error = empty_ ? "zstd: truncated input (empty file)" : "zstd: truncated input";
          return false;
        }
        break;
      }
      ZSTD_inBuffer in{in_.data(), in_len_, in_pos_};
      size_t rc = ZSTD_decompressStream(dctx_, &out, &in);
      in_pos_ = in.pos;
      if (ZSTD_isError(rc)) {
        *error = std::string("zstd: ") + ZSTD_getErrorName(rc);
        return false;
      }
      pending_ = rc != 0;  // 0: a frame ended
    }
    *got = out.pos;
    return true;
  }
  uint64_t raw_position() const override { return raw_->raw_position(); }

 private:
  std::unique_ptr<InputStream> raw_;
  ZSTD_DCtx* dctx_;
  std::vector<char> in_;
  size_t in_pos_ = 0, in_len_ = 0;
  bool eof_ = false, pending_ = false;
  bool empty_ = true;  // no compressed byte read yet
};

class ZstdWriter : public OutputStream {
 public:
  explicit ZstdWriter(std::unique_ptr<OutputStream> raw)
      : raw_(std::move(raw)), cctx_(ZSTD_createCCtx()), out_(ZSTD_CStreamOutSize()) {
    ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, kZstdLevel);
  }
  ~ZstdWriter() override { ZSTD_freeCCtx(cctx_); }

  bool Write(std::string_view data, std::string* error) override {
    return Compress(data, ZSTD_e_continue, error);
  }
  bool Close(std::string* error) override {
    return Compress({}, ZSTD_e_end, error) && raw_->Close(error);
  }

 private:
  bool Compress(std::string_view data, ZSTD_EndDirective mode, std::string* error) {
    ZSTD_inBuffer in{data.data(), data.size(), 0};
    while (true) {
      ZSTD_outBuffer out{out_.data(), out_.size(), 0};
      size_t rc = ZSTD_compressStream2(cctx_, &out, &in, mode);
      if (ZSTD_isError(rc)) {
        *error = std::string("zstd: ") + ZSTD_getErrorName(rc);
        return false;
      }
      if (!raw_->Write({out_.data(), out.pos}, error)) return false;
      if (mode == ZSTD_e_end ? rc == 0 : in.pos == in.size) return true;
    }
  }

  std::unique_ptr<OutputStream> raw_;
  ZSTD_CCtx* cctx_;
  std::vector<char> out_;
};

}  // namespace

std::unique_ptr<InputStream> NewZstdReader(std::unique_ptr<InputStream> raw) {
  return std::make_unique<ZstdReader>(std::move(raw));
}
std::unique_ptr<OutputStream> NewZstdWriter(std::unique_ptr<OutputStream> raw) {
  return std::make_unique<ZstdWriter>(std::move(raw));
}

}  // namespace clean

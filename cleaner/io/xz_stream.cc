// The liblzma adapter: xz reading (concatenated streams and stream padding
// too, as `xz` reads them).
#include <lzma.h>

#include <string>
#include <vector>

#include "cleaner/io/byte_stream.h"

namespace clean {

namespace {

constexpr size_t kXzInBytes = 1 << 16;
// The decoder's memory cap: xz -9 needs 65 MiB; a header that asks for more
// is refused rather than allocated (the size is the file's to choose).
constexpr uint64_t kXzMemoryLimit = uint64_t{1} << 30;

std::string XzError(lzma_ret rc) {
  switch (rc) {
    case LZMA_FORMAT_ERROR: return "xz: corrupt input (not an xz stream)";
    case LZMA_OPTIONS_ERROR: return "xz: unsupported compression options";
    case LZMA_DATA_ERROR: return "xz: corrupt input (data error)";
    case LZMA_BUF_ERROR: return "xz: truncated input";
    case LZMA_MEM_ERROR: return "xz: out of memory";
    case LZMA_MEMLIMIT_ERROR: return "xz: the stream needs more than 1 GiB of memory to decode";
    default: return "xz: decompression error " + std::to_string(static_cast<int>(rc));
  }
}

class XzReader : public InputStream {
 public:
  explicit XzReader(std::unique_ptr<InputStream> raw) : raw_(std::move(raw)), in_(kXzInBytes) {
    init_ = lzma_stream_decoder(&strm_, kXzMemoryLimit, LZMA_CONCATENATED);
  }
  ~XzReader() override { lzma_end(&strm_); }

  bool Read(char* buf, size_t cap, size_t* got, std::string* error) override {
    if (init_ != LZMA_OK) {
      *error = XzError(init_);
      return false;
    }
    strm_.next_out = reinterpret_cast<uint8_t*>(buf);
    strm_.avail_out = cap;
    while (strm_.avail_out == cap && !ended_) {
      if (strm_.avail_in == 0 && !eof_) {
        size_t n;
        if (!raw_->Read(in_.data(), in_.size(), &n, error)) return false;
        eof_ = n == 0;
        strm_.next_in = reinterpret_cast<const uint8_t*>(in_.data());
        strm_.avail_in = n;
      }
      lzma_ret rc = lzma_code(&strm_, eof_ ? LZMA_FINISH : LZMA_RUN);
      if (rc == LZMA_STREAM_END) {
        ended_ = true;
      } else if (rc != LZMA_OK) {
        *error = XzError(rc);
        return false;
      }
    }
    *got = cap - strm_.avail_out;
    return true;
  }
  uint64_t raw_position() const override { return raw_->raw_position(); }

 private:
  std::unique_ptr<InputStream> raw_;
  std::vector<char> in_;
  lzma_stream strm_ = LZMA_STREAM_INIT;
  lzma_ret init_;
  bool eof_ = false, ended_ = false;
};

}  // namespace

std::unique_ptr<InputStream> NewXzReader(std::unique_ptr<InputStream> raw) {
  return std::make_unique<XzReader>(std::move(raw));
}

}  // namespace clean

// The libbz2 adapter: bzip2 reading (concatenated streams too, as pbzip2
// and `cat a.bz2 b.bz2` make them).
#include <bzlib.h>

#include <algorithm>
#include <string>
#include <vector>

#include "cleaner/io/byte_stream.h"

namespace clean {

namespace {

constexpr size_t kBzip2InBytes = 1 << 16;

std::string Bzip2Error(int rc) {
  switch (rc) {
    case BZ_DATA_ERROR: return "bzip2: corrupt input (data error)";
    case BZ_DATA_ERROR_MAGIC: return "bzip2: corrupt input (not a bzip2 stream)";
    case BZ_MEM_ERROR: return "bzip2: out of memory";
    default: return "bzip2: decompression error " + std::to_string(rc);
  }
}

class Bzip2Reader : public InputStream {
 public:
  explicit Bzip2Reader(std::unique_ptr<InputStream> raw)
      : raw_(std::move(raw)), in_(kBzip2InBytes) {}
  ~Bzip2Reader() override { End(); }

  bool Read(char* buf, size_t cap, size_t* got, std::string* error) override {
    // bz_stream counts in unsigned int: at most 1 GiB a call.
    cap = std::min<size_t>(cap, 1u << 30);
    size_t done = 0;
    while (done == 0) {
      if (strm_.avail_in == 0 && !eof_) {
        size_t n;
        if (!raw_->Read(in_.data(), in_.size(), &n, error)) return false;
        eof_ = n == 0;
        strm_.next_in = in_.data();
        strm_.avail_in = static_cast<unsigned>(n);
      }
      if (strm_.avail_in == 0 && eof_) {
        if (open_) {  // a stream begun and not ended
          *error = "bzip2: truncated input";
          return false;
        }
        break;
      }
      if (!open_) {  // the next stream of the file
        int rc = BZ2_bzDecompressInit(&strm_, 0, 0);
        if (rc != BZ_OK) {
          *error = Bzip2Error(rc);
          return false;
        }
        open_ = true;
      }
      strm_.next_out = buf + done;
      strm_.avail_out = static_cast<unsigned>(cap - done);
      int rc = BZ2_bzDecompress(&strm_);
      done = cap - strm_.avail_out;
      if (rc == BZ_STREAM_END) {
        End();
      } else if (rc != BZ_OK) {
        *error = Bzip2Error(rc);
        return false;
      }
    }
    *got = done;
    return true;
  }
  uint64_t raw_position() const override { return raw_->raw_position(); }

 private:
  void End() {
    if (!open_) return;
    // Keeps the unread input of the next stream (End clears neither field).
    char* next = strm_.next_in;
    unsigned avail = strm_.avail_in;
    BZ2_bzDecompressEnd(&strm_);
    strm_ = bz_stream{};
    strm_.next_in = next;
    strm_.avail_in = avail;
    open_ = false;
  }

  std::unique_ptr<InputStream> raw_;
  std::vector<char> in_;
  bz_stream strm_{};
  bool open_ = false;  // inside a stream: its end not read yet
  bool eof_ = false;
};

}  // namespace

std::unique_ptr<InputStream> NewBzip2Reader(std::unique_ptr<InputStream> raw) {
  return std::make_unique<Bzip2Reader>(std::move(raw));
}

}  // namespace clean

// Splits an InputStream into lines without loading it whole: memory is one
// buffer the size of the longest line (plus a read chunk).
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "cleaner/io/byte_stream.h"

namespace clean {

class LineReader {
 public:
  explicit LineReader(std::unique_ptr<InputStream> in) : in_(std::move(in)) {}

  // The next line, without its '\n'; valid until the next call. False at
  // the end of input, or on a read error (then *error is set). A last line
  // without '\n' is returned like the others.
  bool Next(std::string_view* line, std::string* error);

  uint64_t bytes() const { return bytes_; }  // uncompressed bytes returned so far
  uint64_t raw_position() const { return in_->raw_position(); }

 private:
  std::unique_ptr<InputStream> in_;
  std::string buf_;
  size_t begin_ = 0, end_ = 0;  // unread bytes are buf_[begin_, end_)
  bool eof_ = false;
  uint64_t bytes_ = 0;
};

}  // namespace clean

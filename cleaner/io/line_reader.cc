#include "cleaner/io/line_reader.h"

#include <cstring>

namespace clean {

namespace {
constexpr size_t kReadChunk = 1 << 18;
}

bool LineReader::Next(std::string_view* line, std::string* error) {
  size_t scanned = begin_;
  while (true) {
    const char* nl =
        static_cast<const char*>(std::memchr(buf_.data() + scanned, '\n', end_ - scanned));
    if (nl) {
      size_t at = nl - buf_.data();
      *line = std::string_view(buf_).substr(begin_, at - begin_);
      bytes_ += at + 1 - begin_;
      begin_ = at + 1;
      return true;
    }
    scanned = end_;
    if (eof_) {
      if (begin_ == end_) return false;
      *line = std::string_view(buf_).substr(begin_, end_ - begin_);
      bytes_ += end_ - begin_;
      begin_ = end_;
      return true;
    }
    // Move the partial line to the front, make room, read more.
    if (begin_ > 0) {
      std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
      scanned -= begin_;
      end_ -= begin_;
      begin_ = 0;
    }
    if (buf_.size() < end_ + kReadChunk) buf_.resize(end_ + kReadChunk);
    size_t got;
    if (!in_->Read(buf_.data() + end_, buf_.size() - end_, &got, error)) return false;
    eof_ = got == 0;
    end_ += got;
  }
}

}  // namespace clean

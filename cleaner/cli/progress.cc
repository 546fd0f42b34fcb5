#include "cleaner/cli/progress.h"

namespace clean {

namespace {
// ", ETA m:ss" for `left` seconds.
std::string Eta(double left) {
  char eta[64];
  std::snprintf(eta, sizeof eta, ", ETA %d:%02d", static_cast<int>(left) / 60,
                static_cast<int>(left) % 60);
  return eta;
}
}  // namespace

Progress::Progress(bool live, uint64_t total_raw_bytes)
    : live_(live),
      total_(total_raw_bytes),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

double Progress::Seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Progress::Update(const RunStats& s, uint64_t bytes, uint64_t raw_done) {
  if (!live_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(kProgressRefreshMs)) return;
  last_ = now;
  double secs = Seconds();
  double mb = static_cast<double>(bytes) / 1e6;
  std::string eta;
  if (total_ && raw_done && raw_done <= total_)
    eta = Eta(secs * static_cast<double>(total_ - raw_done) / static_cast<double>(raw_done));
  std::fprintf(stderr, "\rclean: %llu records, %.1f MB, %.0f records/s, %.1f MB/s%s\033[K",
               static_cast<unsigned long long>(s.records), mb,
               secs > 0 ? static_cast<double>(s.records) / secs : 0.0, secs > 0 ? mb / secs : 0.0,
               eta.c_str());
  drawn_ = true;
}

void Progress::Clear() {
  if (drawn_) std::fputs("\r\033[K", stderr);
  drawn_ = false;
}

void Progress::Finish() {
  if (drawn_) std::fputs(keep_ ? "\n" : "\r\033[K", stderr);
  drawn_ = false;
}

std::string PagesProgressLine(size_t done, size_t total, int failed, uint64_t bytes, double secs) {
  double mb = static_cast<double>(bytes) / 1e6;
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "clean: %zu/%zu pages, %d failed, %.1f MB, %.0f pages/s, %.1f MB/s", done, total,
                failed, mb, secs > 0 ? static_cast<double>(done) / secs : 0.0,
                secs > 0 ? mb / secs : 0.0);
  std::string line = buf;
  if (done && done <= total) line += Eta(secs * static_cast<double>(total - done) / done);
  return line;
}

void Progress::UpdatePages(size_t done, size_t total, int failed, uint64_t bytes, bool last) {
  if (!live_) return;
  auto now = std::chrono::steady_clock::now();
  if (!last && now - last_ < std::chrono::milliseconds(kProgressRefreshMs)) return;
  last_ = now;
  std::string line = PagesProgressLine(done, total, failed, bytes, Seconds());
  std::fprintf(stderr, "\r%s\033[K", line.c_str());
  drawn_ = keep_ = true;
}

std::string Progress::SummaryLine(const RunStats& s, uint64_t bytes) const {
  double secs = Seconds();
  double mb = static_cast<double>(bytes) / 1e6;
  char buf[256];
  std::snprintf(
      buf, sizeof buf,
      "%llu records (%llu cleaned, %llu over a limit, %llu dropped, %llu rejected), "
      "%.1f MB in %.1f s (%.0f records/s, %.1f MB/s)",
      static_cast<unsigned long long>(s.records), static_cast<unsigned long long>(s.cleaned),
      static_cast<unsigned long long>(s.over_limit), static_cast<unsigned long long>(s.dropped),
      static_cast<unsigned long long>(s.rejected), mb, secs,
      secs > 0 ? static_cast<double>(s.records) / secs : 0.0, secs > 0 ? mb / secs : 0.0);
  return buf;
}

}  // namespace clean

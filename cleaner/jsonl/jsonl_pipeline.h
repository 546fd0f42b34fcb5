// Streams JSONL through worker threads: the calling thread reads lines and
// writes results, N workers clean batches of records, each with its own
// RecordCleaner (the rules are shared read-only). With one job there is no
// worker: the calling thread cleans each line where the reader holds it. A sink that compresses in
// chunks (gzip) gets each batch's output compressed by the worker that cleaned it, a chunk per
// batch. Results are written in input order, so the output bytes are the same for any number of
// workers;
// at most a window of batches (kWindowPerJob per worker, kWindowPerJob *
// kBatchBytes input bytes per worker, or one larger batch alone) is in
// flight, so memory stays bounded whatever the input's size.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cleaner/io/byte_stream.h"
#include "cleaner/cleaner.h"
#include "cleaner/jsonl/jsonl_options.h"
#include "cleaner/io/line_reader.h"
#include "cleaner/report/run_stats.h"

namespace clean {

class RecordCleaner;

// A batch is cut after this many bytes or records (whichever comes first).
inline constexpr size_t kBatchBytes = 1 << 20;
inline constexpr size_t kBatchRecords = 256;
// Batches in flight per worker; their input bytes together are at most
// kWindowPerJob * kBatchBytes per worker, except that a batch larger than
// that is cleaned alone (the reader waits until the batches before it are
// written, and reads on only once it is).
inline constexpr size_t kWindowPerJob = 4;
// A record larger than this leaves no buffers behind: the cleaner that
// cleaned it is replaced by a fresh one, and its batch's buffers are freed,
// so each worker does not keep the memory of the largest record it met.
inline constexpr size_t kLargeRecordBytes = 4 * kBatchBytes;

class JsonlPipeline {
 public:
  JsonlPipeline(const RuleSet& rules, const Options& base, const Source* forced,
                const KeepSet& keep, const JsonlOptions& options, int jobs);
  ~JsonlPipeline();

  struct Sinks {
    OutputStream* out = nullptr;      // cleaned records
    OutputStream* report = nullptr;   // span report lines (optional)
    OutputStream* rejects = nullptr;  // malformed lines, verbatim (optional)
  };
  // Streams one input. A malformed line is passed to on_reject as
  // "NAME:LINE: problem". False with *error set when reading or writing
  // fails (the records before are written).
  bool Run(const std::string& name, LineReader* in, const Sinks& sinks, std::string* error);

  const RunStats& stats() const { return stats_; }
  uint64_t input_bytes() const { return input_bytes_; }  // uncompressed bytes read
  std::function<void(const std::string&)> on_reject;
  // Called after each batch is written: records and input bytes so far.
  std::function<void(const RunStats&, uint64_t input_bytes)> on_progress;

 private:
  struct Batch;
  void Worker();
  // Replaces *cleaner by a fresh one after a record over kLargeRecordBytes.
  void ProcessLine(std::unique_ptr<RecordCleaner>& cleaner, std::string_view line, uint64_t line_no,
                   Batch* b, std::string* message);
  std::unique_ptr<RecordCleaner> NewCleaner() const;
  // Compresses the batch's outputs whose sinks compress in chunks (each
  // batch one chunk, so the bytes do not depend on the number of workers).
  static void Compress(Batch* b);
  bool Flush(Batch* b, const std::string& name, const Sinks& sinks, std::string* error);

  const RuleSet& rules_;
  Options base_;
  const Source* forced_;
  KeepSet keep_;
  JsonlOptions options_;
  std::string digest_;
  size_t window_;        // batches in flight at most
  size_t window_bytes_;  // their input bytes at most (but for a larger batch alone)

  std::mutex mu_;
  std::condition_variable work_cv_, done_cv_;
  std::deque<Batch*> todo_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
  std::unique_ptr<RecordCleaner> inline_;  // one job: the calling thread's
  std::vector<std::unique_ptr<Batch>> free_;
  RunStats stats_;
  uint64_t input_bytes_ = 0;
};

}  // namespace clean

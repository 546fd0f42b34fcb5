#include "cleaner/jsonl/jsonl_pipeline.h"

#include <algorithm>

#include "cleaner/jsonl/jsonl_record.h"
#include "cleaner/ruleset/rules_digest.h"

namespace clean {

struct JsonlPipeline::Batch {
  // Input: lines, each followed by '\n', from input line first_line on
  // (left empty when the calling thread cleans them as they are read).
  std::string data;
  size_t records = 0;
  uint64_t input_bytes = 0;  // the lines' bytes, '\n' included
  uint64_t first_line = 0;
  bool want_report = false;
  // The compressors of the sinks that compress in chunks (out, report,
  // rejects; null: written as is).
  OutputStream::ChunkCompressor zip[3] = {};
  // Output, filled by a worker: compressed already where zip[] says.
  std::string out, report, rejects;
  std::string scratch, failure;       // compression's buffer and its first error
  std::vector<std::string> messages;  // "LINE\tproblem"
  RunStats stats;
  bool done = false;

  void Reset() {
    data.clear();
    out.clear();
    report.clear();
    rejects.clear();
    failure.clear();
    messages.clear();
    records = 0;
    input_bytes = 0;
    stats = RunStats();
    done = false;
  }
};

JsonlPipeline::JsonlPipeline(const RuleSet& rules, const Options& base, const Source* forced,
                             const KeepSet& keep, const JsonlOptions& options, int jobs)
    : rules_(rules),
      base_(base),
      forced_(forced),
      keep_(keep),
      options_(options),
      digest_(RulesDigest(rules.dir(), rules.extra_dir())),
      window_(kWindowPerJob * static_cast<size_t>(std::max(jobs, 1))),
      window_bytes_(window_ * kBatchBytes) {
  if (jobs <= 1) {  // no hand-off: the calling thread cleans
    inline_ = NewCleaner();
    return;
  }
  for (int i = 0; i < jobs; ++i) threads_.emplace_back([this] { Worker(); });
}

JsonlPipeline::~JsonlPipeline() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  work_cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void JsonlPipeline::ProcessLine(std::unique_ptr<RecordCleaner>& cleaner, std::string_view line,
                                uint64_t line_no, Batch* b, std::string* message) {
  RecordOutcome k =
      cleaner->Process(line, &b->out, b->want_report ? &b->report : nullptr, &b->stats, message);
  if (k == RecordOutcome::kRejected) {
    b->messages.push_back(std::to_string(line_no) + ": " + *message);
    b->rejects.append(line).push_back('\n');
  }
  if (line.size() > kLargeRecordBytes) cleaner = NewCleaner();  // its buffers freed
}

void JsonlPipeline::Compress(Batch* b) {
  std::string* texts[3] = {&b->out, &b->report, &b->rejects};
  for (int i = 0; i < 3; ++i) {
    if (!b->zip[i] || !b->failure.empty()) continue;
    if (b->zip[i](*texts[i], &b->scratch, &b->failure)) texts[i]->swap(b->scratch);
  }
}

std::unique_ptr<RecordCleaner> JsonlPipeline::NewCleaner() const {
  return std::make_unique<RecordCleaner>(rules_, base_, forced_, keep_, options_, digest_);
}

void JsonlPipeline::Worker() {
  std::unique_ptr<RecordCleaner> cleaner = NewCleaner();
  std::string message;
  while (true) {
    Batch* b;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_cv_.wait(lock, [&] { return stop_ || !todo_.empty(); });
      if (todo_.empty()) return;
      b = todo_.front();
      todo_.pop_front();
    }
    std::string_view data = b->data;
    uint64_t line_no = b->first_line;
    while (!data.empty()) {
      size_t nl = data.find('\n');
      std::string_view line = data.substr(0, nl);
      data.remove_prefix(nl + 1);
      ProcessLine(cleaner, line, line_no++, b, &message);
    }
    Compress(b);
    {
      std::lock_guard<std::mutex> lock(mu_);
      b->done = true;
    }
    done_cv_.notify_all();
  }
}

bool JsonlPipeline::Flush(Batch* b, const std::string& name, const Sinks& sinks,
                          std::string* error) {
  {
    std::unique_lock<std::mutex> lock(mu_);
    done_cv_.wait(lock, [&] { return b->done; });
  }
  for (const std::string& m : b->messages)
    if (on_reject) on_reject(name + ":" + m);
  stats_.Merge(b->stats);
  input_bytes_ += b->input_bytes;
  if (!b->failure.empty()) {
    *error = b->failure;
    return false;
  }
  auto put = [&](OutputStream* sink, int i, const std::string& text) {
    return !sink || (b->zip[i] ? sink->WriteChunk(text, error) : sink->Write(text, error));
  };
  if (!put(sinks.out, 0, b->out) || !put(sinks.report, 1, b->report) ||
      !put(sinks.rejects, 2, b->rejects))
    return false;
  if (on_progress) on_progress(stats_, input_bytes_);
  return true;
}

bool JsonlPipeline::Run(const std::string& name, LineReader* in, const Sinks& sinks,
                        std::string* error) {
  std::deque<std::unique_ptr<Batch>> inflight;
  uint64_t inflight_bytes = 0;  // their input bytes
  std::unique_ptr<Batch> current;
  uint64_t line_no = 1;
  bool ok = true;

  auto take = [&] {
    std::unique_ptr<Batch> b;
    if (!free_.empty()) {
      b = std::move(free_.back());
      free_.pop_back();
    } else {
      b = std::make_unique<Batch>();
    }
    b->Reset();
    b->first_line = line_no;
    b->want_report = sinks.report != nullptr;
    OutputStream* outs[3] = {sinks.out, sinks.report, sinks.rejects};
    for (int i = 0; i < 3; ++i) b->zip[i] = outs[i] ? outs[i]->chunk_compressor() : nullptr;
    return b;
  };
  // A batch that held a large record is not kept for reuse: its buffers go.
  auto recycle = [&](std::unique_ptr<Batch> b) {
    if (b->data.capacity() + b->out.capacity() + b->report.capacity() + b->rejects.capacity() +
            b->scratch.capacity() <=
        kLargeRecordBytes)
      free_.push_back(std::move(b));
  };
  auto flush_front = [&] {
    std::unique_ptr<Batch> b = std::move(inflight.front());
    inflight.pop_front();
    inflight_bytes -= b->input_bytes;
    if (ok)
      ok = Flush(b.get(), name, sinks, error);
    else {  // after an error: only wait for the batch
      std::unique_lock<std::mutex> lock(mu_);
      done_cv_.wait(lock, [&] { return b->done; });
    }
    recycle(std::move(b));
  };
  auto submit = [&] {
    if (inline_) {  // cleaned already: written at once
      Compress(current.get());
      current->done = true;
      ok = Flush(current.get(), name, sinks, error);
      recycle(std::move(current));
      return;
    }
    // Within the window's bytes, or alone.
    while (ok && !inflight.empty() && inflight_bytes + current->input_bytes > window_bytes_)
      flush_front();
    {
      std::lock_guard<std::mutex> lock(mu_);
      todo_.push_back(current.get());
    }
    work_cv_.notify_one();
    inflight_bytes += current->input_bytes;
    inflight.push_back(std::move(current));
    while (ok && !inflight.empty() &&
           (inflight.size() >= window_ || inflight_bytes > window_bytes_))
      flush_front();
  };

  std::string_view line;
  std::string read_error, message;
  while (ok && in->Next(&line, &read_error)) {
    if (!current) current = take();
    if (inline_)
      ProcessLine(inline_, line, line_no, current.get(), &message);
    else
      current->data.append(line).push_back('\n');
    current->input_bytes += line.size() + 1;
    ++current->records;
    ++line_no;
    if (current->input_bytes >= kBatchBytes || current->records >= kBatchRecords) submit();
  }
  if (ok && current) submit();
  while (!inflight.empty()) flush_front();
  if (ok && !read_error.empty()) {
    *error = read_error;
    ok = false;
  }
  return ok;
}

}  // namespace clean

// Byte streams for inputs and outputs, compressed: NAME.gz (zlib, gzip
// format; concatenated members are read in turn) and NAME.zst (libzstd;
// concatenated frames too). An input is recognised by its first bytes (its
// magic number), stdin too, else by its extension; bzip2 (libbz2) and xz
// (liblzma) inputs are read too, by their first bytes (concatenated streams
// as well). Outputs are compressed by their extension (.gz, .zst); "-" is
// stdout, uncompressed. Each library has its own adapter file
// (gzip_stream.cc, zstd_stream.cc, bzip2_stream.cc, xz_stream.cc); nothing
// else includes zlib.h, zstd.h, bzlib.h or lzma.h.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace clean {

enum class Compression { kNone, kGzip, kZstd, kBzip2, kXz };

// The compression a path's extension asks for (".gz", ".zst").
Compression CompressionOf(std::string_view path);
// The compression an input's first bytes show (gzip, zstd, bzip2, xz), or
// kNone. `head`: the first kMagicBytes bytes, or all when it is shorter.
inline constexpr size_t kMagicBytes = 10;
Compression CompressionOfBytes(std::string_view head);
// The path without a compression extension ("a.jsonl.gz" -> "a.jsonl";
// .gz, .zst, .bz2, .xz).
std::string_view StripCompression(std::string_view path);
// The path without an extension of a compression that is read but not
// written (.bz2, .xz): an output named after such an input is not named as
// if compressed ("a.jsonl.xz" -> "a.jsonl"; "a.jsonl.gz" stays).
std::string_view StripReadOnlyCompression(std::string_view path);

class InputStream {
 public:
  virtual ~InputStream() = default;
  // Reads up to `cap` bytes into `buf`; *got == 0 at the end. False with
  // *error set on a read or decompression error.
  virtual bool Read(char* buf, size_t cap, size_t* got, std::string* error) = 0;
  // Bytes consumed from the underlying file so far (compressed bytes).
  virtual uint64_t raw_position() const = 0;
};

class OutputStream {
 public:
  virtual ~OutputStream() = default;
  // For a file, the first write error is kept: every later Write and the
  // Close fail with it, and the file is never put in place.
  virtual bool Write(std::string_view data, std::string* error) = 0;
  // Flushes and finishes the stream (the compressed trailer). For a file:
  // renames its temporary file (NAME.XXXXXXXX.tmp beside NAME, created with
  // O_EXCL|O_NOFOLLOW) to NAME, so a run cut short or a failed write leaves
  // no truncated output; an output destroyed unclosed removes it. An
  // existing device or pipe, such as /dev/null, is written in place.
  virtual bool Close(std::string* error) = 0;

  // Compression in independent chunks, so that threads can share it: a
  // stream that offers it (gzip) returns its compressor; a chunk made by it
  // from `data`, on any thread, and handed to WriteChunk in order, writes
  // what Write(data) would (a whole gzip member: the output is the members
  // one after another, as gzip reads them); an empty `data` makes an empty
  // chunk. False with *error set when the compressor fails. Null when the
  // stream has none.
  using ChunkCompressor = bool (*)(std::string_view data, std::string* chunk, std::string* error);
  virtual ChunkCompressor chunk_compressor() const { return nullptr; }
  // Writes a chunk made by chunk_compressor() (only then: else as Write).
  virtual bool WriteChunk(std::string_view chunk, std::string* error) {
    return Write(chunk, error);
  }
};

// How a file output is opened.
struct OutputOptions {
  // Refuse an existing pipe, device or socket under the output's name
  // (--out-dir: a FIFO would hang the batch, a device be written to).
  bool regular_only = false;
  // Before the rename, fsync the file; after it, its directory (--durable).
  bool durable = false;
};

// Opens an input: "-" for stdin. Errors name the problem (not the path).
std::unique_ptr<InputStream> OpenInput(const std::string& path, std::string* error);
// Opens an output: "-" for stdout. A path under /dev/ or /proc/ that exists
// (/dev/stdout to a regular file) is written in place too.
std::unique_ptr<OutputStream> OpenOutput(const std::string& path, std::string* error,
                                         const OutputOptions& options = {});

// A directory that receives many outputs (--out-dir): opened once and its
// entries listed once, so that an output in it costs no walk of the
// directory's path and no stat (whether NAME is a device or a pipe is known
// from the listing). Outputs behave as OpenOutput's with regular_only: an
// existing pipe, device or socket under the name is refused. The temporary
// files an earlier run left for NAME (NAME.tmp, NAME.XXXXXXXX.tmp) are
// removed when NAME is opened.
class OutputDir {
 public:
  OutputDir() = default;
  OutputDir(const OutputDir&) = delete;
  OutputDir& operator=(const OutputDir&) = delete;
  ~OutputDir();
  // False with *error set (errno's text) when `path` cannot be opened as a
  // directory.
  bool Open(const std::string& path, std::string* error);
  // As OpenOutput(PATH/name); `name` has no '/'. Safe to call from several
  // threads at once (after Open).
  std::unique_ptr<OutputStream> OpenOutput(const std::string& name, std::string* error);
  void set_durable(bool durable) { durable_ = durable; }

 private:
  int fd_ = -1;
  bool durable_ = false;
  std::unordered_map<std::string, unsigned> non_regular_;    // name -> st_mode
  std::mutex stale_mu_;                                      // guards stale_
  std::unordered_multimap<std::string, std::string> stale_;  // NAME -> its old temporary file
};

// The temporary file name of an output named `name` (no '/'): NAME.XXXXXXXX.tmp,
// XXXXXXXX random; NAME shortened when that would pass NAME_MAX.
std::string TempNameFor(std::string_view name);
// The output name a temporary file name belongs to (NAME.tmp or
// NAME.XXXXXXXX.tmp, as TempNameFor makes them unshortened); empty if none.
std::string_view TempNameOwner(std::string_view temp);

// Reads a whole file or stdin ("-") into *bytes (its buffer reused).
// Returns false with *error set to a message naming the problem (not found,
// a directory, unreadable).
bool ReadInput(const std::string& path, std::string* bytes, std::string* error);

// Reads a whole (possibly compressed) input into *bytes: the per-page mode's
// reader (gzip, zstd, bzip2 and xz decompressed, other paths as ReadInput).
bool ReadAnyInput(const std::string& path, std::string* bytes, std::string* error);

// Adapters (one file per library). They own `raw`.
std::unique_ptr<InputStream> NewGzipReader(std::unique_ptr<InputStream> raw);
std::unique_ptr<OutputStream> NewGzipWriter(std::unique_ptr<OutputStream> raw);
std::unique_ptr<InputStream> NewZstdReader(std::unique_ptr<InputStream> raw);
std::unique_ptr<OutputStream> NewZstdWriter(std::unique_ptr<OutputStream> raw);
std::unique_ptr<InputStream> NewBzip2Reader(std::unique_ptr<InputStream> raw);
std::unique_ptr<InputStream> NewXzReader(std::unique_ptr<InputStream> raw);

}  // namespace clean

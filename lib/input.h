// Loading an input into memory: a file, a directory entry or "-" (stdin); gzip is sniffed by its
// magic bytes (1f 8b) and inflated, with a bound on the inflated size (a gzip bomb is an error).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace perfkit {

class ReadProgress;  // lib/progress.h

// Padding after the data, zero-filled, so simdjson can read the buffer in place.
constexpr size_t kInputPadding = 64;

struct ReadOptions {
  std::string input_format;                        // "" = detect by content
  uint64_t max_input_bytes = 8ULL << 30;           // bound on inflated size (--max-input-size)
  unsigned jobs = 0;                               // 0 = all cores
  // pprof: keep each location's address in its frames (Frame::address), for pprof's -addresses
  // granularity. Off by default: locations of one function line are then one frame.
  bool keep_addresses = false;
  // pprof: keep each location's address relative to its mapping's start instead (pprof's merge
  // key for a location, profile/merge.go): a profile merged with a -base then keeps the
  // locations pprof keeps apart, and its total is pprof's. keep_addresses wins over it.
  bool merge_addresses = false;
  // pprof: prune with these drop_frames/keep_frames instead of the file's own (pprof prunes a
  // merge, base included, with the first profile's: driver fetchProfiles, RemoveUninteresting).
  bool prune_override = false;
  std::string drop_frames, keep_frames;
};

// The bytes of an input plus kInputPadding zero bytes: on the heap, or (a large regular file) a
// private read-write mapping of the file, which costs no copy and lets a reader give back the
// pages it has finished with (release) so memory stays near what it has still to read.
class InputBuffer {
 public:
  InputBuffer() = default;
  explicit InputBuffer(size_t size);  // uninitialized data, zeroed padding
  InputBuffer(InputBuffer&& o) noexcept { *this = std::move(o); }
  InputBuffer& operator=(InputBuffer&& o) noexcept;
  ~InputBuffer();
  char* data() { return data_; }
  const char* data() const { return data_; }
  size_t size() const { return size_; }
  size_t capacity() const { return size_ + kInputPadding; }
  std::string_view view() const { return std::string_view(data_, size_); }
  void shrink(size_t size);  // keep the first `size` bytes, re-zero the padding
  // Maps `size` bytes of the regular file fd (plus zero padding); false if mapping fails.
  bool map_file(int fd, size_t size);
  // A hint that bytes [begin, end) will not be read again soon: a mapped buffer drops those
  // pages from memory (reading them later still gives the same bytes, from the file); a heap
  // buffer ignores it.
  void release(size_t begin, size_t end) const;
  // A hint that bytes [begin, end) are about to be read: a mapped buffer maps those pages now,
  // in one call (cheaper than a page fault each); a heap buffer ignores it.
  void prefetch(size_t begin, size_t end) const;

  std::string path;        // as the user named it
  bool was_gzip = false;
  uint64_t file_bytes = 0; // size on disk (compressed size for gzip)
  // The progress line of this input (lib/progress.h), or null: readers report their position.
  ReadProgress* progress = nullptr;

 private:
  void reset();
  char* data_ = nullptr;
  size_t size_ = 0;
  size_t map_bytes_ = 0;  // nonzero: data_ is an mmap of this many bytes
  size_t heap_bytes_ = 0;  // else: data_ is from huge_alloc of this many bytes
};

// Reads path ("-" = stdin) whole, inflating gzip. Throws InputError naming the path. With a
// progress, reports reading and inflating to it, and the buffer carries it to the reader.
InputBuffer load_input(const std::string& path, const ReadOptions& opts,
                       ReadProgress* progress = nullptr);

// Inflates a gzip (or several concatenated members) held in memory. Throws InputError at the
// compressed byte offset where the stream is cut or corrupt, or when the output passes max_bytes.
InputBuffer gunzip(const std::string& path, std::string_view compressed, uint64_t max_bytes,
                   ReadProgress* progress = nullptr);

bool is_gzip(std::string_view bytes);

}  // namespace perfkit

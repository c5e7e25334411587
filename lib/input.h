// Loading an input into memory: a file, a directory entry or "-" (stdin); gzip is sniffed by its
// magic bytes (1f 8b) and inflated, with a bound on the inflated size (a gzip bomb is an error).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace perfkit {

// Padding after the data, zero-filled, so simdjson can read the buffer in place.
constexpr size_t kInputPadding = 64;

struct ReadOptions {
  std::string input_format;                        // "" = detect by content
  uint64_t max_input_bytes = 8ULL << 30;           // bound on inflated size (--max-input-size)
  unsigned jobs = 0;                               // 0 = all cores
};

class InputBuffer {
 public:
  InputBuffer() = default;
  explicit InputBuffer(size_t size);  // uninitialized data, zeroed padding
  char* data() { return data_.get(); }
  const char* data() const { return data_.get(); }
  size_t size() const { return size_; }
  size_t capacity() const { return size_ + kInputPadding; }
  std::string_view view() const { return std::string_view(data_.get(), size_); }
  void shrink(size_t size);  // keep the first `size` bytes, re-zero the padding

  std::string path;        // as the user named it
  bool was_gzip = false;
  uint64_t file_bytes = 0; // size on disk (compressed size for gzip)

 private:
  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
};

// Reads path ("-" = stdin) whole, inflating gzip. Throws InputError naming the path.
InputBuffer load_input(const std::string& path, const ReadOptions& opts);

// Inflates a gzip (or several concatenated members) held in memory. Throws InputError at the
// compressed byte offset where the stream is cut or corrupt, or when the output passes max_bytes.
InputBuffer gunzip(const std::string& path, std::string_view compressed, uint64_t max_bytes);

bool is_gzip(std::string_view bytes);

}  // namespace perfkit

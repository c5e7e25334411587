// Writing results. A file is written to "PATH.tmp-PID" beside the target, flushed, closed and
// renamed on commit(), so a failure never leaves a partial file and never touches an existing one.
// "-" or "" is standard output; special files (/dev/null, a pipe) are written directly.
#pragma once
#include <string>
#include <string_view>

namespace perfkit {

// A result written as it is produced (a merged trace can be larger than memory should hold),
// through a buffer of 1 MiB. Nothing appears at the path until commit(); an OutputFile destroyed
// without commit() (an exception on the way) removes its temporary file.
class OutputFile {
 public:
  explicit OutputFile(const std::string& path);  // throws OutputError
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile();

  void write(std::string_view s) {
    // A streaming writer's own buffer full of bytes goes out as it is (no copy into this one).
    if (used_ == 0 && s.size() >= kBuffer / 8) return write_through(s);
    if (s.size() > kBuffer - used_) {
      flush();
      if (s.size() >= kBuffer) return write_through(s);
    }
    std::char_traits<char>::copy(buf_ + used_, s.data(), s.size());
    used_ += s.size();
  }
  void commit();  // throws OutputError (disk full, permission, /dev/full)
  // commit() in two steps, for several files that appear together: finish() writes out, syncs and
  // closes (what can fail for want of space), commit() then only renames. Throws OutputError.
  void finish();
  // Whether commit() renames a temporary onto the path (false for stdout and special files).
  bool renames() const { return !tmp_.empty(); }

 private:
  static constexpr size_t kBuffer = size_t{1} << 20;
  void flush();
  void write_through(std::string_view s);

  std::string path_, tmp_;  // tmp_ empty: writing to fd_ directly
  int fd_ = -1;
  bool owns_fd_ = false;
  bool finished_ = false;
  char* buf_;
  size_t used_ = 0;
};

// The whole content at once. Throws OutputError.
void write_output(const std::string& path, std::string_view content);

}  // namespace perfkit

#include "lib/input.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libdeflate.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "lib/errors.h"
#include "lib/huge_pages.h"
#include "lib/mapped_files.h"
#include "lib/progress.h"

namespace perfkit {

namespace {
size_t page_bytes() {
  static const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  return page;
}
size_t round_up(size_t n, size_t page) { return (n + page - 1) / page * page; }
}  // namespace

InputBuffer::InputBuffer(size_t size)
    : data_(static_cast<char*>(huge_alloc(size + kInputPadding))), size_(size),
      heap_bytes_(size + kInputPadding) {
  std::memset(data_ + size_, 0, kInputPadding);
}

InputBuffer& InputBuffer::operator=(InputBuffer&& o) noexcept {
  if (this != &o) {
    reset();
    data_ = std::exchange(o.data_, nullptr);
    size_ = std::exchange(o.size_, 0);
    map_bytes_ = std::exchange(o.map_bytes_, 0);
    heap_bytes_ = std::exchange(o.heap_bytes_, 0);
    path = std::move(o.path);
    was_gzip = o.was_gzip;
    file_bytes = o.file_bytes;
    progress = o.progress;
  }
  return *this;
}

InputBuffer::~InputBuffer() { reset(); }

void InputBuffer::reset() {
  if (map_bytes_) {
    unregister_mapped_file(data_);
    ::munmap(data_, map_bytes_);
  } else {
    huge_free(data_, heap_bytes_);
  }
  data_ = nullptr;
  size_ = map_bytes_ = heap_bytes_ = 0;
}

void InputBuffer::shrink(size_t size) {
  size_ = size;
  std::memset(data_ + size_, 0, kInputPadding);
}

// An anonymous zero mapping of the size plus padding, the file mapped over its start: the rest of
// the file's last page reads as zeros, and so does the padding when it runs past that page.
bool InputBuffer::map_file(int fd, size_t size) {
  const size_t page = page_bytes();
  const size_t total = round_up(size + kInputPadding, page);
  void* base = ::mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) return false;
  void* file = ::mmap(base, round_up(size, page), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED,
                      fd, 0);
  if (file == MAP_FAILED) {
    ::munmap(base, total);
    return false;
  }
  ::madvise(base, size, MADV_SEQUENTIAL);
  reset();
  data_ = static_cast<char*>(base);
  size_ = size;
  map_bytes_ = total;
  return true;
}

void InputBuffer::release(size_t begin, size_t end) const {
  if (!map_bytes_) return;
  const size_t page = page_bytes();
  end = std::min(end, size_) / page * page;  // whole pages only, never the padding
  begin = round_up(begin, page);
  if (begin < end) ::madvise(data_ + begin, end - begin, MADV_DONTNEED);
}

void InputBuffer::prefetch(size_t begin, size_t end) const {
#ifndef MADV_POPULATE_READ
  constexpr int MADV_POPULATE_READ = 22;  // Linux 5.14; older kernels say EINVAL: then no-op
#endif
  if (!map_bytes_) return;
  const size_t page = page_bytes();
  begin = begin / page * page;
  end = std::min(round_up(end, page), map_bytes_);
  if (begin < end) ::madvise(data_ + begin, end - begin, MADV_POPULATE_READ);
}

bool is_gzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

namespace {

// Files at least this large are mapped instead of read.
constexpr uint64_t kMapMinBytes = 1 << 20;

[[noreturn]] void too_large(const std::string& path, uint64_t max_bytes) {
  throw InputError::in_file(path, fmt::format("input larger than the limit of {} bytes "
                                              "(raise it with --max-input-size)", max_bytes));
}

ssize_t read_some(int fd, const std::string& path, char* dst, size_t n) {
  for (;;) {
    ssize_t got = ::read(fd, dst, n);
    if (got >= 0) return got;
    if (errno != EINTR)
      throw InputError::in_file(path, fmt::format("cannot read: {}", std::strerror(errno)));
  }
}

// Reads straight into the padded buffer: sized from fstat for a regular file (one allocation, no
// copy), grown by doubling for a pipe or a file that grows while we read.
InputBuffer read_fd(int fd, const std::string& path, uint64_t size_hint, uint64_t max_bytes,
                    ReadProgress* progress) {
  if (size_hint > max_bytes) too_large(path, max_bytes);
  size_t cap = size_hint ? size_hint : (1 << 20);
  InputBuffer out(cap);
  size_t used = 0;
  if (progress) progress->phase("reading", size_hint);
  for (;;) {
    if (progress) progress->at(used);  // a relaxed store per read(2): exact while a pipe stalls
    if (used == cap) {
      char probe[4096];
      ssize_t n = read_some(fd, path, probe, sizeof probe);
      if (n == 0) break;
      size_t ncap = std::max<size_t>(cap * 2, used + static_cast<size_t>(n));
      InputBuffer bigger(ncap);
      std::memcpy(bigger.data(), out.data(), used);
      std::memcpy(bigger.data() + used, probe, static_cast<size_t>(n));
      out = std::move(bigger);
      cap = ncap;
      used += static_cast<size_t>(n);
    } else {
      ssize_t n = read_some(fd, path, out.data() + used, std::min<size_t>(cap - used, 16 << 20));
      if (n == 0) break;
      used += static_cast<size_t>(n);
    }
    if (used > max_bytes) too_large(path, max_bytes);
  }
  out.shrink(used);
  return out;
}

// One-shot libdeflate for the common case: a single gzip member whose ISIZE trailer (size mod
// 2^32) is plausible and within the limit. Returns false (caller falls back to streaming zlib,
// which reports exact offsets and handles several members and > 4 GiB) on anything else.
bool gunzip_oneshot(std::string_view in, uint64_t max_bytes, InputBuffer& out) {
  if (in.size() < 18) return false;
  const auto* t = reinterpret_cast<const unsigned char*>(in.data() + in.size() - 4);
  uint64_t isize = uint64_t(t[0]) | uint64_t(t[1]) << 8 | uint64_t(t[2]) << 16 |
                   uint64_t(t[3]) << 24;
  if (isize == 0 || isize > max_bytes || isize > uint64_t(in.size()) * 1032 + 1024) return false;
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  if (!d) return false;
  InputBuffer buf(isize);
  size_t in_used = 0, out_used = 0;
  libdeflate_result rc = libdeflate_gzip_decompress_ex(d, in.data(), in.size(), buf.data(),
                                                       isize, &in_used, &out_used);
  libdeflate_free_decompressor(d);
  if (rc != LIBDEFLATE_SUCCESS || in_used != in.size() || out_used != isize) return false;
  out = std::move(buf);
  return true;
}

}  // namespace

InputBuffer gunzip(const std::string& path, std::string_view in, uint64_t max_bytes,
                   ReadProgress* progress) {
  // libdeflate inflates in one call: the line shows the step and its time, not a position.
  if (progress) progress->phase("inflating", in.size(), /*counted=*/false);
  {
    InputBuffer fast;
    if (gunzip_oneshot(in, max_bytes, fast)) return fast;
  }
  // zlib, a window at a time: the position is the compressed bytes consumed.
  if (progress) progress->phase("inflating", in.size());
  ProgressTicker tick(progress);
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK) throw InputError::in_file(path, "cannot start gzip");
  size_t cap = std::min<uint64_t>(max_bytes, std::max<size_t>(in.size() * 4, 1 << 16));
  InputBuffer out(cap);
  size_t used = 0;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(std::min<size_t>(in.size(), UINT32_MAX));
  for (;;) {
    if (used == cap) {
      if (cap >= max_bytes) {
        inflateEnd(&zs);
        throw InputError::in_file(
            path, fmt::format("gzip inflates past the limit of {} bytes (a gzip bomb?); raise it "
                              "with --max-input-size", max_bytes));
      }
      size_t ncap = std::min<uint64_t>(max_bytes, cap * 2);
      InputBuffer bigger(ncap);
      std::memcpy(bigger.data(), out.data(), used);
      out = std::move(bigger);
      cap = ncap;
    }
    tick.at(reinterpret_cast<const char*>(zs.next_in) - in.data());
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + used);
    // 16 MiB a call at most, so that the position moves while a large stream inflates.
    zs.avail_out = static_cast<uInt>(std::min<size_t>(cap - used, 16 << 20));
    size_t avail_out_before = zs.avail_out;
    int rc = inflate(&zs, Z_NO_FLUSH);
    used += avail_out_before - zs.avail_out;
    size_t consumed = reinterpret_cast<const char*>(zs.next_in) - in.data();
    if (zs.avail_in == 0 && consumed < in.size())
      zs.avail_in = static_cast<uInt>(std::min<size_t>(in.size() - consumed, UINT32_MAX));
    if (rc == Z_STREAM_END) {
      // Another member may follow (cat a.gz b.gz); trailing zero padding is tolerated.
      size_t pos = reinterpret_cast<const char*>(zs.next_in) - in.data();
      while (pos < in.size() && in[pos] == '\0') ++pos;
      if (pos >= in.size()) break;
      if (!is_gzip(in.substr(pos))) {
        inflateEnd(&zs);
        throw InputError::at_byte(path, pos, "trailing garbage after the gzip stream");
      }
      inflateReset(&zs);
      zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + pos));
      zs.avail_in = static_cast<uInt>(std::min<size_t>(in.size() - pos, UINT32_MAX));
      continue;
    }
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
      size_t pos = reinterpret_cast<const char*>(zs.next_in) - in.data();
      inflateEnd(&zs);
      throw InputError::at_byte(path, pos, "gzip stream is cut short (truncated file)");
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      size_t pos = reinterpret_cast<const char*>(zs.next_in) - in.data();
      std::string msg = zs.msg ? zs.msg : "corrupt data";
      inflateEnd(&zs);
      throw InputError::at_byte(path, pos, fmt::format("gzip: {}", msg));
    }
  }
  inflateEnd(&zs);
  out.shrink(used);
  return out;
}

InputBuffer load_input(const std::string& path, const ReadOptions& opts,
                       ReadProgress* progress) {
  int fd = 0;
  uint64_t size_hint = 0;
  if (path == "-" && ::isatty(STDIN_FILENO))
    throw UsageError("no input: standard input is a terminal; give a FILE, or pipe a profile in "
                     "(perfkit top < cpu.pb.gz)");
  if (path != "-") {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw InputError::in_file(path, fmt::format("cannot open: {}", std::strerror(errno)));
    struct stat st {};
    if (::fstat(fd, &st) == 0) {
      if (S_ISDIR(st.st_mode)) {
        ::close(fd);
        throw InputError::in_file(path, "is a directory, expected a file");
      }
      if (S_ISREG(st.st_mode)) size_hint = static_cast<uint64_t>(st.st_size);
    }
  }
  InputBuffer raw;
  try {
    // Large regular files are mapped (no copy; pages can be given back as they are parsed); a
    // gzip file is read into memory by the same mapping, then inflated.
    if (size_hint >= kMapMinBytes && size_hint <= opts.max_input_bytes &&
        raw.map_file(fd, size_hint)) {
      register_mapped_file(raw.data(), size_hint, path);  // SIGBUS if truncated: exit 3
    } else {
      raw = read_fd(fd, path, size_hint, opts.max_input_bytes, progress);
    }
  } catch (...) {
    if (fd != 0) ::close(fd);
    throw;
  }
  if (fd != 0) ::close(fd);
  if (raw.size() == 0) throw InputError::in_file(path, "empty input");
  uint64_t file_bytes = raw.size();
  InputBuffer buf;
  if (is_gzip(raw.view())) {
    buf = gunzip(path, raw.view(), opts.max_input_bytes, progress);
    buf.was_gzip = true;
    if (buf.size() == 0) throw InputError::in_file(path, "empty input (gzip of nothing)");
  } else {
    buf = std::move(raw);
  }
  buf.path = path;
  buf.file_bytes = file_bytes;
  buf.progress = progress;
  return buf;
}

}  // namespace perfkit

#include "lib/input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "lib/errors.h"

namespace perfkit {

InputBuffer::InputBuffer(size_t size) : data_(new char[size + kInputPadding]), size_(size) {
  std::memset(data_.get() + size_, 0, kInputPadding);
}

void InputBuffer::shrink(size_t size) {
  size_ = size;
  std::memset(data_.get() + size_, 0, kInputPadding);
}

bool is_gzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

namespace {

std::string read_fd(int fd, const std::string& path, uint64_t size_hint, uint64_t max_bytes) {
  std::string out;
  if (size_hint) out.reserve(size_hint);
  std::vector<char> chunk(1 << 20);
  for (;;) {
    ssize_t n = ::read(fd, chunk.data(), chunk.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw InputError::in_file(path, fmt::format("cannot read: {}", std::strerror(errno)));
    }
    if (n == 0) break;
    out.append(chunk.data(), static_cast<size_t>(n));
    if (out.size() > max_bytes)
      throw InputError::in_file(path, fmt::format("input larger than the limit of {} bytes "
                                                  "(raise it with --max-input-size)", max_bytes));
  }
  return out;
}

}  // namespace

InputBuffer gunzip(const std::string& path, std::string_view in, uint64_t max_bytes) {
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
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + used);
    zs.avail_out = static_cast<uInt>(std::min<size_t>(cap - used, UINT32_MAX));
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

InputBuffer load_input(const std::string& path, const ReadOptions& opts) {
  int fd = 0;
  uint64_t size_hint = 0;
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
  std::string raw;
  try {
    raw = read_fd(fd, path, size_hint, opts.max_input_bytes);
  } catch (...) {
    if (fd != 0) ::close(fd);
    throw;
  }
  if (fd != 0) ::close(fd);
  if (raw.empty()) throw InputError::in_file(path, "empty input");
  InputBuffer buf;
  if (is_gzip(raw)) {
    buf = gunzip(path, raw, opts.max_input_bytes);
    buf.was_gzip = true;
    if (buf.size() == 0) throw InputError::in_file(path, "empty input (gzip of nothing)");
  } else {
    buf = InputBuffer(raw.size());
    std::memcpy(buf.data(), raw.data(), raw.size());
  }
  buf.path = path;
  buf.file_bytes = raw.size();
  return buf;
}

}  // namespace perfkit

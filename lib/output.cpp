#include "lib/output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "lib/errors.h"

namespace perfkit {

namespace {

void write_all(int fd, std::string_view content, const std::string& what) {
  size_t off = 0;
  while (off < content.size()) {
    ssize_t n = ::write(fd, content.data() + off, content.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw OutputError(fmt::format("{}: write failed: {}", what, std::strerror(errno)));
    }
    off += static_cast<size_t>(n);
  }
}

}  // namespace

void write_output(const std::string& path, std::string_view content) {
  if (path.empty() || path == "-") {
    write_all(STDOUT_FILENO, content, "standard output");
    return;
  }
  // Special files (/dev/null, /dev/full, a pipe) cannot be renamed onto: write them directly.
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) throw OutputError(fmt::format("{}: is a directory", path));
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) throw OutputError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
    try {
      write_all(fd, content, path);
    } catch (...) {
      ::close(fd);
      throw;
    }
    if (::close(fd) != 0)
      throw OutputError(fmt::format("{}: close failed: {}", path, std::strerror(errno)));
    return;
  }
  std::string tmp = fmt::format("{}.tmp-{}", path, ::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw OutputError(fmt::format("{}: cannot create: {}", path, std::strerror(errno)));
  try {
    write_all(fd, content, path);
    if (::fsync(fd) != 0 && errno != EINVAL)
      throw OutputError(fmt::format("{}: sync failed: {}", path, std::strerror(errno)));
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  if (::close(fd) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    throw OutputError(fmt::format("{}: close failed: {}", path, std::strerror(e)));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    throw OutputError(fmt::format("{}: rename failed: {}", path, std::strerror(e)));
  }
}

}  // namespace perfkit

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

OutputFile::OutputFile(const std::string& path) : path_(path), buf_(new char[kBuffer]) {
  try {
    if (path.empty() || path == "-") {
      path_ = "standard output";
      fd_ = STDOUT_FILENO;
      return;
    }
    // Special files (/dev/null, /dev/full, a pipe) cannot be renamed onto: write them directly.
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
      if (S_ISDIR(st.st_mode)) throw OutputError(fmt::format("{}: is a directory", path));
      fd_ = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
      if (fd_ < 0) throw OutputError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
      owns_fd_ = true;
      return;
    }
    std::string tmp = fmt::format("{}.tmp-{}", path, ::getpid());
    fd_ = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) throw OutputError(fmt::format("{}: cannot create: {}", path, std::strerror(errno)));
    owns_fd_ = true;
    tmp_ = std::move(tmp);
  } catch (...) {
    delete[] buf_;
    throw;
  }
}

OutputFile::~OutputFile() {
  if (owns_fd_) ::close(fd_);
  if (!tmp_.empty()) ::unlink(tmp_.c_str());  // not committed
  delete[] buf_;
}

void OutputFile::flush() {
  write_all(fd_, std::string_view(buf_, used_), path_);
  used_ = 0;
}

void OutputFile::write_through(std::string_view s) { write_all(fd_, s, path_); }

void OutputFile::finish() {
  if (finished_) return;
  flush();
  if (owns_fd_) {
    if (!tmp_.empty() && ::fsync(fd_) != 0 && errno != EINVAL)
      throw OutputError(fmt::format("{}: sync failed: {}", path_, std::strerror(errno)));
    owns_fd_ = false;
    if (::close(fd_) != 0)
      throw OutputError(fmt::format("{}: close failed: {}", path_, std::strerror(errno)));
  }
  finished_ = true;
}

void OutputFile::commit() {
  finish();
  if (tmp_.empty()) return;
  if (::rename(tmp_.c_str(), path_.c_str()) != 0)
    throw OutputError(fmt::format("{}: rename failed: {}", path_, std::strerror(errno)));
  tmp_.clear();
}

void write_output(const std::string& path, std::string_view content) {
  OutputFile out(path);
  out.write(content);
  out.commit();
}

}  // namespace perfkit

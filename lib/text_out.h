// Streaming text output for writers whose results are large (a folded file or a flame chart is
// often ten times its input): bytes go to a sink in 256 KiB pieces instead of one string, and
// numbers are formatted into the buffer without allocating.
#pragma once
#include <fmt/format.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "lib/output.h"

namespace perfkit {

// Where a streaming writer's bytes go.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void write(std::string_view s) = 0;
};

class StringSink final : public ByteSink {
 public:
  explicit StringSink(std::string& out) : out_(out) {}
  void write(std::string_view s) override { out_ += s; }

 private:
  std::string& out_;
};

class FileSink final : public ByteSink {
 public:
  explicit FileSink(OutputFile& out) : out_(out) {}
  void write(std::string_view s) override { out_.write(s); }

 private:
  OutputFile& out_;
};

// A buffer in front of a sink. finish() hands over what is left; a TextOut destroyed without it
// (an exception on the way) drops the rest, as the OutputFile under it drops its file.
class TextOut {
 public:
  explicit TextOut(ByteSink& sink) : sink_(sink), buf_(new char[kSize]) {}
  TextOut(const TextOut&) = delete;
  TextOut& operator=(const TextOut&) = delete;
  ~TextOut() { delete[] buf_; }

  void put(std::string_view s) {
    if (s.size() > kSize - used_) {
      flush();
      if (s.size() >= kSize) return sink_.write(s);
    }
    std::memcpy(buf_ + used_, s.data(), s.size());
    used_ += s.size();
  }
  void put(char c) {
    if (used_ == kSize) flush();
    buf_[used_++] = c;
  }
  void put_int(int64_t v) {
    const fmt::format_int f(v);
    put(std::string_view(f.data(), f.size()));
  }
  // Room for n bytes (at most kSize) written in place: write them at the pointer, then wrote()
  // with where they end. Saves a copy through a writer's own small buffer.
  char* room(size_t n) {
    if (n > kSize - used_) flush();
    return buf_ + used_;
  }
  void wrote(const char* end) { used_ = static_cast<size_t>(end - buf_); }
  void finish() { flush(); }
  static constexpr size_t kSize = 256 << 10;

 private:
  void flush() {
    if (used_) sink_.write(std::string_view(buf_, used_));
    used_ = 0;
  }
  ByteSink& sink_;
  char* buf_;
  size_t used_ = 0;
};

}  // namespace perfkit

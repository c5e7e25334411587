// JSON-lines: one event object per line, no brackets (per-process fragments). Windows of whole
// lines are parsed as one array; a window that fails is re-read line by line, in place. A last line that is a cut-short JSON prefix is counted and reported; any other
// bad line is an error at its byte offset.
#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "formats/chrome/chrome_forms.h"
#include "lib/errors.h"
#include "lib/progress.h"

namespace perfkit::chrome {

void read_jsonl(const InputBuffer& in, Profile& p, TraceBuilder& builder) {
  const std::string_view text = in.view();
  const size_t n = text.size();
  EventWindows windows(p.strings);
  int64_t lines = 0;
  size_t released = 0;  // bytes before this were given back to the input
  size_t newlines_released = 0;  // and the line ends among them (error messages count lines)
  size_t pos = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  auto read_line = [&](size_t begin, size_t end) {
    size_t b = begin, e = end;
    while (b < e && (text[b] == ' ' || text[b] == '\t' || text[b] == '\r')) ++b;
    while (e > b && (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\r')) --e;
    if (b == e) return;
    if (windows.parse_object(text.data() + b, e - b, in.capacity() - b)) {
      ++lines;
      windows.commit(builder);
      return;
    }
    const bool last = skip_bom_and_space(text, end) >= n;
    const size_t line_no = 1 + newlines_released +
                           std::count(text.begin() + released, text.begin() + b, '\n');
    JsonScanner line(text.substr(0, e));
    auto status = line.run(b, false);
    if (last && status == JsonScanner::Status::kCut) {
      p.warn(fmt::format("1 line cut short at line {} (byte {}) skipped; {} complete lines kept",
                         line_no, b, lines));
      return;
    }
    size_t at = b + windows.error_offset();
    std::string what = windows.error();
    if (status == JsonScanner::Status::kError) {
      at = line.error_offset();
      what = line.error();
    } else if (status == JsonScanner::Status::kCut) {
      at = e;
      what = "the JSON object does not end on its line";
    }
    throw InputError::at_byte(in.path, at, fmt::format("line {}: {}", line_no, what));
  };
  ProgressTicker tick(in.progress);
  while (pos < n) {
    tick.at(pos);
    // Fast path: a window of whole lines parsed as one array.
    size_t limit = std::min(n, pos + kWindowBytes);
    if (limit < n) {
      const void* nl = memrchr(text.data() + pos, '\n', limit - pos);
      if (nl) {
        const size_t wend = static_cast<const char*>(nl) - text.data() + 1;
        if (windows.parse_lines(text.substr(pos, wend - pos))) {
          lines += static_cast<int64_t>(windows.pending().size());
          builder.size_spans(windows.pending().size(), wend - pos, n);
          windows.commit(builder);
          pos = wend;
          if (pos >= released + kReleaseBytes) {  // parsed lines are not read again (but on errors)
            newlines_released += std::count(text.begin() + released, text.begin() + pos, '\n');
            in.release(released, pos);
            released = pos;
          }
          continue;
        }
        limit = wend;
      }
    }
    // Line by line (the last window, or one that failed): exact positions for errors and cuts.
    while (pos < limit) {
      const char* nl = static_cast<const char*>(std::memchr(text.data() + pos, '\n', n - pos));
      const size_t end = nl ? static_cast<size_t>(nl - text.data()) : n;
      read_line(pos, end);
      pos = end + 1;
    }
  }
  if (windows.non_objects()) p.warn("lines that are not JSON objects skipped", windows.non_objects());
}

}  // namespace perfkit::chrome

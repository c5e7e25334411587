#include "reports/html_json.h"

#include <cmath>

#include <fmt/format.h>

#include "reports/escape.h"

namespace perfkit {

void append_html_json_string(std::string& out, std::string_view s) {
  size_t from = out.size();
  append_json_string(out, s);
  // U+2028 / U+2029 are E2 80 A8 / E2 80 A9 in UTF-8: legal in JSON, line breaks to old JS.
  for (size_t i = out.find("\xE2\x80", from); i != std::string::npos && i + 2 < out.size();
       i = out.find("\xE2\x80", i + 1)) {
    char last = out[i + 2];
    if (last != '\xA8' && last != '\xA9') continue;
    out.replace(i, 3, last == '\xA8' ? "\\u2028" : "\\u2029");
  }
}

void HtmlJson::comma() {
  if (need_comma_) out_ += ',';
  need_comma_ = false;
}

HtmlJson& HtmlJson::open(char c) {
  comma();
  out_ += c;
  return *this;
}

HtmlJson& HtmlJson::close(char c) {
  out_ += c;
  need_comma_ = true;
  return *this;
}

HtmlJson& HtmlJson::key(std::string_view k) {
  comma();
  append_html_json_string(out_, k);
  out_ += ':';
  return *this;
}

HtmlJson& HtmlJson::str(std::string_view s) {
  comma();
  append_html_json_string(out_, s);
  need_comma_ = true;
  return *this;
}

HtmlJson& HtmlJson::num(int64_t v) {
  comma();
  fmt::format_to(std::back_inserter(out_), "{}", v);
  need_comma_ = true;
  return *this;
}

HtmlJson& HtmlJson::num(double v) {
  comma();
  if (std::isfinite(v))
    fmt::format_to(std::back_inserter(out_), "{:.6g}", v);
  else
    out_ += "null";
  need_comma_ = true;
  return *this;
}

HtmlJson& HtmlJson::boolean(bool v) {
  comma();
  out_ += v ? "true" : "false";
  need_comma_ = true;
  return *this;
}

HtmlJson& HtmlJson::null() {
  comma();
  out_ += "null";
  need_comma_ = true;
  return *this;
}

}  // namespace perfkit

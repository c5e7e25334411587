// Compact JSON for data embedded in an HTML page inside <script type="application/json">:
// strings go through append_json_string (invalid UTF-8 replaced, controls escaped, < > & as
// \u003c \u003e \u0026) and U+2028/U+2029 become \u2028/\u2029, so no name can close the script
// element or break a JavaScript parser. The page reads it with JSON.parse.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace perfkit {

// Appends s as an HTML-safe JSON string literal (with the quotes).
void append_html_json_string(std::string& out, std::string_view s);

class HtmlJson {
 public:
  HtmlJson& begin_object() { return open('{'); }
  HtmlJson& end_object() { return close('}'); }
  HtmlJson& begin_array() { return open('['); }
  HtmlJson& end_array() { return close(']'); }
  HtmlJson& key(std::string_view k);  // "k": (the next call writes its value)
  HtmlJson& str(std::string_view s);
  HtmlJson& num(int64_t v);
  HtmlJson& num(double v);  // NaN and infinities as null
  HtmlJson& boolean(bool v);
  HtmlJson& null();
  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  HtmlJson& open(char c);
  HtmlJson& close(char c);
  void comma();
  std::string out_;
  bool need_comma_ = false;
};

}  // namespace perfkit

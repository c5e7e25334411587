// Writing untrusted names into markup and JSON: invalid UTF-8 becomes U+FFFD, control characters
// are dropped (XML) or \u-escaped (JSON), and every markup-significant character is escaped, so a
// function named `</script><script>alert(1)</script>` stays inert text.
#pragma once
#include <string>
#include <string_view>

namespace perfkit {

// Valid UTF-8 without C0 controls or DEL: invalid sequences -> U+FFFD, controls dropped.
std::string sanitize_utf8(std::string_view s);

// s with invalid UTF-8 sequences replaced by U+FFFD and nothing else changed (controls kept): for
// formats whose strings must be UTF-8 but carry names as data (pprof's proto `string` fields).
std::string valid_utf8(std::string_view s);

// Appends s escaped for XML/HTML text and attribute values (& < > " ').
// Sanitizes as sanitize_utf8 does.
void append_xml_escaped(std::string& out, std::string_view s);

// Appends s as a JSON string literal (with the quotes); invalid UTF-8 -> U+FFFD,
// controls \u-escaped, and '<' '>' '&' escaped too so the JSON can sit inside HTML.
void append_json_string(std::string& out, std::string_view s);

// Cuts a sanitized string to at most max_chars code points, ending in ".." when cut.
std::string truncate_label(std::string_view s, size_t max_chars);

}  // namespace perfkit

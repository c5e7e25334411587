#include "lib/source_files.h"

#include <filesystem>
#include <vector>

namespace perfkit {

std::string find_source_file(const std::string& file, const std::string& root_text) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (file.empty()) return "";
  const fs::path root(root_text.empty() ? "." : root_text), p(file);
  auto found = [&](const fs::path& rel) {
    return !rel.empty() && *rel.begin() != ".." && fs::is_regular_file(root / rel, ec);
  };
  if (p.is_relative() && found(p)) return p.lexically_normal().string();
  if (p.is_absolute()) {
    fs::path rel = p.lexically_relative(fs::absolute(root, ec));
    if (found(rel)) return rel.lexically_normal().string();
  }
  std::vector<fs::path> parts;
  for (const fs::path& part : p.relative_path()) parts.push_back(part);
  for (size_t i = 1; i + 2 <= parts.size(); ++i) {
    fs::path tail;
    for (size_t j = i; j < parts.size(); ++j) tail /= parts[j];
    if (found(tail)) return tail.lexically_normal().string();
  }
  return "";
}

}  // namespace perfkit

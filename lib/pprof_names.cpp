#include "lib/pprof_names.h"

#include <vector>

namespace perfkit {

std::string_view simplify_function_name(std::string_view name) {
  if (!name.empty() && name.front() == '.') name.remove_prefix(1);
  constexpr std::string_view kReserved[] = {"(anonymous namespace)", "operator()"};
  for (size_t i = 0; i < name.size();) {
    bool skipped = false;
    for (std::string_view r : kReserved)
      if (name.substr(i).rfind(r, 0) == 0) {
        i += r.size();
        skipped = true;
        break;
      }
    if (skipped) continue;
    if (name[i] == '(') return name.substr(0, i);
    ++i;
  }
  return name;
}

std::string_view path_base(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return ".";
  if (path == "/") return path;
  return path.substr(path.rfind('/') + 1);
}

std::string pprof_clean_path(std::string_view path) {
  if (path.empty()) return "";
  for (std::string_view prefix : {"/proc/self/cwd/./", "/proc/self/cwd/"})
    if (path.rfind(prefix, 0) == 0) {
      path.remove_prefix(prefix.size());
      break;
    }
  if (path.empty()) return ".";
  const bool rooted = path.front() == '/';
  std::vector<std::string_view> parts;
  size_t dotdot = 0;  // leading ".." elements kept (unrooted paths)
  for (size_t i = 0; i < path.size();) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view e = path.substr(i, j - i);
    i = j + 1;
    if (e.empty() || e == ".") continue;
    if (e == "..") {
      if (parts.size() > dotdot) parts.pop_back();
      else if (!rooted) {
        parts.push_back(e);
        ++dotdot;
      }
      continue;
    }
    parts.push_back(e);
  }
  std::string out = rooted ? "/" : "";
  for (size_t k = 0; k < parts.size(); ++k) {
    if (k) out += '/';
    out += parts[k];
  }
  return out.empty() ? "." : out;
}

}  // namespace perfkit

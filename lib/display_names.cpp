#include "lib/display_names.h"

#include <string>
#include <unordered_map>

#include "lib/cpp_names.h"

namespace perfkit {

size_t simplify_frame_names(Profile& p) {
  std::unordered_map<StrId, StrId> renamed;  // function name -> its simplified name
  size_t changed = 0;
  const size_t count = p.frames().size();
  for (FrameId id = 0; id < count; ++id) {
    const Frame& f = p.frames()[id];
    if (f.unsymbolized || f.function == 0) continue;
    auto [it, fresh] = renamed.try_emplace(f.function, f.function);
    if (fresh) {
      const std::string s = simplify_cpp_name(p.str(f.function));
      if (s != p.str(f.function)) {
        it->second = p.strings.intern(s);
        ++changed;
      }
    }
    p.set_frame_function(id, it->second);
  }
  return changed;
}

}  // namespace perfkit

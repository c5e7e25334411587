// Placeholder until the chrome reader lands: probes nothing, reads nothing.
#include "formats/registry.h"
#include "lib/errors.h"

namespace perfkit {

Probe probe_chrome(std::string_view) { return Probe::kNo; }

void read_chrome(const InputBuffer& in, Profile&, const ReadOptions&) {
  throw InputError::in_file(in.path, "the chrome reader is not built yet");
}

}  // namespace perfkit

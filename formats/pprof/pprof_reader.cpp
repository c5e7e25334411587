// Placeholder until the pprof reader lands: probes nothing, reads nothing.
#include "formats/registry.h"
#include "lib/errors.h"

namespace perfkit {

Probe probe_pprof(std::string_view) { return Probe::kNo; }

void read_pprof(const InputBuffer& in, Profile&, const ReadOptions&) {
  throw InputError::in_file(in.path, "the pprof reader is not built yet");
}

}  // namespace perfkit

// Placeholder until the folded reader lands: probes nothing, reads nothing.
#include "formats/registry.h"
#include "lib/errors.h"

namespace perfkit {

Probe probe_folded(std::string_view) { return Probe::kNo; }

void read_folded(const InputBuffer& in, Profile&, const ReadOptions&) {
  throw InputError::in_file(in.path, "the folded reader is not built yet");
}

}  // namespace perfkit

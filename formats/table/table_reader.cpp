// Placeholder until the table reader lands: probes nothing, reads nothing.
#include "formats/registry.h"
#include "lib/errors.h"

namespace perfkit {

Probe probe_table(std::string_view) { return Probe::kNo; }

void read_table(const InputBuffer& in, Profile&, const ReadOptions&) {
  throw InputError::in_file(in.path, "the table reader is not built yet");
}

}  // namespace perfkit

// Merging Chrome trace fragments (JSON-lines files, one per process, or whole traces in array or
// object form) into one trace, working on the raw event text so nothing of an event is lost:
// - every complete event is kept verbatim (a cut or invalid event is dropped and counted);
// - a pid seen in more than one file is remapped in the later files to a fresh pid (unless
//   keep_pids: then the same pid is the same process), in the events and their metadata alike;
// - metadata (M) events come first, exact duplicates removed; other events follow in time order
//   (ts, then file order, then position: the same bytes for any number of threads).
// Merging is associative: merged files are fragments too.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "lib/input.h"
#include "lib/profile.h"

namespace perfkit {

struct TraceMergeOptions {
  unsigned jobs = 1;      // threads for the per-file scan
  bool keep_pids = false;
};

struct TraceMergeResult {
  std::string json;              // the merged trace (empty when it went to a sink)
  int64_t events = 0;            // events written (metadata included)
  int64_t duplicate_metadata = 0;
  int64_t remapped_pids = 0;
  std::vector<Warning> warnings;  // per file: cut or invalid events dropped, pids remapped
};

// The merged trace goes to `sink` in pieces of about 1 MiB, in order, as it is produced.
TraceMergeResult merge_chrome_fragments(const std::vector<InputBuffer>& inputs,
                                        const TraceMergeOptions& opts,
                                        const std::function<void(std::string_view)>& sink);
// The same, collected in the result's json.
TraceMergeResult merge_chrome_fragments(const std::vector<InputBuffer>& inputs,
                                        const TraceMergeOptions& opts);

}  // namespace perfkit

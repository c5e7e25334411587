// What a file holds, for `perfkit info`: a pure function of the Profile.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "lib/profile.h"

namespace perfkit {

struct ValueTypeTotal {
  std::string type;
  std::string unit;
  int64_t total = 0;  // sum of the stored values
  int64_t scale = 1;  // stored units per unit (folded fractional counts)
};

struct ProfileSummary {
  std::string path;
  std::string format;
  std::string flavor;
  std::vector<ValueTypeTotal> value_types;
  std::string default_value_type;
  int64_t samples = 0;
  int64_t stacks = 0;     // distinct stacks among the samples
  int64_t functions = 0;  // distinct function names
  int64_t frames = 0;     // distinct (function, file, line) frames
  int64_t max_depth = 0;
  int64_t spans = 0;
  std::map<std::string, int64_t> events_by_phase;
  int64_t events = 0;
  int64_t processes = 0;
  int64_t threads = 0;
  int64_t rows = 0;
  int64_t time_ns = 0;          // pprof time_nanos
  int64_t duration_ns = 0;      // pprof duration_nanos, or the trace's last end - first start
  int64_t first_ts_ns = 0;      // traces: earliest span start
  int64_t last_ts_ns = 0;       // traces: latest span end
  std::string clock_type;
  std::vector<std::string> comments;
  std::vector<Warning> warnings;
};

ProfileSummary summarize(const Profile& p);

}  // namespace perfkit

// speedscope's file format (https://www.speedscope.app/file-format-schema.json): shared frames
// (name, file, line) and one "sampled" profile per value type, each distinct stack once with its
// summed weight, in the value type's unit (speedscope's units: nanoseconds ... seconds, bytes;
// anything else is "none"). formats/speedscope/speedscope_reader.cpp reads it back.
#pragma once
#include <string>
#include <vector>

#include "lib/profile.h"

namespace perfkit {

// value_indexes empty: every value type. `note` receives what the conversion lost.
std::string write_speedscope(const Profile& p, const std::vector<int>& value_indexes,
                             std::string* note = nullptr);

// speedscope's unit name for one of ours ("none" when it has no equivalent).
std::string_view speedscope_unit(std::string_view unit);

}  // namespace perfkit

// Renders `perfkit info` summaries as text or JSON.
#pragma once
#include <string>
#include <vector>

#include "lib/summary.h"

namespace perfkit {

std::string render_info_text(const std::vector<ProfileSummary>& items);
std::string render_info_json(const std::vector<ProfileSummary>& items);

}  // namespace perfkit

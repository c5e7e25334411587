// Renderers of `perfkit top`: text (pprof's -top layout), JSON, CSV, Markdown.
#pragma once
#include <string>

#include "lib/profile.h"
#include "lib/terminal.h"
#include "lib/top_table.h"

namespace perfkit {

// style.width > 0 (a terminal): columns dropped and the name cut to fit (lib/terminal.h).
std::string render_top_text(const Profile& p, const TopTable& t, Granularity by,
                            const terminal::TextStyle& style = {});
// {"value_type": {"type","unit"}, "total": N, "rows": [{"name","file","line","flat","cum",
// "calls"}]}: integers for scale-1 units (pprof), seconds for tables, calls null when unknown.
std::string render_top_json(const Profile& p, const TopTable& t, Granularity by);
std::string render_top_csv(const Profile& p, const TopTable& t, Granularity by);
std::string render_top_md(const Profile& p, const TopTable& t, Granularity by);

}  // namespace perfkit

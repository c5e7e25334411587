// The HTML report's embedded data: summary, per-value-type views (top rows and flame graph),
// findings and the per-thread overview.
#include <algorithm>

#include "lib/report_findings.h"
#include "reports/html_data.h"

namespace perfkit {

void write_summary_json(HtmlJson& j, const ProfileSummary& s) {
  j.begin_object();
  j.key("path").str(s.path).key("format").str(s.format).key("flavor").str(s.flavor);
  j.key("value_types").begin_array();
  for (const ValueTypeTotal& v : s.value_types)
    j.begin_object()
        .key("type").str(v.type).key("unit").str(v.unit)
        .key("total").num(v.total).key("scale").num(v.scale)
        .end_object();
  j.end_array();
  j.key("default_value_type").str(s.default_value_type);
  j.key("samples").num(s.samples).key("stacks").num(s.stacks).key("functions").num(s.functions);
  j.key("spans").num(s.spans).key("events").num(s.events).key("threads").num(s.threads);
  j.key("rows").num(s.rows).key("time_ns").num(s.time_ns).key("duration_ns").num(s.duration_ns);
  j.key("comments").begin_array();
  for (const std::string& c : s.comments) j.str(c);
  j.end_array();
  j.key("warnings").begin_array();
  for (const Warning& w : s.warnings)
    j.begin_object().key("what").str(w.what).key("count").num(w.count).end_object();
  j.end_array();
  j.end_object();
}

void write_view_json(HtmlJson& j, const HtmlView& v, const HtmlLimits& lim, HtmlNames& names) {
  j.begin_object();
  j.key("type").str(v.type).key("unit").str(v.unit).key("scale").num(v.scale);
  j.key("total").num(v.total).key("has_calls").boolean(v.has_calls);
  size_t shown = std::min(v.rows.size(), lim.max_table_rows);
  j.key("rows_total").num(static_cast<int64_t>(v.rows.size()));
  j.key("rows").begin_array();
  for (size_t i = 0; i < shown; ++i) {
    const HtmlTopRow& r = v.rows[i];
    j.begin_array().str(r.name).str(r.file).num(r.flat).num(r.cum).num(r.calls).end_array();
  }
  j.end_array();
  j.key("flame");
  if (v.page_flame) write_flame_json(j, *v.page_flame, names);
  else write_flame_json(j, v.flame, lim, names);
  j.end_object();
}

void write_threads_json(HtmlJson& j, const ThreadOverview& o) {
  j.begin_object();
  j.key("thread_count").num(static_cast<int64_t>(o.thread_count));
  j.key("start_ns").num(o.start_ns).key("end_ns").num(o.end_ns);
  j.key("threads").begin_array();
  for (const ThreadTime& t : o.threads) {
    j.begin_object().key("label").str(t.label).key("busy_ns").num(t.busy_ns);
    j.key("spans").num(t.spans).key("first_ns").num(t.first_ns).key("last_ns").num(t.last_ns);
    j.key("top").begin_array();
    for (const ThreadSlice& s : t.top) j.begin_array().str(s.name).num(s.self_ns).end_array();
    j.end_array();
    j.key("other_ns").num(t.other_ns).end_object();
  }
  j.end_array();
  j.end_object();
}

void write_findings_json(HtmlJson& j, const ReportFindings& f) {
  j.begin_object();
  j.key("type").str(f.type).key("total_text").str(finding_value(f, f.total));
  j.key("headline").str(f.headline);
  j.key("sections").begin_array();
  for (const FindingSection& sec : f.sections) {
    j.begin_object().key("id").str(sec.id).key("title").str(sec.title).key("hint").str(sec.hint);
    j.key("items").begin_array();
    for (const Finding& it : sec.items) {
      j.begin_object().key("path").begin_array();
      for (const std::string& fr : it.path) j.str(fr);
      j.end_array();
      // The badge shows what the section ranks by (self for "most self", the path's weight for
      // hot paths), the same value as `report --format json`'s value_text.
      j.key("file").str(it.file).key("value").str(finding_value(f, it.value));
      j.key("share").num(it.share).key("why").str(it.why).end_object();
    }
    j.end_array().end_object();
  }
  j.end_array();
  j.key("notes").begin_array();
  for (const std::string& n : f.notes) j.str(n);
  j.end_array();
  j.end_object();
}

}  // namespace perfkit

#include "reports/report_html.h"

#include "reports/escape.h"
#include "reports/html/report_css.h"
#include "reports/html/report_js.h"
#include "reports/html/units_js.h"
#include "reports/html_data.h"

namespace perfkit {
namespace {

std::string data_json(const HtmlReportData& d) {
  HtmlJson j;
  HtmlNames names;
  j.begin_object();
  j.key("title").str(d.title).key("version").str(d.version).key("command").str(d.command_line);
  j.key("inputs").begin_array();
  for (const ProfileSummary& s : d.inputs) write_summary_json(j, s);
  j.end_array();
  j.key("default_view").num(static_cast<int64_t>(d.default_view));
  j.key("views").begin_array();
  for (const HtmlView& v : d.views) write_view_json(j, v, d.limits, names);
  j.end_array();
  j.key("findings");
  if (d.findings) write_findings_json(j, *d.findings);
  else j.null();
  j.key("spans");
  if (d.spans) write_spans_json(j, *d.spans, d.limits.max_table_rows);
  else j.null();
  j.key("threads");
  if (!d.threads.threads.empty()) write_threads_json(j, d.threads);
  else j.null();
  j.key("diff");
  if (d.diff) write_diff_json(j, *d.diff, d.limits.max_table_rows);
  else j.null();
  j.key("diff_flame");
  write_flame_json(j, d.diff_flame, d.limits, names);
  write_names_json(j, names);
  j.end_object();
  return j.take();
}

// No network: nothing but this page's own inline style and script may load.
constexpr std::string_view kCsp =
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

}  // namespace

std::string render_html_report(const HtmlReportData& d) {
  std::string out;
  out.reserve(1 << 16);
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"";
  out += kCsp;
  out += "\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<link rel=\"icon\" href=\"data:,\">\n<title>";
  append_xml_escaped(out, d.title);
  out += "</title>\n<style>";
  out += html::kReportCss;
  out += "</style>\n</head>\n<body>\n<header><h1>";
  append_xml_escaped(out, d.title);
  out += "</h1><nav id=\"nav\"></nav></header>\n<main id=\"app\"><noscript><p>This report draws "
         "its tables and flame graph with JavaScript; enable it to see them.</p></noscript>"
         "</main>\n<footer id=\"footer\">Made by perfkit ";
  append_xml_escaped(out, d.version);
  if (!d.command_line.empty()) {
    out += " with <code>";
    append_xml_escaped(out, d.command_line);
    out += "</code>";
  }
  out += "</footer>\n<script type=\"application/json\" id=\"perfkit-data\">";
  out += data_json(d);
  out += "</script>\n<script>";
  out += html::kUnitsJs;
  out += html::kReportJs;
  out += "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace perfkit

// The HTML report's style sheet (inlined into the page).
#pragma once
#include <string_view>

namespace perfkit::html {

inline constexpr std::string_view kReportCss = R"CSS(
:root{--fg:#1d2330;--muted:#5b6478;--line:#dde1ea;--bg:#f6f7fb;--card:#fff;--accent:#2f5fd0;
--grow:#c62828;--grow-bg:#fdecea;--shrink:#1f5fbf;--shrink-bg:#e8f0fd;--match:#e040fb}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{background:#1d2330;color:#fff;padding:14px 24px 10px}
header h1{margin:0 0 6px;font-size:19px;font-weight:600;word-break:break-all}
header nav a{color:#c8d3f5;margin-right:16px;text-decoration:none;font-size:13px}
header nav a:hover{text-decoration:underline}
main{padding:16px 24px;max-width:1600px;margin:0 auto}
section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 18px;margin:0 0 16px}
h2{font-size:16px;margin:0 0 10px}
h3{font-size:14px;margin:12px 0 6px}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.muted{color:var(--muted)}
.note{color:var(--muted);font-size:12.5px;margin:6px 0}
.headline{font-size:15px;font-weight:600;margin:8px 0 10px}
.warn{color:#8a4b00}
.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0}
.kv dt{color:var(--muted)}.kv dd{margin:0;word-break:break-all}
.inputs{display:flex;gap:24px;flex-wrap:wrap}.inputs>div{flex:1;min-width:320px}
ul.findings{list-style:none;padding:0;margin:0}
ul.findings li{padding:7px 0;border-top:1px solid var(--line)}
ul.findings li:first-child{border-top:0}
.badge{display:inline-block;font-size:11px;padding:1px 7px;border-radius:9px;background:#e7ecf8;color:#2a3f75;margin-right:8px;white-space:nowrap}
.why{color:var(--muted);font-size:12.5px;margin-left:4px}
.controls{display:flex;gap:10px;align-items:center;flex-wrap:wrap;margin-bottom:8px}
input[type=search],select{font:inherit;font-size:13px;padding:4px 8px;border:1px solid #c3c9d6;border-radius:5px;background:#fff}
input[type=search]{min-width:240px}
button{font:inherit;font-size:13px;padding:4px 10px;border:1px solid #c3c9d6;border-radius:5px;background:#fff;cursor:pointer}
button:hover{background:#eef1f8}
.tablewrap{max-height:520px;overflow:auto;border:1px solid var(--line);border-radius:6px}
table.data{border-collapse:collapse;width:100%;font-size:13px}
table.data th{position:sticky;top:0;background:#eef1f7;text-align:right;padding:5px 8px;cursor:pointer;user-select:none;white-space:nowrap;border-bottom:1px solid var(--line)}
table.data th.text,table.data td.text{text-align:left}
table.data th[aria-sort=ascending]::after{content:" \25B2";font-size:10px}
table.data th[aria-sort=descending]::after{content:" \25BC";font-size:10px}
table.data td{padding:3px 8px;text-align:right;border-bottom:1px solid #f0f2f6;white-space:nowrap;font-variant-numeric:tabular-nums}
table.data td.text{white-space:normal;word-break:break-all;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
table.data td .file{color:var(--muted);font-size:11.5px;display:block}
table.data tr:hover td{background:#f7f9fe}
td.grow{color:var(--grow);background:var(--grow-bg)}
td.shrink{color:var(--shrink);background:var(--shrink-bg)}
.bar{display:inline-block;height:8px;background:#7d9be0;border-radius:2px;vertical-align:middle;margin-right:6px}
.flame{position:relative;width:100%;overflow:hidden;border:1px solid var(--line);border-radius:6px;background:#fbfbfd;font-size:11.5px}
.fr{position:absolute;height:17px;overflow:hidden;white-space:nowrap;text-overflow:ellipsis;padding:0 3px;line-height:17px;
border-right:1px solid #fff;border-bottom:1px solid #fff;cursor:pointer;color:#1b1b1b;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:11px}
.fr:hover{outline:1px solid #333;z-index:1}
.fr.anc{opacity:.55}
.fr.m{background:var(--match)!important;color:#fff}
.fr.other{font-style:italic;color:#444}
.crumbs{font-size:12.5px;margin:4px 0 8px;min-height:20px}
.crumbs a{color:var(--accent);cursor:pointer;text-decoration:none}
.crumbs a:hover{text-decoration:underline}
.crumbs .sep{color:var(--muted);margin:0 5px}
.matched{font-size:12.5px;color:#8a1e9b;font-weight:600}
.details{font-size:12.5px;color:var(--muted);min-height:19px;margin-top:6px;word-break:break-all}
.tip{position:fixed;pointer-events:none;background:#1d2330;color:#fff;padding:6px 9px;border-radius:5px;font-size:12px;max-width:520px;z-index:10;display:none;word-break:break-all}
.tip b{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-weight:600}
.threads .row{display:flex;align-items:center;gap:10px;margin:3px 0}
.threads .label{width:300px;flex:none;font-size:12.5px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.threads .track{flex:1;background:#f0f2f6;border-radius:3px;height:18px;position:relative}
.threads .stack{display:flex;height:18px;border-radius:3px;overflow:hidden}
.threads .seg{height:18px;border-right:1px solid #fff}
.threads .busy{width:180px;flex:none;text-align:right;font-size:12.5px;font-variant-numeric:tabular-nums}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;margin-top:8px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:middle}
footer{color:var(--muted);font-size:12px;padding:6px 24px 24px;max-width:1600px;margin:0 auto;word-break:break-all}
)CSS";

}  // namespace perfkit::html

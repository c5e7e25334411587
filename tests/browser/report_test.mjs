// Opens perfkit's HTML reports in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core; no browser download) and checks what a person would do with them.
// Usage: node report_test.mjs OUT_DIR   (OUT_DIR holds report.html, diff.html, escape.html,
// written by tests/cli/html_browser.sh; screenshots are written there too)
import { chromium } from 'playwright-core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const outDir = process.argv[2];
const executablePath = process.env.PERFKIT_CHROMIUM || '/usr/bin/chromium';
let failures = 0, passes = 0;
function check(cond, what, detail) {
  if (cond) { passes++; return; }
  failures++;
  console.log(`FAIL: ${what}${detail === undefined ? '' : ': ' + JSON.stringify(detail)}`);
}

const userDataDir = mkdtempSync(join(tmpdir(), 'perfkit-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1400, height: 1000 },
});

// Opens a report; collects console errors, page errors, dialogs and any non-file request.
async function open(name) {
  const page = await context.newPage();
  const log = { errors: [], dialogs: [], network: [] };
  page.on('console', (m) => { if (m.type() === 'error') log.errors.push(m.text()); });
  page.on('pageerror', (e) => log.errors.push(String(e)));
  page.on('dialog', (d) => { log.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('file:') && !u.startsWith('data:')) log.network.push(u);
  });
  await page.goto(pathToFileURL(join(outDir, name)).href);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 15000 });
  return { page, log };
}

function firstCells(page, tableId, n) {
  return page.$$eval(`#${tableId} tbody tr`, (trs, n) =>
    trs.slice(0, n).map((tr) => tr.cells[0].firstChild ? tr.cells[0].firstChild.textContent : ''), n);
}

// Sorting: clicking the name column sorts by name; the order must change and be ascending.
async function checkSorting(page, tableId, label) {
  const before = await firstCells(page, tableId, 5);
  await page.click(`#${tableId} th[data-col="0"]`);
  const after = await firstCells(page, tableId, 5);
  check(JSON.stringify(before) !== JSON.stringify(after), `${label}: sorting by name changes the order`, { before, after });
  const sorted = [...after].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  check(JSON.stringify(sorted) === JSON.stringify(after), `${label}: name column sorted ascending`, after);
  await page.click(`#${tableId} th[data-col="0"]`);
  const desc = await firstCells(page, tableId, 5);
  check(JSON.stringify(desc) !== JSON.stringify(after), `${label}: second click reverses the order`, desc);
}

// Flame graph: clicking a frame zooms into it (its width becomes the graph's full width); the
// breadcrumb names it; reset returns to the root.
async function checkZoom(page, label, pattern) {
  const boxWidth = await page.$eval('#flame-graph', (b) => b.clientWidth);
  const target = await page.$$eval('#flame-graph .fr', (frs, pattern) => {
    const re = new RegExp(pattern);
    const w = (f) => f.getBoundingClientRect().width;
    const hit = frs.find((f) => re.test(f.textContent) && w(f) > 30 && w(f) < f.parentNode.clientWidth * 0.9) ||
      frs.find((f) => w(f) > 30 && w(f) < f.parentNode.clientWidth * 0.9);
    return hit ? { i: hit.dataset.i, name: hit.textContent, width: w(hit) } : null;
  }, pattern);
  check(target !== null, `${label}: a flame frame narrower than the graph to click`);
  if (!target) return;
  await page.click(`#flame-graph .fr[data-i="${target.i}"]`);
  const zoomed = await page.$eval(`#flame-graph .fr[data-i="${target.i}"]`, (f) => f.getBoundingClientRect().width);
  check(Math.abs(zoomed - boxWidth) <= 2, `${label}: clicked frame ${target.name} fills the width after zoom`,
    { before: target.width, after: zoomed, boxWidth });
  const crumbs = await page.$eval('#flame-graph-crumbs', (c) => c.textContent);
  check(crumbs.includes(target.name.replace(/\.\.$/, '')), `${label}: breadcrumb names the zoomed frame`, crumbs);
  await page.click('#flame-graph-reset');
  const rootWidth = await page.$eval('#flame-graph .fr[data-i="0"]', (f) => f.getBoundingClientRect().width);
  check(Math.abs(rootWidth - boxWidth) <= 2, `${label}: reset shows the root at full width`);
  const after = await page.$eval(`#flame-graph .fr[data-i="${target.i}"]`, (f) => f.getBoundingClientRect().width);
  check(after < boxWidth * 0.9, `${label}: after reset the frame is narrow again`, after);
}

async function checkSearch(page, label, term) {
  await page.fill('#flame-graph-search', term);
  await page.press('#flame-graph-search', 'Enter');
  const hits = await page.$$eval('#flame-graph .fr.m', (frs) => frs.map((f) => f.textContent));
  check(hits.length > 0, `${label}: search "${term}" highlights frames`);
  check(hits.every((t) => t === '' || new RegExp(term, 'i').test(t) || t.endsWith('..')), `${label}: only matching frames highlighted`, hits.slice(0, 5));
  const matched = await page.$eval('#flame-graph-matched', (m) => m.textContent);
  const share = /Matched: ([0-9.]+)%/.exec(matched);
  check(share && +share[1] > 0 && +share[1] <= 100, `${label}: matched share shown`, matched);
  await page.fill('#flame-graph-search', '');
  await page.press('#flame-graph-search', 'Enter');
}

async function checkHover(page, label) {
  await page.hover('#flame-graph .fr[data-i="0"]');
  const tip = await page.$eval('.tip', (t) => ({ shown: t.style.display, text: t.textContent }));
  check(tip.shown === 'block' && /100%/.test(tip.text), `${label}: hovering the root shows its details`, tip);
}

function checkClean(log, label) {
  check(log.errors.length === 0, `${label}: no console errors`, log.errors);
  check(log.network.length === 0, `${label}: no network requests`, log.network);
  check(log.dialogs.length === 0, `${label}: no dialogs`, log.dialogs);
}

// Every finding's badge ("VALUE · SHARE") against `perfkit report --format json` of the same input
// (NAME.json beside NAME.html): the value the section ranks by (self for "most self"), never
// another column, and the share as a percentage of the same total.
async function checkBadges(page, name, label) {
  const want = JSON.parse(readFileSync(join(outDir, name), 'utf8'));
  let compared = 0;
  for (const sec of want.sections) {
    const got = await page.$$eval(`#findings-${sec.id} li .badge`, (bs) => bs.map((b) => b.textContent));
    check(got.length === sec.items.length, `${label}: ${sec.id}: one badge per finding`, { got: got.length, want: sec.items.length });
    sec.items.forEach((it, i) => {
      const m = /^(.*) \u00B7 (-?[0-9.]+)%$/.exec(got[i] || '');
      check(m && m[1] === it.value_text, `${label}: ${sec.id} #${i + 1} (${it.path[it.path.length - 1]}) badge value is the JSON value_text`,
        { badge: got[i], value_text: it.value_text });
      const p = 100 * it.share, tol = Math.abs(p) >= 10 ? 0.051 : Math.abs(p) >= 0.1 ? 0.0051 : Math.abs(p) * 0.05;
      check(m && Math.abs(+m[2] - p) <= tol,
        `${label}: ${sec.id} #${i + 1} badge share is the JSON share`, { badge: got[i], share: it.share });
      compared++;
    });
  }
  check(compared > 0 && want.sections.some((s) => s.id === 'self' && s.items.length > 0), `${label}: badges compared, "most self" among them`, compared);
}

for (const [html, json] of [['report.html', 'report.json'], ['trace.html', 'trace.json'], ['folded.html', 'folded.json']]) {
  const { page, log } = await open(html);
  await checkBadges(page, json, html);
  // The headline sentence leads the Bottlenecks section, as in `report --format json`.
  const want = JSON.parse(readFileSync(join(outDir, json), 'utf8')).headline;
  const shown = await page.$eval('#findings h2 ~ p.headline, #findings-headline', (p) => p.textContent).catch(() => null);
  check(want && shown === want, `${html}: headline equals the JSON's`, { shown, want });
  checkClean(log, html);
  await page.close();
}

// ---- the single-profile report ----
{
  const { page, log } = await open('report.html');
  const top = await firstCells(page, 'top-table', 3);
  check(JSON.stringify(top) === JSON.stringify(['runtime.memclrNoHeapPointers', 'runtime.mallocgc', 'runtime.madvise']),
    'report: top table first rows (by flat, as go tool pprof -top)', top);
  const findings = await page.$eval('#findings', (s) => s.textContent);
  check(/regexp\.(Compile|compile)/.test(findings) && /main\.matchAll/.test(findings), 'report: findings name regexp compilation under main.matchAll');
  const summary = await page.$eval('#summary', (s) => s.textContent);
  check(/go_cpu_slow_regex\.pb\.gz/.test(summary) && /8\.5s/.test(summary), 'report: summary names the input and its 8.5s total', summary.slice(0, 200));
  const footer = await page.$eval('footer', (f) => f.textContent);
  check(/perfkit \d+\.\d+/.test(footer) && /--format html/.test(footer), 'report: footer has version and command', footer);
  await page.fill('#top-table-filter', 'regexp');
  await page.waitForTimeout(300);
  const filtered = await firstCells(page, 'top-table', 50);
  check(filtered.length > 0 && filtered.every((n) => /regexp/i.test(n)), 'report: filter box keeps matching rows', filtered.slice(0, 5));
  await page.fill('#top-table-filter', '');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(outDir, 'report.png'), fullPage: true });
  await checkSorting(page, 'top-table', 'report');
  await checkZoom(page, 'report', 'main\\.matchAll');
  await checkSearch(page, 'report', 'regexp');
  await checkHover(page, 'report');
  await page.click('#flame-graph-icicle');
  const rootTop = await page.$eval('#flame-graph .fr[data-i="0"]', (f) => f.style.top);
  check(rootTop === '0px', 'report: icicle puts the root at the top', rootTop);
  checkClean(log, 'report');
  await page.close();
}

// ---- the diff report ----
{
  const { page, log } = await open('diff.html');
  const rows = await firstCells(page, 'diff-table', 10);
  check(rows.length > 0, 'diff: diff table has rows');
  const grow = await page.$$eval('#diff-table tbody tr', (trs) =>
    trs.filter((tr) => /regexp/.test(tr.cells[0].textContent) && tr.cells[3].classList.contains('grow')).length);
  check(grow > 0, 'diff: regexp rows are colored as growth');
  const matchAll = rows.indexOf('main.matchAll');
  check(matchAll >= 0 && matchAll < 5, 'diff: main.matchAll among the first rows', rows);
  await page.screenshot({ path: join(outDir, 'diff.png'), fullPage: true });
  await checkSorting(page, 'diff-table', 'diff');
  await checkZoom(page, 'diff', 'main\\.matchAll');
  await checkSearch(page, 'diff', 'regexp');
  const red = await page.$$eval('#flame-graph .fr', (frs) => frs.filter((f) => /regexp/.test(f.textContent) &&
    /^rgb\(250, \d+, \d+\)$/.test(f.style.background) && !/^rgb\(250, 250/.test(f.style.background)).length);
  check(red > 0, 'diff: differential flame graph shows regexp frames in red');
  checkClean(log, 'diff');
  await page.close();
}

// ---- a diff of two function tables: ncall and tavg per side, equal to `perfkit diff --format json` ----
{
  const { page, log } = await open('tables_diff.html');
  const want = JSON.parse(readFileSync(join(outDir, 'tables_diff.json'), 'utf8'));
  const heads = await page.$$eval('#diff-table thead th', (ths) => ths.map((th) => th.textContent.replace(/[\u25b2\u25bc]/g, '').trim()));
  const col = (label) => heads.indexOf(label);
  for (const h of ['Base ncall', 'New ncall', 'Base tavg', 'New tavg'])
    check(col(h) >= 0, `tables diff: a ${h} column`, heads);
  const cells = await page.$$eval('#diff-table tbody tr', (trs) => trs.map((tr) =>
    Array.from(tr.cells, (c, i) => i === 0 && c.firstChild ? c.firstChild.textContent : c.textContent)));
  const byName = new Map(want.rows.map((r) => [r.name, r]));
  let compared = 0;
  for (const c of cells) {
    const name = c[0];
    const r = byName.get(name);
    if (!r) continue;
    compared++;
    check(c[col('Base ncall')] === String(r.base_calls) && c[col('New ncall')] === String(r.new_calls),
      `tables diff: ${name} ncall equals the JSON`, { page: [c[col('Base ncall')], c[col('New ncall')]], json: [r.base_calls, r.new_calls] });
    check(/^[0-9.]+(ns|us|µs|ms|s)$/.test(c[col('Base tavg')]) && /^[0-9.]+(ns|us|µs|ms|s)$/.test(c[col('New tavg')]),
      `tables diff: ${name} tavg shown`, [c[col('Base tavg')], c[col('New tavg')]]);
  }
  check(compared === want.rows.length, 'tables diff: every JSON row on the page', { compared, rows: want.rows.length });
  checkClean(log, 'tables diff');
  await page.close();
  // A sampled profile does not know calls: no such columns.
  const d = await open('diff.html');
  const dh = await d.page.$$eval('#diff-table thead th', (ths) => ths.map((th) => th.textContent));
  check(!dh.some((h) => /ncall|tavg/.test(h)), 'pprof diff: no ncall/tavg columns', dh);
  await d.page.close();
}

// ---- hostile names stay text ----
{
  const { page, log } = await open('escape.html');
  await page.waitForTimeout(500);
  const names = await firstCells(page, 'top-table', 5);
  check(names.includes('</script><script>alert(1)</script>'), 'escape: script-tag name shows as text', names);
  check(names.includes('<img src=x onerror=alert(1)>'), 'escape: img-tag name shows as text', names);
  const imgs = await page.evaluate(() => document.images.length);
  check(imgs === 0, 'escape: no <img> element was created', imgs);
  const scripts = await page.evaluate(() => document.scripts.length);
  check(scripts === 2, 'escape: only the page\'s own two script elements', scripts);
  const frames = await page.$$eval('#flame-graph .fr', (frs) => frs.map((f) => f.textContent));
  check(frames.some((t) => t.includes('</script>')), 'escape: flame frame shows the name as text', frames);
  checkClean(log, 'escape');
  await page.close();
}

await context.close();
rmSync(userDataDir, { recursive: true, force: true });
console.log(`screenshots: ${join(outDir, 'report.png')} ${join(outDir, 'diff.png')}`);
console.log(`${passes} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);

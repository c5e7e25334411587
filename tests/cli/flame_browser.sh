# flame in a real browser (headless Chromium through playwright-core from tests/browser, when
# both are installed): no script errors, click zooms, search highlights and shows the matched
# share, hover shows details, reset restores; hostile names run nothing.
. "$(dirname "$0")/lib.bash"
cd "$SRC"
CHROMIUM=${PERFKIT_CHROMIUM:-/usr/bin/chromium}
PW="$SRC/tests/browser/node_modules/playwright-core/index.mjs"
if ! command -v node >/dev/null || [[ ! -x "$CHROMIUM" || ! -f "$PW" ]]; then
  echo "SKIP: node, $CHROMIUM or playwright-core (npm install in tests/browser) missing"
  exit 0
fi
"$PK" flame testdata/pprof/go_cpu_base.pb.gz -o "$TMP/cpu.svg" || fail "flame"
printf '%s\n' 'main;</script><script>alert(1)</script> 5' 'main;<img src=x onerror=alert(1)> 3' >"$TMP/evil.folded"
"$PK" flame "$TMP/evil.folded" -o "$TMP/evil.svg" || fail "flame evil"
cat >"$TMP/probe.mjs" <<'JS'
const [pw, chromiumPath, dir] = process.argv.slice(2);
const { chromium } = await import(pw);
const { mkdtempSync } = await import('node:fs');
const ctx = await chromium.launchPersistentContext(mkdtempSync(dir + '/profile-'), {
  executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
const page = await ctx.newPage();
const errors = [];
page.on('pageerror', e => errors.push(String(e)));
page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
page.on('dialog', async d => {
  if (d.type() === 'prompt') await d.accept('compress'); else { errors.push('dialog: ' + d.message()); await d.dismiss(); }
});
const fail = msg => { console.log('FAIL: ' + msg); process.exitCode = 1; };
await page.goto('file://' + dir + '/cpu.svg');
const sel = 'g.f[data-d="4"]';
const width = () => page.evaluate(s => +document.querySelector(s + ' rect').getAttribute('width'), sel);
const before = await width();
await page.click(sel, { force: true });
const after = await width();
if (!(after > before * 2)) fail(`zoom did not widen the frame (${before} -> ${after})`);
const hidden = await page.evaluate(() => [...document.querySelectorAll('g.f')].filter(g => g.style.display === 'none').length);
if (hidden === 0) fail('zoom hid no frame outside the zoomed one');
await page.click('#unzoom');
if (Math.abs(await width() - before) > 0.01) fail('reset did not restore the width');
await page.keyboard.press('Control+f');
const matched = await page.evaluate(() => document.getElementById('matched').textContent);
if (!/^Matched: \d+(\.\d+)?%$/.test(matched)) fail('no matched share after search: ' + matched);
const pink = await page.evaluate(() => [...document.querySelectorAll('g.f rect')].filter(r => r.getAttribute('fill') === 'rgb(230,0,230)').length);
if (pink === 0) fail('search highlighted nothing');
await page.hover('g.f[data-d="1"]', { force: true });
const details = await page.evaluate(() => document.getElementById('details').textContent);
if (!/\(.*%/.test(details)) fail('hover shows no details: ' + details);
await page.goto('file://' + dir + '/evil.svg');
await page.waitForTimeout(200);
const injected = await page.evaluate(() => document.querySelectorAll('img, script').length);
if (injected !== 1) fail(`hostile names made elements (${injected} img/script)`);
if (errors.length) fail('errors: ' + errors.join('; '));
console.log(`zoom ${before.toFixed(1)} -> ${after.toFixed(1)} px, ${matched}, ${pink} highlighted, details "${details}"`);
await ctx.close();
JS
node "$TMP/probe.mjs" "$PW" "$CHROMIUM" "$TMP" >"$TMP/out" 2>&1 || fail "browser probe failed"
cat "$TMP/out"
grep -q '^FAIL' "$TMP/out" && fail "browser checks"
finish

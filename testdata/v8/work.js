// The program behind node_cpu.cpuprofile and node_trace_cpu.json (see testdata/CORPUS.md).
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
function parseAll(n) {
  let s = 0;
  for (let i = 0; i < n; i++) s += JSON.parse(JSON.stringify({a: i, b: [i, i + 1]})).a;
  return s;
}
function alloc(n) {
  const a = [];
  for (let i = 0; i < n; i++) a.push(new Array(64).fill(i));
  return a.length;
}
const t0 = Date.now();
let r = 0;
while (Date.now() - t0 < 300) {
  r += fib(22);
  r += parseAll(2000);
  r += alloc(2000);
}
setTimeout(() => console.log(r > 0 ? 'ok' : 'no'), 50);

// Rendering half of the Node producer's workload: another `transform`, class methods, closures.
'use strict';

function transform(rows) {
  return rows.map((r) => `<td>${r}</td>`).join('');
}

class Table {
  constructor(n) {
    this.rows = Array.from({ length: n }, (_, i) => `row-${i}`);
  }
  render() {
    return transform(this.rows.map((r) => r.repeat(3)));
  }
  static fib(n) {
    return n < 2 ? n : Table.fib(n - 1) + Table.fib(n - 2);
  }
}

module.exports = {
  transform,
  Table,
  deep: function deep(n) {
    return n === 0 ? Table.fib(18) : deep(n - 1) + 1;
  },
};

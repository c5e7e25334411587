// Package lib is the workload of the Go producer: methods, closures, generics, inlining and
// recursion, so the profiles carry all of those frame shapes.
package lib

import (
	"crypto/sha256"
	"sort"
	"strings"
)

// Hasher hashes blocks; its methods appear as lib.(*Hasher).Sum and lib.Hasher.Name.
type Hasher struct{ rounds int }

func NewHasher(rounds int) *Hasher { return &Hasher{rounds: rounds} }

// Sum is a pointer-receiver method.
func (h *Hasher) Sum(b []byte) [32]byte {
	s := sha256.Sum256(b)
	for i := 1; i < h.rounds; i++ {
		s = sha256.Sum256(s[:])
	}
	return s
}

// Name is a value-receiver method, small enough to be inlined.
func (h Hasher) Name() string { return "sha256" }

// Map is generic: its frames are lib.Map[...].
func Map[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

// Reduce is generic too, with a numeric constraint.
func Reduce[T int | int64 | float64](xs []T) T {
	var s T
	for _, x := range xs {
		s += x * x / 7
	}
	return s
}

// clamp is tiny and always inlined into its callers.
func clamp(x, lo, hi int) int {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}

// Fib recurses deeply (no memo): a deep stack of the same function.
func Fib(n int) int {
	if n < 2 {
		return n
	}
	return Fib(n-1) + Fib(n-2)
}

// Descend recurses depth times before doing work at the bottom: stacks deeper than 100 frames.
func Descend(depth int, work func() int) int {
	if depth == 0 {
		return work()
	}
	return Descend(depth-1, work) + clamp(depth, 0, 1)
}

// SortWords sorts with a closure comparator (lib.SortWords.func1).
func SortWords(words []string) []string {
	c := append([]string(nil), words...)
	sort.Slice(c, func(i, j int) bool { return strings.Compare(c[i], c[j]) < 0 })
	return c
}

// Grow allocates blocks of several sizes and keeps some of them.
var kept [][]byte

func Grow(n, size int) int {
	total := 0
	for i := 0; i < n; i++ {
		b := make([]byte, size+clamp(i, 0, 64))
		total += len(b)
		if i%4 == 0 {
			kept = append(kept, b)
		}
	}
	if len(kept) > 4096 {
		kept = kept[len(kept)/2:]
	}
	return total
}

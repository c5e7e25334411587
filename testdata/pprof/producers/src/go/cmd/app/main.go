// Command app is the Go producer of testdata/pprof/producers: one run writes a CPU profile with
// pprof labels and the goroutine, mutex, block, allocs, heap and threadcreate profiles of the
// same process (see ../../make_producers.sh for the commands).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"time"

	"perfkit.test/producers/lib"
	"perfkit.test/producers/lib/copy"
)

var out = flag.String("out", ".", "directory for the profiles")
var secs = flag.Float64("seconds", 3, "how long the CPU profile runs")

func write(name string, f func(*os.File) error) {
	fh, err := os.Create(*out + "/" + name)
	if err != nil {
		panic(err)
	}
	if err := f(fh); err != nil {
		panic(err)
	}
	fh.Close()
}

func lookup(name string) func(*os.File) error {
	return func(f *os.File) error { return pprof.Lookup(name).WriteTo(f, 0) }
}

// hashStage runs under the labels worker=<id>, stage=hash.
func hashStage(h *lib.Hasher, data []byte) int {
	s := h.Sum(data)
	return int(s[0]) + len(h.Name())
}

func sortStage(words []string) int {
	return len(lib.SortWords(words)[0])
}

func mathStage(n int) int {
	xs := lib.Map([]int{1, 2, 3, 4, 5, 6, 7, 8}, func(x int) int64 { return int64(x * n) })
	fs := lib.Map(xs, func(x int64) float64 { return float64(x) / 3 })
	return int(lib.Reduce(xs)) + int(lib.Reduce(fs)) + lib.Fib(18+n%4)
}

func deepStage() int {
	return lib.Descend(120, func() int { return lib.Fib(19) })
}

func worker(ctx context.Context, id int, deadline time.Time, mu *sync.Mutex, shared *int, wg *sync.WaitGroup) {
	defer wg.Done()
	h := lib.NewHasher(3 + id)
	data := []byte(strings.Repeat(fmt.Sprintf("block-%d;", id), 64))
	words := strings.Fields(strings.Repeat("pear apple fig kiwi plum date lime ", 40))
	for i := 0; time.Now().Before(deadline); i++ {
		pprof.Do(ctx, pprof.Labels("stage", "hash"), func(context.Context) { *shared += hashStage(h, data) })
		pprof.Do(ctx, pprof.Labels("stage", "sort"), func(context.Context) { *shared += sortStage(words) })
		pprof.Do(ctx, pprof.Labels("stage", "math", "size", fmt.Sprint(8<<(i%3))), func(context.Context) {
			*shared += mathStage(i)
		})
		if i%2 == 0 {
			pprof.Do(ctx, pprof.Labels("stage", "deep"), func(context.Context) { *shared += deepStage() })
		}
		lib.Grow(16, 512<<(i%4))
		mu.Lock()
		*shared += int(copy.Checksum(data))
		mu.Unlock()
	}
}

// parked goroutines for the goroutine profile: blocked on a channel, a mutex and a sleep.
func park(ready *sync.WaitGroup, release chan struct{}, mu *sync.Mutex) {
	ctx := pprof.WithLabels(context.Background(), pprof.Labels("role", "parked"))
	pprof.SetGoroutineLabels(ctx)
	for i := 0; i < 3; i++ {
		ready.Add(1)
		go func() { ready.Done(); <-release }()
	}
	ready.Add(1)
	go func() { ready.Done(); mu.Lock(); mu.Unlock() }()
	ready.Add(1)
	go func() {
		ready.Done()
		select {
		case <-release:
		case <-time.After(time.Minute):
		}
	}()
}

func main() {
	flag.Parse()
	runtime.MemProfileRate = 4096
	runtime.SetMutexProfileFraction(1)
	runtime.SetBlockProfileRate(1)
	write("go_cpu_labels.pb.gz", func(f *os.File) error {
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		var mu sync.Mutex
		var wg sync.WaitGroup
		shared := make([]int, 4)
		deadline := time.Now().Add(time.Duration(*secs * float64(time.Second)))
		for id := 0; id < 3; id++ {
			wg.Add(1)
			ctx := pprof.WithLabels(context.Background(), pprof.Labels("worker", fmt.Sprint("w", id)))
			go worker(ctx, id, deadline, &mu, &shared[id], &wg)
		}
		wg.Wait()
		pprof.StopCPUProfile()
		return nil
	})
	var ready sync.WaitGroup
	release := make(chan struct{})
	var held sync.Mutex
	held.Lock()
	park(&ready, release, &held)
	ready.Wait()
	time.Sleep(50 * time.Millisecond)
	write("go_goroutine.pb.gz", lookup("goroutine"))
	close(release)
	held.Unlock()
	write("go_mutex.pb.gz", lookup("mutex"))
	write("go_block.pb.gz", lookup("block"))
	write("go_allocs.pb.gz", lookup("allocs"))
	runtime.GC()
	write("go_heap_labels.pb.gz", lookup("heap"))
	write("go_threadcreate.pb.gz", lookup("threadcreate"))
}

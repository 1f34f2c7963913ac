package clv

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the process has used on all its threads, user
// and system, garbage collector included. The benchmarks report it beside
// wall time because on a shared machine wall time also counts the time other
// processes held the cores.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}

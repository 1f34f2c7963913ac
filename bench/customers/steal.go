package main

import (
	"os"
	"strconv"
	"strings"
)

// cpuTimes is the machine's CPU time so far, in clock ticks: all of it,
// and the part the hypervisor gave to other guests while this one had
// work to run (steal). On a shared VM, steal is what tells a slow round
// caused by the neighbours from one caused by the code.
type cpuTimes struct{ total, steal uint64 }

// readCPUTimes reads the first line of /proc/stat; ok is false where there
// is none.
func readCPUTimes() (t cpuTimes, ok bool) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return t, false
	}
	line, _, _ := strings.Cut(string(data), "\n")
	fields := strings.Fields(line)
	if len(fields) < 9 || fields[0] != "cpu" {
		return t, false
	}
	// user nice system idle iowait irq softirq steal [guest guest_nice],
	// the guest times being already counted in user and nice.
	for i, f := range fields[1:9] {
		v, err := strconv.ParseUint(f, 10, 64)
		if err != nil {
			return t, false
		}
		t.total += v
		if i == 7 {
			t.steal = v
		}
	}
	return t, true
}

// stealShare is the share of the machine's time stolen between a and b.
func stealShare(a, b cpuTimes) float64 {
	if b.total <= a.total {
		return 0
	}
	return float64(b.steal-a.steal) / float64(b.total-a.total)
}

//go:build !linux

package routing

import "time"

var processStart = time.Now()

// threadCPU falls back to wall time where the thread clock is not at hand.
func threadCPU() time.Duration { return time.Since(processStart) }

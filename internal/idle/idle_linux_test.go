package idle

import (
	"errors"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// policyIn is the scheduling policy of the thread w runs its work on.
func policyIn(t *testing.T, w *Worker) uint32 {
	t.Helper()
	var p uint32
	var err error
	w.Do(func() {
		var a *unix.SchedAttr
		if a, err = unix.SchedGetAttr(0, 0); err == nil {
			p = a.Policy
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestWorkRunsOnAnIdleThread(t *testing.T) {
	w := Start()
	defer w.Stop()
	if got := policyIn(t, w); got != unix.SCHED_IDLE {
		t.Errorf("work ran under policy %d, want SCHED_IDLE (%d)", got, unix.SCHED_IDLE)
	}
	if w.Do(func() {}); !w.lowered {
		t.Error("the worker says it is not lowered")
	}
	if got, err := threadWaited(); err != nil || got < 0 {
		t.Errorf("threadWaited = %v, %v", got, err)
	}
}

func TestStarvedWorkRunsAtNormalPriorityForAWhile(t *testing.T) {
	var waited atomic.Int64 // what the fake schedstat says
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	w := start(thread{
		lower:  lowerThread,
		waited: func() (time.Duration, error) { return time.Duration(waited.Load()), nil },
	}, func() time.Time { return now })
	defer w.Stop()

	w.Do(func() { waited.Add(int64(starvedAfter - time.Millisecond)) }) // slow, not starved
	if got := policyIn(t, w); got != unix.SCHED_IDLE {
		t.Fatalf("after a run that waited less than %v: policy %d, want SCHED_IDLE", starvedAfter, got)
	}
	w.Do(func() { waited.Add(int64(starvedAfter + time.Millisecond)) })
	if got := policyIn(t, w); got != unix.SCHED_NORMAL {
		t.Errorf("after a starved run: policy %d, want SCHED_NORMAL", got)
	}
	now = now.Add(normalFor - time.Second)
	if got := policyIn(t, w); got != unix.SCHED_NORMAL {
		t.Errorf("%v after a starved run: policy %d, want SCHED_NORMAL", normalFor-time.Second, got)
	}
	now = now.Add(time.Second)
	if got := policyIn(t, w); got != unix.SCHED_IDLE {
		t.Errorf("%v after a starved run: policy %d, want SCHED_IDLE again", normalFor, got)
	}
}

func TestWithoutIdlePriorityWorkRunsAtNormal(t *testing.T) {
	for name, th := range map[string]thread{
		"lowering refused": {lower: func() error { return unix.EPERM }, waited: threadWaited},
		"no schedstat": {lower: lowerThread, waited: func() (time.Duration, error) {
			return 0, errors.New("no such file")
		}},
	} {
		t.Run(name, func(t *testing.T) {
			w := start(th, time.Now)
			defer w.Stop()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			var tid int
			w.Do(func() { tid = unix.Gettid() })
			if tid != unix.Gettid() {
				t.Errorf("the work ran on thread %d, not on the caller's %d", tid, unix.Gettid())
			}
		})
	}
}

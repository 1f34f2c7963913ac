package idle

import (
	"strings"
	"testing"
)

func TestDoRunsEachFunctionOnceInOrder(t *testing.T) {
	w := Start()
	defer w.Stop()
	var got []int
	for i := range 100 {
		w.Do(func() { got = append(got, i) })
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("run %d was function %d", i, v)
		}
	}
	if len(got) != 100 {
		t.Fatalf("%d functions ran, want 100", len(got))
	}
}

func TestAPanicReachesTheCallerAndTheWorkerGoesOn(t *testing.T) {
	w := Start()
	defer w.Stop()
	func() {
		defer func() {
			if p := recover(); p == nil || !strings.Contains(p.(string), "broken batch") {
				t.Errorf("recovered %v, want the function's panic", p)
			}
		}()
		w.Do(func() { panic("broken batch") })
	}()
	ran := false
	w.Do(func() { ran = true })
	if !ran {
		t.Error("the worker did not run the function after a panic")
	}
}

func TestAfterStopTheCallerRunsTheWork(t *testing.T) {
	w := Start()
	w.Stop()
	w.Stop() // twice is harmless
	ran := false
	w.Do(func() { ran = true })
	if !ran {
		t.Error("Do after Stop did not run the function")
	}
}

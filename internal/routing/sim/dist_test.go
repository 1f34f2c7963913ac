package sim

import (
	"math"
	"slices"
	"testing"
	"time"
)

// moments draws n values and returns their mean and standard deviation in
// seconds.
func moments(d Dist, n int, seed uint64) (mean, stddev float64) {
	r := newRand(seed, 0)
	var sum, sum2 float64
	for range n {
		x := d.Sample(r).Seconds()
		sum += x
		sum2 += x * x
	}
	mean = sum / float64(n)
	return mean, math.Sqrt(sum2/float64(n) - mean*mean)
}

func TestDistMoments(t *testing.T) {
	const n = 200_000
	// Tolerances are 1% of the mean and 3% of the standard deviation; the
	// standard errors at n = 200,000 are at most 0.25% and 1% (lognormal
	// with a coefficient of variation of 1, whose fourth moment is large).
	tests := []struct {
		name       string
		dist       Dist
		wantMean   float64 // seconds
		wantStddev float64
	}{
		{"exponential", NewExponential(3 * time.Minute), 180, 180},
		{"lognormal from moments", LogNormalFromMoments(4*time.Minute, 2*time.Minute), 240, 120},
		{"lognormal from moments, cv 1", LogNormalFromMoments(100*time.Second, 100*time.Second), 100, 100},
		{"lognormal mu sigma", NewLogNormal(5, 0.5), math.Exp(5 + 0.125), math.Exp(5+0.125) * math.Sqrt(math.Exp(0.25)-1)},
		{"constant", NewConstant(90 * time.Second), 90, 0},
		{"empirical", NewEmpirical([]time.Duration{time.Minute, 2 * time.Minute, 6 * time.Minute}), 180, math.Sqrt((120*120 + 60*60 + 180*180) / 3.0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mean, stddev := moments(tt.dist, n, 42)
			if math.Abs(mean-tt.wantMean) > 0.01*tt.wantMean {
				t.Errorf("sample mean = %.3f s, want %.3f s ± 1%%", mean, tt.wantMean)
			}
			if math.Abs(stddev-tt.wantStddev) > 0.03*tt.wantStddev+1e-9 {
				t.Errorf("sample stddev = %.3f s, want %.3f s ± 3%%", stddev, tt.wantStddev)
			}
			if got := tt.dist.Mean().Seconds(); math.Abs(got-tt.wantMean) > 1e-6 {
				t.Errorf("Mean() = %.6f s, want %.6f s", got, tt.wantMean)
			}
		})
	}
}

func TestEmpiricalDrawsOnlyObservedValues(t *testing.T) {
	sample := []time.Duration{time.Minute, 2 * time.Minute, 6 * time.Minute}
	d := NewEmpirical(sample)
	sample[0] = time.Hour // the distribution keeps its own copy
	r := newRand(1, 0)
	seen := map[time.Duration]int{}
	for range 3000 {
		seen[d.Sample(r)]++
	}
	for _, v := range []time.Duration{time.Minute, 2 * time.Minute, 6 * time.Minute} {
		// Each value is expected 1000 times; 800 is over 8 standard deviations below.
		if seen[v] < 800 {
			t.Errorf("value %v drawn %d times of 3000, want about 1000", v, seen[v])
		}
	}
	if len(seen) != 3 {
		t.Errorf("drew %d distinct values, want the 3 observed: %v", len(seen), seen)
	}
}

func TestSameSeedSameDraws(t *testing.T) {
	draw := func(seed uint64) []time.Duration {
		r := newRand(seed, streamService)
		d := LogNormalFromMoments(time.Minute, 30*time.Second)
		out := make([]time.Duration, 100)
		for i := range out {
			out[i] = d.Sample(r)
		}
		return out
	}
	if !slices.Equal(draw(7), draw(7)) {
		t.Error("two generators with seed 7 drew different values")
	}
	if slices.Equal(draw(7), draw(8)) {
		t.Error("seeds 7 and 8 drew the same values")
	}
}

func TestSecondsNeverNegativeOrHuge(t *testing.T) {
	tests := []struct {
		in   float64
		want time.Duration
	}{
		{0, 0},
		{-1, 0},
		{math.NaN(), 0},
		{1.5, 1500 * time.Millisecond},
		{1e-10, 0},
		{math.Inf(1), longest},
		{1e300, longest},
	}
	for _, tt := range tests {
		if got := seconds(tt.in); got != tt.want {
			t.Errorf("seconds(%g) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

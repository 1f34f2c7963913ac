package sim

import (
	"math"
	"math/rand/v2"
	"time"
)

// Dist draws random durations: handle times and customer patience.
type Dist interface {
	// Sample draws one duration, never negative.
	Sample(r *rand.Rand) time.Duration
	// Mean is the expected value, used by reports and sanity checks.
	Mean() time.Duration
}

// newRand returns the generator for one random stream of a run, so that a
// seed fixes the whole run. PCG is small, fast and reproducible across Go
// versions. Its two seed words are its raw 128-bit state, and states that
// differ in a few low bits give correlated sequences, so (seed, stream) is
// first scrambled by SplitMix64 into well-separated states.
func newRand(seed uint64, stream uint64) *rand.Rand {
	hi := splitMix64(seed ^ splitMix64(stream))
	lo := splitMix64(hi ^ 0x6a09e667f3bcc909)
	return rand.New(rand.NewPCG(hi, lo))
}

// splitMix64 is the finaliser of Steele, Lea and Flood's SplitMix64, the
// usual way to spread a small seed over 64 well-mixed bits.
func splitMix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// Exponential is the memoryless distribution behind Erlang C and A.
type Exponential struct{ mean float64 } // seconds

// NewExponential returns an exponential distribution with the given mean.
func NewExponential(mean time.Duration) Exponential {
	return Exponential{mean: mean.Seconds()}
}

func (d Exponential) Sample(r *rand.Rand) time.Duration {
	return seconds(r.ExpFloat64() * d.mean)
}

func (d Exponential) Mean() time.Duration { return seconds(d.mean) }

// LogNormal is the usual shape of real handle times: skewed, with a long
// tail. Mu and Sigma describe the natural logarithm of the duration in seconds.
type LogNormal struct{ mu, sigma float64 }

// NewLogNormal returns a log-normal distribution from the parameters of
// ln(seconds).
func NewLogNormal(mu, sigma float64) LogNormal { return LogNormal{mu: mu, sigma: sigma} }

// LogNormalFromMoments returns the log-normal distribution with the given
// mean and standard deviation, which is how planners know their handle times.
func LogNormalFromMoments(mean, stddev time.Duration) LogNormal {
	m, s := mean.Seconds(), stddev.Seconds()
	sigma2 := math.Log1p((s * s) / (m * m))
	return LogNormal{mu: math.Log(m) - sigma2/2, sigma: math.Sqrt(sigma2)}
}

func (d LogNormal) Sample(r *rand.Rand) time.Duration {
	return seconds(math.Exp(d.mu + d.sigma*r.NormFloat64()))
}

func (d LogNormal) Mean() time.Duration {
	return seconds(math.Exp(d.mu + d.sigma*d.sigma/2))
}

// Empirical resamples observed durations uniformly, for centres that have
// their own handle-time log and no wish to fit a curve to it.
type Empirical struct{ sample []time.Duration }

// NewEmpirical returns a distribution over the given observations; the
// slice must not be empty.
func NewEmpirical(sample []time.Duration) Empirical {
	return Empirical{sample: append([]time.Duration(nil), sample...)}
}

func (d Empirical) Sample(r *rand.Rand) time.Duration {
	return d.sample[r.IntN(len(d.sample))]
}

func (d Empirical) Mean() time.Duration {
	var sum float64
	for _, s := range d.sample {
		sum += s.Seconds()
	}
	return seconds(sum / float64(len(d.sample)))
}

// Constant always returns the same duration; useful for tests and for
// deterministic work such as a fixed wrap-up.
type Constant struct{ d time.Duration }

// NewConstant returns a distribution that always yields d.
func NewConstant(d time.Duration) Constant { return Constant{d: d} }

func (d Constant) Sample(*rand.Rand) time.Duration { return d.d }
func (d Constant) Mean() time.Duration             { return d.d }

// longest caps a single draw. A freak tail draw of a year is already
// "never" for a one-day run, and the cap keeps clock arithmetic from
// overflowing.
const longest = 365 * 24 * time.Hour

// seconds converts float seconds to a Duration, rounding to the nanosecond
// and capping at longest.
func seconds(s float64) time.Duration {
	switch {
	case !(s > 0): // also catches NaN
		return 0
	case s >= longest.Seconds():
		return longest
	}
	return time.Duration(math.Round(s * float64(time.Second)))
}

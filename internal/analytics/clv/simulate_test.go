package clv

import (
	"math"
	"math/rand/v2"
	"strconv"

	"gonum.org/v1/gonum/stat/distuv"
)

// simulateBGNBD draws n customers from the BG/NBD with ages spread over
// [maxT/2, maxT] weeks and purchases recorded to the day, as a real log would.
func simulateBGNBD(m BGNBD, n int, maxT float64, seed uint64) []Customer {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	lambdas := distuv.Gamma{Alpha: m.R, Beta: m.Alpha, Src: rng}
	drops := distuv.Beta{Alpha: m.A, Beta: m.B, Src: rng}
	cs := make([]Customer, n)
	for i := range cs {
		T := math.Floor((maxT/2+rng.Float64()*maxT/2)*7) / 7
		lambda, p := lambdas.Rand(), drops.Rand()
		c := Customer{ID: strconv.Itoa(i + 1), T: T}
		for t := 0.0; ; {
			t += rng.ExpFloat64() / lambda
			if t > T {
				break
			}
			c.Frequency++
			c.Recency = math.Floor(t*7) / 7
			if rng.Float64() < p {
				break
			}
		}
		c.Monetary = 0
		if c.Frequency > 0 {
			c.Monetary = 10 + 40*rng.Float64()
		}
		cs[i] = c
	}
	return cs
}

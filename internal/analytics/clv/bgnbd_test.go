package clv

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/vernost/vernost"
)

// fitCDNOWBGNBD fits the BG/NBD on the CDNOW sample's 39-week calibration period.
func fitCDNOWBGNBD(t *testing.T) (BGNBD, FitResult, []Customer) {
	t.Helper()
	cs := cdnowSample(t)
	m, fit, err := FitBGNBD(context.Background(), cs)
	if err != nil {
		t.Fatal(err)
	}
	return m, fit, cs
}

// TestFitBGNBDCDNOW reproduces Fader, Hardie and Lee (2005), "Counting Your
// Customers the Easy Way", section 4: r = 0.243, α = 4.414, a = 0.793,
// b = 2.426, LL = -9,582.4. Tolerances are half a unit in the last published digit.
func TestFitBGNBDCDNOW(t *testing.T) {
	_, fit, _ := fitCDNOWBGNBD(t)
	want := []float64{0.243, 4.414, 0.793, 2.426}
	for i, p := range fit.Params {
		if math.Abs(p.Value-want[i]) > 0.0005 {
			t.Errorf("%s = %.5f, want %.3f ± 0.0005", p.Name, p.Value, want[i])
		}
		if !(p.SE > 0 && p.SE < p.Value) {
			t.Errorf("%s: standard error %g, want positive and below the estimate", p.Name, p.SE)
		}
	}
	if math.Abs(fit.LogLikelihood-(-9582.4)) > 0.05 {
		t.Errorf("LL = %.3f, want -9582.4 ± 0.05", fit.LogLikelihood)
	}
}

// TestBGNBDPredictionsCDNOW checks individual and population predictions
// against published values.
func TestBGNBDPredictionsCDNOW(t *testing.T) {
	m, _, _ := fitCDNOWBGNBD(t)
	// The paper's example customer (section 5; Fader & Hardie's note
	// "Implementing the BG/NBD Model for Customer Base Analysis in Excel"):
	// x = 2, t_x = 30.43, T = 38.86 expects 1.226 purchases in 39 weeks.
	got, err := m.ExpectedPurchases(39, 2, 30.43, 38.86)
	if err != nil || math.Abs(got-1.226) > 0.0005 {
		t.Errorf("E[Y(39) | 2, 30.43, 38.86] = %.4f (%v), want 1.226 ± 0.0005", got, err)
	}
	// E[X(t)] from the same Excel note, as used in the lifetimes test suite
	// (test_expectation_returns_same_value_Hardie_excel_sheet); the sheet
	// rounds to 4 decimals, and its parameters are not printed in full.
	for _, c := range []struct{ t, want float64 }{{0.1429, 0.0078}, {1, 0.0532}, {3, 0.1506}, {31.8571, 1.0405}, {32, 1.0437}, {78, 1.8576}} {
		got, err := m.ExpectedRepeatPurchases(c.t)
		if err != nil || math.Abs(got-c.want) > 0.0006 {
			t.Errorf("E[X(%g)] = %.5f (%v), want %.4f ± 0.0006", c.t, got, err, c.want)
		}
	}
}

// TestBGNBDProbPurchases checks P(X(t)=n) against the R package BTYD
// (bgnbd.pmf with r=0.243, α=4.414, a=0.793, b=2.426), as quoted in the
// lifetimes test suite (test_probability_of_n_purchases_up_to_time_same_as_R_BTYD).
func TestBGNBDProbPurchases(t *testing.T) {
	m := BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	tests := []struct {
		n    int
		t    float64
		want float64
	}{
		{10, 2, 1.07869e-07}, {0, 39, 0.5737864},
		{11, 30, 0.0019995214}, {12, 30, 0.0015170236}, {13, 30, 0.0011633150}, {14, 30, 0.0009003148},
		{15, 30, 0.0007023638}, {16, 30, 0.0005517902}, {17, 30, 0.0004361913}, {18, 30, 0.0003467171},
		{19, 30, 0.0002769613}, {20, 30, 0.0002222260},
	}
	for _, tt := range tests {
		got, err := m.ProbPurchases(tt.n, tt.t)
		if err != nil || relErr(got, tt.want) > 1e-5 {
			t.Errorf("P(X(%g)=%d) = %.10g (%v), want %.10g (relative 1e-5: BTYD prints 6-8 digits)", tt.t, tt.n, got, err, tt.want)
		}
	}
	// The pmf sums to one and its mean is E[X(t)].
	sum, mean := 0.0, 0.0
	for n := 0; n < 5000; n++ {
		p, _ := m.ProbPurchases(n, 39)
		sum += p
		mean += float64(n) * p
	}
	ex, _ := m.ExpectedRepeatPurchases(39)
	if math.Abs(sum-1) > 1e-9 || relErr(mean, ex) > 1e-6 {
		t.Errorf("Σ P(X(39)=n) = %.12f, want 1 ± 1e-9; mean %.8f, want E[X(39)] = %.8f (rel 1e-6)", sum, mean, ex)
	}
}

func TestBGNBDProbAlive(t *testing.T) {
	m := BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	if p, _ := m.ProbAlive(0, 0, 38.86); p != 1 {
		t.Errorf("P(alive | no repeat purchase) = %g, want 1", p)
	}
	// Closed form of eq. 13 for one case, by hand: a/(b+x-1) = 0.793/3.426,
	// ((α+T)/(α+t_x))^(r+x) = (43.274/34.844)^2.243.
	want := 1 / (1 + 0.793/3.426*math.Pow(43.274/34.844, 2.243))
	if p, _ := m.ProbAlive(2, 30.43, 38.86); math.Abs(p-want) > 1e-12 {
		t.Errorf("P(alive | 2, 30.43, 38.86) = %.15f, want %.15f", p, want)
	}
	// Heavy buyers and long silences neither overflow nor leave [0, 1].
	for _, x := range []int{1, 10, 100, 10000} {
		for _, tx := range []float64{0, 1, 30} {
			p, err := m.ProbAlive(x, tx, 1000)
			if err != nil || !(p >= 0 && p <= 1) {
				t.Errorf("P(alive | %d, %g, 1000) = %g (%v), want within [0, 1]", x, tx, p, err)
			}
			e, err := m.ExpectedPurchases(52, x, tx, 1000)
			if err != nil || !(e >= 0) || math.IsInf(e, 0) {
				t.Errorf("E[Y(52) | %d, %g, 1000] = %g (%v), want finite and non-negative", x, tx, e, err)
			}
		}
	}
}

// TestBGNBDGradient compares the analytic gradient with central differences.
func TestBGNBDGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var cs []Customer
	for i := range 300 {
		T := 1 + rng.Float64()*50
		x := rng.IntN(8)
		c := Customer{ID: string(rune('a' + i%26)), Frequency: x, T: T}
		if x > 0 {
			c.Recency = rng.Float64() * T
		}
		cs = append(cs, c)
	}
	cs = append(cs, Customer{ID: "heavy", Frequency: 20000, Recency: 40, T: 41})
	d, err := newRFMData(cs)
	if err != nil {
		t.Fatal(err)
	}
	ev := newBGNBDEval(d)
	for _, theta := range [][]float64{{0.243, 4.414, 0.793, 2.426}, {2, 0.5, 3, 0.7}} {
		grad := make([]float64, 4)
		ev.negLogLik(theta, grad)
		for i := range theta {
			h := 1e-6 * theta[i]
			p := append([]float64(nil), theta...)
			p[i] += h
			fp, _ := ev.negLogLik(p, nil)
			p[i] -= 2 * h
			fm, _ := ev.negLogLik(p, nil)
			num := (fp - fm) / (2 * h)
			if math.Abs(grad[i]-num) > 1e-5*math.Max(1, math.Abs(num)) {
				t.Errorf("θ=%v: ∂/∂θ%d analytic %.8g, numeric %.8g", theta, i, grad[i], num)
			}
		}
	}
}

// TestBGNBDHoldout is the paper's holdout check (Figure 2): forecasting the
// cumulative repeat purchases of the 2,357 customers to the end of week 78
// (1998-06-30), the BG/NBD under-forecasts by about 4%.
func TestBGNBDHoldout(t *testing.T) {
	m, _, cs := fitCDNOWBGNBD(t)
	var actual, forecast float64
	for _, c := range cs {
		actual += float64(c.Frequency + c.HoldoutFrequency)
		e, err := m.ExpectedRepeatPurchases(c.T + c.HoldoutDuration)
		if err != nil {
			t.Fatal(err)
		}
		forecast += e
	}
	if gap := (forecast - actual) / actual; gap > -0.035 || gap < -0.045 {
		t.Errorf("cumulative week-78 forecast %.0f vs actual %.0f: gap %.2f%%, want about -4%% (-4.5%%..-3.5%%)", forecast, actual, 100*gap)
	}
}

func TestFitBGNBDRefusesUnidentifiableData(t *testing.T) {
	cs := []Customer{{ID: "1", T: 10}, {ID: "2", T: 12}, {ID: "3", Frequency: 1, Recency: 2, T: 8}}
	_, _, err := FitBGNBD(context.Background(), cs)
	if vernost.ErrorCode(err) != vernost.EInvalid || !strings.Contains(err.Error(), "only 1 of 3 customers made a repeat purchase") {
		t.Errorf("got %v, want a plain invalid-input error about too few repeat buyers", err)
	}
	if _, _, err := FitBGNBD(context.Background(), nil); vernost.ErrorCode(err) != vernost.EInvalid {
		t.Errorf("no customers: got %v, want invalid input", err)
	}
}

// TestFitBGNBDRecoversSimulatedParameters fits data simulated from known
// parameters; each estimate must fall within 4 standard errors of the truth.
func TestFitBGNBDRecoversSimulatedParameters(t *testing.T) {
	truth := BGNBD{R: 0.5, Alpha: 6, A: 0.6, B: 2.5}
	cs := simulateBGNBD(truth, 30000, 52, 7)
	_, fit, err := FitBGNBD(context.Background(), cs)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{truth.R, truth.Alpha, truth.A, truth.B}
	for i, p := range fit.Params {
		if math.Abs(p.Value-want[i]) > 4*p.SE {
			t.Errorf("%s = %.4f ± %.4f, truth %.4f is more than 4 SE away", p.Name, p.Value, p.SE, want[i])
		}
	}
}

package clv

import "math"

// hyp2f1Curve sets 2F1(a, b; c; zs[k]) = v[k]·exp(logScale[k]) for every k,
// as hyp2f1Scaled does point by point, but shares the power series among the
// points: its coefficients depend on a, b and c only. A CLV curve of 52
// period ends then costs one series and 52 polynomial evaluations instead of
// 52 series. Points the shared series cannot give to full precision, and
// arguments it does not cover, go to hyp2f1Scaled.
func hyp2f1Curve(a, b, c float64, zs, logScale, v []float64) error {
	pointwise := func(k int) error {
		var err error
		logScale[k], v[k], err = hyp2f1Scaled(a, b, c, zs[k])
		return err
	}
	zMax, inDomain := 0.0, true
	for _, z := range zs {
		inDomain = inDomain && z >= 0 && z < 1
		zMax = math.Max(zMax, z)
	}
	valid := !math.IsNaN(a+b+c) && !math.IsInf(a+b+c, 0) && !(c <= 0 && c == math.Floor(c))
	special := a == 0 || b == 0 || a == c || b == c // closed forms in hyp2f1Scaled
	var buf [128]float64
	var coef []float64
	tail, ok := 0.0, false
	power := 0.0 // 2F1 = (1-z)^power · series, by Euler's transformation as in hyp2f1Scaled
	if inDomain && valid && !special && zMax > 0 {
		sa, sb := a, b
		if c-a-b < 0 {
			power, sa, sb = c-a-b, c-a, c-b
		}
		coef, tail, ok = hyp2f1Coefficients(sa, sb, c, zMax, buf[:0])
	}
	if !ok {
		for k := range zs {
			if err := pointwise(k); err != nil {
				return err
			}
		}
		return nil
	}
	// Horner's rule for all points at once: the points are independent, so
	// the processor overlaps their chains of multiply-adds.
	v = v[:len(zs)]
	clear(v)
	for n := len(coef) - 1; n >= 0; n-- {
		cn := coef[n]
		for k, z := range zs {
			v[k] = v[k]*z + cn
		}
	}
	// The series stopped where its tail at zMax was below machine precision;
	// at z <= zMax each neglected term is smaller by (z/zMax)^n, n >= N.
	const eps = 1e-16
	for k, z := range zs {
		logScale[k] = power * math.Log1p(-z)
		if tail <= eps*math.Abs(v[k]) || tail*math.Pow(z/zMax, float64(len(coef))) <= eps*math.Abs(v[k]) {
			continue
		}
		if err := pointwise(k); err != nil {
			return err
		}
	}
	return nil
}

// hyp2f1Coefficients appends to coef the coefficients of the power series of
// 2F1(a, b; c; ·), as many as hyp2f1Series sums at z, and returns them with a
// bound on the tail of the series at z. ok is false where hyp2f1Series fails
// or a coefficient overflows although the terms do not.
func hyp2f1Coefficients(a, b, c, z float64, coef []float64) (_ []float64, tail float64, ok bool) {
	const eps = 1e-16
	sum, term, cn := 1.0, 1.0, 1.0
	coef = append(coef, cn)
	for k := 0.0; k < maxSeriesTerms; k++ {
		r := (a + k) * (b + k) / ((c + k) * (k + 1))
		ratio := r * z // as in hyp2f1Series, so the two stop at the same term
		term *= ratio
		cn *= r
		sum += term
		coef = append(coef, cn)
		if term == 0 {
			return coef, 0, true
		}
		if !(math.Abs(sum) < 1e300) || !(math.Abs(cn) <= math.MaxFloat64) {
			return nil, 0, false
		}
		if math.Abs(term) <= eps*math.Abs(sum) && k+1 > -math.Min(math.Min(a, b), c) {
			rho := math.Max(math.Abs(ratio), z)
			if tail = math.Abs(term) * rho / (1 - rho); rho < 1 && tail <= eps*math.Abs(sum) {
				return coef, tail, true
			}
		}
	}
	return nil, 0, false
}

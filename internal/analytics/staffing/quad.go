package staffing

import (
	"errors"
	"math"
)

// Adaptive Gauss–Kronrod quadrature (7-point Gauss, 15-point Kronrod, as in
// QUADPACK's QAG): the interval with the largest error estimate is halved
// until the estimates add up to less than the tolerance. Erlang A needs it
// for one smooth, unimodal integrand, the mean wait of answered calls.

// Kronrod nodes on [0, 1] (the rule is symmetric); the odd-indexed ones are
// the 7-point Gauss nodes.
var gkNodes = [8]float64{
	0.991455371120812639206854697526329,
	0.949107912342758524526189684047851,
	0.864864423359769072789712788640926,
	0.741531185599394439863864773280788,
	0.586087235467691130294144845693013,
	0.405845151377397166906606412076961,
	0.207784955007898467600689403773245,
	0,
}

var gkWeights = [8]float64{
	0.022935322010529224963732008058970,
	0.063092092629978553290700663189204,
	0.104790010322250183839876322541518,
	0.140653259715525918745189590510238,
	0.169004726639267902826583426598550,
	0.190350578064785409913256402421014,
	0.204432940075298892414161999234649,
	0.209482141084727828012999174891714,
}

// Gauss weights for the nodes gkNodes[1], [3], [5], [7].
var gaussWeights = [4]float64{
	0.129484966168869693270611432679082,
	0.279705391489276667901467771423780,
	0.381830050505118944950369775488975,
	0.417959183673469387755102040816327,
}

var errQuadrature = errors.New("quadrature did not reach its tolerance")

// gk15 integrates f over [a, b] by the Kronrod rule and returns the result
// with |Kronrod − Gauss| as its error estimate.
func gk15(f func(float64) float64, a, b float64) (result, errEst float64) {
	mid, half := (a+b)/2, (b-a)/2
	center := f(mid)
	kronrod := center * gkWeights[7]
	gauss := center * gaussWeights[3]
	for i := 0; i < 7; i++ {
		dx := half * gkNodes[i]
		pair := f(mid-dx) + f(mid+dx)
		kronrod += gkWeights[i] * pair
		if i%2 == 1 {
			gauss += gaussWeights[i/2] * pair
		}
	}
	return kronrod * half, math.Abs(kronrod-gauss) * half
}

type quadPiece struct{ a, b, result, err float64 }

// integrate returns ∫ f over [a, b] to relative accuracy relTol, starting
// from the given breakpoints (interior points where f changes character).
func integrate(f func(float64) float64, relTol float64, points ...float64) (float64, error) {
	const maxPieces = 2000
	var pieces []quadPiece
	for i := 0; i+1 < len(points); i++ {
		if points[i+1] > points[i] {
			r, e := gk15(f, points[i], points[i+1])
			pieces = append(pieces, quadPiece{points[i], points[i+1], r, e})
		}
	}
	for len(pieces) < maxPieces {
		total, totalErr, worst := 0.0, 0.0, -1
		for i, p := range pieces {
			total += p.result
			totalErr += p.err
			if worst < 0 || p.err > pieces[worst].err {
				worst = i
			}
		}
		if worst < 0 || totalErr <= relTol*math.Abs(total) {
			return total, nil
		}
		p := pieces[worst]
		mid := (p.a + p.b) / 2
		if mid <= p.a || mid >= p.b { // cannot split further in float64
			return total, errQuadrature
		}
		r1, e1 := gk15(f, p.a, mid)
		r2, e2 := gk15(f, mid, p.b)
		pieces[worst] = quadPiece{p.a, mid, r1, e1}
		pieces = append(pieces, quadPiece{mid, p.b, r2, e2})
	}
	return 0, errQuadrature
}

/* Internal: the pieces of the check module that its tests reach. */

#ifndef NTK_CHECK_H
#define NTK_CHECK_H

#include "ntkexact.h"

/* An upper bound (rounding included) on P(Binomial(k, p) >= (k+1)/2), k odd. */
double _ntk_check_binomial_tail(slong k, double p);

/* The bound on the false-alarm probability of the median of k block
   estimates at t block standard deviations: the smaller of 2 B(k, 1/(1+t^2))
   (Cantelli on each side) and B(k, 1/t^2) (Chebyshev on both). */
double _ntk_check_median_bound(slong k, double t);

/* The smallest t (to a relative 1e-9) with bound(k, t) <= alpha, where bound
   is _ntk_check_median_bound (two = 1) or the one-sided B(k, 1/(1+t^2)). */
double _ntk_check_median_t(slong k, double alpha, int two);

#endif

/* The extension's functions of the expansions in the hidden width
   (py_expand.c). */

#ifndef NTK_PY_EXPAND_H
#define NTK_PY_EXPAND_H

#include "bridge.h"

/* _expand(depth, n0, x2, conv, order[, moments[, series]]) -> (parts,
   series): the parts of the quantities of the moment order (None for the
   ratios), each a list of (power, num, den) from the highest power down, the
   series of E[K^2]/E[K]^2 - 1, E[dK]/(lambda E[K]) (and E[K^3]/E[K]^3,
   E[K^4]/E[K]^4 at moments 3, 4), lists of (num, den) or None; with series
   non-zero the expansion truncated after n^-order. */
PyObject * py_expand(PyObject * self, PyObject * args);

/* _series(n0, x2, conv, order, moments) -> (quantities, ratios): for each
   quantity of the moment order (None for Skew2_K, Kurt_K) and each ratio
   (None when it has no series: a positive power of n first, or an
   undefined one), the list of its coefficients from the highest power down
   to n^-order, each (power, d_min, below, num, den): below the values at
   d = 2 .. d_min - 1, num and den lists of (lambda, poly) with lambda = 1
   first, poly the coefficients of a polynomial in d, lowest first (every
   rational a (num, den) pair).  The coefficient is
   sum over num of lambda^d poly(d) / sum over den of the same for d >= d_min. */
PyObject * py_series(PyObject * self, PyObject * args);

#endif

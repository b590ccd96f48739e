/* Internal: coefficients of series in 1/n as functions of the depth d, for
   the profile n_0, n x (d-1), 1 without its 2^-n part (doc/derivation.md,
   section 13). */

#ifndef NTK_SERIES_H
#define NTK_SERIES_H

#include "engine/gauge.h"

/* A family of coefficients: coefficient i is that of n^(hi - i), i < n;
   value[(d - lo) n + i] is its exact value at the depth d = lo .. top, and
   poly[i] (when fitted or assembled) a polynomial in d equal to it for
   every d >= d_min[i] (lo = 2 then). */
typedef struct
{
    slong hi, n, lo, top;
    fmpq * value;
    fmpq_poly_struct * poly;
    slong * d_min;
}
_ntk_family_t;

void _ntk_family_init(_ntk_family_t * f, slong hi, slong n, slong lo, slong top);

void _ntk_family_clear(_ntk_family_t * f);

/* The value of coefficient i at depth d (lo <= d <= top). */
#define _NTK_FAMILY_VALUE(f, d, i) ((f)->value + ((d) - (f)->lo) * (f)->n + (i))

/* The family of a term, power g->power, coefficients u^0 .. u^(n-1) of the
   gauged value (the 2^-n part left out) at d = lo .. top: one pass up the
   layers, every state's value a polynomial in u truncated after u^(n-1). */
void _ntk_series_term_values(_ntk_family_t * f, const _ntk_gauge_t * g);

/* Fits poly[i] of a term's family: degree <= i, through the depths
   i + 3 .. 2 i + 3, where it is exact (doc/derivation.md, section 13);
   returns 0, or -1 if a depth after those (up to top) disagrees.  Then sets
   d_min (_ntk_family_check). */
int _ntk_family_fit(_ntk_family_t * f);

/* d_min[i] <- the least depth from which poly[i] equals every value (2 when
   it equals them all). */
void _ntk_family_check(_ntk_family_t * f);

/* The series of num / den^k as the coefficients of n^-i, i = 0 .. order,
   with their values at every depth: ratio_num[i] / ratio_den[i] in lowest
   terms, ratio_den[i] primitive with a positive leading coefficient, and
   d_min set by comparison with the values.  Returns 1, 0 when the series
   starts with a positive power of n, or -1 when a value of den's leading
   coefficient vanishes (a bug). */
int _ntk_series_ratio(_ntk_family_t * ratio, fmpq_poly_struct * ratio_den,
                      const _ntk_family_t * num, const _ntk_family_t * den, int k,
                      slong order);

#endif

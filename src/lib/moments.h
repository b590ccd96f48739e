/* Internal: assembling the quantities from the term sums. */

#ifndef NTK_MOMENTS_H
#define NTK_MOMENTS_H

#include "term.h"

/* Every quantity at x2 > 0 as a polynomial in q (standing for 2^-n) from the
   term values as polynomials in q (out has NTK_N_QUANTITIES entries, term
   _NTK_N_TERMS). */
void _ntk_moments_assemble_formal(fmpq_poly_struct * out, const fmpq_poly_struct * term,
                                  const fmpq_t x2, int bias);

/* The assembly of the quantities at x2 > 0 from the term values (without
   their x2^(n_full/2)), which is affine but for Var_K: quantity q is
   lin[q r + _NTK_N_TERMS] + sum_k lin[q r + k] value_k, r = _NTK_N_TERMS + 1
   (lin has NTK_N_QUANTITIES r entries).  The row of NTK_VAR_K is zero:
   Var_K = E_K2 - E_K^2, which the caller forms in its own arithmetic. */
void _ntk_moments_affine(fmpq * lin, const fmpq_t x2, int bias);

#endif

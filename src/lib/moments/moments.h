/* Internal: assembling the quantities from the term sums. */

#ifndef NTK_MOMENTS_H
#define NTK_MOMENTS_H

#include "engine/term.h"

/* Every quantity at x2 > 0 as a polynomial in q (standing for 2^-n) from the
   term values as polynomials in q (out has NTK_N_QUANTITIES entries, term
   _NTK_N_TERMS). */
void _ntk_moments_assemble_formal(fmpq_poly_struct * out, const fmpq_poly_struct * term,
                                  const fmpq_t x2, int bias);

/* The same for the moments up to `order` (term holds the values of the
   first _ntk_term_count(order) terms); the ratios are left 0. */
void _ntk_moments_assemble_formal_order(fmpq_poly_struct * out, const fmpq_poly_struct * term,
                                        const fmpq_t x2, int bias, int order);

/* The quantities of order <= 2: E_K .. E_N4, the first of the list. */
#define _NTK_N_QUANTITIES2 (NTK_E_N4 + 1)

/* The assembly of the quantities at x2 > 0 from the term values (without
   their x2^(n_full/2)), which is affine but for Var_K: quantity q is
   lin[q r + _NTK_N_TERMS2] + sum_k lin[q r + k] value_k, r = _NTK_N_TERMS2 + 1
   (lin has _NTK_N_QUANTITIES2 r entries): the quantities and terms of
   order 2 only.  The row of NTK_VAR_K is zero:
   Var_K = E_K2 - E_K^2, which the caller forms in its own arithmetic. */
void _ntk_moments_affine(fmpq * lin, const fmpq_t x2, int bias);

/* The same for the quantities and terms of the moments up to `order`:
   r = _ntk_term_count(order) + 1, lin has ntk_quantity_count(order) r
   entries, and the rows of Var_K, M3_K, M4_K and the ratios are zero. */
void _ntk_moments_affine_order(fmpq * lin, const fmpq_t x2, int bias, int order);

#endif

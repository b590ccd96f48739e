/* Internal: assembling the quantities from the term sums. */

#ifndef NTK_MOMENTS_H
#define NTK_MOMENTS_H

#include "term.h"

/* Every quantity at x2 > 0 as a polynomial in q (standing for 2^-n) from the
   term values as polynomials in q (out has NTK_N_QUANTITIES entries, term
   _NTK_N_TERMS). */
void _ntk_moments_assemble_formal(fmpq_poly_struct * out, const fmpq_poly_struct * term,
                                  const fmpq_t x2, int bias);

/* The same for the moments up to `order` (term holds the values of the
   first _ntk_term_count(order) terms); the ratios are left 0. */
void _ntk_moments_assemble_formal_order(fmpq_poly_struct * out, const fmpq_poly_struct * term,
                                        const fmpq_t x2, int bias, int order);

#endif

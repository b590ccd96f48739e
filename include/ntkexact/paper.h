/* ntkexact, module paper: the shapes of Hanin and Nica's theorems, as ratios
   (ntk_paper_). Part of the public API (include <ntkexact.h>, which holds the
   contract of every function). */

#ifndef NTKEXACT_PAPER_H
#define NTKEXACT_PAPER_H

#include "base.h"
#include "moments.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- the paper */

/* Ratios exact / shape for Hanin and Nica's statements (doc/derivation.md,
   section 10): E_K, E_K2, |E_dK|, E_Kw, E_Kw2, E_Kb, E_Kb2, E_KwKb, in this order. */
#define NTK_PAPER_N 8

/* A short label of ratio k ("?" out of range). */
const char * ntk_paper_name(int k);

/* Fills ratio[0 .. NTK_PAPER_N-1] for the moments m (computed) of profile p
   (depth >= 2) at x2 > 0; NTK_ERR_RANGE otherwise. */
ntk_status_t ntk_paper_ratios(double * ratio, const ntk_moments_t m, const ntk_profile_t p,
                              const fmpq_t x2);

#ifdef __cplusplus
}
#endif

#endif

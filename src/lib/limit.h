/* Internal: what the ways of computing the depth-to-width limits share. */

#ifndef NTK_LIMIT_H
#define NTK_LIMIT_H

#include "ntkexact.h"

/* The limits exist for the critical cw_hidden in the NTK parametrization;
   beta and a must lie in the documented ranges; l must be initialised. */
ntk_status_t _ntk_limit_check(const ntk_limit_t l, const fmpq_t beta, const fmpq_t a,
                              const ntk_conv_t conv, ntk_error_t * err);

/* The limits of the input x = 0 (a = 0). */
void _ntk_limit_dead_input(ntk_limit_t l);

#endif

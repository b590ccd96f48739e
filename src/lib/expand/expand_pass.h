/* Internal: the expansion in the hidden width by one pass with polynomial
   state values (expand_pass.c). */

#ifndef NTK_EXPAND_PASS_H
#define NTK_EXPAND_PASS_H

#include "engine/gauge.h"

/* e <- every quantity of the moments up to E[K^order] (but the ratios) of
   the profile n0, n x (depth-1), 1 as an exact function of n (the
   dead-layer part only when dead_part is non-zero);
   arguments checked by the caller. */
ntk_status_t _ntk_expand_pass(ntk_expand_t e, slong depth, ulong n0, const fmpq_t x2,
                              const ntk_conv_t conv, int dead_part, int order,
                              const ntk_exec_t exec, ntk_error_t * err);

/* The shift of an expansion of the moments up to E[K^order] at depth
   (expand.c): d + 2 at order 2, (order - 1)(d - 1) + 2 above. */
slong _ntk_expand_shift(slong depth, int order);

#endif

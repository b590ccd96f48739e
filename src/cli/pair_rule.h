/* The decision rule of check's first-order rows (two inputs), alone so
   that bench/pair_rule.c measures this very rule (doc/ntkexact.1, check).
   The reference P = M_inf + sum_l c_l/n_l is not exact; its truncation
   error is bounded by B = PAIR_KAPPA (sum_l |c_l|/n_l) (sum_l 1/n_l), and a
   row decides only when its standard error se >= PAIR_DOMINANCE B: then
   the bias moves z by at most 1/PAIR_DOMINANCE.  A decided row fails when
   |estimate - P| > t se + B. */

#ifndef NTK_CLI_PAIR_RULE_H
#define NTK_CLI_PAIR_RULE_H

#include <math.h>

#define CLI_PAIR_KAPPA 4.0
#define CLI_PAIR_DOMINANCE 4.0

/* B from sum_l |c_l|/n_l and sum_l 1/n_l. */
static inline double
cli_pair_bound(double abs_first_order, double inverse_widths)
{
    return CLI_PAIR_KAPPA * abs_first_order * inverse_widths;
}

static inline int
cli_pair_decides(double se, double bound)
{
    return se >= CLI_PAIR_DOMINANCE * bound;
}

/* A decided row's verdict (se = 0: fails unless the estimate is the
   reference within B and 1e-12 relative). */
static inline int
cli_pair_fails(double estimate, double reference, double se, double bound, double threshold)
{
    double diff = fabs(estimate - reference);
    if (se == 0.0)
        return diff > 1e-12 * fabs(reference) + bound;
    return diff > threshold * se + bound;
}

#endif

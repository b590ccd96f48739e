/* Internal: the transfer recursion of a term over all layers, exact
   (transfer.c) or in floating point (transfer_mpfr.c). */

#ifndef NTK_TRANSFER_H
#define NTK_TRANSFER_H

#include "layer.h"
#include "base/progress.h"

/* What one run of the recursion needs. */
typedef struct
{
    const ntk_profile_struct * profile;
    const ntk_conv_struct * conv;
    _ntk_progress_t * progress;   /* may be NULL */
}
_ntk_run_t;

/* The phases the recursion of a term carries: 2 when the dead phase (after
   a shut layer, or from the input when x = 0) can contribute. */
int _ntk_transfer_phases(const _ntk_term_t * term, const ntk_conv_struct * conv);

/* Sums a term over all mark positions and neuron labels, from the output
   layer down: res is the term's value without its x2^(n_full/2) factor,
   for x2 != 0, and at_zero (may be NULL) its value at x2 = 0 (0 for terms
   with full paths).  Returns NTK_ERR_INTERRUPTED if stopped. */
ntk_status_t _ntk_transfer_run(fmpq_t res, fmpq_t at_zero, const _ntk_term_t * term,
                               const _ntk_run_t * run);

/* The same over a given space of the term (space->term): a reachable
   space, reduced or not (tests compare the two). */
ntk_status_t _ntk_transfer_run_space(fmpq_t res, fmpq_t at_zero, const _ntk_space_t * space,
                                     const _ntk_run_t * run);

/* The work of _ntk_transfer_run for the term, in the units its progress is
   reported in (about one limb operation); scale_bits (may be NULL) gets a
   bound for the bits of the pass's common denominator. */
double _ntk_transfer_cost(const _ntk_term_t * term, const ntk_profile_struct * p,
                          const ntk_conv_struct * conv, double * scale_bits);

/* The same sum with the dead-layer factor 1 - 2^-n of every hidden layer
   kept as a formal 1 - q (for uniform hidden widths): res is a polynomial in q. */
ntk_status_t _ntk_transfer_run_formal(fmpq_poly_t res, const _ntk_term_t * term,
                                      const _ntk_run_t * run);

/* The same sums in floating point with prec bits, by dense layer matrices
   raised to the length of each run by repeated squaring; res and at_zero
   (may be NULL) are the exact values of the rounded results.  NTK_ERR_RANGE
   when such a value is 2^e with |e| > _NTK_MPFR_EXP_MAX (its exact form would
   not fit in memory). */
ntk_status_t _ntk_transfer_mpfr_run(fmpq_t res, fmpq_t at_zero, const _ntk_term_t * term,
                                    const _ntk_run_t * run, mpfr_prec_t prec);

#define _NTK_MPFR_EXP_MAX (WORD(1) << 24)

/* Guard bits of the floating-point mode beyond the requested precision. */
#define _NTK_GUARD_BITS 32

#endif

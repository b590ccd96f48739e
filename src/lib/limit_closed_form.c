/* The depth-to-width limits from their closed forms in e^{5 beta},
   e^{-beta} and beta (derived by doc/tools/limit_closed_form.py from an
   independent model of the continuum; doc/derivation.md, section 8). */

#include <mpfr.h>
#include "error.h"
#include "limit.h"

/* r <- x * (p0 + p1 b + p2 b^2) with small integer coefficients. */
static void
add_poly_exp(mpfr_t r, const mpfr_t e, const mpfr_t b, long p0, long p1, long p2, mpfr_t t)
{
    mpfr_set_si(t, p2, MPFR_RNDN);
    mpfr_mul(t, t, b, MPFR_RNDN);
    mpfr_add_si(t, t, p1, MPFR_RNDN);
    mpfr_mul(t, t, b, MPFR_RNDN);
    mpfr_add_si(t, t, p0, MPFR_RNDN);
    mpfr_mul(t, t, e, MPFR_RNDN);
    mpfr_add(r, r, t, MPFR_RNDN);
}

ntk_status_t
ntk_limit_closed_form(ntk_limit_t l, const fmpq_t beta, const fmpq_t a,
                      const ntk_conv_t conv, ntk_error_t * err)
{
    mpfr_prec_t prec;
    mpfr_t b, av, c2, e5, em, t, kw, kb, kw2, kb2, kwkb, dww, dwb, one;
    int lb = conv->bias ? 1 : 0;
    ntk_status_t status;
    if ((status = _ntk_limit_check(l, beta, a, conv, err)) != NTK_OK)
        return status;
    if (fmpq_is_zero(a))
    {
        _ntk_limit_dead_input(l);
        return NTK_OK;
    }
    /* for small beta the closed forms cancel up to the third order in beta
       (C_Dww, C_Dwb ~ beta^3): 3 log2(1/beta) bits, and a margin */
    prec = mpfr_get_prec(l->e_k) + 64;
    if (fmpq_cmp_ui(beta, 1) < 0)
        prec += 3 * ((mpfr_prec_t) fmpz_bits(fmpq_denref(beta)) - (mpfr_prec_t) fmpz_bits(fmpq_numref(beta)) + 1);
    mpfr_inits2(prec, b, av, c2, e5, em, t, kw, kb, kw2, kb2, kwkb, dww, dwb, one, (mpfr_ptr) 0);
    fmpq_get_mpfr(b, beta, MPFR_RNDN);
    fmpq_get_mpfr(av, a, MPFR_RNDN);
    fmpq_get_mpfr(c2, conv->cw_output, MPFR_RNDN);
    mpfr_mul_ui(e5, b, 5, MPFR_RNDN);
    mpfr_exp(e5, e5, MPFR_RNDN);
    mpfr_neg(em, b, MPFR_RNDN);
    mpfr_exp(em, em, MPFR_RNDN);
    mpfr_set_ui(one, 1, MPFR_RNDN);
    /* per unit c_d (one pair) or c_d^2 (two pairs), see limit_closed_form.py */
    mpfr_mul(kw, av, b, MPFR_RNDN);
    mpfr_div_2ui(kb, b, 1, MPFR_RNDN);
    mpfr_mul_si(kb, kb, lb, MPFR_RNDN);
    mpfr_set_zero(kw2, 1);                     /* a^2 ((9b^2+6b-1) e^5b + e^-b)/27 */
    add_poly_exp(kw2, e5, b, -1, 6, 9, t);
    add_poly_exp(kw2, em, b, 1, 0, 0, t);
    mpfr_mul(kw2, kw2, av, MPFR_RNDN);
    mpfr_mul(kw2, kw2, av, MPFR_RNDN);
    mpfr_div_ui(kw2, kw2, 27, MPFR_RNDN);
    mpfr_set_zero(kb2, 1);                     /* (e^5b - 1 - 5b)/50 */
    add_poly_exp(kb2, e5, b, 1, 0, 0, t);
    add_poly_exp(kb2, one, b, -1, -5, 0, t);
    mpfr_div_ui(kb2, kb2, 50, MPFR_RNDN);
    mpfr_mul_si(kb2, kb2, lb, MPFR_RNDN);
    mpfr_set_zero(kwkb, 1);                    /* a ((15b+11) e^5b - 45b - 36 + 25 e^-b)/450 */
    add_poly_exp(kwkb, e5, b, 11, 15, 0, t);
    add_poly_exp(kwkb, one, b, -36, -45, 0, t);
    add_poly_exp(kwkb, em, b, 25, 0, 0, t);
    mpfr_mul(kwkb, kwkb, av, MPFR_RNDN);
    mpfr_div_ui(kwkb, kwkb, 450, MPFR_RNDN);
    mpfr_mul_si(kwkb, kwkb, lb, MPFR_RNDN);
    mpfr_set_zero(dww, 1);                     /* a^2 ((18b^2-6b+1) e^5b - e^-b)/54 */
    add_poly_exp(dww, e5, b, 1, -6, 18, t);
    add_poly_exp(dww, em, b, -1, 0, 0, t);
    mpfr_mul(dww, dww, av, MPFR_RNDN);
    mpfr_mul(dww, dww, av, MPFR_RNDN);
    mpfr_div_ui(dww, dww, 54, MPFR_RNDN);
    mpfr_set_zero(dwb, 1);                     /* a ((30b-11) e^5b + 36 - 25 e^-b)/900 */
    add_poly_exp(dwb, e5, b, -11, 30, 0, t);
    add_poly_exp(dwb, one, b, 36, 0, 0, t);
    add_poly_exp(dwb, em, b, -25, 0, 0, t);
    mpfr_mul(dwb, dwb, av, MPFR_RNDN);
    mpfr_div_ui(dwb, dwb, 900, MPFR_RNDN);
    mpfr_mul_si(dwb, dwb, lb, MPFR_RNDN);
    /* assemble as ntk_limit_compute does, with c_d per pair */
    mpfr_add(t, kw, kb, MPFR_RNDN);
    mpfr_mul(l->e_k, t, c2, MPFR_RNDN);
    mpfr_div(l->e_k, l->e_k, b, MPFR_RNDN);
    mpfr_mul_2ui(kwkb, kwkb, 1, MPFR_RNDN);
    mpfr_add(kw2, kw2, kwkb, MPFR_RNDN);
    mpfr_add(kw2, kw2, kb2, MPFR_RNDN);
    mpfr_sqr(kb2, t, MPFR_RNDN);
    mpfr_div(l->ratio_k2, kw2, kb2, MPFR_RNDN);
    mpfr_sqr(kb2, c2, MPFR_RNDN);
    mpfr_mul(kw2, kw2, kb2, MPFR_RNDN);
    mpfr_sqr(kb2, b, MPFR_RNDN);
    mpfr_div(l->e_k2, kw2, kb2, MPFR_RNDN);
    mpfr_mul_2ui(dwb, dwb, 1, MPFR_RNDN);
    mpfr_add(dww, dww, dwb, MPFR_RNDN);
    mpfr_mul_si(dww, dww, -2, MPFR_RNDN);
    mpfr_mul(dww, dww, c2, MPFR_RNDN);         /* c_d^2 / c_d */
    mpfr_div(dww, dww, t, MPFR_RNDN);          /* t = (a + 1/2) beta carries one beta */
    mpfr_sqr(t, b, MPFR_RNDN);
    mpfr_div(l->ratio_dk, dww, t, MPFR_RNDN);
    mpfr_mul_ui(l->ratio_n4, e5, 3, MPFR_RNDN);
    mpfr_clears(b, av, c2, e5, em, t, kw, kb, kw2, kb2, kwkb, dww, dwb, one, (mpfr_ptr) 0);
    return NTK_OK;
}

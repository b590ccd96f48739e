/* The depth-to-width limits from their closed forms in e^{L beta},
   e^{-beta} and beta, L = 3 A_4/A_2^2 - 1 (5 for ReLU), derived with SymPy
   from an independent model of the continuum (doc/tools/limit_closed_form.py,
   which also checks the forms written below; doc/derivation.md, sections 8
   and 11). */

#include <mpfr.h>
#include "base/error.h"
#include "limit.h"

/* res <- res + e (c0 + c1 b + c2 b^2). */
static void
add_poly_exp(mpfr_t res, const mpfr_t e, const mpfr_t b, const mpfr_t c0, const mpfr_t c1,
             const mpfr_t c2, mpfr_t t)
{
    mpfr_mul(t, c2, b, MPFR_RNDN);
    mpfr_add(t, t, c1, MPFR_RNDN);
    mpfr_mul(t, t, b, MPFR_RNDN);
    mpfr_add(t, t, c0, MPFR_RNDN);
    mpfr_mul(t, t, e, MPFR_RNDN);
    mpfr_add(res, res, t, MPFR_RNDN);
}

/* The closed-form constants of the terms, per unit c_d (one pair) or c_d^2
   (two pairs), with r = A_4/A_2^2, L = 3r - 1 and E = e^{L b}, b = beta
   (ReLU: r = 2, L = 5, A_2 = 1/2):
     C_Kw  = a b                C_Kb  = A_2 b
     C_Kw2 = a^2 ((9r^2 b^2 + 12 r b - 4) E + 4 e^-b) / (27 r^2)
     C_Kb2 = 2 A_2^2 (E - 1 - L b) / L^2
     C_KwKb = A_2 a ((3rL b + 12r - 2) E - 9rL b - 18 r^2 + 2 L^2 e^-b) / (9 r L^2)
     C_Dww = a^2 ((9r^2 b^2 - 6 r b + 2) E - 2 e^-b) / (27 r^2)
     C_Dwb = A_2 a ((3rL b - 6r + 1) E + 9 r^2 - L^2 e^-b) / (9 r L^2)  */
typedef struct
{
    mpfr_t kw, kb, kw2, kb2, kwkb, dww, dwb, e, em;
}
closed_terms_t;

static void
closed_terms(closed_terms_t * c, const mpfr_t b, const mpfr_t a, const mpfr_t r,
             const mpfr_t a2, int lb, mpfr_prec_t prec)
{
    mpfr_t L, c0, c1, c2, t, one, zero, den;
    mpfr_inits2(prec, L, c0, c1, c2, t, one, zero, den, (mpfr_ptr) 0);
    mpfr_set_ui(one, 1, MPFR_RNDN);
    mpfr_set_zero(zero, 1);
    mpfr_mul_ui(L, r, 3, MPFR_RNDN);
    mpfr_sub_ui(L, L, 1, MPFR_RNDN);
    mpfr_mul(c->e, L, b, MPFR_RNDN);
    mpfr_exp(c->e, c->e, MPFR_RNDN);
    mpfr_neg(c->em, b, MPFR_RNDN);
    mpfr_exp(c->em, c->em, MPFR_RNDN);
    mpfr_mul(c->kw, a, b, MPFR_RNDN);
    mpfr_mul(c->kb, a2, b, MPFR_RNDN);
    mpfr_mul_si(c->kb, c->kb, lb, MPFR_RNDN);
    /* kw2 and dww share the denominator 27 r^2 */
    mpfr_sqr(den, r, MPFR_RNDN);
    mpfr_mul_ui(den, den, 27, MPFR_RNDN);
    mpfr_sqr(c2, r, MPFR_RNDN);
    mpfr_mul_ui(c2, c2, 9, MPFR_RNDN);
    mpfr_mul_ui(c1, r, 12, MPFR_RNDN);
    mpfr_set_si(c0, -4, MPFR_RNDN);
    mpfr_set_zero(c->kw2, 1);
    add_poly_exp(c->kw2, c->e, b, c0, c1, c2, t);
    mpfr_mul_ui(t, c->em, 4, MPFR_RNDN);
    mpfr_add(c->kw2, c->kw2, t, MPFR_RNDN);
    mpfr_mul_si(c1, r, -6, MPFR_RNDN);
    mpfr_set_si(c0, 2, MPFR_RNDN);
    mpfr_set_zero(c->dww, 1);
    add_poly_exp(c->dww, c->e, b, c0, c1, c2, t);
    mpfr_mul_ui(t, c->em, 2, MPFR_RNDN);
    mpfr_sub(c->dww, c->dww, t, MPFR_RNDN);
    mpfr_sqr(t, a, MPFR_RNDN);
    mpfr_mul(c->kw2, c->kw2, t, MPFR_RNDN);
    mpfr_div(c->kw2, c->kw2, den, MPFR_RNDN);
    mpfr_mul(c->dww, c->dww, t, MPFR_RNDN);
    mpfr_div(c->dww, c->dww, den, MPFR_RNDN);
    /* kb2 = 2 A_2^2 (E - 1 - L b) / L^2 */
    mpfr_neg(c1, L, MPFR_RNDN);
    mpfr_set_si(c0, -1, MPFR_RNDN);
    mpfr_set(c->kb2, c->e, MPFR_RNDN);
    add_poly_exp(c->kb2, one, b, c0, c1, zero, t);
    mpfr_sqr(t, a2, MPFR_RNDN);
    mpfr_mul_2ui(t, t, 1, MPFR_RNDN);
    mpfr_mul(c->kb2, c->kb2, t, MPFR_RNDN);
    mpfr_sqr(t, L, MPFR_RNDN);
    mpfr_div(c->kb2, c->kb2, t, MPFR_RNDN);
    mpfr_mul_si(c->kb2, c->kb2, lb, MPFR_RNDN);
    /* kwkb and dwb share 9 r L^2 and the coefficient 3 r L of b E */
    mpfr_sqr(den, L, MPFR_RNDN);
    mpfr_mul(den, den, r, MPFR_RNDN);
    mpfr_mul_ui(den, den, 9, MPFR_RNDN);
    mpfr_mul(c1, r, L, MPFR_RNDN);
    mpfr_mul_ui(c1, c1, 3, MPFR_RNDN);
    mpfr_mul_ui(c0, r, 12, MPFR_RNDN);
    mpfr_sub_ui(c0, c0, 2, MPFR_RNDN);
    mpfr_set_zero(c->kwkb, 1);
    add_poly_exp(c->kwkb, c->e, b, c0, c1, zero, t);
    mpfr_mul_si(c0, r, -6, MPFR_RNDN);
    mpfr_add_ui(c0, c0, 1, MPFR_RNDN);
    mpfr_set_zero(c->dwb, 1);
    add_poly_exp(c->dwb, c->e, b, c0, c1, zero, t);
    mpfr_mul_si(c1, c1, -3, MPFR_RNDN);          /* -9 r L */
    mpfr_sqr(c0, r, MPFR_RNDN);
    mpfr_mul_si(c0, c0, -18, MPFR_RNDN);
    add_poly_exp(c->kwkb, one, b, c0, c1, zero, t);
    mpfr_sqr(t, L, MPFR_RNDN);
    mpfr_mul(t, t, c->em, MPFR_RNDN);            /* L^2 e^-b */
    mpfr_mul_2ui(c2, t, 1, MPFR_RNDN);
    mpfr_add(c->kwkb, c->kwkb, c2, MPFR_RNDN);
    mpfr_sub(c->dwb, c->dwb, t, MPFR_RNDN);
    mpfr_sqr(c0, r, MPFR_RNDN);
    mpfr_mul_ui(c0, c0, 9, MPFR_RNDN);
    mpfr_add(c->dwb, c->dwb, c0, MPFR_RNDN);
    mpfr_mul(t, a2, a, MPFR_RNDN);
    mpfr_mul_si(t, t, lb, MPFR_RNDN);
    mpfr_div(t, t, den, MPFR_RNDN);
    mpfr_mul(c->kwkb, c->kwkb, t, MPFR_RNDN);
    mpfr_mul(c->dwb, c->dwb, t, MPFR_RNDN);
    mpfr_clears(L, c0, c1, c2, t, one, zero, den, (mpfr_ptr) 0);
}

ntk_status_t
ntk_limit_closed_form(ntk_limit_t l, const fmpq_t beta, const fmpq_t a,
                      const ntk_conv_t conv, ntk_error_t * err)
{
    mpfr_prec_t prec;
    mpfr_t b, av, c2, t, r, a2;
    closed_terms_t c;
    fmpq_t q, q4;
    ntk_status_t status;
    if ((status = _ntk_limit_check(l, beta, a, conv, err)) != NTK_OK)
        return status;
    if (fmpq_is_zero(a) && fmpq_is_zero(conv->a_minus))
    {
        _ntk_limit_dead_input(l);
        return NTK_OK;
    }
    /* for small beta the closed forms cancel up to the third order in beta
       (C_Dww, C_Dwb ~ beta^3): 3 log2(1/beta) bits, and a margin */
    prec = mpfr_get_prec(l->e_k) + 64;
    if (fmpq_cmp_ui(beta, 1) < 0)
        prec += 3 * ((mpfr_prec_t) fmpz_bits(fmpq_denref(beta)) - (mpfr_prec_t) fmpz_bits(fmpq_numref(beta)) + 1);
    mpfr_inits2(prec, b, av, c2, t, r, a2, c.kw, c.kb, c.kw2, c.kb2, c.kwkb, c.dww, c.dwb, c.e,
                c.em, (mpfr_ptr) 0);
    fmpq_get_mpfr(b, beta, MPFR_RNDN);
    fmpq_get_mpfr(av, a, MPFR_RNDN);
    fmpq_get_mpfr(c2, conv->cw_output, MPFR_RNDN);
    fmpq_init(q); fmpq_init(q4);
    ntk_conv_gate_moment(q, conv, 2);
    fmpq_get_mpfr(a2, q, MPFR_RNDN);
    ntk_conv_gate_moment(q4, conv, 4);
    fmpq_mul(q, q, q);
    fmpq_div(q, q4, q);
    fmpq_get_mpfr(r, q, MPFR_RNDN);
    fmpq_clear(q); fmpq_clear(q4);
    closed_terms(&c, b, av, r, a2, conv->bias ? 1 : 0, prec);
    /* assemble as ntk_limit_compute does, with c_d per pair */
    mpfr_add(t, c.kw, c.kb, MPFR_RNDN);
    mpfr_mul(l->e_k, t, c2, MPFR_RNDN);
    mpfr_div(l->e_k, l->e_k, b, MPFR_RNDN);
    mpfr_mul_2ui(c.kwkb, c.kwkb, 1, MPFR_RNDN);
    mpfr_add(c.kw2, c.kw2, c.kwkb, MPFR_RNDN);
    mpfr_add(c.kw2, c.kw2, c.kb2, MPFR_RNDN);
    mpfr_sqr(c.kb2, t, MPFR_RNDN);
    mpfr_div(l->ratio_k2, c.kw2, c.kb2, MPFR_RNDN);
    mpfr_sqr(c.kb2, c2, MPFR_RNDN);
    mpfr_mul(c.kw2, c.kw2, c.kb2, MPFR_RNDN);
    mpfr_sqr(c.kb2, b, MPFR_RNDN);
    mpfr_div(l->e_k2, c.kw2, c.kb2, MPFR_RNDN);
    mpfr_mul_2ui(c.dwb, c.dwb, 1, MPFR_RNDN);
    mpfr_add(c.dww, c.dww, c.dwb, MPFR_RNDN);
    mpfr_mul_si(c.dww, c.dww, -2, MPFR_RNDN);
    mpfr_mul(c.dww, c.dww, c2, MPFR_RNDN);         /* c_d^2 / c_d */
    mpfr_div(c.dww, c.dww, t, MPFR_RNDN);          /* t = (a + A_2) beta carries one beta */
    mpfr_sqr(t, b, MPFR_RNDN);
    mpfr_div(l->ratio_dk, c.dww, t, MPFR_RNDN);
    mpfr_mul_ui(l->ratio_n4, c.e, 3, MPFR_RNDN);
    mpfr_clears(b, av, c2, t, r, a2, c.kw, c.kb, c.kw2, c.kb2, c.kwkb, c.dww, c.dwb, c.e, c.em,
                (mpfr_ptr) 0);
    return NTK_OK;
}

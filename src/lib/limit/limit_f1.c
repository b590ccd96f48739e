/* The 1/n correction F_1 of the depth-to-width limits (doc/derivation.md,
   section 13): every limit value v at beta = (d-1)/n fixed is
   F_0(beta) + F_1(beta)/n + O(1/n^2).  Per term, from the exact data of
   limit_spectral.c: one block-triangular matrix exponential (the Frechet
   derivative of exp at beta L1 in the direction H), or the exact
   exponential polynomials; then the five values' F_1 from those of the
   terms. */

#include <mpfr.h>
#include "base/error.h"
#include "limit.h"
#include "engine/term.h"

/* x . M y for a row x (1 x m), an m x m block of the mpfr matrix M of
   stride ld at (r0, c0), and a column y; exact rationals rounded. */
static void
bilinear(mpfr_t res, const fmpq_mat_t x, mpfr_t * M, slong ld, slong r0, slong c0,
         const fmpq_mat_t y, slong m, mpfr_t t, mpfr_t u)
{
    slong i, j;
    mpfr_set_zero(res, 1);
    for (i = 0; i < m; i++)
    {
        if (fmpq_is_zero(fmpq_mat_entry(x, 0, i)))
            continue;
        mpfr_set_zero(u, 1);
        for (j = 0; j < m; j++)
            if (!fmpq_is_zero(fmpq_mat_entry(y, j, 0)))
            {
                fmpq_get_mpfr(t, fmpq_mat_entry(y, j, 0), MPFR_RNDN);
                mpfr_mul(t, t, M[(r0 + i) * ld + c0 + j], MPFR_RNDN);
                mpfr_add(u, u, t, MPFR_RNDN);
            }
        fmpq_get_mpfr(t, fmpq_mat_entry(x, 0, i), MPFR_RNDN);
        mpfr_mul(u, u, t, MPFR_RNDN);
        mpfr_add(res, res, u, MPFR_RNDN);
    }
}

/* F_0 and F_1 of a term by the block-triangular exponential
   exp(beta [[L1, H], [0, L1]]) = [[E, Fr], [0, E]]. */
static void
term_block_exp(mpfr_t f0, mpfr_t f1, const _ntk_spectral_t * sp, const mpfr_t beta,
               mpfr_prec_t prec)
{
    slong m = sp->m, n = 2 * m, i, j;
    mpfr_t * B = _ntk_mat_new(n, prec), * LE = _ntk_mat_new(m, prec), * L1 = _ntk_mat_new(m, prec);
    mpfr_t t, u, v;
    mpfr_inits2(prec, t, u, v, (mpfr_ptr) 0);
    for (i = 0; i < m; i++)
        for (j = 0; j < m; j++)
        {
            fmpq_get_mpfr(L1[i * m + j], fmpq_mat_entry(sp->L1, i, j), MPFR_RNDN);
            mpfr_mul(B[i * n + j], L1[i * m + j], beta, MPFR_RNDN);
            mpfr_set(B[(m + i) * n + m + j], B[i * n + j], MPFR_RNDN);
            fmpq_get_mpfr(B[i * n + m + j], fmpq_mat_entry(sp->H, i, j), MPFR_RNDN);
            mpfr_mul(B[i * n + m + j], B[i * n + m + j], beta, MPFR_RNDN);
        }
    if (n > 0)
        _ntk_mat_exp(B, n, prec);
    /* LE = L1 E - Fr: F_1 = a1 E b0 + a0 E b1 - a0 LE b0 */
    for (i = 0; i < m; i++)
        for (j = 0; j < m; j++)
        {
            slong k;
            mpfr_neg(LE[i * m + j], B[i * n + m + j], MPFR_RNDN);
            for (k = 0; k < m; k++)
            {
                mpfr_mul(t, L1[i * m + k], B[k * n + j], MPFR_RNDN);
                mpfr_add(LE[i * m + j], LE[i * m + j], t, MPFR_RNDN);
            }
        }
    bilinear(f0, sp->a0, B, n, 0, 0, sp->b0, m, t, u);
    bilinear(f1, sp->a1, B, n, 0, 0, sp->b0, m, t, u);
    bilinear(v, sp->a0, B, n, 0, 0, sp->b1, m, t, u);
    mpfr_add(f1, f1, v, MPFR_RNDN);
    bilinear(v, sp->a0, LE, m, 0, 0, sp->b0, m, t, u);
    mpfr_sub(f1, f1, v, MPFR_RNDN);
    mpfr_clears(t, u, v, (mpfr_ptr) 0);
    _ntk_mat_free(B, n); _ntk_mat_free(LE, m); _ntk_mat_free(L1, m);
}

/* The value of an exponential polynomial at beta. */
static void
exppoly_value(mpfr_t res, const _ntk_exppoly_t * f, const mpfr_t beta, mpfr_prec_t prec)
{
    mpfr_t t, u;
    slong k;
    mpfr_inits2(prec, t, u, (mpfr_ptr) 0);
    mpfr_set_zero(res, 1);
    for (k = 0; k < f->n; k++)
    {
        if (fmpq_is_zero(f->c + k))
            continue;
        fmpq_get_mpfr(t, f->lam + k, MPFR_RNDN);
        mpfr_mul(t, t, beta, MPFR_RNDN);
        mpfr_exp(t, t, MPFR_RNDN);
        mpfr_pow_ui(u, beta, (ulong) f->pow[k], MPFR_RNDN);
        mpfr_mul(t, t, u, MPFR_RNDN);
        fmpq_get_mpfr(u, f->c + k, MPFR_RNDN);
        mpfr_mul(t, t, u, MPFR_RNDN);
        mpfr_add(res, res, t, MPFR_RNDN);
    }
    mpfr_clears(t, u, (mpfr_ptr) 0);
}

/* The five values' F_1 from the terms' F_0 and F_1 (with their a^half):
   with K_i, S_i, D_i the F_i of E[K']/n, E[K'^2]/n^2 and
   -2 (D_ww + 2 D_wb)/n^2, G = K_1 + lb (the output bias) and d = beta n + 1,
     E[K]/d: G/beta - K_0/beta^2,  E[K^2]/d^2: (S_1 + 2 lb K_0)/beta^2 - 2 S_0/beta^3,
     E[K^2]/E[K]^2: (S_1 + 2 lb K_0)/K_0^2 - 2 S_0 G/K_0^3,
     dK ratio: D_1/(beta^2 K_0) - D_0 (K_0 + beta G)/(beta^3 K_0^2),
     E[N^4]/E[N^2]^2: N4_1/N2_0^2 - 2 N4_0 N2_1/N2_0^3. */
static void
assemble_f1(ntk_limit_t l, mpfr_t * v0, mpfr_t * v1, const mpfr_t b, int lb, mpfr_prec_t prec)
{
    mpfr_t K0, G, S0, S1, D0, D1, t, u;
    mpfr_inits2(prec, K0, G, S0, S1, D0, D1, t, u, (mpfr_ptr) 0);
    mpfr_add(K0, v0[_NTK_TERM_KW], v0[_NTK_TERM_KB], MPFR_RNDN);
    mpfr_add(G, v1[_NTK_TERM_KW], v1[_NTK_TERM_KB], MPFR_RNDN);
    mpfr_add_si(G, G, lb, MPFR_RNDN);
    mpfr_mul_2ui(S0, v0[_NTK_TERM_KWKB], 1, MPFR_RNDN);
    mpfr_add(S0, S0, v0[_NTK_TERM_KW2], MPFR_RNDN);
    mpfr_add(S0, S0, v0[_NTK_TERM_KB2], MPFR_RNDN);
    mpfr_mul_2ui(S1, v1[_NTK_TERM_KWKB], 1, MPFR_RNDN);
    mpfr_add(S1, S1, v1[_NTK_TERM_KW2], MPFR_RNDN);
    mpfr_add(S1, S1, v1[_NTK_TERM_KB2], MPFR_RNDN);
    mpfr_mul_si(t, K0, 2 * lb, MPFR_RNDN);
    mpfr_add(S1, S1, t, MPFR_RNDN);                    /* S_1 + 2 lb K_0 */
    mpfr_mul_2ui(D0, v0[_NTK_TERM_DWB], 1, MPFR_RNDN);
    mpfr_add(D0, D0, v0[_NTK_TERM_DWW], MPFR_RNDN);
    mpfr_mul_si(D0, D0, -2, MPFR_RNDN);
    mpfr_mul_2ui(D1, v1[_NTK_TERM_DWB], 1, MPFR_RNDN);
    mpfr_add(D1, D1, v1[_NTK_TERM_DWW], MPFR_RNDN);
    mpfr_mul_si(D1, D1, -2, MPFR_RNDN);
    /* E[K]/d */
    mpfr_div(t, K0, b, MPFR_RNDN);
    mpfr_sub(t, G, t, MPFR_RNDN);
    mpfr_div(l->e_k, t, b, MPFR_RNDN);
    /* E[K^2]/d^2 */
    mpfr_div(t, S0, b, MPFR_RNDN);
    mpfr_mul_2ui(t, t, 1, MPFR_RNDN);
    mpfr_sub(t, S1, t, MPFR_RNDN);
    mpfr_sqr(u, b, MPFR_RNDN);
    mpfr_div(l->e_k2, t, u, MPFR_RNDN);
    /* E[K^2]/E[K]^2 */
    mpfr_mul(t, S0, G, MPFR_RNDN);
    mpfr_mul_2ui(t, t, 1, MPFR_RNDN);
    mpfr_div(t, t, K0, MPFR_RNDN);
    mpfr_sub(t, S1, t, MPFR_RNDN);
    mpfr_sqr(u, K0, MPFR_RNDN);
    mpfr_div(l->ratio_k2, t, u, MPFR_RNDN);
    /* E[dK]/(lambda E[K] d beta) */
    mpfr_mul(t, b, G, MPFR_RNDN);
    mpfr_add(t, t, K0, MPFR_RNDN);
    mpfr_mul(t, t, D0, MPFR_RNDN);
    mpfr_div(t, t, K0, MPFR_RNDN);
    mpfr_div(t, t, b, MPFR_RNDN);
    mpfr_sub(t, D1, t, MPFR_RNDN);
    mpfr_sqr(u, b, MPFR_RNDN);
    mpfr_mul(u, u, K0, MPFR_RNDN);
    mpfr_div(l->ratio_dk, t, u, MPFR_RNDN);
    /* E[N^4]/E[N^2]^2 */
    mpfr_mul(t, v0[_NTK_TERM_N4], v1[_NTK_TERM_N2], MPFR_RNDN);
    mpfr_mul_2ui(t, t, 1, MPFR_RNDN);
    mpfr_div(t, t, v0[_NTK_TERM_N2], MPFR_RNDN);
    mpfr_sub(t, v1[_NTK_TERM_N4], t, MPFR_RNDN);
    mpfr_sqr(u, v0[_NTK_TERM_N2], MPFR_RNDN);
    mpfr_div(l->ratio_n4, t, u, MPFR_RNDN);
    mpfr_clears(K0, G, S0, S1, D0, D1, t, u, (mpfr_ptr) 0);
}

/* The input x = 0 with a_minus = 0: K = lb exactly, so E[K]/d = lb/(beta n + 1)
   has F_1 = lb/beta and the others F_1 = 0 (E[N^4]/E[N^2]^2 undefined). */
static void
dead_input_f1(ntk_limit_t l, const fmpq_t beta, int lb)
{
    fmpq_t t;
    fmpq_init(t);
    fmpq_set_si(t, lb, 1);
    fmpq_div(t, t, beta);
    fmpq_get_mpfr(l->e_k, t, MPFR_RNDN);
    fmpq_clear(t);
    mpfr_set_zero(l->e_k2, 1);
    mpfr_set_zero(l->ratio_k2, 1);
    mpfr_set_zero(l->ratio_dk, 1);
    mpfr_set_nan(l->ratio_n4);
}

/* Both ways: closed != 0 by the exponential polynomials. */
static ntk_status_t
limit_f1(ntk_limit_t l, const fmpq_t beta, const fmpq_t a, const ntk_conv_t conv, int closed,
         ntk_error_t * err)
{
    mpfr_t b, av, w, v0[_NTK_N_TERMS2], v1[_NTK_N_TERMS2];
    mpfr_prec_t prec;
    ntk_status_t status;
    int k, bad = 0;
    if ((status = _ntk_limit_check(l, beta, a, conv, err)) != NTK_OK
        || (status = _ntk_limit_check_correction(beta, conv, err)) != NTK_OK)
        return status;
    if (fmpq_is_zero(a) && fmpq_is_zero(conv->a_minus))
    {
        dead_input_f1(l, beta, conv->bias ? 1 : 0);
        return NTK_OK;
    }
    /* the pieces of F_1 cancel to a power of beta as beta -> 0: 6 log2(1/beta)
       bits, and a margin */
    prec = mpfr_get_prec(l->e_k) + 64;
    if (fmpq_cmp_ui(beta, 1) < 0)
        prec += 6 * ((mpfr_prec_t) fmpz_bits(fmpq_denref(beta)) - (mpfr_prec_t) fmpz_bits(fmpq_numref(beta)) + 1);
    mpfr_inits2(prec, b, av, w, (mpfr_ptr) 0);
    fmpq_get_mpfr(b, beta, MPFR_RNDN);
    fmpq_get_mpfr(av, a, MPFR_RNDN);
    for (k = 0; k < _NTK_N_TERMS2; k++)
    {
        _ntk_spectral_t sp;
        mpfr_init2(v0[k], prec);
        mpfr_init2(v1[k], prec);
        mpfr_set_zero(v0[k], 1);
        mpfr_set_zero(v1[k], 1);
        if (bad || (!conv->bias && _ntk_term_has_bias(_ntk_term_get(k))))
            continue;
        if (_ntk_spectral_init(&sp, k, conv) != 0)
        {
            bad = 1;
            continue;
        }
        if (!closed)
            term_block_exp(v0[k], v1[k], &sp, b, prec);
        else
        {
            _ntk_exppoly_t f0, f1;
            if (_ntk_spectral_exppoly(&f0, &f1, &sp) != 0)
                bad = 1;
            else
            {
                exppoly_value(v0[k], &f0, b, prec);
                exppoly_value(v1[k], &f1, b, prec);
                _ntk_exppoly_clear(&f0);
                _ntk_exppoly_clear(&f1);
            }
        }
        mpfr_pow_ui(w, av, (ulong) sp.half, MPFR_RNDN);
        mpfr_mul(v0[k], v0[k], w, MPFR_RNDN);
        mpfr_mul(v1[k], v1[k], w, MPFR_RNDN);
        _ntk_spectral_clear(&sp);
    }
    if (!bad)
        assemble_f1(l, v0, v1, b, conv->bias ? 1 : 0, prec);
    for (k = 0; k < _NTK_N_TERMS2; k++)
    {
        mpfr_clear(v0[k]);
        mpfr_clear(v1[k]);
    }
    mpfr_clears(b, av, w, (mpfr_ptr) 0);
    if (bad)
        return _ntk_error_set(err, NTK_ERR_RANGE, "", "the gauged layer map is not a projection plus O(1/n) (please report)");
    return NTK_OK;
}

ntk_status_t
ntk_limit_correction(ntk_limit_t l, const fmpq_t beta, const fmpq_t a, const ntk_conv_t conv,
                     ntk_error_t * err)
{
    return limit_f1(l, beta, a, conv, 0, err);
}

ntk_status_t
ntk_limit_correction_closed_form(ntk_limit_t l, const fmpq_t beta, const fmpq_t a,
                                 const ntk_conv_t conv, ntk_error_t * err)
{
    return limit_f1(l, beta, a, conv, 1, err);
}

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

/* res <- F_1 of x/y^k from x = x0 + x1/n, y = y0 + y1/n:
   (x1 - k x0 y1/y0) / y0^k. */
static void
quotient_f1(mpfr_t res, const mpfr_t x0, const mpfr_t x1, const mpfr_t y0, const mpfr_t y1,
            int k, mpfr_prec_t prec)
{
    mpfr_t t, u;
    mpfr_inits2(prec, t, u, (mpfr_ptr) 0);
    mpfr_mul(t, x0, y1, MPFR_RNDN);
    mpfr_mul_si(t, t, k, MPFR_RNDN);
    mpfr_div(t, t, y0, MPFR_RNDN);
    mpfr_sub(t, x1, t, MPFR_RNDN);
    mpfr_pow_ui(u, y0, (ulong) k, MPFR_RNDN);
    mpfr_div(res, t, u, MPFR_RNDN);
    mpfr_clears(t, u, (mpfr_ptr) 0);
}

static int
binomial(int k, int i)
{
    int c = 1, j;
    for (j = 1; j <= i; j++)
        c = c * (k - i + j) / j;
    return c;
}

/* The values of order 3 .. moments from the terms' F_0 and F_1: with
   S^j_i = sum_m C(j,m) F_i(E[K_w^m K_b'^(j-m)]/n^j) (S^0 = 1),
   E[K^k]/n^k = U_k0 + U_k1/n + O(1/n^2), U_k0 = S^k_0 and
   U_k1 = S^k_1 + k lb S^(k-1)_0 (the output bias enters at order 1/n); with
   d/n = beta + 1/n:
     E[K^k]/d^k:       U_k1/beta^k - k U_k0/beta^(k+1)
     E[K^k]/E[K]^k:    U_k1/U_10^k - k U_k0 U_11/U_10^(k+1)
     E[N^2k]/E[N^2]^k: N_k1/N_10^k - k N_k0 N_11/N_10^(k+1). */
static void
assemble_f1_moments(ntk_limit_t l, int moments, mpfr_t * v0, mpfr_t * v1, const mpfr_t b,
                    int lb, mpfr_prec_t prec)
{
    mpfr_t S0[5], S1[5], t, one;
    int j, m, k;
    mpfr_inits2(prec, t, one, (mpfr_ptr) 0);
    mpfr_set_ui(one, 1, MPFR_RNDN);
    for (j = 0; j <= moments; j++)
    {
        mpfr_inits2(prec, S0[j], S1[j], (mpfr_ptr) 0);
        mpfr_set_ui(S0[j], j == 0, MPFR_RNDN);
        mpfr_set_zero(S1[j], 1);
        for (m = 0; m <= j && j > 0; m++)
        {
            int which = _ntk_term_kwkb(m, j - m);
            mpfr_mul_ui(t, v0[which], (ulong) binomial(j, m), MPFR_RNDN);
            mpfr_add(S0[j], S0[j], t, MPFR_RNDN);
            mpfr_mul_ui(t, v1[which], (ulong) binomial(j, m), MPFR_RNDN);
            mpfr_add(S1[j], S1[j], t, MPFR_RNDN);
        }
    }
    for (j = moments; j >= 1; j--)              /* S^j_1 -> U_j1 */
    {
        mpfr_mul_si(t, S0[j - 1], j * lb, MPFR_RNDN);
        mpfr_add(S1[j], S1[j], t, MPFR_RNDN);
    }
    mpfr_set_nan(l->e_k4);
    mpfr_set_nan(l->ratio_k4);
    mpfr_set_nan(l->ratio_n8);
    for (k = 3; k <= moments; k++)
    {
        int n2k = _ntk_term_n(k), n2 = _ntk_term_n(1);
        quotient_f1(k == 3 ? l->e_k3 : l->e_k4, S0[k], S1[k], b, one, k, prec);
        quotient_f1(k == 3 ? l->ratio_k3 : l->ratio_k4, S0[k], S1[k], S0[1], S1[1], k, prec);
        quotient_f1(k == 3 ? l->ratio_n6 : l->ratio_n8, v0[n2k], v1[n2k], v0[n2], v1[n2], k, prec);
    }
    for (j = 0; j <= moments; j++)
        mpfr_clears(S0[j], S1[j], (mpfr_ptr) 0);
    mpfr_clears(t, one, (mpfr_ptr) 0);
}

/* The input x = 0 with a_minus = 0: K = lb exactly, so E[K]/d = lb/(beta n + 1)
   has F_1 = lb/beta and the others F_1 = 0 (E[K^k]/d^k is O(1/n^k); the N
   ratios undefined). */
static void
dead_input_f1(ntk_limit_t l, const fmpq_t beta, int lb, int moments)
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
    if (moments > 2)
    {
        mpfr_set_zero(l->e_k3, 1);
        mpfr_set_zero(l->ratio_k3, 1);
        mpfr_set_nan(l->ratio_n6);
        if (moments > 3)
        {
            mpfr_set_zero(l->e_k4, 1);
            mpfr_set_zero(l->ratio_k4, 1);
        }
        else
        {
            mpfr_set_nan(l->e_k4);
            mpfr_set_nan(l->ratio_k4);
        }
        mpfr_set_nan(l->ratio_n8);
    }
}

/* F_0 and F_1 of term `which` (with its a^half) into v0, v1, by the block
   exponential or (closed != 0) by the exponential polynomials; -1 if the
   spectral data do not exist. */
static int
term_f1(mpfr_t v0, mpfr_t v1, int which, const ntk_conv_struct * conv, const mpfr_t b,
        const mpfr_t av, int closed, mpfr_prec_t prec)
{
    _ntk_spectral_t sp;
    mpfr_t w;
    int bad = 0;
    mpfr_set_zero(v0, 1);
    mpfr_set_zero(v1, 1);
    if (!conv->bias && _ntk_term_has_bias(_ntk_term_get(which)))
        return 0;
    if (_ntk_spectral_init(&sp, which, conv) != 0)
        return -1;
    if (!closed)
        term_block_exp(v0, v1, &sp, b, prec);
    else
    {
        _ntk_exppoly_t f0, f1;
        if (_ntk_spectral_exppoly(&f0, &f1, &sp) != 0)
            bad = 1;
        else
        {
            _ntk_exppoly_value(v0, &f0, b, prec);
            _ntk_exppoly_value(v1, &f1, b, prec);
            _ntk_exppoly_clear(&f0);
            _ntk_exppoly_clear(&f1);
        }
    }
    mpfr_init2(w, prec);
    mpfr_pow_ui(w, av, (ulong) sp.half, MPFR_RNDN);
    mpfr_mul(v0, v0, w, MPFR_RNDN);
    mpfr_mul(v1, v1, w, MPFR_RNDN);
    mpfr_clear(w);
    _ntk_spectral_clear(&sp);
    return bad ? -1 : 0;
}

/* Both ways: closed != 0 by the exponential polynomials; the values up to
   the moments of order `moments`. */
static ntk_status_t
limit_f1(ntk_limit_t l, const fmpq_t beta, const fmpq_t a, const ntk_conv_t conv, int moments,
         int closed, ntk_error_t * err)
{
    mpfr_t b, av, v0[_NTK_N_TERMS], v1[_NTK_N_TERMS];
    mpfr_prec_t prec;
    ntk_status_t status;
    int k, bad = 0, n_terms;
    if ((status = _ntk_limit_check_moments(moments, 1, beta, conv, err)) != NTK_OK
        || (status = _ntk_limit_check(l, beta, a, conv, err)) != NTK_OK
        || (status = _ntk_limit_check_correction(beta, conv, err)) != NTK_OK)
        return status;
    if (fmpq_is_zero(a) && fmpq_is_zero(conv->a_minus))
    {
        dead_input_f1(l, beta, conv->bias ? 1 : 0, moments);
        return NTK_OK;
    }
    /* the pieces of F_1 cancel to a power of beta as beta -> 0: about
       (2 moments + 2) log2(1/beta) bits, and a margin */
    prec = mpfr_get_prec(l->e_k) + 64;
    if (fmpq_cmp_ui(beta, 1) < 0)
        prec += (2 * moments + 2) * ((mpfr_prec_t) fmpz_bits(fmpq_denref(beta))
                                     - (mpfr_prec_t) fmpz_bits(fmpq_numref(beta)) + 1);
    mpfr_inits2(prec, b, av, (mpfr_ptr) 0);
    fmpq_get_mpfr(b, beta, MPFR_RNDN);
    fmpq_get_mpfr(av, a, MPFR_RNDN);
    n_terms = _ntk_term_count(moments);
    for (k = 0; k < n_terms; k++)
    {
        mpfr_inits2(prec, v0[k], v1[k], (mpfr_ptr) 0);
        if (!bad)
            bad = term_f1(v0[k], v1[k], k, conv, b, av, closed, prec) != 0;
    }
    if (!bad)
    {
        assemble_f1(l, v0, v1, b, conv->bias ? 1 : 0, prec);
        if (moments > 2)
            assemble_f1_moments(l, moments, v0, v1, b, conv->bias ? 1 : 0, prec);
    }
    for (k = 0; k < n_terms; k++)
        mpfr_clears(v0[k], v1[k], (mpfr_ptr) 0);
    mpfr_clears(b, av, (mpfr_ptr) 0);
    if (bad)
        return _ntk_error_set(err, NTK_ERR_RANGE, "", "the gauged layer map is not a projection plus O(1/n) (please report)");
    return NTK_OK;
}

ntk_status_t
ntk_limit_correction(ntk_limit_t l, const fmpq_t beta, const fmpq_t a, const ntk_conv_t conv,
                     ntk_error_t * err)
{
    return limit_f1(l, beta, a, conv, 2, 0, err);
}

ntk_status_t
ntk_limit_correction_closed_form(ntk_limit_t l, const fmpq_t beta, const fmpq_t a,
                                 const ntk_conv_t conv, ntk_error_t * err)
{
    return limit_f1(l, beta, a, conv, 2, 1, err);
}

ntk_status_t
ntk_limit_correction_moments(ntk_limit_t l, const fmpq_t beta, const fmpq_t a,
                             const ntk_conv_t conv, int moments, ntk_error_t * err)
{
    return limit_f1(l, beta, a, conv, moments, 0, err);
}

ntk_status_t
ntk_limit_correction_closed_form_moments(ntk_limit_t l, const fmpq_t beta, const fmpq_t a,
                                         const ntk_conv_t conv, int moments, ntk_error_t * err)
{
    return limit_f1(l, beta, a, conv, moments, 1, err);
}

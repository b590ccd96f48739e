/* The exact data of a term's depth-to-width limit and of its 1/n correction
   (doc/derivation.md, section 13), from the gauged middle layer
   T(u) = P + u T_1 + u^2 T_2 + ... of gauge.c at the critical variance, P a
   projection onto the states L whose blocks are pairs: with Q = I - P,

     L1 = (P T_1)[L,L],  L2 = (P T_2 + P T_1 Q T_1)[L,L],  H = L2 - L1^2/2,
     a0 = s_0[L],  a1 = (s_1 + s_0 Q T_1)[L],
     b0 = (P e_0)[L],  b1 = (P e_1 + P T_1 Q e_0)[L]

   (s the first layer's row, e the last layer's column), and E[term] =
   n^power a^(n_full/2) (F_0 + F_1/n + ...) with F_0 = a0 E b0 and
   F_1 = a1 E b0 + a0 E b1 + a0 (Fr - L1 E) b0, where E = exp(beta L1) and
   Fr is the upper right block of exp(beta [[L1, H], [0, L1]]).  Also the
   same as exact exponential polynomials, from their Taylor coefficients. */

#include <flint/fmpz_poly_factor.h>
#include "limit.h"
#include "engine/gauge.h"

/* The coefficients of u^0, u^1, u^2 of the gauged layers, as matrices. */
typedef struct
{
    fmpq_mat_t T[3], s[2], e[2];
}
layer_mats_t;

static void
add_entry(fmpq_mat_t m, slong i, slong j, const fmpz_poly_t p, slong k, const fmpz_t scale)
{
    fmpq_t c;
    if (k >= fmpz_poly_length(p))
        return;
    fmpq_init(c);
    fmpq_set_fmpz_frac(c, p->coeffs + k, scale);
    fmpq_add(fmpq_mat_entry(m, i, j), fmpq_mat_entry(m, i, j), c);
    fmpq_clear(c);
}

static void
layer_mats_init(layer_mats_t * lm, const _ntk_gauge_t * g)
{
    const _ntk_space_t * sp = &g->space;
    slong S = sp->n_states, k, j;
    int starts_empty = sp->start == sp->empty;
    for (j = 0; j < 3; j++)
        fmpq_mat_init(lm->T[j], S, S);
    for (j = 0; j < 2; j++)
    {
        fmpq_mat_init(lm->s[j], 1, S);
        fmpq_mat_init(lm->e[j], S, 1);
    }
    for (k = 0; k < g->middle.n_trans; k++)
        if (g->middle.from[k] < S && g->middle.to[k] < S)
            for (j = 0; j < 3; j++)
                add_entry(lm->T[j], g->middle.from[k], g->middle.to[k], g->middle.poly + k, j,
                          g->middle.scale);
    for (k = 0; k < g->first.n_trans; k++)
        if (g->first.to[k] < S)
            for (j = 0; j < 2; j++)
                add_entry(lm->s[j], 0, g->first.to[k], g->first.poly + k, j, g->first.scale);
    for (k = 0; k < g->last.n_trans; k++)
        if (g->last.from[k] < S && g->last.to[k] == sp->terminal)
            for (j = 0; j < 2; j++)
                add_entry(lm->e[j], g->last.from[k], 0, g->last.poly + k, j, g->last.scale);
    /* the empty state stays with 1 (the 2^-n of a shut layer left out) */
    if (starts_empty)
    {
        fmpq_add_si(fmpq_mat_entry(lm->T[0], sp->empty, sp->empty),
                    fmpq_mat_entry(lm->T[0], sp->empty, sp->empty), 1);
        fmpq_add_si(fmpq_mat_entry(lm->s[0], 0, sp->empty), fmpq_mat_entry(lm->s[0], 0, sp->empty), 1);
    }
}

static void
layer_mats_clear(layer_mats_t * lm)
{
    int j;
    for (j = 0; j < 3; j++)
        fmpq_mat_clear(lm->T[j]);
    for (j = 0; j < 2; j++)
    {
        fmpq_mat_clear(lm->s[j]);
        fmpq_mat_clear(lm->e[j]);
    }
}

/* res <- the rows (or columns, when cols) of m in the set L (m's other
   dimension kept). */
static void
restrict_rows(fmpq_mat_t res, const fmpq_mat_t m, const slong * L, slong n, int cols)
{
    slong i, j;
    fmpq_mat_init(res, cols ? m->r : n, cols ? n : m->c);
    for (i = 0; i < fmpq_mat_nrows(res); i++)
        for (j = 0; j < fmpq_mat_ncols(res); j++)
            fmpq_set(fmpq_mat_entry(res, i, j),
                     cols ? fmpq_mat_entry(m, i, L[j]) : fmpq_mat_entry(m, L[i], j));
}

/* res <- m[L, L]. */
static void
restrict_square(fmpq_mat_t res, const fmpq_mat_t m, const slong * L, slong n)
{
    fmpq_mat_t t;
    restrict_rows(t, m, L, n, 0);
    restrict_rows(res, t, L, n, 1);
    fmpq_mat_clear(t);
}

/* L <- the states with P[i][i] = 1; 0 if P is the projection [[I, B], [0, 0]]
   in the split (L, rest). */
static int
leading_states(slong * L, slong * n, const fmpq_mat_t P)
{
    fmpq_mat_t P2;
    slong i, j, S = P->r;
    int ok;
    fmpq_mat_init(P2, S, S);
    fmpq_mat_mul(P2, P, P);
    ok = fmpq_mat_equal(P2, P);
    fmpq_mat_clear(P2);
    *n = 0;
    for (i = 0; i < S; i++)
        if (fmpq_is_one(fmpq_mat_entry(P, i, i)))
            L[(*n)++] = i;
    for (i = 0; i < S && ok; i++)
    {
        int lead = fmpq_is_one(fmpq_mat_entry(P, i, i));
        for (j = 0; j < S && ok; j++)
        {
            int lj = fmpq_is_one(fmpq_mat_entry(P, j, j));
            if (!lead)
                ok = fmpq_is_zero(fmpq_mat_entry(P, i, j));
            else if (lj && i != j)
                ok = fmpq_is_zero(fmpq_mat_entry(P, i, j));
        }
    }
    return ok;
}

int
_ntk_spectral_init(_ntk_spectral_t * sp, int which, const ntk_conv_struct * conv)
{
    _ntk_gauge_t g;
    layer_mats_t lm;
    fmpq_mat_t P, Q, PT1, QT1, X, Y;
    slong L[_NTK_MAX_STATES], m, S;
    int ok;
    if (_ntk_gauge_init(&g, _ntk_term_get(which), conv, 1, 1) != 0)
        return -1;
    sp->half = _ntk_term_n_full(&g.space.term) / 2;
    S = g.space.n_states;
    layer_mats_init(&lm, &g);
    _ntk_gauge_clear(&g);
    ok = leading_states(L, &m, lm.T[0]);
    if (!ok)
    {
        layer_mats_clear(&lm);
        return -1;
    }
    sp->m = (int) m;
    fmpq_mat_init_set(P, lm.T[0]);
    fmpq_mat_init(Q, S, S);
    fmpq_mat_one(Q);
    fmpq_mat_sub(Q, Q, P);
    fmpq_mat_init(PT1, S, S); fmpq_mat_init(QT1, S, S);
    fmpq_mat_init(X, S, S); fmpq_mat_init(Y, S, S);
    fmpq_mat_mul(PT1, P, lm.T[1]);
    fmpq_mat_mul(QT1, Q, lm.T[1]);
    restrict_square(sp->L1, PT1, L, m);
    /* L2 = P T_2 + P T_1 Q T_1, and H = L2 - L1^2 / 2 */
    fmpq_mat_mul(X, P, lm.T[2]);
    fmpq_mat_mul(Y, PT1, QT1);
    fmpq_mat_add(X, X, Y);
    restrict_square(sp->H, X, L, m);
    {
        fmpq_mat_t L1sq;
        fmpq_t half;
        fmpq_mat_init(L1sq, m, m);
        fmpq_init(half);
        fmpq_set_si(half, 1, 2);
        fmpq_mat_mul(L1sq, sp->L1, sp->L1);
        fmpq_mat_scalar_mul_fmpq(L1sq, L1sq, half);
        fmpq_mat_sub(sp->H, sp->H, L1sq);
        fmpq_mat_clear(L1sq);
        fmpq_clear(half);
    }
    /* a0 = s_0[L], a1 = (s_1 + s_0 Q T_1)[L] */
    restrict_rows(sp->a0, lm.s[0], L, m, 1);
    {
        fmpq_mat_t r;
        fmpq_mat_init(r, 1, S);
        fmpq_mat_mul(r, lm.s[0], QT1);
        fmpq_mat_add(r, r, lm.s[1]);
        restrict_rows(sp->a1, r, L, m, 1);
        fmpq_mat_clear(r);
    }
    /* b0 = (P e_0)[L], b1 = (P e_1 + P T_1 Q e_0)[L] */
    {
        fmpq_mat_t c, c2, c3;
        fmpq_mat_init(c, S, 1); fmpq_mat_init(c2, S, 1); fmpq_mat_init(c3, S, 1);
        fmpq_mat_mul(c, P, lm.e[0]);
        restrict_rows(sp->b0, c, L, m, 0);
        fmpq_mat_mul(c, P, lm.e[1]);
        fmpq_mat_mul(c2, Q, lm.e[0]);
        fmpq_mat_mul(c3, PT1, c2);
        fmpq_mat_add(c, c, c3);
        restrict_rows(sp->b1, c, L, m, 0);
        fmpq_mat_clear(c); fmpq_mat_clear(c2); fmpq_mat_clear(c3);
    }
    fmpq_mat_clear(P); fmpq_mat_clear(Q); fmpq_mat_clear(PT1); fmpq_mat_clear(QT1);
    fmpq_mat_clear(X); fmpq_mat_clear(Y);
    layer_mats_clear(&lm);
    return 0;
}

void
_ntk_spectral_clear(_ntk_spectral_t * sp)
{
    fmpq_mat_clear(sp->L1); fmpq_mat_clear(sp->H);
    fmpq_mat_clear(sp->a0); fmpq_mat_clear(sp->a1);
    fmpq_mat_clear(sp->b0); fmpq_mat_clear(sp->b1);
}

void
_ntk_exppoly_init(_ntk_exppoly_t * f, slong n)
{
    f->n = n;
    f->lam = _fmpq_vec_init(FLINT_MAX(n, 1));
    f->c = _fmpq_vec_init(FLINT_MAX(n, 1));
    f->pow = flint_malloc(FLINT_MAX(n, 1) * sizeof(slong));
}

void
_ntk_exppoly_clear(_ntk_exppoly_t * f)
{
    _fmpq_vec_clear(f->lam, FLINT_MAX(f->n, 1));
    _fmpq_vec_clear(f->c, FLINT_MAX(f->n, 1));
    flint_free(f->pow);
}

/* The eigenvalues of L1 with their multiplicities (rational: L1 is
   triangular by blocks whose eigenvalues are those of G = -I + r J and 0);
   returns their number, or -1 if the characteristic polynomial has a factor
   that is not linear. */
static slong
eigenvalues(fmpq * lam, slong * mult, const fmpq_mat_t L1)
{
    fmpq_poly_t cp;
    fmpz_poly_t num;
    fmpz_poly_factor_t fac;
    slong k, n = 0;
    fmpq_poly_init(cp);
    fmpz_poly_init(num);
    fmpz_poly_factor_init(fac);
    fmpq_mat_charpoly(cp, L1);
    fmpq_poly_get_numerator(num, cp);
    fmpz_poly_factor(fac, num);
    for (k = 0; k < fac->num && n >= 0; k++)
    {
        const fmpz_poly_struct * f = fac->p + k;
        if (fmpz_poly_degree(f) != 1)
            n = -1;
        else
        {
            fmpq_set_fmpz_frac(lam + n, f->coeffs + 0, f->coeffs + 1);
            fmpq_neg(lam + n, lam + n);
            mult[n++] = fac->exp[k];
        }
    }
    fmpz_poly_factor_clear(fac);
    fmpz_poly_clear(num);
    fmpq_poly_clear(cp);
    return n;
}

/* f <- the exponential polynomial with the Taylor coefficients t[0..N-1]
   in the basis beta^i e^(lam_r beta), i < factor * mult_r (N in all). */
static void
exppoly_from_taylor(_ntk_exppoly_t * f, const fmpq * t, const fmpq * lam, const slong * mult,
                    slong n_lam, int factor)
{
    fmpq_mat_t M, X, B;
    fmpq_t v;
    fmpz_t den;
    slong N = 0, r, i, k, col = 0;
    for (r = 0; r < n_lam; r++)
        N += factor * mult[r];
    _ntk_exppoly_init(f, N);
    fmpq_mat_init(M, N, N); fmpq_mat_init(X, N, 1); fmpq_mat_init(B, N, 1);
    fmpq_init(v);
    fmpz_init(den);
    for (r = 0; r < n_lam; r++)
        for (i = 0; i < factor * mult[r]; i++, col++)
        {
            fmpq_set(f->lam + col, lam + r);
            f->pow[col] = i;
            /* [beta^k] beta^i e^(lam beta) = lam^(k-i) / (k-i)! */
            fmpq_one(v);
            for (k = i; k < N; k++)
            {
                fmpq_set(fmpq_mat_entry(M, k, col), v);
                fmpq_mul(v, v, lam + r);
                fmpz_set_si(den, k - i + 1);
                fmpq_div_fmpz(v, v, den);
            }
        }
    for (k = 0; k < N; k++)
        fmpq_set(fmpq_mat_entry(B, k, 0), t + k);
    fmpq_mat_solve(X, M, B);
    for (k = 0; k < N; k++)
        fmpq_set(f->c + k, fmpq_mat_entry(X, k, 0));
    fmpq_mat_clear(M); fmpq_mat_clear(X); fmpq_mat_clear(B);
    fmpq_clear(v);
    fmpz_clear(den);
}

/* The exact Taylor coefficients of F_0 and F_1 (N of each), from
   B^k [b1; b0] = [L1^k b1 + (sum_{i+j=k-1} L1^i H L1^j) b0; L1^k b0],
   B = [[L1, H], [0, L1]]. */
static void
taylor(fmpq * t0, fmpq * t1, const _ntk_spectral_t * sp, slong N)
{
    slong m = sp->m, k, i;
    fmpq_mat_t B, v, w, top, bottom, Lb, s;
    fmpz_t fact;
    fmpq_mat_init(B, 2 * m, 2 * m);
    fmpq_mat_init(v, 2 * m, 1); fmpq_mat_init(w, 2 * m, 1);
    fmpq_mat_init(top, m, 1); fmpq_mat_init(bottom, m, 1); fmpq_mat_init(Lb, m, 1);
    fmpq_mat_init(s, 1, 1);
    fmpz_init_set_ui(fact, 1);
    for (i = 0; i < m; i++)
        for (k = 0; k < m; k++)
        {
            fmpq_set(fmpq_mat_entry(B, i, k), fmpq_mat_entry(sp->L1, i, k));
            fmpq_set(fmpq_mat_entry(B, m + i, m + k), fmpq_mat_entry(sp->L1, i, k));
            fmpq_set(fmpq_mat_entry(B, i, m + k), fmpq_mat_entry(sp->H, i, k));
        }
    for (i = 0; i < m; i++)
    {
        fmpq_set(fmpq_mat_entry(v, i, 0), fmpq_mat_entry(sp->b1, i, 0));
        fmpq_set(fmpq_mat_entry(v, m + i, 0), fmpq_mat_entry(sp->b0, i, 0));
    }
    for (k = 0; k < N; k++)
    {
        if (k > 0)
            fmpz_mul_ui(fact, fact, (ulong) k);
        for (i = 0; i < m; i++)
        {
            fmpq_set(fmpq_mat_entry(top, i, 0), fmpq_mat_entry(v, i, 0));
            fmpq_set(fmpq_mat_entry(bottom, i, 0), fmpq_mat_entry(v, m + i, 0));
        }
        fmpq_mat_mul(s, sp->a0, bottom);
        fmpq_div_fmpz(t0 + k, fmpq_mat_entry(s, 0, 0), fact);
        fmpq_mat_mul(Lb, sp->L1, bottom);
        fmpq_mat_sub(top, top, Lb);
        fmpq_mat_mul(s, sp->a0, top);
        fmpq_set(t1 + k, fmpq_mat_entry(s, 0, 0));
        fmpq_mat_mul(s, sp->a1, bottom);
        fmpq_add(t1 + k, t1 + k, fmpq_mat_entry(s, 0, 0));
        fmpq_div_fmpz(t1 + k, t1 + k, fact);
        fmpq_mat_mul(w, B, v);
        fmpq_mat_swap(v, w);
    }
    fmpq_mat_clear(B); fmpq_mat_clear(v); fmpq_mat_clear(w);
    fmpq_mat_clear(top); fmpq_mat_clear(bottom); fmpq_mat_clear(Lb); fmpq_mat_clear(s);
    fmpz_clear(fact);
}

/* sum_k c_k beta^p_k e^(lam_k beta) at prec bits, and sum_k |...| in abs. */
static void
exppoly_sum(mpfr_t res, mpfr_t abs, const _ntk_exppoly_t * f, const mpfr_t beta,
            mpfr_prec_t prec)
{
    mpfr_t t, u, e;
    slong k, last = -1;
    mpfr_inits2(prec, t, u, e, (mpfr_ptr) 0);
    mpfr_set_prec(res, prec);
    mpfr_set_zero(res, 1);
    mpfr_set_zero(abs, 1);
    for (k = 0; k < f->n; k++)
    {
        if (fmpq_is_zero(f->c + k))
            continue;
        if (last < 0 || !fmpq_equal(f->lam + k, f->lam + last))    /* one exp per exponent */
        {
            fmpq_get_mpfr(e, f->lam + k, MPFR_RNDN);
            mpfr_mul(e, e, beta, MPFR_RNDN);
            mpfr_exp(e, e, MPFR_RNDN);
            last = k;
        }
        mpfr_set(t, e, MPFR_RNDN);
        mpfr_pow_ui(u, beta, (ulong) f->pow[k], MPFR_RNDN);
        mpfr_mul(t, t, u, MPFR_RNDN);
        fmpq_get_mpfr(u, f->c + k, MPFR_RNDN);
        mpfr_mul(t, t, u, MPFR_RNDN);
        mpfr_add(res, res, t, MPFR_RNDN);
        mpfr_abs(t, t, MPFR_RNDN);
        mpfr_add(abs, abs, t, MPFR_RNDN);
    }
    mpfr_clears(t, u, e, (mpfr_ptr) 0);
}

/* The terms of an exponential polynomial can cancel to far below their
   size (close exponents have large coefficients of opposite signs): the
   sum is taken again with the bits the cancellation costs added, so that
   res has a relative error of about 2^-prec whatever the cancellation. */
void
_ntk_exppoly_value(mpfr_t res, const _ntk_exppoly_t * f, const mpfr_t beta, mpfr_prec_t prec)
{
    mpfr_t v, abs;
    mpfr_exp_t lost = 0;
    mpfr_inits2(prec, v, abs, (mpfr_ptr) 0);
    exppoly_sum(v, abs, f, beta, prec);
    if (!mpfr_zero_p(abs))
    {
        lost = mpfr_zero_p(v) ? (mpfr_exp_t) prec : mpfr_get_exp(abs) - mpfr_get_exp(v);
        if (lost > 0)
        {
            mpfr_set_prec(abs, prec + lost + 16);
            exppoly_sum(v, abs, f, beta, prec + lost + 16);
        }
    }
    mpfr_set(res, v, MPFR_RNDN);
    mpfr_clears(v, abs, (mpfr_ptr) 0);
}

int
_ntk_spectral_exppoly(_ntk_exppoly_t * f0, _ntk_exppoly_t * f1, const _ntk_spectral_t * sp)
{
    fmpq * lam = _fmpq_vec_init(FLINT_MAX(sp->m, 1));
    slong * mult = flint_malloc(FLINT_MAX(sp->m, 1) * sizeof(slong));
    slong n_lam = sp->m > 0 ? eigenvalues(lam, mult, sp->L1) : 0, N = 2 * sp->m;
    fmpq * t0 = _fmpq_vec_init(FLINT_MAX(N, 1)), * t1 = _fmpq_vec_init(FLINT_MAX(N, 1));
    if (n_lam >= 0)
    {
        /* F_0 is annihilated by the characteristic polynomial of L1, F_1 by
           that of the block matrix, its square: the first m (2m) Taylor
           coefficients fix them */
        taylor(t0, t1, sp, N);
        exppoly_from_taylor(f0, t0, lam, mult, n_lam, 1);
        exppoly_from_taylor(f1, t1, lam, mult, n_lam, 2);
    }
    _fmpq_vec_clear(lam, FLINT_MAX(sp->m, 1));
    flint_free(mult);
    _fmpq_vec_clear(t0, FLINT_MAX(N, 1));
    _fmpq_vec_clear(t1, FLINT_MAX(N, 1));
    return n_lam >= 0 ? 0 : -1;
}

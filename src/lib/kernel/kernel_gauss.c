/* The Gaussian integrals of the scale-invariant activations at two inputs
   (doc/derivation.md, section 16): products of sigma and sigma' at z_0 and
   z_1, (z_0, z_1) ~ N(0, G), in closed form in theta, sin theta, cos theta
   and pi, and their derivatives with respect to G. */

#include "kernel/kernel.h"

void
_ntk_act_init(_ntk_act_struct * act, const ntk_conv_struct * conv, slong prec)
{
    arb_t t;
    int k;
    arb_init(act->ap);
    arb_init(act->am);
    arb_init(act->s);
    arb_init(act->A2);
    arb_init(act->t2pi);
    arb_init(act->pi);
    arb_init(act->half_sqrt_2pi);
    arb_init(t);
    act->prec = prec;
    arb_set_fmpq(act->ap, conv->a_plus, prec);
    arb_set_fmpq(act->am, conv->a_minus, prec);
    arb_add(act->s, act->ap, act->am, prec);
    arb_mul_2exp_si(act->s, act->s, -1);
    arb_sub(t, act->ap, act->am, prec);
    arb_mul_2exp_si(t, t, -1);
    arb_sqr(act->A2, act->s, prec);
    arb_addmul(act->A2, t, t, prec);
    arb_const_pi(act->pi, prec);
    arb_sqr(act->t2pi, t, prec);
    arb_mul_2exp_si(act->t2pi, act->t2pi, 1);
    arb_div(act->t2pi, act->t2pi, act->pi, prec);
    arb_mul_2exp_si(act->half_sqrt_2pi, act->pi, -1);
    arb_sqrt(act->half_sqrt_2pi, act->half_sqrt_2pi, prec);
    for (k = 0; k < 5; k++)
    {
        arb_init(act->ap_pow + k);
        arb_init(act->am_pow + k);
        arb_pow_ui(act->ap_pow + k, act->ap, k, prec);
        arb_pow_ui(act->am_pow + k, act->am, k, prec);
    }
    act->linear = fmpq_equal(conv->a_plus, conv->a_minus);
    {
        fmpq_t neg;
        fmpq_init(neg);
        fmpq_neg(neg, conv->a_minus);
        act->even = fmpq_equal(neg, conv->a_plus);
        fmpq_clear(neg);
    }
    arb_clear(t);
}

void
_ntk_act_clear(_ntk_act_struct * act)
{
    int k;
    for (k = 0; k < 5; k++)
    {
        arb_clear(act->ap_pow + k);
        arb_clear(act->am_pow + k);
    }
    arb_clear(act->ap);
    arb_clear(act->am);
    arb_clear(act->s);
    arb_clear(act->A2);
    arb_clear(act->t2pi);
    arb_clear(act->pi);
    arb_clear(act->half_sqrt_2pi);
}

void
_ntk_gauss_init(_ntk_gauss_struct * g, const _ntk_act_struct * act, slong prec)
{
    int i, k;
    g->act = act;
    g->prec = prec;
    g->mode = _NTK_GAUSS_GENERAL;
    g->sgn = 1;
    g->zero[0] = g->zero[1] = 0;
    g->have_orthant = 0;
    g->have_powers = 0;
    arb_init(g->q[0]);
    arb_init(g->q[1]);
    arb_init(g->c);
    arb_init(g->sq[0]);
    arb_init(g->sq[1]);
    arb_init(g->theta);
    arb_init(g->sin);
    arb_init(g->cos);
    arb_init(g->sm);
    for (i = 0; i < 5; i++)
    {
        arb_init(&g->sq_pow[0][i]);
        arb_init(&g->sq_pow[1][i]);
        for (k = 0; k < 5; k++)
        {
            arb_init(&g->orth[i][k]);
            arb_init(&g->orthc[i][k]);
        }
    }
}

void
_ntk_gauss_clear(_ntk_gauss_struct * g)
{
    int i, k;
    arb_clear(g->q[0]);
    arb_clear(g->q[1]);
    arb_clear(g->c);
    arb_clear(g->sq[0]);
    arb_clear(g->sq[1]);
    arb_clear(g->theta);
    arb_clear(g->sin);
    arb_clear(g->cos);
    arb_clear(g->sm);
    for (i = 0; i < 5; i++)
    {
        arb_clear(&g->sq_pow[0][i]);
        arb_clear(&g->sq_pow[1][i]);
        for (k = 0; k < 5; k++)
        {
            arb_clear(&g->orth[i][k]);
            arb_clear(&g->orthc[i][k]);
        }
    }
}

void
_ntk_gauss_set(_ntk_gauss_struct * g, _ntk_gauss_mode_t mode, int sgn, const arb_t q0,
               const arb_t q1, const arb_t c, const arb_t theta)
{
    slong prec = g->prec;
    g->mode = mode;
    g->sgn = sgn;
    g->have_orthant = 0;
    arb_set(g->q[0], q0);
    arb_set(g->q[1], q1);
    arb_set(g->c, c);
    g->zero[0] = arb_is_zero(q0);
    g->zero[1] = arb_is_zero(q1);
    arb_sqrt(g->sq[0], q0, prec);
    arb_sqrt(g->sq[1], q1, prec);
    g->have_powers = 0;
    if (mode == _NTK_GAUSS_GENERAL)
    {
        arb_set(g->theta, theta);
        arb_sin_cos(g->sin, g->cos, theta, prec);
        _ntk_sin_minus_theta_cos(g->sm, g->theta, g->sin, g->cos, prec);
    }
}

/* I[a][b] = int_{theta - pi/2}^{pi/2} cos^a(phi) sin^b(phi) dphi, a + b <= 4,
   by the reduction formulas (at the ends: cos = 0, sin = 1 and cos = sin
   theta, sin = -cos theta); pmt is pi - theta. */
static void
trig_integrals(arb_struct I[5][5], const arb_t pmt, const arb_t sin, const arb_t cos, slong prec)
{
    arb_t ncos, lo, t;
    int a, b, m;
    arb_init(ncos);
    arb_init(lo);
    arb_init(t);
    arb_neg(ncos, cos);
    arb_set(&I[0][0], pmt);
    arb_add_ui(&I[1][0], cos, 1, prec);
    arb_set(&I[0][1], sin);
    arb_sqr(&I[1][1], sin, prec);
    arb_mul_2exp_si(&I[1][1], &I[1][1], -1);
    for (m = 2; m <= 4; m++)
        for (a = 0; a <= m; a++)
        {
            b = m - a;
            if (a == 1 && b == 1)
                continue;                         /* set above: sin^2 theta / 2 */
            if (a >= 2)
            {
                /* [cos^(a-1) sin^(b+1)] / m + (a-1)/m I[a-2][b] */
                arb_pow_ui(lo, sin, a - 1, prec);
                arb_pow_ui(t, ncos, b + 1, prec);
                arb_mul(lo, lo, t, prec);
                arb_set_si(t, a == 1);            /* the upper end: cos^(a-1) = 0 */
                arb_sub(t, t, lo, prec);
                arb_div_ui(t, t, m, prec);
                arb_mul_ui(lo, &I[a - 2][b], a - 1, prec);
                arb_div_ui(lo, lo, m, prec);
                arb_add(&I[a][b], t, lo, prec);
            }
            else
            {
                /* [-cos^(a+1) sin^(b-1)] / m + (b-1)/m I[a][b-2] */
                arb_pow_ui(lo, sin, a + 1, prec);
                arb_pow_ui(t, ncos, b - 1, prec);
                arb_mul(t, lo, t, prec);          /* minus the lower end; the upper is 0 */
                arb_div_ui(t, t, m, prec);
                arb_mul_ui(lo, &I[a][b - 2], b - 1, prec);
                arb_div_ui(lo, lo, m, prec);
                arb_add(&I[a][b], t, lo, prec);
            }
        }
    arb_clear(ncos);
    arb_clear(lo);
    arb_clear(t);
}

/* E[r^m], r^2 ~ chi^2_2: 1, sqrt(pi/2), 2, 3 sqrt(pi/2), 8. */
static void
radial_moment(arb_t res, int m, const _ntk_act_struct * act, slong prec)
{
    if (m % 2)
        arb_mul_ui(res, act->half_sqrt_2pi, m == 1 ? 1 : 3, prec);
    else
        arb_set_ui(res, m == 0 ? 1 : m == 2 ? 2 : 8);
}

/* P[i][k] = E[u^i v^k; u > 0, v > 0], u, v standard with correlation cos
   theta: E[r^(i+k)]/(2 pi) times the angular integral of cos^i(phi)
   cos^k(phi - theta) over the quarter where both are positive. */
static void
orthant_table(arb_struct P[5][5], const arb_t pmt, const arb_t sin, const arb_t cos,
              const _ntk_act_struct * act, slong prec)
{
    static const ulong binom[5][5] = { { 1 }, { 1, 1 }, { 1, 2, 1 }, { 1, 3, 3, 1 },
                                       { 1, 4, 6, 4, 1 } };
    arb_struct I[5][5];
    arb_t acc, t, r;
    int i, k, j;
    for (i = 0; i < 5; i++)
        for (k = 0; k < 5; k++)
            arb_init(&I[i][k]);
    arb_init(acc);
    arb_init(t);
    arb_init(r);
    arb_struct cp[5], sp[5];
    for (j = 0; j < 5; j++)
    {
        arb_init(cp + j);
        arb_init(sp + j);
        if (j == 0)
        {
            arb_one(cp);
            arb_one(sp);
        }
        else
        {
            arb_mul(cp + j, cp + j - 1, cos, prec);
            arb_mul(sp + j, sp + j - 1, sin, prec);
        }
    }
    trig_integrals(I, pmt, sin, cos, prec);
    for (i = 0; i <= 4; i++)
        for (k = 0; i + k <= 4; k++)
        {
            /* cos^k(phi - theta) = sum_j C(k, j) cos^(k-j) theta sin^j theta cos^(k-j) phi sin^j phi */
            arb_zero(acc);
            for (j = 0; j <= k; j++)
            {
                arb_mul(t, cp + k - j, sp + j, prec);
                arb_mul_ui(t, t, binom[k][j], prec);
                arb_addmul(acc, t, &I[i + k - j][j], prec);
            }
            radial_moment(r, i + k, act, prec);
            arb_mul(acc, acc, r, prec);
            arb_div(acc, acc, act->pi, prec);
            arb_mul_2exp_si(&P[i][k], acc, -1);
        }
    for (i = 0; i < 5; i++)
        for (k = 0; k < 5; k++)
            arb_clear(&I[i][k]);
    for (j = 0; j < 5; j++)
    {
        arb_clear(cp + j);
        arb_clear(sp + j);
    }
    arb_clear(acc);
    arb_clear(t);
    arb_clear(r);
}

static void
ensure_orthant(_ntk_gauss_struct * g)
{
    arb_t pmt, ncos;
    if (g->have_orthant)
        return;
    arb_init(pmt);
    arb_init(ncos);
    arb_sub(pmt, g->act->pi, g->theta, g->prec);
    orthant_table(g->orth, pmt, g->sin, g->cos, g->act, g->prec);
    /* at pi - theta: the same sine, the opposite cosine, and pi - (pi - theta) = theta */
    arb_neg(ncos, g->cos);
    orthant_table(g->orthc, g->theta, g->sin, ncos, g->act, g->prec);
    g->have_orthant = 1;
    arb_clear(pmt);
    arb_clear(ncos);
}

/* alpha_+ and alpha_- of a factor sigma^i sigma'^j: F(z) = alpha_+- z^i. */
static void
factor_alpha(arb_t ap, arb_t am, const _ntk_act_struct * act, int i, int j, slong prec)
{
    arb_set(ap, act->ap_pow + i + j);
    arb_set(am, act->am_pow + i + j);
}

/* E[|u|^p] for u ~ N(0, 1), p <= 4: 1, sqrt(2/pi), 1, 2 sqrt(2/pi), 3; half of
   it is E[u^p; u > 0]. */
static void
abs_moment(arb_t res, int p, const _ntk_act_struct * act, slong prec)
{
    if (p % 2)
    {
        arb_div(res, act->half_sqrt_2pi, act->pi, prec);       /* sqrt(pi/2)/pi = 1/sqrt(2 pi) */
        arb_mul_ui(res, res, p == 1 ? 2 : 4, prec);
    }
    else
        arb_set_ui(res, p == 4 ? 3 : 1);
}

/* E[F(u)] for u ~ N(0, 1): (alpha_+ + (-1)^p alpha_-) E|u|^p / 2. */
static void
one_input(arb_t res, const arb_t ap, const arb_t am, int p, const _ntk_act_struct * act,
          slong prec)
{
    arb_t m;
    arb_init(m);
    if (p % 2)
        arb_sub(res, ap, am, prec);
    else
        arb_add(res, ap, am, prec);
    abs_moment(m, p, act, prec);
    arb_mul(res, res, m, prec);
    arb_mul_2exp_si(res, res, -1);
    arb_clear(m);
}

/* q_0^(p0/2) q_1^(p1/2), p0 and p1 of either sign */
void
_ntk_gauss_scale(arb_t res, const _ntk_gauss_struct * g, int p0, int p1)
{
    arb_t t;
    if (p0 >= 0 && p1 >= 0 && p0 < 5 && p1 < 5)
    {
        if (!g->have_powers)
        {
            /* the powers of sqrt(q_a), on first use (not needed at infinite width) */
            _ntk_gauss_struct * w = (_ntk_gauss_struct *) g;
            int k, i;
            for (k = 0; k < 2; k++)
            {
                arb_one(&w->sq_pow[k][0]);
                for (i = 1; i < 5; i++)
                    arb_mul(&w->sq_pow[k][i], &w->sq_pow[k][i - 1], w->sq[k], w->prec);
            }
            w->have_powers = 1;
        }
        arb_mul(res, &g->sq_pow[0][p0], &g->sq_pow[1][p1], g->prec);
        return;
    }
    arb_init(t);
    arb_pow_ui(res, g->sq[0], (ulong) FLINT_ABS(p0), g->prec);
    if (p0 < 0)
        arb_inv(res, res, g->prec);
    arb_pow_ui(t, g->sq[1], (ulong) FLINT_ABS(p1), g->prec);
    if (p1 < 0)
        arb_div(res, res, t, g->prec);
    else
        arb_mul(res, res, t, g->prec);
    arb_clear(t);
}

/* E[z_0^p0 z_1^p1] (Isserlis), p0 + p1 <= 4. */
static void
gaussian_moment(arb_t res, const _ntk_gauss_struct * g, int p0, int p1)
{
    slong prec = g->prec;
    arb_t t;
    if ((p0 + p1) % 2)
    {
        arb_zero(res);
        return;
    }
    arb_init(t);
    if (p0 + p1 == 0)
        arb_one(res);
    else if (p0 + p1 == 2)
        arb_set(res, p0 == 2 ? g->q[0] : p1 == 2 ? g->q[1] : g->c);
    else if (p0 == 4 || p1 == 4)
    {
        arb_sqr(res, g->q[p0 == 4 ? 0 : 1], prec);
        arb_mul_ui(res, res, 3, prec);
    }
    else if (p0 == 2)
    {
        arb_mul(res, g->q[0], g->q[1], prec);
        arb_sqr(t, g->c, prec);
        arb_addmul_ui(res, t, 2, prec);
    }
    else
    {
        arb_mul(res, g->q[p0 == 3 ? 0 : 1], g->c, prec);
        arb_mul_ui(res, res, 3, prec);
    }
    arb_clear(t);
}

/* The two-point integrals of the infinite-width recursion, in closed form
   (GENERAL mode): E[sigma_0 sigma_1] = sqrt(q0 q1) k1(theta), E[sigma'_0
   sigma'_1] = k0(theta), E[sigma_a^2] = A_2 q_a, E[sigma'_a^2] = A_2; 0 if
   n is not one of these. */
static int
two_point(arb_t res, _ntk_gauss_struct * g, const int n[2][2])
{
    const _ntk_act_struct * act = g->act;
    slong prec = g->prec;
    int a;
    for (a = 0; a < 2; a++)
        if (n[a][0] + n[a][1] == 2 && n[1 - a][0] + n[1 - a][1] == 0 && n[a][0] != 1)
        {
            if (n[a][0] == 2)
                arb_mul(res, act->A2, g->q[a], prec);
            else
                arb_set(res, act->A2);
            return 1;
        }
    if (n[0][0] + n[0][1] != 1 || n[1][0] + n[1][1] != 1 || n[0][0] != n[1][0])
        return 0;
    if (n[0][0] == 0)
    {
        arb_mul(res, act->t2pi, g->theta, prec);
        arb_sub(res, act->A2, res, prec);
    }
    else
    {
        arb_t t;
        arb_init(t);
        arb_mul(t, g->sm, act->t2pi, prec);
        arb_addmul(t, act->A2, g->cos, prec);
        arb_mul(res, g->sq[0], g->sq[1], prec);
        arb_mul(res, res, t, prec);
        arb_clear(t);
    }
    return 1;
}

/* ZERO mode: a zero input's z is 0, sigma(0) = 0, sigma'(0) = a_minus. */
static void
expect_zero(arb_t res, const _ntk_gauss_struct * g, const arb_struct * al_p, const arb_struct * al_m,
            const int * p)
{
    arb_t u, v;
    int a;
    arb_init(u);
    arb_init(v);
    arb_one(res);
    for (a = 0; a < 2; a++)
    {
        if (g->zero[a])
        {
            if (p[a] > 0)
                arb_zero(res);
            else
                arb_mul(res, res, al_m + a, g->prec);
        }
        else
        {
            one_input(u, al_p + a, al_m + a, p[a], g->act, g->prec);
            arb_pow_ui(v, g->sq[a], p[a], g->prec);
            arb_mul(u, u, v, g->prec);
            arb_mul(res, res, u, g->prec);
        }
    }
    arb_clear(u);
    arb_clear(v);
}

/* PARALLEL mode: z_1 = sgn lambda z_0, one Gaussian u; u > 0 and u < 0. */
static void
expect_parallel(arb_t res, const _ntk_gauss_struct * g, const arb_struct * al_p,
                const arb_struct * al_m, const int * p)
{
    slong prec = g->prec;
    arb_t bp, bm, u, v;
    arb_init(bp);
    arb_init(bm);
    arb_init(u);
    arb_init(v);
    if (g->sgn > 0)
    {
        arb_set(bp, al_p + 1);
        arb_set(bm, al_m + 1);
        if (p[1] % 2)
            arb_neg(bm, bm);
    }
    else
    {
        arb_set(bp, al_m + 1);
        if (p[1] % 2)
            arb_neg(bp, bp);
        arb_set(bm, al_p + 1);
    }
    arb_mul(u, al_p + 0, bp, prec);
    arb_mul(v, al_m + 0, bm, prec);
    if (p[0] % 2)
        arb_sub(u, u, v, prec);
    else
        arb_add(u, u, v, prec);
    abs_moment(v, p[0] + p[1], g->act, prec);
    arb_mul(u, u, v, prec);
    arb_mul_2exp_si(u, u, -1);
    _ntk_gauss_scale(v, g, p[0], p[1]);
    arb_mul(res, u, v, prec);
    arb_clear(bp);
    arb_clear(bm);
    arb_clear(u);
    arb_clear(v);
}

/* GENERAL mode: the four quadrants, (+,+) P, (-,-) (-1)^(p0+p1) P, (+,-)
   (-1)^p1 Pc, (-,+) (-1)^p0 Pc, with Pc at pi - theta. */
static void
expect_general(arb_t res, _ntk_gauss_struct * g, const arb_struct * al_p, const arb_struct * al_m,
               const int * p)
{
    slong prec = g->prec;
    arb_t u, v;
    arb_init(u);
    arb_init(v);
    ensure_orthant(g);
    arb_mul(u, al_p + 0, al_p + 1, prec);
    arb_mul(v, al_m + 0, al_m + 1, prec);
    if ((p[0] + p[1]) % 2)
        arb_sub(u, u, v, prec);
    else
        arb_add(u, u, v, prec);
    arb_mul(res, u, &g->orth[p[0]][p[1]], prec);
    arb_mul(u, al_p + 0, al_m + 1, prec);
    if (p[1] % 2)
        arb_neg(u, u);
    arb_mul(v, al_m + 0, al_p + 1, prec);
    if (p[0] % 2)
        arb_neg(v, v);
    arb_add(u, u, v, prec);
    arb_addmul(res, u, &g->orthc[p[0]][p[1]], prec);
    _ntk_gauss_scale(v, g, p[0], p[1]);
    arb_mul(res, res, v, prec);
    arb_clear(u);
    arb_clear(v);
}

void
_ntk_gauss_expect(arb_t res, _ntk_gauss_struct * g, const int n[2][2])
{
    const _ntk_act_struct * act = g->act;
    int p[2] = { n[0][0], n[1][0] }, a;
    arb_struct al_p[2], al_m[2];
    if (g->mode == _NTK_GAUSS_GENERAL && two_point(res, g, n))
        return;
    for (a = 0; a < 2; a++)
    {
        arb_init(al_p + a);
        arb_init(al_m + a);
        factor_alpha(al_p + a, al_m + a, act, n[a][0], n[a][1], g->prec);
    }
    if (g->mode == _NTK_GAUSS_LINEAR)
    {
        gaussian_moment(res, g, p[0], p[1]);
        arb_mul(res, res, al_p + 0, g->prec);
        arb_mul(res, res, al_p + 1, g->prec);
    }
    else if (g->mode == _NTK_GAUSS_ZERO)
        expect_zero(res, g, al_p, al_m, p);
    else if (g->mode == _NTK_GAUSS_PARALLEL)
        expect_parallel(res, g, al_p, al_m, p);
    else
        expect_general(res, g, al_p, al_m, p);
    for (a = 0; a < 2; a++)
    {
        arb_clear(al_p + a);
        arb_clear(al_m + a);
    }
}

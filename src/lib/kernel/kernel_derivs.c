/* The derivatives of the two-point Gaussian integrals with respect to the
   covariance, the Stein vectors, and sin - theta cos (doc/derivation.md,
   section 16). */

#include "kernel/kernel.h"

void
_ntk_sin_minus_theta_cos(arb_t res, const arb_t theta, const arb_t sin, const arb_t cos,
                         slong prec)
{
    /* sum_{k >= 1} (-1)^(k+1) 2k theta^(2k+1) / (2k+1)!, alternating with
       decreasing terms for theta < 1: the first term left out bounds the
       error.  Without the series the difference of sin and theta cos loses
       2 log2(1/theta) bits, which matters where deep networks take the
       angle (about 3 pi / depth for ReLU). */
    arf_t ub;
    arf_init(ub);
    arb_get_ubound_arf(ub, theta, prec);
    if (arf_cmp_2exp_si(ub, -2) < 0 && arb_is_nonnegative(theta))
    {
        arb_t term, th2, sum;
        mag_t err, first, tm;
        slong k;
        arb_init(term);
        arb_init(th2);
        arb_init(sum);
        mag_init(err);
        mag_init(first);
        mag_init(tm);
        arb_sqr(th2, theta, prec);
        arb_mul(term, th2, theta, prec);
        arb_div_ui(term, term, 3, prec);          /* k = 1: 2 theta^3 / 3! */
        arb_get_mag(first, term);
        mag_mul_2exp_si(first, first, -prec - 8);
        arb_zero(sum);
        for (k = 1; ; k++)
        {
            /* term = 2k theta^(2k+1) / (2k+1)!; the terms alternate and decrease */
            arb_get_mag(tm, term);
            if (mag_cmp(tm, first) < 0 || mag_is_zero(tm))
            {
                mag_set(err, tm);
                break;
            }
            if (k % 2)
                arb_add(sum, sum, term, prec);
            else
                arb_sub(sum, sum, term, prec);
            /* next = term theta^2 (k+1) / (k (2k+2) (2k+3)) */
            arb_mul(term, term, th2, prec);
            arb_mul_ui(term, term, k + 1, prec);
            arb_div_ui(term, term, k * (2 * k + 2) * (2 * k + 3), prec);
        }
        arb_add_error_mag(sum, err);
        arb_swap(res, sum);
        arb_clear(term);
        arb_clear(th2);
        arb_clear(sum);
        mag_clear(err);
        mag_clear(first);
        mag_clear(tm);
    }
    else
    {
        arb_t tc;
        arb_init(tc);
        arb_mul(tc, theta, cos, prec);
        arb_sub(res, sin, tc, prec);
        arb_clear(tc);
    }
    arf_clear(ub);
}

/* grad and Hessian in (q0, c, q1) of f = (q0 q1)^(e/2) h(rho), rho = c/sqrt(q0
   q1), e = 0 or 1, from h, h', h'' at rho (doc/derivation.md, section 16). */
static void
chain_rule(arb_ptr grad, arb_ptr hess, const _ntk_gauss_struct * g, int e, const arb_t h,
           const arb_t h1, const arb_t h2)
{
    slong prec = g->prec;
    arb_t rho, al, D0, D0p, D1, D1p, t, f;
    int k;
    arb_init(rho);
    arb_init(al);
    arb_init(D0);
    arb_init(D0p);
    arb_init(D1);
    arb_init(D1p);
    arb_init(t);
    arb_init(f);
    arb_set(rho, g->cos);
    arb_set_si(al, e);
    arb_mul_2exp_si(al, al, -1);                   /* alpha = beta = e/2 */
    /* D = alpha h - rho h'/2, D' = (alpha - 1/2) h' - rho h''/2 */
    arb_mul(t, rho, h1, prec);
    arb_mul_2exp_si(t, t, -1);
    arb_mul(D0, al, h, prec);
    arb_sub(D0, D0, t, prec);
    arb_set(D1, D0);
    arb_mul_2exp_si(t, rho, -1);
    arb_mul(t, t, h2, prec);
    arb_set_si(f, e - 1);
    arb_mul_2exp_si(f, f, -1);                     /* alpha - 1/2 */
    arb_mul(D0p, f, h1, prec);
    arb_sub(D0p, D0p, t, prec);
    arb_set(D1p, D0p);
    /* first derivatives */
    _ntk_gauss_scale(f, g, e - 2, e);                         /* q0^(alpha-1) q1^beta */
    arb_mul(&grad[0], f, D0, prec);
    _ntk_gauss_scale(f, g, e, e - 2);
    arb_mul(&grad[2], f, D1, prec);
    _ntk_gauss_scale(f, g, e - 1, e - 1);
    arb_mul(&grad[1], f, h1, prec);
    /* second derivatives, row-major 3 x 3 */
    _ntk_gauss_scale(f, g, e - 2, e - 2);
    arb_mul(&hess[4], f, h2, prec);                /* d2/dc2 */
    _ntk_gauss_scale(f, g, e - 3, e - 1);
    arb_mul(&hess[1], f, D0p, prec);               /* d2/dq0 dc */
    _ntk_gauss_scale(f, g, e - 1, e - 3);
    arb_mul(&hess[5], f, D1p, prec);               /* d2/dc dq1 */
    /* d2/dq0^2 = q0^(alpha-2) q1^beta ((alpha-1) D0 - rho D0'/2) */
    arb_mul(t, rho, D0p, prec);
    arb_mul_2exp_si(t, t, -1);
    arb_set_si(f, e - 2);
    arb_mul_2exp_si(f, f, -1);
    arb_mul(f, f, D0, prec);
    arb_sub(f, f, t, prec);
    _ntk_gauss_scale(t, g, e - 4, e);
    arb_mul(&hess[0], f, t, prec);
    /* d2/dq1^2 likewise */
    arb_mul(t, rho, D1p, prec);
    arb_mul_2exp_si(t, t, -1);
    arb_set_si(f, e - 2);
    arb_mul_2exp_si(f, f, -1);
    arb_mul(f, f, D1, prec);
    arb_sub(f, f, t, prec);
    _ntk_gauss_scale(t, g, e, e - 4);
    arb_mul(&hess[8], f, t, prec);
    /* d2/dq0 dq1 = q0^(alpha-1) q1^(beta-1) (beta D0 - rho D0'/2) */
    arb_mul(t, rho, D0p, prec);
    arb_mul_2exp_si(t, t, -1);
    arb_mul(f, al, D0, prec);
    arb_sub(f, f, t, prec);
    _ntk_gauss_scale(t, g, e - 2, e - 2);
    arb_mul(&hess[2], f, t, prec);
    for (k = 0; k < 3; k++)
    {
        int i = k == 0 ? 1 : k == 1 ? 2 : 5, j = k == 0 ? 3 : k == 1 ? 6 : 7;
        arb_set(&hess[j], &hess[i]);
    }
    arb_clear(rho);
    arb_clear(al);
    arb_clear(D0);
    arb_clear(D0p);
    arb_clear(D1);
    arb_clear(D1p);
    arb_clear(t);
    arb_clear(f);
}

void
_ntk_gauss_derivs(arb_ptr grad, arb_ptr hess, _ntk_gauss_struct * g, int deriv, int a, int b)
{
    const _ntk_act_struct * act = g->act;
    slong prec = g->prec;
    int k;
    for (k = 0; k < 3; k++)
        arb_zero(&grad[k]);
    for (k = 0; k < 9; k++)
        arb_zero(&hess[k]);
    if (a == b)
    {
        /* E[sigma(z_a)^2] = A_2 q_a (a^2 q_a when linear); E[sigma'(z_a)^2] is constant */
        if (!deriv && !(g->mode == _NTK_GAUSS_ZERO && g->zero[a]))
        {
            if (g->mode == _NTK_GAUSS_LINEAR)
                arb_sqr(&grad[2 * a], act->ap, prec);
            else
                arb_set(&grad[2 * a], act->A2);
        }
        return;
    }
    if (g->mode == _NTK_GAUSS_LINEAR)
    {
        /* E[sigma(z_0) sigma(z_1)] = a^2 G_01; E[sigma' sigma'] = a^2 */
        if (!deriv)
            arb_sqr(&grad[1], act->ap, prec);
        return;
    }
    if (g->mode == _NTK_GAUSS_ZERO)
        return;          /* sigma(0) = 0; sigma'(0) sigma'(z) does not depend on G */
    if (g->mode == _NTK_GAUSS_PARALLEL)
    {
        /* along q_1 = lambda^2 q_0: E[sigma sigma] = lambda A_2 q_0 */
        if (!deriv)
        {
            arb_div(&grad[0], g->sq[1], g->sq[0], prec);
            arb_mul(&grad[0], &grad[0], act->A2, prec);
        }
        return;
    }
    {
        /* h(rho): sigma: k1 = A_2 cos + (2t^2/pi)(sin - theta cos), h' = k0,
           h'' = (2t^2/pi)/sin; sigma': k0 = A_2 - (2t^2/pi) theta,
           h' = (2t^2/pi)/sin, h'' = (2t^2/pi) cos/sin^3 */
        arb_t h, h1, h2, t;
        arb_init(h);
        arb_init(h1);
        arb_init(h2);
        arb_init(t);
        arb_div(h2, act->t2pi, g->sin, prec);
        if (!deriv)
        {
            arb_mul(h, act->A2, g->cos, prec);
            arb_addmul(h, act->t2pi, g->sm, prec);
            arb_mul(h1, act->t2pi, g->theta, prec);
            arb_sub(h1, act->A2, h1, prec);
        }
        else
        {
            arb_mul(h, act->t2pi, g->theta, prec);
            arb_sub(h, act->A2, h, prec);
            arb_set(h1, h2);
            arb_sqr(t, g->sin, prec);
            arb_div(h2, h2, t, prec);
            arb_mul(h2, h2, g->cos, prec);
        }
        chain_rule(grad, hess, g, deriv ? 0 : 1, h, h1, h2);
        arb_clear(h);
        arb_clear(h1);
        arb_clear(h2);
        arb_clear(t);
    }
}

void
_ntk_gauss_stein(arb_ptr res, _ntk_gauss_struct * g, int gamma, int a)
{
    const _ntk_act_struct * act = g->act;
    slong prec = g->prec;
    arb_zero(&res[0]);
    arb_zero(&res[1]);
    if (g->mode == _NTK_GAUSS_ZERO)
    {
        /* only the non-zero input's coordinate is ever contracted (the
           correlations of a zero input's activations are 0) */
        if (g->zero[gamma])
            return;
        if (gamma == a)
            arb_set(&res[a], act->A2);
        else if (g->zero[a])
            arb_mul(&res[gamma], act->am, act->s, prec);     /* sigma'(0) E[sigma'] */
        return;
    }
    if (gamma == a)
    {
        /* d/dz (sigma(z) sigma'(z)) = sigma'(z)^2 */
        if (g->mode == _NTK_GAUSS_LINEAR)
            arb_sqr(&res[a], act->ap, prec);
        else
            arb_set(&res[a], act->A2);
        return;
    }
    if (g->mode == _NTK_GAUSS_LINEAR)
    {
        arb_sqr(&res[gamma], act->ap, prec);
        return;
    }
    if (g->mode == _NTK_GAUSS_PARALLEL)
    {
        /* theta = 0: E[sigma'(z) sigma'(lambda z)] = A_2, and sigma(z_gamma) = 0 where z_a = 0 */
        arb_set(&res[gamma], act->A2);
        return;
    }
    /* E[sigma'(z_gamma) sigma'(z_a)] = k0(theta); E[sigma(z_gamma) sigma''(z_a)]
       = 2t E[sigma(z_gamma) delta(z_a)] = (2t^2/pi) sqrt(q_gamma/q_a) sin theta */
    arb_mul(&res[gamma], act->t2pi, g->theta, prec);
    arb_sub(&res[gamma], act->A2, &res[gamma], prec);
    arb_div(&res[a], g->sq[gamma], g->sq[a], prec);
    arb_mul(&res[a], &res[a], g->sin, prec);
    arb_mul(&res[a], &res[a], act->t2pi, prec);
}

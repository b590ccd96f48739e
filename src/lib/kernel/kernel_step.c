/* One layer of the two-input recursion (doc/derivation.md, section 16): the
   infinite-width map of (G, T, theta), and the linear map and source of the
   O(1/n) state (mean corrections, covariances, Phi, Psi). */

#include "kernel/kernel.h"

void
_ntk_iface_init(_ntk_iface_struct * f)
{
    int p;
    for (p = 0; p < 3; p++)
    {
        arb_init(&f->G[p]);
        arb_init(&f->T[p]);
    }
    arb_init(f->theta);
    f->mode = _NTK_GAUSS_GENERAL;
    f->sgn = 1;
}

void
_ntk_iface_clear(_ntk_iface_struct * f)
{
    int p;
    for (p = 0; p < 3; p++)
    {
        arb_clear(&f->G[p]);
        arb_clear(&f->T[p]);
    }
    arb_clear(f->theta);
}

/* the pairs 00, 01, 11 */
static const int pair_a[3] = { 0, 0, 1 }, pair_b[3] = { 0, 1, 1 };

static int
pair_of(int a, int b)
{
    return a + b;
}

slong
_ntk_kstate_cov(int u, int v)
{
    int i = FLINT_MIN(u, v), j = FLINT_MAX(u, v);
    return 6 + i * 6 - i * (i - 1) / 2 + (j - i);
}

/* Phi^p_{gamma delta}: symmetric for p = 00, 11 (3 entries), full for 01 (4) */
static slong
phi_index(int p, int gamma, int delta)
{
    if (p == 1)
        return 27 + 3 + 2 * gamma + delta;
    return 27 + (p == 0 ? 0 : 7) + gamma + delta;
}

static const int psi_tuple[8][4] = { {0,0,0,0}, {0,0,0,1}, {0,0,1,0}, {0,0,1,1},
                                     {0,1,0,1}, {0,1,1,0}, {0,1,1,1}, {1,1,1,1} };

slong
_ntk_kstate_psi(int a, int b, int c, int d)
{
    int k;
    for (k = 0; k < 8; k++)
        if (psi_tuple[k][0] == a && psi_tuple[k][1] == b && psi_tuple[k][2] == c
            && psi_tuple[k][3] == d)
            return 37 + k;
    return -1;
}

#define AT(A, i, j) ((A) + (i) * _NTK_KSTATE + (j))

/* The next angle from the current one's sine, cosine and sm = sin - theta
   cos: (1 -+ cos theta')/2 = sin^2(theta/2) -+ h, cos^2(theta/2) +- h with
   h = (t^2/(pi A_2)) sm, the half-angle squares taken from sin and cos
   without cancellation (sin^2/(2(1 +- cos)) on the side where 1 +- cos is
   not small); theta' = 2 asin (or 2 acos) of a square root: no acos near 1
   where deep networks take the angle.  Sets sin theta' = 2 sqrt(um up) too. */
static void
angle_map(arb_t res, arb_t sin_next, const arb_t sin, const arb_t cos, const arb_t sm,
          const _ntk_act_struct * act, slong prec)
{
    arb_t h, um, up, t;
    arb_init(h);
    arb_init(um);
    arb_init(up);
    arb_init(t);
    arb_mul(h, sm, act->t2pi, prec);
    arb_div(h, h, act->A2, prec);
    arb_mul_2exp_si(h, h, -1);
    arb_sqr(t, sin, prec);
    arb_mul_2exp_si(t, t, -1);
    if (arf_sgn(arb_midref(cos)) >= 0)
    {
        arb_add_ui(up, cos, 1, prec);
        arb_div(um, t, up, prec);                 /* sin^2(theta/2) */
        arb_mul_2exp_si(up, up, -1);              /* cos^2(theta/2) */
    }
    else
    {
        arb_sub_ui(um, cos, 1, prec);
        arb_neg(um, um);
        arb_div(up, t, um, prec);                 /* cos^2(theta/2) */
        arb_mul_2exp_si(um, um, -1);              /* sin^2(theta/2) */
    }
    arb_sub(um, um, h, prec);
    arb_add(up, up, h, prec);
    if (sin_next != NULL)
    {
        arb_mul(sin_next, um, up, prec);
        arb_sqrt(sin_next, sin_next, prec);
        arb_mul_2exp_si(sin_next, sin_next, 1);
    }
    if (arf_cmp(arb_midref(um), arb_midref(up)) <= 0)
    {
        arb_sqrt(um, um, prec);
        arb_asin(res, um, prec);
    }
    else
    {
        arb_sqrt(up, up, prec);
        arb_acos(res, up, prec);
    }
    arb_mul_2exp_si(res, res, 1);
    arb_clear(h);
    arb_clear(um);
    arb_clear(up);
    arb_clear(t);
}

void
_ntk_kernel_next_angle(arb_t res, const arb_t theta, const arb_t sin, const arb_t cos,
                       const arb_t sm, const _ntk_act_struct * act, slong prec)
{
    /* Evaluated on the ball, the map counts the radius of theta once per
       occurrence of theta (in sin, cos and sm) and loses about a bit per
       layer; so once the ball has lost 16 bits, the mean-value form: theta'
       at the midpoint of theta, widened by sup |d theta'/d theta| times the
       radius, d theta'/d theta = sin theta k0(theta) / (A_2 sin theta'). */
    arb_t crude, sn, mid, ms, mc, msm, d, t;
    mag_t r;
    if (mag_is_zero(arb_radref(theta)) || arb_rel_accuracy_bits(theta) >= prec - 16)
    {
        angle_map(res, NULL, sin, cos, sm, act, prec);
        return;
    }
    arb_init(crude);
    arb_init(sn);
    angle_map(crude, sn, sin, cos, sm, act, prec);
    arb_init(mid);
    arb_init(ms);
    arb_init(mc);
    arb_init(msm);
    arb_init(d);
    arb_init(t);
    mag_init(r);
    arb_set_arf(mid, arb_midref(theta));
    arb_sin_cos(ms, mc, mid, prec);
    _ntk_sin_minus_theta_cos(msm, mid, ms, mc, prec);
    angle_map(mid, NULL, ms, mc, msm, act, prec);
    arb_mul(t, act->t2pi, theta, prec);
    arb_sub(t, act->A2, t, prec);             /* k0 on the ball */
    arb_mul(d, sin, t, prec);
    arb_mul(t, sn, act->A2, prec);
    arb_div(d, d, t, prec);
    arb_get_mag(r, d);
    mag_mul(r, r, arb_radref(theta));
    arb_add_error_mag(mid, r);
    if (!arb_intersection(res, mid, crude, prec))
        arb_set(res, crude);
    arb_clear(crude);
    arb_clear(sn);
    arb_clear(mid);
    arb_clear(ms);
    arb_clear(mc);
    arb_clear(msm);
    arb_clear(d);
    arb_clear(t);
    mag_clear(r);
}

/* The integrals a layer needs; the expectations named by what they multiply. */
typedef struct
{
    arb_struct g[3], j[3];          /* E[sigma_a sigma_b], E[sigma'_a sigma'_b] */
    arb_struct dg[3][3], dj[3][3];  /* gradients */
    arb_struct hg[3][9], hj[3][9];  /* Hessians */
    arb_struct theta[3];            /* Theta_p = lb + mu G_p + T_p */
}
layer_ints_t;

static void
ints_init(layer_ints_t * L)
{
    int p, k;
    for (p = 0; p < 3; p++)
    {
        arb_init(&L->g[p]);
        arb_init(&L->j[p]);
        arb_init(&L->theta[p]);
        for (k = 0; k < 3; k++)
        {
            arb_init(&L->dg[p][k]);
            arb_init(&L->dj[p][k]);
        }
        for (k = 0; k < 9; k++)
        {
            arb_init(&L->hg[p][k]);
            arb_init(&L->hj[p][k]);
        }
    }
}

static void
ints_clear(layer_ints_t * L)
{
    int p, k;
    for (p = 0; p < 3; p++)
    {
        arb_clear(&L->g[p]);
        arb_clear(&L->j[p]);
        arb_clear(&L->theta[p]);
        for (k = 0; k < 3; k++)
        {
            arb_clear(&L->dg[p][k]);
            arb_clear(&L->dj[p][k]);
        }
        for (k = 0; k < 9; k++)
        {
            arb_clear(&L->hg[p][k]);
            arb_clear(&L->hj[p][k]);
        }
    }
}

/* E over the layer of sigma/sigma' at the listed inputs (kinds: 0 sigma, 1 sigma') */
static void
expect_list(arb_t res, _ntk_gauss_struct * g, int count, const int * kind, const int * input)
{
    int n[2][2] = { { 0, 0 }, { 0, 0 } }, k;
    for (k = 0; k < count; k++)
        n[input[k]][kind[k]]++;
    _ntk_gauss_expect(res, g, n);
}

static void
expect4(arb_t res, _ntk_gauss_struct * g, int k0, int i0, int k1, int i1, int k2, int i2,
        int k3, int i3)
{
    int kind[4] = { k0, k1, k2, k3 }, input[4] = { i0, i1, i2, i3 };
    expect_list(res, g, 4, kind, input);
}

/* The rows of the mean corrections: m1' = A m1 + (terms in C and Phi). */
static void
rows_mean(arb_ptr A, const layer_ints_t * L, const arb_t cp, const arb_t mu, slong prec)
{
    arb_t t;
    int p, i, k;
    arb_init(t);
    for (p = 0; p < 3; p++)
    {
        slong rg = _NTK_KM1(p), rt = _NTK_KM1(3 + p);
        for (i = 0; i < 3; i++)
        {
            arb_mul(t, cp, &L->dg[p][i], prec);
            arb_add(AT(A, rg, i), AT(A, rg, i), t, prec);
            arb_mul(t, cp, &L->dj[p][i], prec);
            arb_mul(t, t, &L->theta[p], prec);
            arb_add(AT(A, rt, i), AT(A, rt, i), t, prec);
            /* Cov(j(G), mu G_p + T_p) */
            arb_mul(t, cp, &L->dj[p][i], prec);
            arb_add(AT(A, rt, _ntk_kstate_cov(i, 3 + p)), AT(A, rt, _ntk_kstate_cov(i, 3 + p)), t,
                    prec);
            arb_mul(t, t, mu, prec);
            arb_add(AT(A, rt, _ntk_kstate_cov(i, p)), AT(A, rt, _ntk_kstate_cov(i, p)), t, prec);
            for (k = 0; k < 3; k++)
            {
                slong cv = _ntk_kstate_cov(i, k);
                arb_mul(t, cp, &L->hg[p][3 * i + k], prec);
                arb_mul_2exp_si(t, t, -1);
                arb_add(AT(A, rg, cv), AT(A, rg, cv), t, prec);
                arb_mul(t, cp, &L->hj[p][3 * i + k], prec);
                arb_mul(t, t, &L->theta[p], prec);
                arb_mul_2exp_si(t, t, -1);
                arb_add(AT(A, rt, cv), AT(A, rt, cv), t, prec);
            }
        }
        /* j_p (mu m1_G[p] + m1_T[p]) */
        arb_mul(t, cp, &L->j[p], prec);
        arb_add(AT(A, rt, _NTK_KM1(3 + p)), AT(A, rt, _NTK_KM1(3 + p)), t, prec);
        arb_mul(t, t, mu, prec);
        arb_add(AT(A, rt, _NTK_KM1(p)), AT(A, rt, _NTK_KM1(p)), t, prec);
        /* sum Phi_{gd} E[d_g d_d (sigma'_a sigma'_b)] = 2 Phi00 dj/dq0 + 2 Phi11 dj/dq1
           + (Phi01 + Phi10) dj/dc */
        arb_mul(t, cp, &L->dj[p][0], prec);
        arb_mul_2exp_si(t, t, 1);
        arb_add(AT(A, rt, phi_index(p, 0, 0)), AT(A, rt, phi_index(p, 0, 0)), t, prec);
        arb_mul(t, cp, &L->dj[p][2], prec);
        arb_mul_2exp_si(t, t, 1);
        arb_add(AT(A, rt, phi_index(p, 1, 1)), AT(A, rt, phi_index(p, 1, 1)), t, prec);
        arb_mul(t, cp, &L->dj[p][1], prec);
        arb_add(AT(A, rt, phi_index(p, 0, 1)), AT(A, rt, phi_index(p, 0, 1)), t, prec);
        arb_add(AT(A, rt, phi_index(p, 1, 0)), AT(A, rt, phi_index(p, 1, 0)), t, prec);
    }
    arb_clear(t);
}

/* The rows of the covariances: C' = J C J^T + S/n'. */
static void
rows_cov(arb_ptr A, arb_ptr b, _ntk_gauss_struct * g, const layer_ints_t * L, const arb_t cp,
         const arb_t mu, slong prec)
{
    arb_struct J[6][6];
    arb_t t, e, cp2;
    int u, v, i, k;
    arb_init(t);
    arb_init(e);
    arb_init(cp2);
    arb_sqr(cp2, cp, prec);
    for (u = 0; u < 6; u++)
        for (v = 0; v < 6; v++)
            arb_init(&J[u][v]);
    for (u = 0; u < 3; u++)
    {
        for (i = 0; i < 3; i++)
        {
            arb_mul(&J[u][i], cp, &L->dg[u][i], prec);
            arb_mul(&J[3 + u][i], cp, &L->dj[u][i], prec);
            arb_mul(&J[3 + u][i], &J[3 + u][i], &L->theta[u], prec);
        }
        arb_mul(t, cp, &L->j[u], prec);
        arb_set(&J[3 + u][3 + u], t);
        arb_addmul(&J[3 + u][u], t, mu, prec);
    }
    for (u = 0; u < 6; u++)
        for (v = u; v < 6; v++)
        {
            slong row = _ntk_kstate_cov(u, v);
            for (i = 0; i < 6; i++)
            {
                if (arb_is_zero(&J[u][i]))
                    continue;
                for (k = 0; k < 6; k++)
                {
                    if (arb_is_zero(&J[v][k]))
                        continue;
                    arb_addmul(AT(A, row, _ntk_kstate_cov(i, k)), &J[u][i], &J[v][k], prec);
                }
            }
            /* the source: cp^2 Cov over one neuron of the two variables */
            {
                int pu = u % 3, pv = v % 3, du = u / 3, dv = v / 3;
                const arb_struct * mu_u = du ? &L->j[pu] : &L->g[pu];
                const arb_struct * mu_v = dv ? &L->j[pv] : &L->g[pv];
                expect4(e, g, du, pair_a[pu], du, pair_b[pu], dv, pair_a[pv], dv, pair_b[pv]);
                arb_submul(e, mu_u, mu_v, prec);
                if (du)
                    arb_mul(e, e, &L->theta[pu], prec);
                if (dv)
                    arb_mul(e, e, &L->theta[pv], prec);
                arb_mul(&b[row], e, cp2, prec);
            }
        }
    for (u = 0; u < 6; u++)
        for (v = 0; v < 6; v++)
            arb_clear(&J[u][v]);
    arb_clear(t);
    arb_clear(e);
    arb_clear(cp2);
}

/* The rows of Phi and Psi. */
static void
rows_phi_psi(arb_ptr A, arb_ptr b, _ntk_gauss_struct * g, const layer_ints_t * L,
             const arb_t cp, slong prec)
{
    arb_struct e[2][2][2];         /* e[gamma][a] = E[grad (sigma_gamma sigma'_a)] */
    arb_t t, cp2;
    int p, gm, dl, ep, ze, a, k;
    arb_init(t);
    arb_init(cp2);
    arb_sqr(cp2, cp, prec);
    for (gm = 0; gm < 2; gm++)
        for (a = 0; a < 2; a++)
        {
            arb_init(&e[gm][a][0]);
            arb_init(&e[gm][a][1]);
            _ntk_gauss_stein(e[gm][a], g, gm, a);
        }
    for (p = 0; p < 3; p++)
    {
        int pa = pair_a[p], pb = pair_b[p];
        for (gm = 0; gm < 2; gm++)
            for (dl = (p == 1 ? 0 : gm); dl < 2; dl++)
            {
                slong row = phi_index(p, gm, dl);
                for (ep = 0; ep < 2; ep++)
                    for (ze = 0; ze < 2; ze++)
                    {
                        arb_mul(t, &e[gm][pa][ep], &e[dl][pb][ze], prec);
                        if (arb_is_zero(t))
                            continue;
                        arb_mul(t, t, cp2, prec);
                        arb_add(AT(A, row, phi_index(p, ep, ze)), AT(A, row, phi_index(p, ep, ze)),
                                t, prec);
                    }
                expect4(t, g, 0, gm, 1, pa, 1, pb, 0, dl);
                arb_mul(t, t, &L->theta[p], prec);
                arb_mul(&b[row], t, cp2, prec);
            }
    }
    for (k = 0; k < 8; k++)
    {
        const int * q = psi_tuple[k];
        slong row = 37 + k;
        arb_mul(t, &L->j[pair_of(q[0], q[3])], &L->j[pair_of(q[1], q[2])], prec);
        arb_mul(AT(A, row, row), t, cp2, prec);
        expect4(t, g, 1, q[0], 1, q[1], 1, q[2], 1, q[3]);
        arb_mul(t, t, &L->theta[pair_of(q[0], q[1])], prec);
        arb_mul(t, t, &L->theta[pair_of(q[2], q[3])], prec);
        arb_mul(&b[row], t, cp2, prec);
    }
    for (gm = 0; gm < 2; gm++)
        for (a = 0; a < 2; a++)
        {
            arb_clear(&e[gm][a][0]);
            arb_clear(&e[gm][a][1]);
        }
    arb_clear(t);
    arb_clear(cp2);
}

/* The infinite width alone, GENERAL mode: the two-point integrals in closed
   form (E[sigma_a^2] = A_2 q_a, E[sigma'_a^2] = A_2; k1, k0 for 01). */
static void
infinite_step(_ntk_iface_struct * next, const _ntk_iface_struct * cur, const _ntk_gauss_struct * g,
              layer_ints_t * L, const arb_t cp, const arb_t mu, int lb, _ntk_gauss_mode_t next_mode,
              slong prec)
{
    const _ntk_act_struct * act = g->act;
    arb_struct * th = L->theta;
    int p;
    for (p = 0; p < 3; p++)
    {
        arb_mul(th + p, mu, &cur->G[p], prec);
        arb_add(th + p, th + p, &cur->T[p], prec);
        arb_add_si(th + p, th + p, lb, prec);
    }
    arb_mul(&L->g[0], cp, act->A2, prec);                  /* c' A_2 */
    arb_mul(&next->G[0], &L->g[0], &cur->G[0], prec);
    arb_mul(&next->G[2], &L->g[0], &cur->G[2], prec);
    arb_mul(&next->T[0], &L->g[0], th + 0, prec);
    arb_mul(&next->T[2], &L->g[0], th + 2, prec);
    arb_mul(&L->g[1], g->sm, act->t2pi, prec);
    arb_addmul(&L->g[1], act->A2, g->cos, prec);           /* k1 */
    arb_mul(&L->g[1], &L->g[1], g->sq[0], prec);
    arb_mul(&L->g[1], &L->g[1], g->sq[1], prec);
    arb_mul(&next->G[1], cp, &L->g[1], prec);
    arb_mul(&L->j[1], act->t2pi, g->theta, prec);
    arb_sub(&L->j[1], act->A2, &L->j[1], prec);             /* k0 */
    arb_mul(&next->T[1], cp, &L->j[1], prec);
    arb_mul(&next->T[1], &next->T[1], th + 1, prec);
    next->mode = next_mode;
    next->sgn = 1;
    if (next_mode == _NTK_GAUSS_GENERAL)
        _ntk_kernel_next_angle(next->theta, cur->theta, g->sin, g->cos, g->sm, g->act, prec);
    else
        arb_zero(next->theta);
}

void
_ntk_kernel_step(_ntk_iface_struct * next, arb_ptr A, arb_ptr b, const _ntk_iface_struct * cur,
                 _ntk_gauss_struct * g, const arb_t cp, const arb_t mu, int lb,
                 _ntk_gauss_mode_t next_mode, slong prec)
{
    layer_ints_t L;
    int p;
    ints_init(&L);
    _ntk_gauss_set(g, cur->mode, cur->sgn, &cur->G[0], &cur->G[2], &cur->G[1], cur->theta);
    if (A == NULL && cur->mode == _NTK_GAUSS_GENERAL)
    {
        infinite_step(next, cur, g, &L, cp, mu, lb, next_mode, prec);
        ints_clear(&L);
        return;
    }
    for (p = 0; p < 3; p++)
    {
        int n_g[2][2] = { { 0, 0 }, { 0, 0 } }, n_j[2][2] = { { 0, 0 }, { 0, 0 } };
        n_g[pair_a[p]][0]++;
        n_g[pair_b[p]][0]++;
        n_j[pair_a[p]][1]++;
        n_j[pair_b[p]][1]++;
        _ntk_gauss_expect(&L.g[p], g, n_g);
        _ntk_gauss_expect(&L.j[p], g, n_j);
        arb_mul(&L.theta[p], mu, &cur->G[p], prec);
        arb_add(&L.theta[p], &L.theta[p], &cur->T[p], prec);
        arb_add_si(&L.theta[p], &L.theta[p], lb, prec);
        arb_mul(&next->G[p], cp, &L.g[p], prec);
        arb_mul(&next->T[p], cp, &L.j[p], prec);
        arb_mul(&next->T[p], &next->T[p], &L.theta[p], prec);
    }
    next->mode = next_mode;
    next->sgn = 1;
    if (next_mode == _NTK_GAUSS_GENERAL)
    {
        if (cur->mode == _NTK_GAUSS_GENERAL)
            _ntk_kernel_next_angle(next->theta, cur->theta, g->sin, g->cos, g->sm, g->act, prec);
        else
        {
            /* from theta = pi (the input x' = -lambda x): cos theta' = (t^2 - s^2)/A_2,
               theta' = 2 asin(|s|/sqrt(A_2)) */
            arb_t u;
            arb_init(u);
            arb_sqr(u, g->act->s, prec);
            arb_div(u, u, g->act->A2, prec);
            arb_sqrt(u, u, prec);
            arb_asin(next->theta, u, prec);
            arb_mul_2exp_si(next->theta, next->theta, 1);
            arb_clear(u);
        }
    }
    else
        arb_zero(next->theta);
    if (A != NULL)
    {
        slong k;
        for (k = 0; k < _NTK_KSTATE * _NTK_KSTATE; k++)
            arb_zero(A + k);
        for (k = 0; k < _NTK_KSTATE; k++)
            arb_zero(b + k);
        for (p = 0; p < 3; p++)
        {
            _ntk_gauss_derivs(L.dg[p], L.hg[p], g, 0, pair_a[p], pair_b[p]);
            _ntk_gauss_derivs(L.dj[p], L.hj[p], g, 1, pair_a[p], pair_b[p]);
        }
        rows_mean(A, &L, cp, mu, prec);
        rows_cov(A, b, g, &L, cp, mu, prec);
        rows_phi_psi(A, b, g, &L, cp, prec);
    }
    ints_clear(&L);
}

void
_ntk_kernel_output(arb_ptr w, const arb_t mu)
{
    /* E[K_p] = mu m1_G[p] + m1_T[p]; E[N N'] = m1_G[01];
       Cov(K_p, K_r) = Cov(mu G_p + T_p, mu G_r + T_r) + Psi(p; r) + Psi(p; r reversed) */
    static const int cov_pairs[6][2] = { { 1, 1 }, { 0, 2 }, { 0, 0 }, { 2, 2 }, { 0, 1 }, { 1, 2 } };
    slong prec = 2 * arb_bits(mu) + 64;
    arb_t mu2;
    int q;
    arb_init(mu2);
    arb_sqr(mu2, mu, prec);
    _arb_vec_zero(w, NTK_KERNEL_N_COEFFS * _NTK_KSTATE);
    /* NTK_KERNEL_E_KXY, NTK_KERNEL_E_NXNY */
    arb_set(w + NTK_KERNEL_E_KXY * _NTK_KSTATE + _NTK_KM1(1), mu);
    arb_one(w + NTK_KERNEL_E_KXY * _NTK_KSTATE + _NTK_KM1(4));
    arb_one(w + NTK_KERNEL_E_NXNY * _NTK_KSTATE + _NTK_KM1(1));
    for (q = 0; q < 6; q++)
    {
        static const ntk_kernel_coeff_t which[6] = { NTK_KERNEL_VAR_KXY, NTK_KERNEL_COV_KXX_KYY,
            NTK_KERNEL_VAR_KXX, NTK_KERNEL_VAR_KYY, NTK_KERNEL_COV_KXX_KXY, NTK_KERNEL_COV_KXY_KYY };
        arb_ptr v = w + which[q] * _NTK_KSTATE;
        int p = cov_pairs[q][0], r = cov_pairs[q][1];
        arb_add(v + _ntk_kstate_cov(p, r), v + _ntk_kstate_cov(p, r), mu2, prec);
        arb_add(v + _ntk_kstate_cov(p, 3 + r), v + _ntk_kstate_cov(p, 3 + r), mu, prec);
        arb_add(v + _ntk_kstate_cov(3 + p, r), v + _ntk_kstate_cov(3 + p, r), mu, prec);
        arb_add_ui(v + _ntk_kstate_cov(3 + p, 3 + r), v + _ntk_kstate_cov(3 + p, 3 + r), 1, prec);
        arb_add_ui(v + _ntk_kstate_psi(pair_a[p], pair_b[p], pair_a[r], pair_b[r]),
                   v + _ntk_kstate_psi(pair_a[p], pair_b[p], pair_a[r], pair_b[r]), 1, prec);
        arb_add_ui(v + _ntk_kstate_psi(pair_a[p], pair_b[p], pair_b[r], pair_a[r]),
                   v + _ntk_kstate_psi(pair_a[p], pair_b[p], pair_b[r], pair_a[r]), 1, prec);
    }
    arb_clear(mu2);
}

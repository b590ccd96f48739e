/* The NTK of two inputs: the infinite-width kernels and the 1/n_l
   coefficients of the moments of K(x, x'), by a pass up the layers and one
   back down (doc/derivation.md, section 16). */

#include <string.h>
#include "base/error.h"
#include "base/progress.h"
#include "kernel/kernel.h"

static const char * const coeff_names[NTK_KERNEL_N_COEFFS] = { "E_Kxy", "Var_Kxy", "Cov_Kxx_Kyy",
    "E_NxNy", "Var_Kxx", "Var_Kyy", "Cov_Kxx_Kxy", "Cov_Kxy_Kyy" };

const char *
ntk_kernel_coeff_name(ntk_kernel_coeff_t q)
{
    return (int) q >= 0 && q < NTK_KERNEL_N_COEFFS ? coeff_names[q] : "?";
}

void
ntk_kernel_init(ntk_kernel_t k)
{
    int p;
    if (k == NULL)
        return;
    memset(k, 0, sizeof(ntk_kernel_struct));
    for (p = 0; p < 3; p++)
    {
        arb_init(&k->theta[p]);
        arb_init(&k->sigma[p]);
    }
    for (p = 0; p < NTK_KERNEL_N_COEFFS; p++)
    {
        arb_init(&k->coeff_sum[p]);
        arb_init(&k->first_order[p]);
        k->coeff[p] = NULL;
    }
}

static void
coeffs_free(ntk_kernel_t k)
{
    int q;
    for (q = 0; q < NTK_KERNEL_N_COEFFS; q++)
    {
        if (k->coeff[q] != NULL)
            _arb_vec_clear(k->coeff[q], k->n_hidden);
        k->coeff[q] = NULL;
    }
}

void
ntk_kernel_clear(ntk_kernel_t k)
{
    int p;
    if (k == NULL)
        return;
    coeffs_free(k);
    for (p = 0; p < 3; p++)
    {
        arb_clear(&k->theta[p]);
        arb_clear(&k->sigma[p]);
    }
    for (p = 0; p < NTK_KERNEL_N_COEFFS; p++)
    {
        arb_clear(&k->coeff_sum[p]);
        arb_clear(&k->first_order[p]);
    }
    ntk_kernel_init(k);        /* arb_init allocates nothing */
}

ntk_status_t
ntk_kernel_check_inputs(const fmpq_t x2, const fmpq_t y2, const fmpq_t xy, ntk_error_t * err)
{
    fmpq_t lhs, rhs;
    int ok;
    if (x2 == NULL || y2 == NULL || xy == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, "x2", "x2: NULL argument");
    if (fmpq_sgn(x2) < 0)
        return _ntk_error_set(err, NTK_ERR_RANGE, "x2", "x2: the squared norm |x|^2 must be >= 0");
    if (fmpq_sgn(y2) < 0)
        return _ntk_error_set(err, NTK_ERR_RANGE, "y2", "y2: the squared norm |x'|^2 must be >= 0");
    fmpq_init(lhs);
    fmpq_init(rhs);
    fmpq_mul(lhs, xy, xy);
    fmpq_mul(rhs, x2, y2);
    ok = fmpq_cmp(lhs, rhs) <= 0;
    fmpq_clear(lhs);
    fmpq_clear(rhs);
    if (!ok)
        return _ntk_error_set(err, NTK_ERR_RANGE, "xy",
            "xy: no two vectors have these Gram entries: (x.x')^2 > |x|^2 |x'|^2 (Cauchy-Schwarz)");
    return NTK_OK;
}

/* The inputs' geometry, decided exactly: which degenerate case the networks
   are in at every layer after the first. */
typedef struct
{
    _ntk_gauss_mode_t first, later;   /* interface 0, interfaces >= 1 */
    int first_sgn;
}
geometry_t;

static geometry_t
geometry(const fmpq_t x2, const fmpq_t y2, const fmpq_t xy, const _ntk_act_struct * act)
{
    geometry_t geo;
    fmpq_t lhs, rhs;
    int parallel;
    geo.first_sgn = 1;
    if (act->linear)
    {
        geo.first = geo.later = _NTK_GAUSS_LINEAR;
        return geo;
    }
    if (fmpq_is_zero(x2) || fmpq_is_zero(y2))
    {
        geo.first = geo.later = _NTK_GAUSS_ZERO;
        return geo;
    }
    fmpq_init(lhs);
    fmpq_init(rhs);
    fmpq_mul(lhs, xy, xy);
    fmpq_mul(rhs, x2, y2);
    parallel = fmpq_equal(lhs, rhs);
    fmpq_clear(lhs);
    fmpq_clear(rhs);
    if (!parallel)
        geo.first = geo.later = _NTK_GAUSS_GENERAL;
    else
    {
        geo.first = _NTK_GAUSS_PARALLEL;
        geo.first_sgn = fmpq_sgn(xy) > 0 ? 1 : -1;
        /* x' = -lambda x stays antiparallel for no nonlinear sigma; an even
           one (|x|) makes it parallel, the others general */
        geo.later = geo.first_sgn > 0 || act->even ? _NTK_GAUSS_PARALLEL : _NTK_GAUSS_GENERAL;
    }
    return geo;
}

/* c_l and the weight factor mu_l (1, or n_{l-1}/c_l in the standard
   parametrization) of layer l = 1..d. */
static void
layer_c(arb_t res, const ntk_profile_t p, const ntk_conv_struct * conv, slong l, slong prec)
{
    arb_set_fmpq(res, l == ntk_profile_depth(p) ? conv->cw_output : conv->cw_hidden, prec);
}

static void
layer_mu(arb_t res, const ntk_profile_t p, const ntk_conv_struct * conv, slong l, slong prec)
{
    if (conv->param == NTK_PARAM_NTK)
        arb_one(res);
    else
    {
        arb_t c;
        arb_init(c);
        layer_c(c, p, conv, l, prec);
        arb_set_ui(res, ntk_profile_width(p, l - 1));
        arb_div(res, res, c, prec);
        arb_clear(c);
    }
}

/* Interface 0: G = (c_1/n_0) X, T = 0, theta from the exact Gram entries. */
static void
first_interface(_ntk_iface_struct * f, const ntk_profile_t p, const ntk_conv_struct * conv,
                const fmpq_t x2, const fmpq_t y2, const fmpq_t xy, const geometry_t * geo,
                slong prec)
{
    arb_t c1, t;
    fmpq_t d;
    int q;
    arb_init(c1);
    arb_init(t);
    fmpq_init(d);
    layer_c(c1, p, conv, 1, prec);
    arb_div_ui(c1, c1, ntk_profile_width(p, 0), prec);
    arb_set_fmpq(&f->G[0], x2, prec);
    arb_set_fmpq(&f->G[1], xy, prec);
    arb_set_fmpq(&f->G[2], y2, prec);
    for (q = 0; q < 3; q++)
    {
        arb_mul(&f->G[q], &f->G[q], c1, prec);
        arb_zero(&f->T[q]);
    }
    f->mode = geo->first;
    f->sgn = geo->first_sgn;
    arb_zero(f->theta);
    if (geo->first == _NTK_GAUSS_GENERAL)
    {
        /* theta = atan2(sqrt(x2 y2 - xy^2), xy): the difference is exact */
        fmpq_mul(d, x2, y2);
        fmpq_submul(d, xy, xy);
        arb_set_fmpq(t, d, prec);
        arb_sqrt(t, t, prec);
        arb_set_fmpq(c1, xy, prec);
        arb_atan2(f->theta, t, c1, prec);
    }
    arb_clear(c1);
    arb_clear(t);
    fmpq_clear(d);
}

ntk_status_t
_ntk_kernel_check(const ntk_profile_t p, const fmpq_t x2, const fmpq_t y2, const fmpq_t xy,
                  const ntk_conv_t conv, ntk_error_t * err)
{
    ntk_status_t status;
    if (p == NULL || conv == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, "", "kernel: NULL argument");
    if ((status = ntk_conv_validate(conv, err)) != NTK_OK)
        return status;
    if (!fmpq_equal_si((fmpq *) conv->mu4, 3))
        return _ntk_error_set(err, NTK_ERR_RANGE, "mu4",
            "mu4: two inputs need Gaussian weights (mu4 = 3): with another law the first layer's "
            "pre-activations are not Gaussian (n_0 is finite), and the kernel depends on the law "
            "beyond mu4 and on the inputs' coordinates");
    if (ntk_profile_depth(p) < 1)
        return _ntk_error_set(err, NTK_ERR_RANGE, "widths", "widths: the profile is not set");
    if (ntk_profile_depth(p) > NTK_KERNEL_DEPTH_MAX)
        return _ntk_error_set(err, NTK_ERR_RANGE, "widths",
                              "widths: the depth is at most %ld for two inputs",
                              (long) NTK_KERNEL_DEPTH_MAX);
    return ntk_kernel_check_inputs(x2, y2, xy, err);
}

/* y <- A x + b weight, skipping A's zeros (most of it). */
static void
apply_step(arb_ptr y, const arb_struct * A, arb_srcptr x, arb_srcptr b, const arb_t weight,
           slong prec)
{
    slong i, j;
    for (i = 0; i < _NTK_KSTATE; i++)
    {
        arb_mul(y + i, b + i, weight, prec);
        for (j = 0; j < _NTK_KSTATE; j++)
            if (!arb_is_zero(A + i * _NTK_KSTATE + j) && !arb_is_zero(x + j))
                arb_addmul(y + i, A + i * _NTK_KSTATE + j, x + j, prec);
    }
}

/* lam2[q] <- A^T lam[q] for every functional q. */
static void
apply_transpose(arb_ptr lam2, const arb_struct * A, arb_srcptr lam, slong prec)
{
    slong i, j;
    int q;
    _arb_vec_zero(lam2, NTK_KERNEL_N_COEFFS * _NTK_KSTATE);
    for (i = 0; i < _NTK_KSTATE; i++)
        for (j = 0; j < _NTK_KSTATE; j++)
        {
            const arb_struct * a = A + i * _NTK_KSTATE + j;
            if (arb_is_zero(a))
                continue;
            for (q = 0; q < NTK_KERNEL_N_COEFFS; q++)
                if (!arb_is_zero(lam + q * _NTK_KSTATE + i))
                    arb_addmul(lam2 + q * _NTK_KSTATE + j, a, lam + q * _NTK_KSTATE + i, prec);
        }
}

/* The pass, from the input up; for PER_LAYER the interfaces are kept and a
   second pass goes back down: the coefficient of 1/n_l is lambda . b with
   lambda the output functionals pulled back through the layers above
   (lambda <- A^T lambda).  Otherwise the O(1/n) state goes up with the
   infinite-width values, twice: with the sources weighted by 1 (the sums of
   the coefficients) and by 1/n_l (the first order at the profile's widths). */
typedef struct
{
    const ntk_profile_struct * p;
    const ntk_conv_struct * conv;
    _ntk_gauss_struct * g;
    geometry_t geo;
    slong prec;
    int lb;
    arb_ptr A, b;
    arb_t cp, mu;
    _ntk_progress_t * progress;     /* may be NULL */
    slong steps;
}
pass_t;

static void
pass_init(pass_t * P, const ntk_profile_t p, const ntk_conv_struct * conv, _ntk_gauss_struct * g,
          const geometry_t * geo, int need_A, slong prec)
{
    P->p = p;
    P->conv = conv;
    P->g = g;
    P->geo = *geo;
    P->prec = prec;
    P->lb = conv->bias ? 1 : 0;
    P->A = need_A ? _arb_vec_init(_NTK_KSTATE * _NTK_KSTATE) : NULL;
    P->b = need_A ? _arb_vec_init(_NTK_KSTATE) : NULL;
    arb_init(P->cp);
    arb_init(P->mu);
    P->progress = NULL;
    P->steps = 0;
}

static void
pass_clear(pass_t * P)
{
    if (P->A != NULL)
    {
        _arb_vec_clear(P->A, _NTK_KSTATE * _NTK_KSTATE);
        _arb_vec_clear(P->b, _NTK_KSTATE);
    }
    arb_clear(P->cp);
    arb_clear(P->mu);
}

/* The step s -> s + 1 (making layer s + 1), with A and b when with_map;
   non-zero when the progress callback asks to stop (asked every 64 steps). */
static int
pass_step(pass_t * P, _ntk_iface_struct * next, const _ntk_iface_struct * cur, slong s,
          int with_map)
{
    layer_c(P->cp, P->p, P->conv, s + 2, P->prec);
    layer_mu(P->mu, P->p, P->conv, s + 1, P->prec);
    _ntk_kernel_step(next, with_map ? P->A : NULL, with_map ? P->b : NULL, cur, P->g, P->cp,
                     P->mu, P->lb, P->geo.later, P->prec);
    return ++P->steps % 64 == 0 && _ntk_progress_add(P->progress, 64);
}

static int
backward(ntk_kernel_t k, const _ntk_iface_struct * ifs, pass_t * P)
{
    slong d = ntk_profile_depth(P->p), s;
    int q, stop = 0;
    arb_ptr lam = _arb_vec_init(NTK_KERNEL_N_COEFFS * _NTK_KSTATE);
    arb_ptr lam2 = _arb_vec_init(NTK_KERNEL_N_COEFFS * _NTK_KSTATE);
    _ntk_iface_struct next;
    _ntk_iface_init(&next);
    layer_mu(P->mu, P->p, P->conv, d, P->prec);
    _ntk_kernel_output(lam, P->mu);
    for (s = d - 2; s >= 0 && !stop; s--)
    {
        stop = pass_step(P, &next, ifs + s, s, 1);
        for (q = 0; q < NTK_KERNEL_N_COEFFS; q++)
            arb_dot(k->coeff[q] + s, NULL, 0, lam + q * _NTK_KSTATE, 1, P->b, 1, _NTK_KSTATE,
                    P->prec);
        if (s > 0)          /* interface 0 has no O(1/n) part */
        {
            apply_transpose(lam2, P->A, lam, P->prec);
            _arb_vec_swap(lam, lam2, NTK_KERNEL_N_COEFFS * _NTK_KSTATE);
        }
    }
    for (q = 0; q < NTK_KERNEL_N_COEFFS; q++)
        for (s = 0; s < d - 1; s++)
        {
            arb_t t;
            arb_init(t);
            arb_add(&k->coeff_sum[q], &k->coeff_sum[q], k->coeff[q] + s, P->prec);
            arb_div_ui(t, k->coeff[q] + s, ntk_profile_width(P->p, s + 1), P->prec);
            arb_add(&k->first_order[q], &k->first_order[q], t, P->prec);
            arb_clear(t);
        }
    _ntk_iface_clear(&next);
    _arb_vec_clear(lam, NTK_KERNEL_N_COEFFS * _NTK_KSTATE);
    _arb_vec_clear(lam2, NTK_KERNEL_N_COEFFS * _NTK_KSTATE);
    return stop;
}

/* The infinite-width values at the last interface. */
static void
set_output(ntk_kernel_t k, const _ntk_iface_struct * last, pass_t * P)
{
    int q;
    layer_mu(P->mu, P->p, P->conv, ntk_profile_depth(P->p), P->prec);
    for (q = 0; q < 3; q++)
    {
        arb_set(&k->sigma[q], &last->G[q]);
        arb_mul(&k->theta[q], P->mu, &last->G[q], P->prec);
        arb_add(&k->theta[q], &k->theta[q], &last->T[q], P->prec);
        arb_add_si(&k->theta[q], &k->theta[q], P->lb, P->prec);
    }
}

/* The pass up with the O(1/n) state (FIRST_ORDER). */
static int
forward_corrections(ntk_kernel_t k, _ntk_iface_struct * ifs, pass_t * P)
{
    slong d = ntk_profile_depth(P->p), s;
    int q, v, stop = 0;
    arb_ptr x[2], y = _arb_vec_init(_NTK_KSTATE), w = _arb_vec_init(NTK_KERNEL_N_COEFFS * _NTK_KSTATE);
    arb_t weight;
    arb_init(weight);
    x[0] = _arb_vec_init(_NTK_KSTATE);
    x[1] = _arb_vec_init(_NTK_KSTATE);
    for (s = 0; s + 1 < d && !stop; s++)
    {
        stop = pass_step(P, ifs + (s + 1) % 2, ifs + s % 2, s, 1);
        for (v = 0; v < 2; v++)
        {
            if (v == 0)
                arb_one(weight);
            else
            {
                arb_one(weight);
                arb_div_ui(weight, weight, ntk_profile_width(P->p, s + 1), P->prec);
            }
            apply_step(y, P->A, x[v], P->b, weight, P->prec);
            _arb_vec_swap(x[v], y, _NTK_KSTATE);
        }
    }
    set_output(k, ifs + (d - 1) % 2, P);
    layer_mu(P->mu, P->p, P->conv, d, P->prec);
    _ntk_kernel_output(w, P->mu);
    for (q = 0; q < NTK_KERNEL_N_COEFFS; q++)
    {
        arb_dot(&k->coeff_sum[q], NULL, 0, w + q * _NTK_KSTATE, 1, x[0], 1, _NTK_KSTATE, P->prec);
        arb_dot(&k->first_order[q], NULL, 0, w + q * _NTK_KSTATE, 1, x[1], 1, _NTK_KSTATE,
                P->prec);
    }
    _arb_vec_clear(x[0], _NTK_KSTATE);
    _arb_vec_clear(x[1], _NTK_KSTATE);
    _arb_vec_clear(y, _NTK_KSTATE);
    _arb_vec_clear(w, NTK_KERNEL_N_COEFFS * _NTK_KSTATE);
    arb_clear(weight);
    return stop;
}

ntk_status_t
_ntk_kernel_compute(ntk_kernel_t k, const ntk_profile_t p, const fmpq_t x2, const fmpq_t y2,
                    const fmpq_t xy, const ntk_conv_t conv, ntk_kernel_what_t what, slong prec,
                    const ntk_exec_struct * exec)
{
    slong d = ntk_profile_depth(p), s;
    int q, stop = 0;
    _ntk_act_struct act;
    _ntk_gauss_struct g;
    _ntk_iface_struct * ifs;
    _ntk_progress_t progress;
    geometry_t geo;
    pass_t P;
    slong kept = what == NTK_KERNEL_PER_LAYER ? d : 2;
    ifs = flint_malloc(kept * sizeof(_ntk_iface_struct));
    for (s = 0; s < kept; s++)
        _ntk_iface_init(ifs + s);
    _ntk_act_init(&act, conv, prec);
    _ntk_gauss_init(&g, &act, prec);
    geo = geometry(x2, y2, xy, &act);
    pass_init(&P, p, conv, &g, &geo, what != NTK_KERNEL_INFINITE, prec);
    if (exec != NULL)
    {
        _ntk_progress_init(&progress, exec, (what == NTK_KERNEL_PER_LAYER ? 2 : 1) * (d - 1));
        P.progress = &progress;
    }
    coeffs_free(k);
    k->n_hidden = d - 1;
    k->what = what;
    for (q = 0; q < NTK_KERNEL_N_COEFFS; q++)
    {
        arb_zero(&k->coeff_sum[q]);
        arb_zero(&k->first_order[q]);
    }
    first_interface(ifs, p, conv, x2, y2, xy, &geo, prec);
    if (what == NTK_KERNEL_FIRST_ORDER)
        stop = forward_corrections(k, ifs, &P);
    else if (what == NTK_KERNEL_PER_LAYER)
    {
        for (s = 0; s + 1 < d && !stop; s++)
            stop = pass_step(&P, ifs + s + 1, ifs + s, s, 0);
        set_output(k, ifs + d - 1, &P);
        for (q = 0; q < NTK_KERNEL_N_COEFFS && d > 1; q++)
            k->coeff[q] = _arb_vec_init(d - 1);
        if (d > 1 && !stop)
            stop = backward(k, ifs, &P);
    }
    else
    {
        for (s = 0; s + 1 < d && !stop; s++)
            stop = pass_step(&P, ifs + (s + 1) % 2, ifs + s % 2, s, 0);
        set_output(k, ifs + (d - 1) % 2, &P);
    }
    if (exec != NULL)
        _ntk_progress_clear(&progress);
    pass_clear(&P);
    for (s = 0; s < kept; s++)
        _ntk_iface_clear(ifs + s);
    flint_free(ifs);
    _ntk_gauss_clear(&g);
    _ntk_act_clear(&act);
    return stop ? NTK_ERR_INTERRUPTED : NTK_OK;
}

/* -log2 of the smaller of x and pi - x (x a ball in (0, pi)), from below. */
static slong
angle_bits(const arb_t x, const arb_t pi, slong prec)
{
    arb_t y;
    arf_t lo;
    slong e;
    arb_init(y);
    arf_init(lo);
    arb_sub(y, pi, x, prec);
    arb_min(y, y, x, prec);
    arb_get_lbound_arf(lo, y, prec);
    e = arf_sgn(lo) > 0 ? -fmpz_get_si(ARF_EXPREF(lo)) : WORD(1) << 20;
    arb_clear(y);
    arf_clear(lo);
    return FLINT_MAX(e, 0);
}

slong
_ntk_kernel_angle_loss(const ntk_profile_t p, const fmpq_t x2, const fmpq_t y2, const fmpq_t xy,
                       const ntk_conv_t conv)
{
    slong prec = 64, d = ntk_profile_depth(p), s, worst = 0;
    _ntk_act_struct act;
    _ntk_iface_struct f;
    geometry_t geo;
    _ntk_act_init(&act, conv, prec);
    _ntk_iface_init(&f);
    geo = geometry(x2, y2, xy, &act);
    if (geo.later == _NTK_GAUSS_GENERAL)
    {
        first_interface(&f, p, conv, x2, y2, xy, &geo, prec);
        if (geo.first != _NTK_GAUSS_GENERAL)
            arb_set(f.theta, act.pi);
        /* interface 0 has no O(1/n) part: the angles from interface 1 on */
        arb_t sn, cs, sm;
        arb_init(sn);
        arb_init(cs);
        arb_init(sm);
        for (s = 1; s < d; s++)
        {
            arb_sin_cos(sn, cs, f.theta, prec);
            _ntk_sin_minus_theta_cos(sm, f.theta, sn, cs, prec);
            _ntk_kernel_next_angle(f.theta, f.theta, sn, cs, sm, &act, prec);
            worst = FLINT_MAX(worst, angle_bits(f.theta, act.pi, prec));
        }
        arb_clear(sn);
        arb_clear(cs);
        arb_clear(sm);
    }
    _ntk_iface_clear(&f);
    _ntk_act_clear(&act);
    return FLINT_MIN(6 * worst, WORD(1) << 20);
}

ntk_status_t
ntk_kernel_compute(ntk_kernel_t k, const ntk_profile_t p, const fmpq_t x2, const fmpq_t y2,
                   const fmpq_t xy, const ntk_conv_t conv, ntk_kernel_what_t what, slong prec,
                   const ntk_exec_t exec, ntk_error_t * err)
{
    ntk_status_t status;
    if (k == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, "", "kernel: NULL argument");
    if ((status = _ntk_kernel_check(p, x2, y2, xy, conv, err)) != NTK_OK)
        return status;
    if (prec < 2 || prec > NTK_PRECISION_MAX)
        return _ntk_error_set(err, NTK_ERR_RANGE, "precision",
                              "precision: must be 2..%ld bits", (long) NTK_PRECISION_MAX);
    if ((int) what < NTK_KERNEL_INFINITE || what > NTK_KERNEL_PER_LAYER)
        return _ntk_error_set(err, NTK_ERR_RANGE, "what", "what: not a ntk_kernel_what_t");
    if (_ntk_kernel_compute(k, p, x2, y2, xy, conv, what, prec, exec) != NTK_OK)
        return _ntk_error_set(err, NTK_ERR_INTERRUPTED, "", "kernel: interrupted");
    return NTK_OK;
}

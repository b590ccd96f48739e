/* The series in 1/n with coefficients as functions of the depth d: against
   the interpolated expansion at every depth d = 2 .. D (D = 40 by default,
   about 20 s; NTK_SERIES_DEPTH to change it), every quantity and
   both ratios, many conventions; the hand-derived c_1(d) of
   doc/derivation.md; the degree bounds; the truncated expansion at one
   depth. */

#include <stdlib.h>
#include <string.h>
#include "ntkexact.h"
#include "tap.h"

typedef struct
{
    const char * act, * mu4, * co, * x2;
    ulong n0;
    int standard, bias;
}
conv_spec_t;

static void
conv_from(ntk_conv_t conv, fmpq_t x2, const conv_spec_t * c)
{
    ntk_conv_set_activation_str(conv, c->act, NULL);
    ntk_conv_critical(conv->cw_hidden, conv);
    ntk_rational_set_str(conv->mu4, c->mu4, "mu4", NULL);
    ntk_rational_set_str(conv->cw_output, c->co, "c", NULL);
    ntk_rational_set_str(x2, c->x2, "x2", NULL);
    conv->param = c->standard ? NTK_PARAM_STANDARD : NTK_PARAM_NTK;
    conv->bias = c->bias;
}

static long
max_depth(void)
{
    const char * s = getenv("NTK_SERIES_DEPTH");
    long d = s != NULL ? atol(s) : 40;
    return d < 2 ? 2 : d;
}

/* The series' coefficients at d = 2 .. D against the expansion by the
   exact engine at d + 14 widths, interpolated (no code shared with the
   series but the layer factors). */
static void
check_against_expand(const conv_spec_t * c, slong order, long D)
{
    ntk_series_t s;
    ntk_conv_t conv;
    ntk_exec_t exec;
    fmpq_t x2, v, w;
    fmpq * r = _fmpq_vec_init(order + 1);
    long d, p;
    int q, k, ok, bad = 0, checked = 0;
    ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2); fmpq_init(v); fmpq_init(w);
    conv_from(conv, x2, c);
    exec->threads = 2;
    ntk_series_init(s);
    ok = ntk_series_compute(s, order, c->n0, x2, conv, exec, NULL) == NTK_OK;
    for (d = 2; d <= D && ok; d++)
    {
        ntk_expand_t e;
        ntk_expand_init(e);
        ok = ntk_expand_compute_method(e, d, c->n0, x2, conv, NTK_EXPAND_INTERPOLATE, 0, exec,
                                       NULL) == NTK_OK;
        for (q = 0; q < ntk_quantity_count(2) && ok; q++)
        {
            slong lo, hi;
            ntk_expand_powers(&lo, &hi, e, q, 0);
            bad += lo <= hi && hi > s->hi[q];      /* no power above hi */
            for (p = s->hi[q]; p >= -order; p--, checked++)
            {
                ntk_expand_coeff(v, e, q, 0, p);
                ntk_series_coeff_eval(w, ntk_series_coeff(s, q, p), d);
                if (!fmpq_equal(v, w) && bad++ < 5)
                    tap_diag("d = %ld: %s, n^%ld differs", d, ntk_quantity_name(q), p);
            }
        }
        for (k = 0; k < ntk_ratio_count(2) && ok; k++)
        {
            int rok = ntk_expand_ratio_series(r, e, k == NTK_RATIO_K2 ? NTK_E_K2 : NTK_E_DK,
                                              NTK_E_K, k == NTK_RATIO_K2 ? 2 : 1, order);
            bad += rok != s->ratio_ok[k];
            if (k == NTK_RATIO_K2)
                fmpq_sub_si(r, r, 1);
            for (p = 0; rok == 1 && p <= order; p++, checked++)
            {
                ntk_series_coeff_eval(w, ntk_series_ratio(s, k, p), d);
                if (!fmpq_equal(w, r + p) && bad++ < 5)
                    tap_diag("d = %ld: %s, n^-%ld differs", d, ntk_ratio_name(k), p);
            }
        }
        ntk_expand_clear(e);
    }
    tap_ok(ok && bad == 0, "%s%s%s mu4 %s c_out %s n0 %lu x2 %s: series to n^-%ld = expansion at d = 2..%ld "
           "(%d coefficients, 13 quantities and the 2 ratios)", c->act, c->standard ? " standard" : "",
           c->bias ? "" : " no-bias", c->mu4, c->co, (unsigned long) c->n0, c->x2, (long) order, D, checked);
    ntk_series_clear(s);
    _fmpq_vec_clear(r, order + 1);
    fmpq_clear(x2); fmpq_clear(v); fmpq_clear(w);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
}

/* The degree of the coefficient of n^-k: <= k + 2 for the moments in the
   NTK parametrization (<= k for E_N2, E_N4), <= 4 - p for that of n^p in the
   standard one, and exact from d = k + marks + 3 at the latest. */
static void
check_degrees(const conv_spec_t * c, slong order)
{
    ntk_series_t s;
    ntk_conv_t conv;
    ntk_exec_t exec;
    fmpq_t x2;
    slong p;
    int q, ok, top = 0;
    ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2);
    conv_from(conv, x2, c);
    ntk_series_init(s);
    ok = ntk_series_compute(s, order, c->n0, x2, conv, exec, NULL) == NTK_OK;
    for (q = 0; q < ntk_quantity_count(2) && ok; q++)
        for (p = s->hi[q]; p >= -order; p--)
        {
            const ntk_series_coeff_struct * cf = ntk_series_coeff(s, q, p);
            slong marks = (q == NTK_E_N2 || q == NTK_E_N4) ? 0 : 2, bound;
            bound = c->standard ? (q == NTK_E_N2 || q == NTK_E_N4 ? -p : 4 - p) : marks - p;
            ok &= fmpq_poly_degree(&cf->num) <= bound && cf->d_min <= bound + 3
                  && fmpq_poly_is_one(&cf->den);
            top |= fmpq_poly_degree(&cf->num) == bound;
        }
    tap_ok(ok && top, "%s%s%s mu4 %s: degree of the coefficient of n^p <= %s (attained), exact from "
           "d = degree + 3 at the latest", c->act, c->standard ? " standard" : "", c->bias ? "" : " no-bias",
           c->mu4, c->standard ? "4 - p" : "2 - p (E_N2, E_N4: -p)");
    ntk_series_clear(s);
    fmpq_clear(x2);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
}

/* The hand derivation of doc/derivation.md, section 13: with a = x2/n_0,
   lb = 1 with biases, X = 11d^2 + 12 mu4 d - 40 d - 12 mu4 + 36 and
   Y = 10d^2 + 12 mu4 d - 41 d - 12 mu4 + 36,
   c_1(d) = c_o^2 (d-1) [(8a^2 + 4 a lb) X + lb^2 Y] / (6 (2 a c_o d + c_o lb (d-1) + 2 lb)^2). */
static void
check_c1(const conv_spec_t * c)
{
    ntk_series_t s;
    ntk_conv_t conv;
    ntk_exec_t exec;
    fmpq_t x2, a, lb, co, mu, t;
    fmpq_poly_t X, Y, num, den, lhs, rhs, lin;
    const ntk_series_coeff_struct * c1;
    int ok;
    ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2); fmpq_init(a); fmpq_init(lb); fmpq_init(co); fmpq_init(mu); fmpq_init(t);
    fmpq_poly_init(X); fmpq_poly_init(Y); fmpq_poly_init(num); fmpq_poly_init(den);
    fmpq_poly_init(lhs); fmpq_poly_init(rhs); fmpq_poly_init(lin);
    conv_from(conv, x2, c);
    {
        fmpz_t n0;
        fmpz_init_set_ui(n0, c->n0);
        fmpq_div_fmpz(a, x2, n0);
        fmpz_clear(n0);
    }
    fmpq_set_si(lb, c->bias, 1);
    fmpq_set(co, conv->cw_output);
    fmpq_set(mu, conv->mu4);
    /* X, Y */
    fmpq_poly_set_coeff_si(X, 2, 11);
    fmpq_mul_si(t, mu, 12); fmpq_sub_si(t, t, 40); fmpq_poly_set_coeff_fmpq(X, 1, t);
    fmpq_mul_si(t, mu, -12); fmpq_add_si(t, t, 36); fmpq_poly_set_coeff_fmpq(X, 0, t);
    fmpq_poly_set(Y, X);
    fmpq_poly_set_coeff_si(Y, 2, 10);
    fmpq_mul_si(t, mu, 12); fmpq_sub_si(t, t, 41); fmpq_poly_set_coeff_fmpq(Y, 1, t);
    /* num = c_o^2 (d - 1) [(8 a^2 + 4 a lb) X + lb^2 Y] */
    fmpq_mul(t, a, a); fmpq_mul_si(t, t, 8);
    {
        fmpq_t u;
        fmpq_init(u);
        fmpq_mul(u, a, lb); fmpq_mul_si(u, u, 4); fmpq_add(t, t, u);
        fmpq_clear(u);
    }
    fmpq_poly_scalar_mul_fmpq(num, X, t);
    fmpq_mul(t, lb, lb);
    fmpq_poly_scalar_mul_fmpq(Y, Y, t);
    fmpq_poly_add(num, num, Y);
    fmpq_poly_set_coeff_si(lin, 1, 1); fmpq_poly_set_coeff_si(lin, 0, -1);
    fmpq_poly_mul(num, num, lin);
    fmpq_mul(t, co, co);
    fmpq_poly_scalar_mul_fmpq(num, num, t);
    /* den = 6 (2 a c_o d + c_o lb (d - 1) + 2 lb)^2 */
    fmpq_poly_zero(den);
    fmpq_mul(t, a, co); fmpq_mul_si(t, t, 2);
    {
        fmpq_t u;
        fmpq_init(u);
        fmpq_mul(u, co, lb); fmpq_add(t, t, u);
        fmpq_poly_set_coeff_fmpq(den, 1, t);
        fmpq_mul_si(t, lb, 2); fmpq_sub(t, t, u);
        fmpq_poly_set_coeff_fmpq(den, 0, t);
        fmpq_clear(u);
    }
    fmpq_poly_mul(den, den, den);
    fmpq_poly_scalar_mul_si(den, den, 6);
    ntk_series_init(s);
    ok = ntk_series_compute(s, 1, c->n0, x2, conv, exec, NULL) == NTK_OK;
    c1 = ntk_series_ratio(s, NTK_RATIO_K2, 1);
    ok = ok && c1 != NULL && c1->d_min == 2;
    if (ok)
    {
        fmpq_poly_mul(lhs, &c1->num, den);
        fmpq_poly_mul(rhs, num, &c1->den);
        ok = fmpq_poly_equal(lhs, rhs);
    }
    tap_ok(ok, "mu4 %s c_out %s n0 %lu x2 %s%s: c_1(d) of E[K^2]/E[K]^2 = the hand derivation, every d >= 2",
           c->mu4, c->co, (unsigned long) c->n0, c->x2, c->bias ? "" : " no-bias");
    ntk_series_clear(s);
    fmpq_clear(x2); fmpq_clear(a); fmpq_clear(lb); fmpq_clear(co); fmpq_clear(mu); fmpq_clear(t);
    fmpq_poly_clear(X); fmpq_poly_clear(Y); fmpq_poly_clear(num); fmpq_poly_clear(den);
    fmpq_poly_clear(lhs); fmpq_poly_clear(rhs); fmpq_poly_clear(lin);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
}

/* The truncated expansion at one depth (polynomials evaluated, or at a
   non-critical variance the direct pass) against the one-pass exact
   function of n without its dead-layer part. */
static void
check_truncated(const conv_spec_t * c, const char * ch, long depth, slong order)
{
    ntk_expand_t t, e;
    ntk_conv_t conv;
    ntk_exec_t exec;
    fmpq_t x2, v, w;
    slong p, lo, hi;
    int q, ok;
    ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2); fmpq_init(v); fmpq_init(w);
    conv_from(conv, x2, c);
    if (ch != NULL)
        ntk_rational_set_str(conv->cw_hidden, ch, "c", NULL);
    exec->threads = 2;
    ntk_expand_init(t); ntk_expand_init(e);
    ok = ntk_expand_series(t, depth, order, c->n0, x2, conv, exec, NULL) == NTK_OK
      && ntk_expand_compute_method(e, depth, c->n0, x2, conv, NTK_EXPAND_PASS, 0, exec, NULL) == NTK_OK
      && t->order == order && !t->dead_part;
    for (q = 0; q < ntk_quantity_count(2) && ok; q++)
    {
        ntk_expand_powers(&lo, &hi, e, q, 0);
        for (p = FLINT_MAX(hi, 0); p >= -order; p--)
        {
            ntk_expand_coeff(v, e, q, 0, p);
            ntk_expand_coeff(w, t, q, 0, p);
            ok &= fmpq_equal(v, w);
        }
        ntk_expand_powers(&lo, &hi, t, q, 0);
        ok &= lo > hi || lo >= -order;
    }
    tap_ok(ok, "%s%s cw_hidden %s depth %ld: the series to n^-%ld = the exact function's coefficients",
           c->act, c->standard ? " standard" : "", ch ? ch : "critical", depth, (long) order);
    ntk_expand_clear(t); ntk_expand_clear(e);
    fmpq_clear(x2); fmpq_clear(v); fmpq_clear(w);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
}

static void
check_errors(void)
{
    ntk_series_t s;
    ntk_expand_t e;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_error_t err;
    fmpq_t x2;
    int ok;
    ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2);
    fmpq_one(x2);
    ntk_series_init(s);
    ntk_expand_init(e);
    fmpq_set_si(conv->cw_hidden, 3, 1);
    ok = ntk_series_compute(s, 2, 1, x2, conv, exec, &err) == NTK_ERR_RANGE
         && strcmp(err.param, "cw_hidden") == 0
         && ntk_expand_series(e, 10001, 2, 1, x2, conv, exec, &err) == NTK_ERR_RANGE
         && strcmp(err.param, "depth") == 0;
    fmpq_set_si(conv->cw_hidden, 2, 1);
    ok &= ntk_series_compute(s, NTK_SERIES_ORDER_MAX + 1, 1, x2, conv, exec, &err) == NTK_ERR_RANGE
          && strcmp(err.param, "order") == 0
          && ntk_expand_series(e, 1, 2, 1, x2, conv, exec, &err) == NTK_ERR_RANGE
          && ntk_series_coeff(s, NTK_E_K, 0) == NULL && ntk_series_coeff_eval(x2, NULL, 3) == NTK_ERR_RANGE;
    fmpq_zero(x2);
    ok &= ntk_series_compute(s, 2, 1, x2, conv, exec, &err) == NTK_ERR_RANGE && strcmp(err.param, "x2") == 0;
    ok &= strcmp(ntk_ratio_name(NTK_RATIO_DK), "E[dK]/(lambda E[K])") == 0
          && strcmp(ntk_ratio_name(NTK_N_RATIOS), "?") == 0;
    fmpq_one(x2);
    /* the ratios' denominators: primitive with a positive leading coefficient */
    ok &= ntk_series_compute(s, 3, 10, x2, conv, exec, &err) == NTK_OK;
    {
        const ntk_series_coeff_struct * r = ntk_series_ratio(s, NTK_RATIO_K2, 3);
        fmpq_t cont;
        fmpq_init(cont);
        ok &= r != NULL && fmpq_poly_degree(&r->den) == 2;
        if (r != NULL)
        {
            fmpq_poly_content(cont, &r->den);
            ok &= fmpq_is_one(cont) && fmpz_sgn(fmpq_poly_numref(&r->den) + 2) > 0;
        }
        fmpq_clear(cont);
    }
    tap_ok(ok, "series: non-critical variance, order, depth and x2 refused; names; accessors");
    ntk_series_clear(s);
    ntk_expand_clear(e);
    fmpq_clear(x2);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
}

int
main(void)
{
    static const conv_spec_t convs[] = {
        { "relu", "3", "1", "1", 10, 0, 1 },
        { "relu", "3", "1", "1", 10, 0, 0 },
        { "relu", "3", "1", "1", 10, 1, 1 },
        { "relu", "3", "1", "1", 10, 1, 0 },
        { "relu", "9/5", "1", "7/2", 3, 0, 1 },
        { "relu", "9/5", "1", "7/2", 3, 1, 1 },
        { "relu", "5", "1/2", "2", 1, 0, 1 },
        { "relu", "5", "3", "1/3", 7, 1, 0 },
        { "leaky:1/2", "3", "1", "1", 10, 0, 1 },
        { "leaky:1/10", "9/5", "2", "1", 4, 1, 0 },
        { "linear", "3", "1", "1", 10, 0, 1 },
        { "linear", "5", "1", "3/2", 2, 1, 1 },
        { "abs", "3", "1", "1", 10, 0, 1 },
        { "slopes:0,1", "3", "1", "2", 3, 0, 1 },
        { "slopes:3/2,-1/3", "9/5", "1", "1/3", 2, 1, 1 },
        { "slopes:2,0", "4", "1/2", "1", 2, 0, 1 }
    };
    static const conv_spec_t c1s[] = {
        { "relu", "3", "1", "1", 10, 0, 1 },
        { "relu", "9/5", "1", "7/2", 3, 0, 1 },
        { "relu", "5", "1/2", "2", 1, 0, 1 },
        { "relu", "5", "3", "1/3", 7, 0, 0 },
        { "relu", "3", "1", "1", 10, 0, 0 },
        { "relu", "7/3", "5/2", "3", 2, 0, 1 }
    };
    long D = max_depth();
    int k, n = (int) (sizeof(convs) / sizeof(convs[0]));
    for (k = 0; k < n; k++)
        check_against_expand(convs + k, 6, D);
    for (k = 0; k < n; k += 3)
        check_degrees(convs + k, 6);
    for (k = 0; k < (int) (sizeof(c1s) / sizeof(c1s[0])); k++)
        check_c1(c1s + k);
    check_truncated(convs + 0, NULL, 150, 6);
    check_truncated(convs + 5, NULL, 90, 4);
    check_truncated(convs + 9, NULL, 60, 3);
    check_truncated(convs + 0, "3/2", 30, 4);
    check_truncated(convs + 13, "5/2", 25, 3);
    check_errors();
    flint_cleanup();
    return tap_done();
}

/* Shared by the tests of the series in 1/n (t-series-order.c,
   t-series-exp.c): the conventions of a case, and the comparison of a
   series whose coefficients are functions of the depth with the exact
   expansion at one depth (ntk_expand_compute_order), every quantity and
   every ratio.  The ratios of the expansion come from the public
   ntk_expand_ratio_series: Skew2_K = (M3_K/Var_K^2) (M3_K/Var_K) and
   Kurt_K = M4_K/Var_K^2 - 3. */

#ifndef NTK_TESTS_SERIES_CHECK_H
#define NTK_TESTS_SERIES_CHECK_H

#include <stdio.h>
#include <string.h>
#include "ntkexact.h"
#include "tap.h"

typedef struct
{
    const char * act, * mu4, * mu6, * mu8, * ch, * co, * x2;
    ulong n0;
    int standard, bias;
}
case_t;

/* conv, x2 <- the case (ch NULL: the critical cw_hidden). */
static void
case_conv(ntk_conv_t conv, fmpq_t x2, const case_t * c)
{
    ntk_conv_set_activation_str(conv, c->act, NULL);
    ntk_rational_set_str(conv->mu4, c->mu4, "mu4", NULL);
    ntk_rational_set_str(conv->mu6, c->mu6, "mu6", NULL);
    ntk_rational_set_str(conv->mu8, c->mu8, "mu8", NULL);
    if (c->ch != NULL)
        ntk_rational_set_str(conv->cw_hidden, c->ch, "c", NULL);
    else
        ntk_conv_critical(conv->cw_hidden, conv);
    ntk_rational_set_str(conv->cw_output, c->co, "c", NULL);
    ntk_rational_set_str(x2, c->x2, "x2", NULL);
    conv->param = c->standard ? NTK_PARAM_STANDARD : NTK_PARAM_NTK;
    conv->bias = c->bias;
}

static const char *
case_str(const case_t * c)
{
    static char buf[200];
    snprintf(buf, sizeof(buf), "%s%s%s mu %s,%s,%s c %s,%s n0 %lu x2 %s", c->act,
             c->standard ? " standard" : "", c->bias ? "" : " no-bias", c->mu4, c->mu6, c->mu8,
             c->ch ? c->ch : "critical", c->co, (unsigned long) c->n0, c->x2);
    return buf;
}

/* r <- the series of ratio k from the expansion e to n^-order; returns 1,
   0 (a positive power of n first) or -1 (undefined), as ratio_ok. */
static int
expand_ratio(fmpq * r, const ntk_expand_t e, int k, slong order)
{
    static const int num[NTK_N_RATIOS] = { NTK_E_K2, NTK_E_DK, NTK_E_K3, NTK_M3_K, NTK_E_K4, NTK_M4_K };
    static const int pw[NTK_N_RATIOS] = { 2, 1, 3, 2, 4, 2 };
    int ok = ntk_expand_ratio_series(r, e, num[k], k == NTK_RATIO_SKEW2 || k == NTK_RATIO_KURT
                                     ? NTK_VAR_K : NTK_E_K, pw[k], order);
    slong i, j;
    if (ok == 1 && k == NTK_RATIO_SKEW2)
    {
        fmpq * b = _fmpq_vec_init(order + 1), * p = _fmpq_vec_init(order + 1);
        fmpq_t t;
        fmpq_init(t);
        ok = ntk_expand_ratio_series(b, e, NTK_M3_K, NTK_VAR_K, 1, order);
        for (i = 0; i <= order; i++)
            for (j = 0; j <= i; j++)
            {
                fmpq_mul(t, r + j, b + i - j);
                fmpq_add(p + i, p + i, t);
            }
        for (i = 0; i <= order; i++)
            fmpq_swap(r + i, p + i);
        fmpq_clear(t);
        _fmpq_vec_clear(b, order + 1);
        _fmpq_vec_clear(p, order + 1);
    }
    if (ok == 1 && k == NTK_RATIO_K2)
        fmpq_sub_si(r, r, 1);
    if (ok == 1 && k == NTK_RATIO_KURT)
        fmpq_sub_si(r, r, 3);
    return ok == -2 ? -1 : ok;
}

/* The series s against the exact expansion e at depth d: every coefficient
   of every quantity (and that no power above hi[q] is in e), and every
   coefficient of every ratio; returns the number that differ (a few are
   named), adds the number compared to *checked. */
static int
series_vs_expand(const ntk_series_t s, const ntk_expand_t e, slong d, int * checked)
{
    fmpq * r = _fmpq_vec_init(s->order + 1);
    fmpq_t v, w;
    slong p, lo, hi;
    int q, k, bad = 0;
    fmpq_init(v); fmpq_init(w);
    for (q = 0; q < ntk_quantity_count(s->moment_order); q++)
    {
        if (ntk_quantity_is_ratio(q))
            continue;
        ntk_expand_powers(&lo, &hi, e, q, 0);
        bad += lo <= hi && hi > s->hi[q];
        for (p = s->hi[q]; p >= -s->order; p--, (*checked)++)
        {
            ntk_expand_coeff(v, e, q, 0, p);
            if (ntk_series_coeff_eval(w, ntk_series_coeff(s, q, p), d) != NTK_OK || !fmpq_equal(v, w))
                if (bad++ < 3)
                    tap_diag("d = %ld: %s, n^%ld differs", (long) d, ntk_quantity_name(q), (long) p);
        }
    }
    for (k = 0; k < ntk_ratio_count(s->moment_order); k++)
    {
        int rok = expand_ratio(r, e, k, s->order);
        if (rok != s->ratio_ok[k] && bad++ < 3)
            tap_diag("d = %ld: %s: ok %d, the expansion's %d", (long) d, ntk_ratio_name(k),
                     s->ratio_ok[k], rok);
        for (p = 0; rok == 1 && s->ratio_ok[k] == 1 && p <= s->order; p++, (*checked)++)
            if (ntk_series_coeff_eval(w, ntk_series_ratio(s, k, p), d) != NTK_OK
                || !fmpq_equal(w, r + p))
                if (bad++ < 3)
                    tap_diag("d = %ld: %s, n^-%ld differs", (long) d, ntk_ratio_name(k), (long) p);
    }
    _fmpq_vec_clear(r, s->order + 1);
    fmpq_clear(v); fmpq_clear(w);
    return bad;
}

/* The series of the case to n^-order at the moment order against the exact
   expansion (the one pass without its 2^-n part) at every depth 2 .. D. */
static void
check_series_expand(const case_t * c, int moment_order, slong order, long D)
{
    ntk_series_t s;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_error_t err;
    fmpq_t x2;
    long d;
    int ok, bad = 0, checked = 0, exp = 0;
    ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2);
    case_conv(conv, x2, c);
    exec->threads = 2;
    ntk_series_init(s);
    ok = ntk_series_compute_order(s, order, c->n0, x2, conv, moment_order, exec, &err) == NTK_OK
         && s->moment_order == moment_order;
    if (!ok)
        tap_diag("%s", err.message);
    exp = ok && ntk_series_coeff(s, NTK_E_K, 0)->n_lambda > 0;
    for (d = 2; d <= D && ok; d++)
    {
        ntk_expand_t e;
        ntk_expand_init(e);
        ok = ntk_expand_compute_order(e, d, c->n0, x2, conv, NTK_EXPAND_PASS, 0, moment_order, exec,
                                      NULL) == NTK_OK;
        if (ok)
            bad += series_vs_expand(s, e, d, &checked);
        ntk_expand_clear(e);
    }
    tap_ok(ok && bad == 0, "moments %d, %s: series to n^-%ld (%s) = the exact expansion at d = 2..%ld "
           "(%d coefficients, %d ratios)", moment_order, case_str(c), (long) order,
           exp ? "exponential polynomials" : "polynomials", D, checked, ntk_ratio_count(moment_order));
    ntk_series_clear(s);
    fmpq_clear(x2);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
}

#endif

/* The series in 1/n where the coefficients are exponential polynomials
   sum_m lambda^(m d) P_m(d) in the depth: off the critical cw_hidden
   (lambda = c A_2) and at x2 = 0 (lambda = c a_minus^2).  Against the exact
   expansion (ntk_expand_compute_order, one pass) at every depth d = 2 .. D
   (D = 30 or 20; NTK_SERIES_DEPTH to change it) for the moment orders 2, 3
   and 4, every quantity and every ratio; the degree bounds of
   doc/derivation.md, section 13 (deg P_m <= m - p for n^p in the NTK
   parametrization); the exponential polynomials evaluated far beyond the
   depths they were fitted at (d = 300, 2000) against the direct pass there;
   the order and depth caps. */

#include <stdlib.h>
#include "series_check.h"

static long
max_depth(long dflt)
{
    const char * s = getenv("NTK_SERIES_DEPTH");
    long d = s != NULL ? atol(s) : dflt;
    return d < 2 ? 2 : d;
}

/* The marks of quantity q (as t-series-order.c). */
static int
quantity_marks(int q)
{
    if (q == NTK_E_N2 || q == NTK_E_N4 || q == NTK_E_N6 || q == NTK_E_N8)
        return 0;
    if (q < NTK_E_K3)
        return q == NTK_E_K || q == NTK_E_KW || q == NTK_E_KB ? 1 : 2;
    return q < NTK_E_K4 ? 3 : 4;
}

/* The parts of lambda^m of n^p: degree <= m - p (NTK), m + marks - p
   (standard), only m <= the moment order, lambda[l] = lambda^(l+1); exact
   from d = (marks - p, or 2 marks - p) + 3 at the latest. */
static void
check_degrees(const case_t * c, int moment_order, slong order)
{
    ntk_series_t s;
    ntk_conv_t conv;
    ntk_exec_t exec;
    fmpq_t x2, lambda, t;
    slong p, l;
    int q, ok, top = 0;
    ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2); fmpq_init(lambda); fmpq_init(t);
    case_conv(conv, x2, c);
    if (fmpq_is_zero(x2))
        fmpq_mul(lambda, conv->a_minus, conv->a_minus);
    else
        ntk_conv_gate_moment(lambda, conv, 2);
    fmpq_mul(lambda, lambda, conv->cw_hidden);
    ntk_series_init(s);
    ok = ntk_series_compute_order(s, order, c->n0, x2, conv, moment_order, exec, NULL) == NTK_OK;
    for (q = 0; q < ntk_quantity_count(moment_order) && ok; q++)
        for (p = s->hi[q]; !ntk_quantity_is_ratio(q) && p >= -order && ok; p--)
        {
            const ntk_series_coeff_struct * cf = ntk_series_coeff(s, q, p);
            slong m_extra = c->standard ? quantity_marks(q) : 0,
                  exact = (c->standard ? 2 : 1) * quantity_marks(q) - p + 3;
            ok &= cf->n_lambda == moment_order && fmpq_poly_is_one(&cf->den) && cf->d_min <= exact
                  && fmpq_poly_degree(&cf->num) <= m_extra - p;
            for (l = 0; l < cf->n_lambda && ok; l++)
            {
                fmpq_pow_si(t, lambda, l + 1);
                ok &= fmpq_equal(t, cf->lambda + l) && fmpq_poly_is_zero(cf->den_lambda + l)
                      && fmpq_poly_degree(cf->num_lambda + l) <= l + 1 + m_extra - p;
                top |= fmpq_poly_degree(cf->num_lambda + l) == l + 1 + m_extra - p;
            }
            if (!ok)
                tap_diag("%s n^%ld: a degree above the bound, or d_min %ld > %ld",
                         ntk_quantity_name(q), (long) p, (long) cf->d_min, (long) exact);
        }
    tap_ok(ok && top, "moments %d, %s: lambda = %s; deg P_m of n^p <= m %s- p (attained), exact "
           "from d = %s- p + 3", moment_order, case_str(c), c->ch ? "c A_2" : "c a_minus^2",
           c->standard ? "+ marks " : "", c->standard ? "2 marks " : "marks ");
    ntk_series_clear(s);
    fmpq_clear(x2); fmpq_clear(lambda); fmpq_clear(t);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
}

/* The exponential polynomials evaluated at large depths (far beyond those
   of the fit) against the direct pass up the layers (moment order 2, whose
   truncated expansion is that pass). */
static void
check_far(const case_t * c, slong order)
{
    static const long depths[] = { 300, 2000 };
    ntk_series_t s;
    ntk_expand_t t;
    ntk_conv_t conv;
    ntk_exec_t exec;
    fmpq_t x2, v, w;
    slong p;
    int q, i, ok;
    ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2); fmpq_init(v); fmpq_init(w);
    case_conv(conv, x2, c);
    exec->threads = 2;
    ntk_series_init(s);
    ok = ntk_series_compute_order(s, order, c->n0, x2, conv, 2, exec, NULL) == NTK_OK;
    for (i = 0; i < 2 && ok; i++)
    {
        ntk_expand_init(t);
        ok = ntk_expand_series_order(t, depths[i], order, c->n0, x2, conv, 2, exec, NULL) == NTK_OK;
        for (q = 0; q < ntk_quantity_count(2) && ok; q++)
            for (p = s->hi[q]; p >= -order; p--)
            {
                ntk_expand_coeff(v, t, q, 0, p);
                ok &= ntk_series_coeff_eval(w, ntk_series_coeff(s, q, p), depths[i]) == NTK_OK
                      && fmpq_equal(v, w);
            }
        ntk_expand_clear(t);
    }
    tap_ok(ok, "%s: the exponential polynomials at d = 300, 2000 = the direct pass up the layers "
           "(13 quantities to n^-%ld)", case_str(c), (long) order);
    ntk_series_clear(s);
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
    fmpq_t x2, v;
    int ok;
    ntk_conv_init(conv); ntk_exec_init(exec);
    fmpq_init(x2); fmpq_init(v);
    fmpq_one(x2);
    ntk_series_init(s);
    ntk_expand_init(e);
    fmpq_set_si(conv->cw_hidden, 3, 1);
    ok = ntk_series_compute_order(s, NTK_SERIES_EXP_ORDER_MAX + 1, 1, x2, conv, 2, exec, &err) == NTK_ERR_RANGE
         && strcmp(err.param, "order") == 0
         && ntk_expand_series_order(e, NTK_SERIES_DIRECT_DEPTH_MAX + 1, 2, 1, x2, conv, 3, exec, &err)
            == NTK_ERR_RANGE && strcmp(err.param, "depth") == 0
         && ntk_series_compute(s, 2, 1, x2, conv, exec, &err) == NTK_ERR_RANGE
         && strcmp(err.param, "cw_hidden") == 0;
    ok &= ntk_series_compute_order(s, 2, 1, x2, conv, 2, exec, &err) == NTK_OK
          && ntk_series_coeff_eval(v, ntk_series_coeff(s, NTK_E_K, 0), NTK_SERIES_DIRECT_DEPTH_MAX + 1)
             == NTK_ERR_RANGE
          && ntk_series_coeff_eval(v, ntk_series_coeff(s, NTK_E_K, 0), 40) == NTK_OK;
    /* at x2 = 0 without biases K = 0: every ratio is undefined */
    fmpq_zero(x2);
    conv->bias = 0;
    ok &= ntk_series_compute_order(s, 2, 1, x2, conv, 4, exec, &err) == NTK_OK
          && s->ratio_ok[NTK_RATIO_K2] == -1 && s->ratio_ok[NTK_RATIO_KURT] == -1
          && ntk_series_ratio(s, NTK_RATIO_K2, 0) == NULL;
    tap_ok(ok, "series off the critical variance: order cap %d, depth cap %d, the old entry point "
           "refuses; x2 = 0 without biases: the ratios undefined", NTK_SERIES_EXP_ORDER_MAX,
           NTK_SERIES_DIRECT_DEPTH_MAX);
    ntk_series_clear(s);
    ntk_expand_clear(e);
    fmpq_clear(x2); fmpq_clear(v);
    ntk_conv_clear(conv); ntk_exec_clear(exec);
}

int
main(void)
{
    /* off the critical cw_hidden */
    static const case_t off[] = {
        { "relu", "3", "15", "105", "3/2", "1", "1", 3, 0, 1 },
        { "relu", "9/5", "27/7", "9", "5/2", "1", "7/2", 3, 1, 1 },
        { "leaky:1/2", "3", "15", "105", "1", "1/2", "2", 2, 0, 1 },
        { "slopes:0,1", "5/2", "9", "40", "3", "1", "1", 1, 0, 1 },
        { "linear", "3", "15", "105", "1/2", "2", "1", 2, 1, 0 },
        { "slopes:3/2,-1/3", "2", "5", "14", "7/5", "1", "1/3", 2, 0, 1 }
    };
    /* x2 = 0, at the critical cw_hidden (whose lambda = c a_minus^2 is 1
       only for |a_minus| = |a_plus|) and off it */
    static const case_t zero[] = {
        { "relu", "3", "15", "105", NULL, "1", "0", 3, 0, 1 },
        { "leaky:1/2", "3", "15", "105", NULL, "1", "0", 2, 0, 1 },
        { "slopes:0,1", "9/5", "27/7", "9", NULL, "1/2", "0", 1, 1, 1 },
        { "linear", "5/2", "9", "40", NULL, "1", "0", 2, 0, 1 },
        { "abs", "3", "15", "105", "2", "3", "0", 1, 1, 1 },
        { "leaky:1/3", "2", "5", "14", "3/2", "1", "0", 2, 0, 0 }
    };
    int k;
    check_series_expand(off + 0, 2, 4, max_depth(30));
    check_series_expand(off + 0, 4, 3, max_depth(30));
    check_series_expand(off + 1, 3, 3, max_depth(20));
    check_series_expand(off + 2, 4, 2, max_depth(20));
    check_series_expand(off + 3, 3, 3, max_depth(20));
    check_series_expand(off + 4, 2, 5, max_depth(20));
    check_series_expand(off + 5, 3, 2, max_depth(20));
    for (k = 0; k < 6; k++)
        check_series_expand(zero + k, 2 + k % 3, 3, max_depth(20));
    check_series_expand(zero + 2, 4, 4, max_depth(25));
    check_degrees(off + 0, 4, 4);
    check_degrees(off + 1, 3, 3);
    check_degrees(off + 3, 2, 5);
    check_degrees(off + 5, 3, 3);
    check_far(off + 0, 4);
    check_far(off + 1, 3);
    check_far(off + 4, 3);
    check_far(zero + 1, 3);
    check_errors();
    flint_cleanup();
    return tap_done();
}

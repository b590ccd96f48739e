/* The contract of the C API (include/ntkexact.h): NULL arguments, enum and
   integer arguments out of range, double clears, aliasing, objects used
   before they are set.  Every documented error is returned, nothing crashes;
   valgrind (tests/valgrind.sh) checks that nothing leaks either. */

#include <math.h>
#include <string.h>
#include "ntkexact.h"
#include "tap.h"

/* The call returned status with err naming param. */
static int
failed(ntk_status_t status, ntk_status_t want, const ntk_error_t * err, const char * param)
{
    return status == want && err->status == want && strcmp(err->param, param) == 0;
}

static void
check_objects(void)
{
    ntk_profile_t p;
    ntk_conv_t c;
    ntk_exec_t e;
    ntk_moments_t m;
    ntk_expand_t x;
    ntk_limit_t l;
    /* init and clear of NULL, clear twice, clear without set */
    ntk_profile_init(NULL); ntk_profile_clear(NULL);
    ntk_conv_init(NULL); ntk_conv_clear(NULL);
    ntk_exec_init(NULL); ntk_exec_clear(NULL);
    ntk_moments_init(NULL); ntk_moments_clear(NULL);
    ntk_expand_init(NULL); ntk_expand_clear(NULL);
    ntk_limit_init(NULL, 64); ntk_limit_clear(NULL);
    ntk_profile_init(p); ntk_profile_set_str(p, "3,2,1", NULL);
    ntk_profile_clear(p); ntk_profile_clear(p);
    ntk_conv_init(c); ntk_conv_clear(c); ntk_conv_clear(c);
    ntk_exec_init(e); ntk_exec_clear(e); ntk_exec_clear(e);
    ntk_moments_init(m); ntk_moments_clear(m); ntk_moments_clear(m);
    ntk_expand_init(x); ntk_expand_clear(x); ntk_expand_clear(x);
    ntk_limit_init(l, 64); ntk_limit_clear(l); ntk_limit_clear(l);
    ntk_limit_init(l, -5);            /* a precision out of range is clamped */
    ntk_limit_clear(l);
    tap_ok(1, "init/clear of NULL, double clears, clear without set: no crash");
}

static void
check_profile(void)
{
    ntk_profile_t p, q;
    ntk_error_t err;
    ulong w[3] = { 3, 0, 1 };
    char * s;
    ntk_profile_init(p);
    ntk_profile_init(q);
    tap_ok(ntk_profile_depth(p) == -1 && ntk_profile_width(p, 0) == 0 && ntk_profile_beta(p) == 0.0
           && ntk_profile_depth(NULL) == -1 && ntk_profile_get_str(NULL) == NULL,
           "an unset profile: depth -1, no widths");
    tap_ok(failed(ntk_profile_set_str(NULL, "3,2,1", &err), NTK_ERR_RANGE, &err, "p"),
           "profile_set_str(NULL, ...): %s", err.message);
    tap_ok(failed(ntk_profile_set_str(p, NULL, &err), NTK_ERR_SYNTAX, &err, "widths"),
           "profile_set_str(p, NULL): %s", err.message);
    tap_ok(failed(ntk_profile_set_widths(p, NULL, 3, &err), NTK_ERR_RANGE, &err, "widths")
           && failed(ntk_profile_set_widths(p, w, -1, &err), NTK_ERR_RANGE, &err, "widths")
           && failed(ntk_profile_set_widths(p, w, 3, &err), NTK_ERR_RANGE, &err, "widths"),
           "profile_set_widths: NULL, negative length, a zero width");
    ntk_profile_set_str(p, "4,3x2,1", NULL);
    ntk_profile_set(p, p);
    ntk_profile_set(q, p);
    s = ntk_profile_get_str(q);
    tap_ok(strcmp(s, "4,3x2,1") == 0 && ntk_profile_width(p, 4) == 0 && ntk_profile_width(p, -1) == 0,
           "profile_set(p, p) keeps p; widths out of range are 0 (%s)", s);
    flint_free(s);
    ntk_profile_clear(p);
    ntk_profile_clear(q);
}

static void check_update(ntk_moments_t m, ntk_profile_t p, ntk_conv_t c, ntk_exec_t e, fmpq_t x,
                         fmpq_t r);

/* An initialised moments object that no computation filled: every getter
   refuses it (issue 22, point 9: ntk_moments_eval returned NTK_OK and 0). */
static void
check_not_computed(ntk_moments_t m, const ntk_profile_t p, const ntk_conv_t c)
{
    ntk_error_t err;
    double ratio[NTK_PAPER_N];
    fmpq_t x, r;
    fmpq_init(x); fmpq_init(r);
    fmpq_one(x);
    fmpq_set_si(r, 7, 1);
    tap_ok(ntk_moments_eval(r, m, NTK_E_K, x) == NTK_ERR_RANGE && fmpq_is_zero(r)
           && !ntk_moments_defined(m, NTK_E_K, x) && ntk_moments_digits(m, NTK_E_K, x, 53) == -1
           && ntk_moments_digits(m, NTK_E_K, x, 0) == -1
           && ntk_paper_ratios(ratio, m, p, x) == NTK_ERR_RANGE,
           "moments not computed: eval, defined, digits and paper_ratios refuse them");
    ntk_moments_clear(m);
    tap_ok(ntk_moments_eval(r, m, NTK_E_K, x) == NTK_ERR_RANGE, "moments cleared: eval refuses them");
    tap_ok(failed(ntk_moments_output_power(NULL, p, c, x, 2, &err), NTK_ERR_RANGE, &err, "res")
           && failed(ntk_moments_output_power(r, p, NULL, x, 2, &err), NTK_ERR_RANGE, &err, "conv")
           && failed(ntk_moments_output_power(r, p, c, NULL, 2, &err), NTK_ERR_RANGE, &err, "x2")
           && failed(ntk_moments_output_power(r, NULL, c, x, 2, &err), NTK_ERR_RANGE, &err, "widths"),
           "moments_output_power with NULL arguments");
    fmpq_set_si(r, 7, 1);
    ntk_conv_gate_moment(NULL, c, 2);
    ntk_conv_gate_moment(r, NULL, 2);
    tap_ok(fmpq_cmp_si(r, 7) == 0, "conv_gate_moment with NULL: nothing");
    fmpq_clear(x); fmpq_clear(r);
}

static void
check_compute(void)
{
    ntk_profile_t p;
    ntk_conv_t c;
    ntk_exec_t e;
    ntk_moments_t m;
    ntk_error_t err;
    fmpq_t x, r;
    ntk_profile_init(p); ntk_conv_init(c); ntk_exec_init(e); ntk_moments_init(m);
    fmpq_init(x); fmpq_init(r);
    tap_ok(failed(ntk_moments_compute(m, p, c, e, &err), NTK_ERR_RANGE, &err, "widths"),
           "moments of an unset profile: %s", err.message);
    ntk_profile_set_str(p, "3,2,1", NULL);
    check_not_computed(m, p, c);
    tap_ok(failed(ntk_moments_compute(NULL, p, c, e, &err), NTK_ERR_RANGE, &err, "m")
           && failed(ntk_moments_compute(m, NULL, c, e, &err), NTK_ERR_RANGE, &err, "widths")
           && failed(ntk_moments_compute(m, p, NULL, e, &err), NTK_ERR_RANGE, &err, "conv")
           && failed(ntk_moments_compute(m, p, c, NULL, &err), NTK_ERR_RANGE, &err, "exec"),
           "moments with NULL arguments");
    c->param = (ntk_param_t) 7;
    tap_ok(failed(ntk_moments_compute(m, p, c, e, &err), NTK_ERR_RANGE, &err, "param"), "param = 7");
    c->param = NTK_PARAM_NTK;
    c->bias = 5;
    tap_ok(failed(ntk_moments_compute(m, p, c, e, &err), NTK_ERR_RANGE, &err, "bias"), "bias = 5");
    c->bias = 1;
    e->threads = 0;
    tap_ok(failed(ntk_moments_compute(m, p, c, e, &err), NTK_ERR_RANGE, &err, "threads"), "threads = 0");
    e->threads = 1;
    e->precision = -3;
    tap_ok(failed(ntk_moments_compute(m, p, c, e, &err), NTK_ERR_RANGE, &err, "precision"),
           "precision = -3");
    e->precision = 0;
    tap_ok(ntk_moments_compute(m, p, c, e, NULL) == NTK_OK, "a valid call with err = NULL");
    fmpq_one(x);
    tap_ok(ntk_moments_eval(r, m, NTK_N_QUANTITIES, x) == NTK_ERR_RANGE
           && ntk_moments_eval(r, m, (ntk_quantity_t) -1, x) == NTK_ERR_RANGE
           && ntk_moments_eval(NULL, m, NTK_E_K, x) == NTK_ERR_RANGE
           && ntk_moments_eval(r, m, NTK_E_K, NULL) == NTK_ERR_RANGE, "moments_eval out of range");
    tap_ok(ntk_moments_eval(x, m, NTK_E_K, x) == NTK_OK && fmpq_cmp_si(x, 0) > 0,
           "moments_eval with res aliasing x2");
    fmpq_set_si(x, -1, 1);
    tap_ok(ntk_moments_eval(r, m, NTK_E_K, x) == NTK_ERR_RANGE
           && ntk_moments_digits(m, NTK_E_K, x, 53) == -1
           && ntk_moments_digits(m, NTK_N_QUANTITIES, r, 53) == -1
           && ntk_moments_digits(NULL, NTK_E_K, r, 53) == -1, "x2 < 0 and digits out of range");
    tap_ok(!ntk_moments_fits(NULL, c, e) && !ntk_moments_fits(p, NULL, e), "fits with NULL: 0");
    /* the order: out of range, the law's moments, quantities beyond it */
    fmpq_one(x);
    tap_ok(failed(ntk_moments_compute_order(m, p, c, 5, e, &err), NTK_ERR_RANGE, &err, "order")
           && failed(ntk_moments_compute_order(m, p, c, 1, e, &err), NTK_ERR_RANGE, &err, "order"),
           "order 5 and 1 refused");
    fmpq_set_si(c->mu6, 8, 1);
    tap_ok(failed(ntk_moments_compute_order(m, p, c, 3, e, &err), NTK_ERR_RANGE, &err, "mu6")
           && ntk_moments_compute_order(m, p, c, 2, e, NULL) == NTK_OK,
           "mu6 = 8 < mu4^2: refused at order 3, unused at order 2");
    fmpq_set_si(c->mu6, 15, 1);
    tap_ok(m->order == 2 && ntk_moments_eval(r, m, NTK_E_K3, x) == NTK_ERR_RANGE
           && !ntk_moments_defined(m, NTK_E_K3, x) && ntk_moments_defined(m, NTK_E_K2, x),
           "order 2: E_K3 not computed");
    tap_ok(ntk_moments_compute_order(m, p, c, 4, e, NULL) == NTK_OK && m->order == 4
           && ntk_moments_eval(r, m, NTK_KURT_K, x) == NTK_OK && ntk_moments_defined(m, NTK_KURT_K, x),
           "order 4: Kurt_K defined at x2 = 1");
    fmpq_zero(x);
    tap_ok(!ntk_moments_defined(m, NTK_KURT_K, x) && ntk_moments_eval(r, m, NTK_KURT_K, x) == NTK_ERR_RANGE
           && fmpq_is_zero(r) && ntk_moments_eval(r, m, NTK_E_K4, x) == NTK_OK && fmpq_is_one(r),
           "order 4 at x2 = 0: Kurt_K undefined, E_K4 = 1");
    check_update(m, p, c, e, x, r);
    fmpq_clear(x); fmpq_clear(r);
    ntk_moments_clear(m); ntk_exec_clear(e); ntk_conv_clear(c); ntk_profile_clear(p);
}

/* The update's second moment: computed only on request, with the law's
   moments checked as for order 4; the target as an argument (aliasing),
   RelVar_dK undefined where E_dK = 0, the polynomial at a target. */
static void
check_update(ntk_moments_t m, ntk_profile_t p, ntk_conv_t c, ntk_exec_t e, fmpq_t x, fmpq_t r)
{
    ntk_error_t err;
    fmpq_poly_t poly;
    fmpq_t y, v;
    int ok;
    fmpq_poly_init(poly);
    fmpq_init(y); fmpq_init(v);
    fmpq_one(x);
    tap_ok(ntk_moments_compute_order(m, p, c, 2, e, NULL) == NTK_OK && !m->update
           && ntk_moments_eval(r, m, NTK_E_G2, x) == NTK_ERR_RANGE && fmpq_is_zero(r)
           && !ntk_moments_defined(m, NTK_E_N2G2, x)
           && ntk_moments_poly_target(poly, m, NTK_E_DK2, y) == NTK_ERR_RANGE,
           "without update: E_g2 .. RelVar_dK not computed");
    tap_ok(failed(ntk_moments_compute_update(NULL, p, c, 2, e, &err), NTK_ERR_RANGE, &err, "m")
           && failed(ntk_moments_compute_update(m, p, c, 5, e, &err), NTK_ERR_RANGE, &err, "order"),
           "compute_update: NULL moments, order 5");
    fmpq_set_si(c->mu8, 80, 1);
    tap_ok(failed(ntk_moments_compute_update(m, p, c, 2, e, &err), NTK_ERR_RANGE, &err, "mu8")
           && ntk_moments_compute_order(m, p, c, 3, e, NULL) == NTK_OK,
           "mu8 = 80 (no law has 3, 15, 80): refused with the update (eight paths), unused at order 3");
    fmpq_set_si(c->mu8, 105, 1);
    ok = ntk_moments_compute_update(m, p, c, 2, e, NULL) == NTK_OK && m->update && m->order == 2
         && ntk_moments_eval(r, m, NTK_E_K3, x) == NTK_ERR_RANGE;
    fmpq_set_si(y, 3, 2);
    ok &= ntk_moments_eval_target(v, m, NTK_E_DK2, x, y) == NTK_OK
          && ntk_moments_eval_target(y, m, NTK_E_DK2, x, y) == NTK_OK && fmpq_equal(v, y);
    fmpq_set_si(y, 3, 2);
    ok &= ntk_moments_eval_target(x, m, NTK_VAR_DK, x, y) == NTK_OK && fmpq_sgn(x) > 0;
    fmpq_one(x);
    ok &= ntk_moments_poly_target(poly, m, NTK_E_DK2, y) == NTK_OK
          && fmpq_poly_degree(poly) == 4
          && ntk_moments_poly_target(poly, m, NTK_RELVAR_DK, y) == NTK_ERR_RANGE
          && ntk_moments_eval_target(r, m, NTK_E_DK2, x, NULL) == NTK_ERR_RANGE;
    tap_ok(ok, "compute_update: eval_target with res aliasing y or x2, poly_target, NULL y");
    fmpq_zero(x);
    tap_ok(!ntk_moments_defined(m, NTK_RELVAR_DK, x)
           && ntk_moments_eval_target(r, m, NTK_RELVAR_DK, x, y) == NTK_ERR_RANGE
           && ntk_moments_eval(r, m, NTK_VAR_DK, x) == NTK_OK && fmpq_is_zero(r)
           && ntk_moments_digits_target(m, NTK_RELVAR_DK, x, y, 53) == 0
           && ntk_moments_digits_target(m, NTK_VAR_DK, x, NULL, 53) == -1,
           "x2 = 0: RelVar_dK undefined, Var_dK = 0; digits_target");
    fmpq_poly_clear(poly);
    fmpq_clear(y); fmpq_clear(v);
}

/* The void functions of a run in pieces cannot report a NULL argument:
   they do nothing with it (issue 22, point 9). */
static void
check_sample_acc(const ntk_profile_t p, const ntk_conv_t c, const fmpq_t x2)
{
    ntk_sample_acc_t acc, one, before;
    ntk_sample_plan_t plan;
    ntk_sample_result_t res;
    ntk_error_t err;
    memset(&one, 0, sizeof(one));
    one.q[NTK_E_K].n = 1.0;
    one.q[NTK_E_K].mean = 2.5;
    ntk_sample_acc_zero(&acc);
    ntk_sample_acc_merge(&acc, &one);
    before = acc;
    ntk_sample_acc_merge(&acc, NULL);
    ntk_sample_acc_merge(NULL, &one);
    ntk_sample_acc_zero(NULL);
    tap_ok(memcmp(&acc, &before, sizeof(acc)) == 0,
           "acc_merge(&acc, NULL), acc_merge(NULL, &next), acc_zero(NULL): nothing changes");
    tap_ok(failed(ntk_sample_acc_result(&res, &acc, NTK_SAMPLE_FULL, &err), NTK_ERR_RANGE, &err, "samples")
           && failed(ntk_sample_acc_result(NULL, &acc, NTK_SAMPLE_FULL, &err), NTK_ERR_RANGE, &err, "res")
           && failed(ntk_sample_acc_result(&res, NULL, NTK_SAMPLE_FULL, &err), NTK_ERR_RANGE, &err, "acc"),
           "acc_result: one sample, NULL result, NULL moments");
    tap_ok(ntk_sample_plan(&plan, p, c, NTK_LAW_GAUSSIAN, NTK_SAMPLE_AUTO, x2, 10, NULL) == NTK_OK
           && ntk_sample_chunk_length(NULL, 0) == 0 && ntk_sample_chunk_length(&plan, -1) == 0
           && ntk_sample_chunk_length(&plan, plan.n_chunks) == 0
           && ntk_sample_chunk_length(&plan, 0) == 10,
           "chunk_length of a NULL plan and of chunks out of range: 0");
}

static void
check_sample(void)
{
    ntk_profile_t p;
    ntk_conv_t c;
    ntk_exec_t e;
    ntk_sample_result_t res;
    ntk_error_t err;
    fmpq_t x2;
    ntk_profile_init(p); ntk_conv_init(c); ntk_exec_init(e);
    fmpq_init(x2);
    fmpq_one(x2);
    ntk_profile_set_str(p, "3,2,1", NULL);
    tap_ok(failed(ntk_sample_run(NULL, p, c, NTK_LAW_GAUSSIAN, NTK_SAMPLE_AUTO, x2, 10, 0, e, &err), NTK_ERR_RANGE, &err, "res")
           && failed(ntk_sample_run(&res, p, c, (ntk_law_t) 9, NTK_SAMPLE_AUTO, x2, 10, 0, e, &err), NTK_ERR_RANGE, &err, "law")
           && failed(ntk_sample_run(&res, p, c, NTK_LAW_GAUSSIAN, NTK_SAMPLE_AUTO, x2, 1, 0, e, &err), NTK_ERR_RANGE, &err, "samples")
           && failed(ntk_sample_run(&res, p, c, NTK_LAW_GAUSSIAN, NTK_SAMPLE_AUTO, NULL, 10, 0, e, &err), NTK_ERR_RANGE, &err, "x2")
           && failed(ntk_sample_run(&res, p, NULL, NTK_LAW_GAUSSIAN, NTK_SAMPLE_AUTO, x2, 10, 0, e, &err), NTK_ERR_RANGE, &err, "conv"),
           "sample_run: NULL result, law 9, 1 sample, NULL x2, NULL conventions");
    tap_ok(isnan(ntk_sample_zscore(NULL, 1.0, 1.0)), "zscore of NULL: NaN");
    check_sample_acc(p, c, x2);
    tap_ok(ntk_law_moment(x2, (ntk_law_t) 3, 4) == NTK_ERR_RANGE
           && ntk_law_moment(NULL, NTK_LAW_GAUSSIAN, 4) == NTK_ERR_RANGE
           && ntk_law_moment(x2, NTK_LAW_GAUSSIAN, 65) == NTK_ERR_RANGE
           && strcmp(ntk_law_name((ntk_law_t) 3), "?") == 0, "law out of range");
    fmpq_clear(x2);
    ntk_exec_clear(e); ntk_conv_clear(c); ntk_profile_clear(p);
}

static void
check_expand_limit(void)
{
    ntk_expand_t x;
    ntk_conv_t c;
    ntk_exec_t e;
    ntk_limit_t l;
    ntk_error_t err;
    fmpq_t x2, b, a;
    fmpq s[3];
    slong lo, hi;
    int k;
    ntk_expand_init(x); ntk_conv_init(c); ntk_exec_init(e);
    fmpq_init(x2); fmpq_init(b); fmpq_init(a);
    for (k = 0; k < 3; k++)
        fmpq_init(s + k);
    fmpq_one(x2);
    tap_ok(failed(ntk_expand_compute(x, 3, 0, x2, c, e, &err), NTK_ERR_RANGE, &err, "n0")
           && failed(ntk_expand_compute(x, 1, 2, x2, c, e, &err), NTK_ERR_RANGE, &err, "depth")
           && failed(ntk_expand_compute(NULL, 3, 2, x2, c, e, &err), NTK_ERR_RANGE, &err, "e")
           && failed(ntk_expand_compute(x, 3, 2, x2, c, NULL, &err), NTK_ERR_RANGE, &err, "exec"),
           "expand_compute: n0 = 0, depth 1, NULL expansion, NULL policy");
    tap_ok(ntk_expand_eval(x2, x, NTK_E_K, 3) == NTK_ERR_RANGE
           && ntk_expand_powers(&lo, &hi, x, NTK_E_K, 0) == NTK_ERR_RANGE
           && ntk_expand_ratio_series(s, x, NTK_E_K2, NTK_E_K, 2, 2) == -1,
           "an empty expansion: eval, powers, series refused");
    ntk_expand_compute(x, 3, 2, x2, c, e, NULL);
    tap_ok(ntk_expand_eval(x2, x, NTK_E_K, 0) == NTK_ERR_RANGE
           && ntk_expand_eval(x2, x, NTK_N_QUANTITIES, 3) == NTK_ERR_RANGE
           && ntk_expand_coeff(x2, x, NTK_E_K, -1, 0) == NTK_ERR_RANGE
           && ntk_expand_coeff(x2, x, NTK_E_K, 5, 0) == NTK_OK && fmpq_is_zero(x2)
           && ntk_expand_ratio_series(s, x, NTK_E_K2, NTK_E_K, 5, 2) == -1
           && ntk_expand_ratio_series(s, x, NTK_E_K2, NTK_E_K, 0, 2) == -1
           && ntk_expand_ratio_series(s, x, NTK_E_K3, NTK_E_K, 3, 2) == -1
           && ntk_expand_eval(x2, x, NTK_E_K3, 3) == NTK_ERR_RANGE
           && ntk_expand_ratio_series(s, x, NTK_E_K2, NTK_E_K, 2, -1) == -1
           && ntk_expand_ratio_series(s, x, NTK_E_K2, NTK_E_K, 2, 2) == 1,
           "expand getters: n = 0, q and j out of range, k = 0 or 5, E_K3 of an order-2 expansion, order -1");
    ntk_limit_init(l, 64);
    fmpq_one(b);
    fmpq_set_si(a, 1, 10);
    tap_ok(failed(ntk_limit_compute(l, b, a, NULL, &err), NTK_ERR_RANGE, &err, "conv")
           && failed(ntk_limit_compute(l, NULL, a, c, &err), NTK_ERR_RANGE, &err, "beta"),
           "limit_compute with NULL arguments");
    fmpq_set_si(a, -1, 1);
    tap_ok(failed(ntk_limit_compute(l, b, a, c, &err), NTK_ERR_RANGE, &err, "a"), "a < 0: %s", err.message);
    fmpq_set_si(a, 1, 10);
    fmpq_set_si(b, 2000000, 1);
    tap_ok(failed(ntk_limit_closed_form(l, b, a, c, &err), NTK_ERR_RANGE, &err, "beta"),
           "beta = 2e6: %s", err.message);
    ntk_limit_clear(l);
    fmpq_one(b);
    tap_ok(failed(ntk_limit_compute(l, b, a, c, &err), NTK_ERR_RANGE, &err, "l"),
           "limit_compute on a cleared limit: %s", err.message);
    for (k = 0; k < 3; k++)
        fmpq_clear(s + k);
    fmpq_clear(x2); fmpq_clear(b); fmpq_clear(a);
    ntk_expand_clear(x); ntk_conv_clear(c); ntk_exec_clear(e);
}

static void
check_strings(void)
{
    fmpq_t x;
    char * s[2];
    slong digits[2] = { 5, 5 };
    ntk_error_t err;
    fmpq_init(x);
    tap_ok(ntk_rational_get_str(NULL) == NULL && ntk_rational_get_decimal(NULL, 5) == NULL
           && ntk_rational_get_decimal(x, 2000000) == NULL, "strings of NULL, 2e6 digits: NULL");
    tap_ok(failed(ntk_rational_set_str(NULL, "1", "x2", &err), NTK_ERR_RANGE, &err, "x2")
           && failed(ntk_rational_set_str(x, NULL, "x2", &err), NTK_ERR_RANGE, &err, "x2")
           && ntk_rational_set_str(x, "1/2", NULL, &err) == NTK_OK,
           "rational_set_str: NULL result, NULL text; a NULL name is allowed");
    tap_ok(failed(ntk_rational_get_strs(s, s, x, digits, -1, 1, &err), NTK_ERR_RANGE, &err, "n")
           && failed(ntk_rational_get_strs(s, s, NULL, digits, 2, 1, &err), NTK_ERR_RANGE, &err, "n")
           && failed(ntk_rational_get_strs(s, s, x, digits, 1, 0, &err), NTK_ERR_RANGE, &err, "threads")
           && ntk_rational_get_strs(NULL, NULL, x, NULL, 1, 1, &err) == NTK_OK,
           "rational_get_strs: n < 0, NULL values, 0 threads; no output wanted is fine");
    tap_ok(strcmp(ntk_error_string((ntk_status_t) 99), "unknown status") == 0, "an unknown status");
    fmpq_clear(x);
}

int
main(void)
{
    check_objects();
    check_profile();
    check_compute();
    check_sample();
    check_expand_limit();
    check_strings();
    flint_cleanup();
    return tap_done();
}

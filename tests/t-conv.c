/* The conventions, the execution policy and the weight laws: defaults,
   validation (messages that begin with the parameter's name), law moments. */

#include <stdlib.h>
#include <string.h>
#include "ntkexact.h"
#include "tap.h"

/* status is an error whose param and message name `param`. */
static int
names(ntk_status_t status, const ntk_error_t * err, const char * param)
{
    return status != NTK_OK && err->status == status && strcmp(err->param, param) == 0
        && strncmp(err->message, param, strlen(param)) == 0;
}

static void
check_conv(void)
{
    ntk_conv_t c, d;
    ntk_error_t err;
    ntk_conv_init(c);
    ntk_conv_init(d);
    tap_ok(ntk_conv_validate(c, NULL) == NTK_OK && fmpq_cmp_ui(c->mu4, 3) == 0
           && fmpq_cmp_ui(c->cw_hidden, 2) == 0 && fmpq_is_one(c->cw_output)
           && c->param == NTK_PARAM_NTK && c->bias == 1, "defaults: mu4 3, c 2 and 1, NTK, biases");
    fmpq_set_si(c->mu4, 99, 100);
    tap_ok(names(ntk_conv_validate(c, &err), &err, "mu4"), "mu4 < 1 rejected: %s", err.message);
    fmpq_set_si(c->mu4, 1, 1);
    tap_ok(ntk_conv_validate(c, NULL) == NTK_OK, "mu4 = 1 accepted");
    fmpq_zero(c->cw_hidden);
    tap_ok(names(ntk_conv_validate(c, &err), &err, "cw_hidden"), "cw_hidden = 0 rejected: %s", err.message);
    fmpq_one(c->cw_hidden);
    fmpq_set_si(c->cw_output, -1, 2);
    tap_ok(names(ntk_conv_validate(c, &err), &err, "cw_output"), "cw_output < 0 rejected: %s", err.message);
    fmpq_one(c->cw_output);
    c->param = (ntk_param_t) 7;
    tap_ok(names(ntk_conv_validate(c, &err), &err, "param"), "param = 7 rejected: %s", err.message);
    c->param = NTK_PARAM_STANDARD;
    c->bias = 5;
    tap_ok(names(ntk_conv_validate(c, &err), &err, "bias"), "bias = 5 rejected: %s", err.message);
    c->bias = 0;
    ntk_conv_set(d, c);
    tap_ok(fmpq_equal(d->mu4, c->mu4) && d->param == NTK_PARAM_STANDARD && d->bias == 0
           && ntk_conv_validate(d, NULL) == NTK_OK, "ntk_conv_set copies");
    ntk_conv_clear(c);
    ntk_conv_clear(d);
}

static void
check_exec(void)
{
    ntk_exec_t e;
    ntk_error_t err;
    ntk_exec_init(e);
    tap_ok(ntk_exec_validate(e, NULL) == NTK_OK && e->threads == 1 && e->precision == 0
           && e->progress == NULL, "defaults: one thread, exact, no progress");
    e->threads = 0;
    tap_ok(names(ntk_exec_validate(e, &err), &err, "threads"), "threads = 0 rejected: %s", err.message);
    e->threads = NTK_THREADS_MAX + 1;
    tap_ok(names(ntk_exec_validate(e, &err), &err, "threads"), "threads > max rejected");
    e->threads = 2;
    e->precision = 1;
    tap_ok(names(ntk_exec_validate(e, &err), &err, "precision"), "precision 1 rejected: %s", err.message);
    e->precision = NTK_PRECISION_MAX + 1;
    tap_ok(names(ntk_exec_validate(e, &err), &err, "precision"), "precision > max rejected");
    e->precision = 53;
    tap_ok(ntk_exec_validate(e, NULL) == NTK_OK, "precision 53 accepted");
    ntk_exec_clear(e);
}

static void
check_law(void)
{
    static const char * const want[2][4] = { { "1", "3", "15", "105" }, { "1", "9/5", "27/7", "9" } };
    ntk_law_t law;
    ntk_error_t err;
    fmpq_t m;
    int l, k, ok = 1;
    fmpq_init(m);
    for (l = 0; l < 2; l++)
        for (k = 1; k <= 4; k++)
        {
            char * s;
            ntk_law_moment(m, (ntk_law_t) l, 2 * k);
            s = ntk_rational_get_str(m);
            ok &= strcmp(s, want[l][k - 1]) == 0;
            flint_free(s);
        }
    ntk_law_moment(m, NTK_LAW_GAUSSIAN, 3);
    tap_ok(ok && fmpq_is_zero(m), "moments 2, 4, 6, 8 of the Gaussian and uniform laws; odd ones 0");
    fmpq_set_si(m, 9, 5);
    tap_ok(ntk_law_from_mu4(&law, m, NULL) == NTK_OK && law == NTK_LAW_UNIFORM, "mu4 9/5: uniform");
    fmpq_set_si(m, 3, 1);
    tap_ok(ntk_law_from_mu4(&law, m, NULL) == NTK_OK && law == NTK_LAW_GAUSSIAN, "mu4 3: Gaussian");
    fmpq_set_si(m, 2, 1);
    tap_ok(names(ntk_law_from_mu4(&law, m, &err), &err, "mu4"), "mu4 2: no law: %s", err.message);
    tap_ok(strcmp(ntk_law_name(NTK_LAW_UNIFORM), "uniform") == 0
           && strcmp(ntk_law_name(NTK_LAW_GAUSSIAN), "gaussian") == 0, "law names");
    fmpq_clear(m);
}

/* The law's higher moments for the orders 3 and 4: the Hankel conditions
   and the forced values on their boundary. */
static void
check_order_law(void)
{
    /* mu4, mu6, mu8, the order, and the parameter at fault ("" if none) */
    static const char * const cases[][5] = {
        { "3", "15", "105", "4", "" }, { "9/5", "27/7", "9", "4", "" },
        { "5", "15", "105", "2", "" },          /* order 2 uses mu4 only */
        { "5", "15", "105", "3", "mu6" },       /* 15 < 25 */
        { "2", "4", "8", "4", "" },             /* W^2 in {0, 2} */
        { "2", "4", "9", "4", "mu8" },          /* ... forces mu8 = 8 */
        { "2", "6", "19", "3", "" },            /* mu8 unused at order 3 */
        { "2", "6", "19", "4", "mu8" },         /* mu8 >= mu6^2/mu4 = 18 alone is not enough */
        { "2", "6", "20", "4", "" },            /* the determinant is 0: a law exists */
        { "1", "1", "1", "4", "" },             /* Rademacher */
        { "1", "2", "4", "3", "mu6" },          /* mu4 = 1 forces mu6 = 1 */
        { "1", "1", "2", "4", "mu8" },          /* ... and mu8 = 1 */
        { "3", "15", "105", "5", "order" }, { "3", "15", "105", "1", "order" }
    };
    ntk_conv_t c;
    ntk_error_t err;
    int k, ok = 1;
    ntk_conv_init(c);
    for (k = 0; k < (int) (sizeof(cases) / sizeof(cases[0])); k++)
    {
        ntk_status_t st;
        ntk_rational_set_str(c->mu4, cases[k][0], "mu4", NULL);
        ntk_rational_set_str(c->mu6, cases[k][1], "mu6", NULL);
        ntk_rational_set_str(c->mu8, cases[k][2], "mu8", NULL);
        st = ntk_conv_validate_order(c, atoi(cases[k][3]), &err);
        if (cases[k][4][0] == '\0' ? st != NTK_OK : !names(st, &err, cases[k][4]))
        {
            ok = 0;
            tap_diag("mu4 %s mu6 %s mu8 %s order %s: status %d (%s)", cases[k][0], cases[k][1],
                     cases[k][2], cases[k][3], (int) st, st == NTK_OK ? "" : err.message);
        }
    }
    tap_ok(ok, "ntk_conv_validate_order: %d cases of the Hankel conditions and their boundary", k);
    ntk_conv_clear(c);
    ntk_conv_init(c);
    tap_ok(fmpq_equal_si(c->mu6, 15) && fmpq_equal_si(c->mu8, 105), "default mu6, mu8: 15, 105");
    ntk_conv_clear(c);
}

/* The quantities of each order: counts, orders, ratios and names. */
static void
check_quantities(void)
{
    static const char * const update[] = { "E_g2", "E_N2g2", "E_N2gww2", "E_N2gwwgwb",
                                           "E_N2gwb2", "E_dK2", "Var_dK", "RelVar_dK" };
    int q, ok = ntk_quantity_count(2) == 13 && ntk_quantity_count(3) == 21
             && ntk_quantity_count(4) == 30 && NTK_UPDATE_FIRST == 30
             && NTK_N_UPDATE_QUANTITIES == 8 && NTK_N_QUANTITIES == 38
             && ntk_quantity_count(1) == 0 && ntk_quantity_count(5) == 0;
    /* the update's second moment: after E_N8, no order, these keys */
    for (q = 0; q < NTK_N_QUANTITIES; q++)
    {
        int upd = q >= NTK_E_G2;
        ok &= ntk_quantity_is_update((ntk_quantity_t) q) == upd;
        ok &= !upd || (ntk_quantity_order((ntk_quantity_t) q) == 0
                       && strcmp(ntk_quantity_name((ntk_quantity_t) q), update[q - NTK_E_G2]) == 0);
        ok &= ntk_quantity_has_target((ntk_quantity_t) q) == (q >= NTK_E_DK2);
    }
    ok &= NTK_E_N2GWW2 == 32 && NTK_E_N2GWWGWB == 33 && NTK_E_N2GWB2 == 34
          && ntk_quantity_is_ratio(NTK_RELVAR_DK) && !ntk_quantity_is_ratio(NTK_VAR_DK)
          && !ntk_quantity_is_update(NTK_N_QUANTITIES) && !ntk_quantity_is_update(NTK_E_N8);
    ok &= ntk_quantity_order(NTK_E_N4) == 2 && ntk_quantity_order(NTK_E_K3) == 3
          && ntk_quantity_order(NTK_E_N6) == 3 && ntk_quantity_order(NTK_E_K4) == 4
          && ntk_quantity_order(NTK_E_N8) == 4 && ntk_quantity_order(NTK_N_QUANTITIES) == 0
          && ntk_quantity_order((ntk_quantity_t) -1) == 0;
    ok &= ntk_quantity_is_ratio(NTK_SKEW2_K) && ntk_quantity_is_ratio(NTK_KURT_K)
          && !ntk_quantity_is_ratio(NTK_M3_K) && !ntk_quantity_is_ratio(NTK_VAR_K);
    ok &= strcmp(ntk_quantity_name(NTK_E_KW2KB2), "E_Kw2Kb2") == 0
          && strcmp(ntk_quantity_name(NTK_SKEW2_K), "Skew2_K") == 0
          && strcmp(ntk_quantity_name(NTK_E_N8), "E_N8") == 0;
    tap_ok(ok, "quantity counts 13, 21, 30 and 8 of the update; orders; the ratios Skew2_K, "
           "Kurt_K, RelVar_dK; names");
}

int
main(void)
{
    check_conv();
    check_exec();
    check_law();
    check_order_law();
    check_quantities();
    tap_ok(strcmp(ntk_error_string(NTK_OK), "success") == 0
           && strcmp(ntk_error_string(NTK_ERR_RESOURCE), "the system refused a resource") == 0,
           "status descriptions");
    tap_ok(strcmp(ntk_quantity_name(NTK_E_DK), "E_dK") == 0
           && strcmp(ntk_quantity_name(NTK_N_QUANTITIES), "?") == 0, "quantity names");
    flint_cleanup();
    return tap_done();
}

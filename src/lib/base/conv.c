/* Conventions of the network: the weight law's fourth moment, the variances,
   the parametrization, whether biases are trained, and the activation. */

#include <string.h>
#include "error.h"

void
ntk_conv_init(ntk_conv_t c)
{
    if (c == NULL)
        return;
    fmpq_init(c->mu4);
    fmpq_init(c->cw_hidden);
    fmpq_init(c->cw_output);
    fmpq_init(c->a_plus);
    fmpq_init(c->a_minus);
    fmpq_init(c->mu6);
    fmpq_init(c->mu8);
    fmpq_set_si(c->mu4, 3, 1);
    fmpq_set_si(c->mu6, 15, 1);
    fmpq_set_si(c->mu8, 105, 1);
    fmpq_set_si(c->cw_hidden, 2, 1);
    fmpq_set_si(c->cw_output, 1, 1);
    fmpq_one(c->a_plus);
    c->param = NTK_PARAM_NTK;
    c->bias = 1;
}

void
ntk_conv_clear(ntk_conv_t c)
{
    if (c == NULL)
        return;
    fmpq_clear(c->mu4);
    fmpq_clear(c->cw_hidden);
    fmpq_clear(c->cw_output);
    fmpq_clear(c->a_plus);
    fmpq_clear(c->a_minus);
    fmpq_clear(c->mu6);
    fmpq_clear(c->mu8);
    /* fmpq's without memory: clearing again is harmless */
    fmpq_init(c->mu4);
    fmpq_init(c->cw_hidden);
    fmpq_init(c->cw_output);
    fmpq_init(c->a_plus);
    fmpq_init(c->a_minus);
    fmpq_init(c->mu6);
    fmpq_init(c->mu8);
}

void
ntk_conv_set(ntk_conv_t c, const ntk_conv_t d)
{
    if (c == NULL || d == NULL || c == d)
        return;
    fmpq_set(c->mu4, d->mu4);
    fmpq_set(c->cw_hidden, d->cw_hidden);
    fmpq_set(c->cw_output, d->cw_output);
    fmpq_set(c->a_plus, d->a_plus);
    fmpq_set(c->a_minus, d->a_minus);
    fmpq_set(c->mu6, d->mu6);
    fmpq_set(c->mu8, d->mu8);
    c->param = d->param;
    c->bias = d->bias;
}

ntk_status_t
ntk_conv_validate(const ntk_conv_t c, ntk_error_t * err)
{
    if (c == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, "conv", "conv: NULL conventions");
    if (fmpq_cmp_ui(c->mu4, 1) < 0)
        return _ntk_error_set(err, NTK_ERR_RANGE, "mu4",
            "mu4: the fourth moment of a unit-variance law is at least 1");
    if (fmpq_sgn(c->cw_hidden) <= 0)
        return _ntk_error_set(err, NTK_ERR_RANGE, "cw_hidden", "cw_hidden: must be positive");
    if (fmpq_sgn(c->cw_output) <= 0)
        return _ntk_error_set(err, NTK_ERR_RANGE, "cw_output", "cw_output: must be positive");
    if (c->param != NTK_PARAM_NTK && c->param != NTK_PARAM_STANDARD)
        return _ntk_error_set(err, NTK_ERR_RANGE, "param",
            "param: %d is neither NTK_PARAM_NTK nor NTK_PARAM_STANDARD", (int) c->param);
    if (c->bias != 0 && c->bias != 1)
        return _ntk_error_set(err, NTK_ERR_RANGE, "bias", "bias: %d is neither 0 nor 1", c->bias);
    if (fmpq_is_zero(c->a_plus) && fmpq_is_zero(c->a_minus))
        return _ntk_error_set(err, NTK_ERR_RANGE, "activation",
            "activation: the slopes are both 0 (the network would be identically 0)");
    return NTK_OK;
}

/* The conditions on mu6 (order >= 3). */
static ntk_status_t
validate_mu6(const ntk_conv_t c, ntk_error_t * err)
{
    fmpq_t t;
    int low;
    fmpq_init(t);
    fmpq_mul(t, c->mu4, c->mu4);
    low = fmpq_cmp(c->mu6, t) < 0;
    fmpq_clear(t);
    if (low)
        return _ntk_error_set(err, NTK_ERR_RANGE, "mu6",
            "mu6: the sixth moment of a unit-variance law is at least mu4^2");
    if (fmpq_is_one(c->mu4) && !fmpq_is_one(c->mu6))
        return _ntk_error_set(err, NTK_ERR_RANGE, "mu6",
            "mu6: with mu4 = 1 the law is +-1 (Rademacher) and mu6 = 1");
    return NTK_OK;
}

/* The conditions on mu8 (order 4): the 3 x 3 Hankel matrix of the even
   moments 1, 1, mu4, mu6, mu8 is positive semi-definite. */
static ntk_status_t
validate_mu8(const ntk_conv_t c, ntk_error_t * err)
{
    fmpq_t a, b, t;
    int bad, forced = 0;
    fmpq_init(a); fmpq_init(b); fmpq_init(t);
    /* (mu4 - 1)(mu8 - mu4^2) - (mu6 - mu4)^2 >= 0 */
    fmpq_sub_si(a, c->mu4, 1);
    fmpq_mul(t, c->mu4, c->mu4);
    fmpq_sub(b, c->mu8, t);
    bad = fmpq_sgn(b) < 0;
    fmpq_mul(a, a, b);
    fmpq_sub(b, c->mu6, c->mu4);
    fmpq_mul(b, b, b);
    bad |= fmpq_cmp(a, b) < 0;
    /* mu4 mu8 - mu6^2 >= 0 */
    fmpq_mul(a, c->mu4, c->mu8);
    fmpq_mul(b, c->mu6, c->mu6);
    bad |= fmpq_cmp(a, b) < 0;
    /* mu6 = mu4^2: W^2 takes the values 0 and mu4 only, and mu8 = mu4^3 */
    if (fmpq_equal(c->mu6, t))
    {
        fmpq_mul(t, t, c->mu4);
        forced = !fmpq_equal(c->mu8, t);
    }
    fmpq_clear(a); fmpq_clear(b); fmpq_clear(t);
    if (bad)
        return _ntk_error_set(err, NTK_ERR_RANGE, "mu8",
            "mu8: no unit-variance law has these mu4, mu6, mu8: it needs "
            "(mu4 - 1)(mu8 - mu4^2) >= (mu6 - mu4)^2 and mu4 mu8 >= mu6^2");
    if (forced)
        return _ntk_error_set(err, NTK_ERR_RANGE, "mu8",
            "mu8: with mu6 = mu4^2 the law has W^2 in {0, mu4} and mu8 = mu4^3");
    return NTK_OK;
}

ntk_status_t
ntk_conv_validate_order(const ntk_conv_t c, int order, ntk_error_t * err)
{
    ntk_status_t status;
    if (order < 2 || order > NTK_ORDER_MAX)
        return _ntk_error_set(err, NTK_ERR_RANGE, "order",
            "order: %d is not an order of the moments (2, 3 or 4)", order);
    if ((status = ntk_conv_validate(c, err)) != NTK_OK)
        return status;
    if (order >= 3 && (status = validate_mu6(c, err)) != NTK_OK)
        return status;
    if (order >= 4 && (status = validate_mu8(c, err)) != NTK_OK)
        return status;
    return NTK_OK;
}

void
ntk_conv_gate_moment(fmpq_t res, const ntk_conv_t c, ulong m)
{
    fmpq_t t;
    if (res == NULL || c == NULL)
        return;
    fmpq_init(t);
    fmpq_pow_si(res, c->a_plus, (slong) m);
    fmpq_pow_si(t, c->a_minus, (slong) m);
    fmpq_add(res, res, t);
    fmpq_div_2exp(res, res, 1);
    fmpq_clear(t);
}

ntk_status_t
ntk_conv_critical(fmpq_t res, const ntk_conv_t c)
{
    if (res == NULL || c == NULL || (fmpq_is_zero(c->a_plus) && fmpq_is_zero(c->a_minus)))
        return NTK_ERR_RANGE;
    ntk_conv_gate_moment(res, c, 2);
    fmpq_inv(res, res);
    return NTK_OK;
}

int
ntk_conv_is_relu(const ntk_conv_t c)
{
    return c != NULL && fmpq_is_one(c->a_plus) && fmpq_is_zero(c->a_minus);
}

/* Reads the rational of [s, end) into r. */
static ntk_status_t
read_slope(fmpq_t r, const char * s, size_t len, const char * spec, ntk_error_t * err)
{
    char buf[128];
    ntk_status_t st;
    if (len == 0 || len >= sizeof(buf))
        return _ntk_error_set(err, NTK_ERR_SYNTAX, "activation",
            "activation '%.60s': a slope is %s", spec, len == 0 ? "missing" : "too long");
    memcpy(buf, s, len);
    buf[len] = '\0';
    st = ntk_rational_set_str(r, buf, "activation", err);
    if (st != NTK_OK)
        _ntk_error_set(err, st, "activation",
            "activation '%.60s': the slope '%s' is not an exact rational", spec, buf);
    return st;
}

ntk_status_t
ntk_conv_set_activation_str(ntk_conv_t c, const char * spec, ntk_error_t * err)
{
    fmpq_t p, m;
    ntk_status_t st = NTK_OK;
    if (c == NULL || spec == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, "activation", "activation: NULL argument");
    fmpq_init(p);
    fmpq_init(m);
    fmpq_one(p);
    if (strcmp(spec, "relu") == 0)
        fmpq_zero(m);
    else if (strcmp(spec, "linear") == 0)
        fmpq_one(m);
    else if (strcmp(spec, "abs") == 0)
        fmpq_set_si(m, -1, 1);
    else if (strncmp(spec, "leaky:", 6) == 0)
        st = read_slope(m, spec + 6, strlen(spec + 6), spec, err);
    else if (strncmp(spec, "slopes:", 7) == 0)
    {
        const char * comma = strchr(spec + 7, ',');
        if (comma == NULL || strchr(comma + 1, ',') != NULL)
            st = _ntk_error_set(err, NTK_ERR_SYNTAX, "activation",
                "activation '%.60s': slopes:A_PLUS,A_MINUS takes two rationals", spec);
        else if ((st = read_slope(p, spec + 7, (size_t) (comma - spec - 7), spec, err)) == NTK_OK)
            st = read_slope(m, comma + 1, strlen(comma + 1), spec, err);
    }
    else
        st = _ntk_error_set(err, NTK_ERR_SYNTAX, "activation",
            "activation '%.60s' is not one of relu, linear, abs, leaky:ALPHA, slopes:A_PLUS,A_MINUS",
            spec);
    if (st == NTK_OK && fmpq_is_zero(p) && fmpq_is_zero(m))
        st = _ntk_error_set(err, NTK_ERR_RANGE, "activation",
            "activation '%.60s': the slopes are both 0 (the network would be identically 0)", spec);
    if (st == NTK_OK)
    {
        fmpq_set(c->a_plus, p);
        fmpq_set(c->a_minus, m);
    }
    fmpq_clear(p);
    fmpq_clear(m);
    return st;
}

char *
ntk_conv_get_activation_str(const ntk_conv_t c)
{
    char * p, * m, * s;
    if (c == NULL)
        return NULL;
    p = ntk_rational_get_str(c->a_plus);
    m = ntk_rational_get_str(c->a_minus);
    s = flint_malloc(strlen(p) + strlen(m) + 16);
    if (!fmpq_is_one(c->a_plus))
        flint_sprintf(s, "slopes:%s,%s", p, m);
    else if (fmpq_is_zero(c->a_minus))
        strcpy(s, "relu");
    else if (fmpq_is_one(c->a_minus))
        strcpy(s, "linear");
    else if (fmpq_cmp_si(c->a_minus, -1) == 0)
        strcpy(s, "abs");
    else
        flint_sprintf(s, "leaky:%s", m);
    flint_free(p);
    flint_free(m);
    return s;
}

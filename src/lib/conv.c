/* Conventions of the network: the weight law's fourth moment, the variances,
   the parametrization and whether biases are trained. */

#include "error.h"

void
ntk_conv_init(ntk_conv_t c)
{
    if (c == NULL)
        return;
    fmpq_init(c->mu4);
    fmpq_init(c->cw_hidden);
    fmpq_init(c->cw_output);
    fmpq_set_si(c->mu4, 3, 1);
    fmpq_set_si(c->cw_hidden, 2, 1);
    fmpq_set_si(c->cw_output, 1, 1);
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
    /* an fmpq without memory: clearing again is harmless */
    fmpq_init(c->mu4);
    fmpq_init(c->cw_hidden);
    fmpq_init(c->cw_output);
}

void
ntk_conv_set(ntk_conv_t c, const ntk_conv_t d)
{
    if (c == NULL || d == NULL || c == d)
        return;
    fmpq_set(c->mu4, d->mu4);
    fmpq_set(c->cw_hidden, d->cw_hidden);
    fmpq_set(c->cw_output, d->cw_output);
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
    return NTK_OK;
}

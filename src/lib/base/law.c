/* The weight laws of the sampler and their moments. */

#include "error.h"

ntk_status_t
ntk_law_moment(fmpq_t res, ntk_law_t law, ulong k)
{
    ulong j;
    if (res == NULL || (law != NTK_LAW_GAUSSIAN && law != NTK_LAW_UNIFORM) || k > 64)
        return NTK_ERR_RANGE;
    fmpq_one(res);
    if (k % 2 != 0)
    {
        fmpq_zero(res);
        return NTK_OK;
    }
    if (law == NTK_LAW_UNIFORM)
    {
        /* E[W^k] = 3^(k/2) / (k + 1) on [-sqrt 3, sqrt 3] */
        fmpz_set_ui(fmpq_numref(res), 3);
        fmpz_pow_ui(fmpq_numref(res), fmpq_numref(res), k / 2);
        fmpz_set_ui(fmpq_denref(res), k + 1);
        fmpq_canonicalise(res);
        return NTK_OK;
    }
    for (j = 1; j < k; j += 2)      /* (k-1)!! */
        fmpq_mul_ui(res, res, j);
    return NTK_OK;
}

const char *
ntk_law_name(ntk_law_t law)
{
    return law == NTK_LAW_UNIFORM ? "uniform" : law == NTK_LAW_GAUSSIAN ? "gaussian" : "?";
}

ntk_status_t
ntk_law_from_mu4(ntk_law_t * law, const fmpq_t mu4, ntk_error_t * err)
{
    fmpq_t m;
    int k, found = 0;
    if (law == NULL || mu4 == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, "mu4", "mu4: NULL argument");
    fmpq_init(m);
    for (k = NTK_LAW_GAUSSIAN; k <= NTK_LAW_UNIFORM && !found; k++)
    {
        ntk_law_moment(m, (ntk_law_t) k, 4);
        if (fmpq_equal(m, mu4))
        {
            *law = (ntk_law_t) k;
            found = 1;
        }
    }
    fmpq_clear(m);
    if (!found)
        return _ntk_error_set(err, NTK_ERR_RANGE, "mu4",
            "mu4: sampling draws Gaussian (mu4 = 3) or uniform (mu4 = 9/5) weights only");
    return NTK_OK;
}

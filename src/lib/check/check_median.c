/* The thresholds of the decision rules: the Bonferroni threshold of normal
   z-scores, and the plan of the median of means, whose false-alarm bound
   holds for any law with the exact variance (doc/derivation.md, section 15). */

#include <math.h>
#include "base/error.h"
#include "check.h"

/* The largest number of blocks tried: the optimum grows like 2.5 ln(1/alpha)
   (21 blocks at alpha = 1e-4, about 550 at 1e-100). */
#define CHECK_BLOCKS_MAX 1001

/* The relative error that the sums in double precision below can make is
   below 1e-12; the bounds are inflated by this much to stay bounds. */
#define CHECK_ROUNDING (1.0 + 1e-9)

double
ntk_check_threshold(double alpha, slong quantities)
{
    double lo = 0.0, hi = 40.0, target;
    int i;
    if (!(alpha > 0 && alpha < 1) || quantities < 1)
        return NAN;
    /* P(|Z| > z) = erfc(z / sqrt 2) = alpha / quantities */
    target = alpha / (double) quantities;
    for (i = 0; i < 200; i++)
    {
        double mid = 0.5 * (lo + hi);
        if (erfc(mid / sqrt(2.0)) > target)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

double
_ntk_check_binomial_tail(slong k, double p)
{
    double lp, lq, lk, mx = -INFINITY, sum = 0.0, t[CHECK_BLOCKS_MAX + 1];
    slong i, h = (k + 1) / 2;
    if (p <= 0)
        return 0.0;
    if (p >= 1)
        return 1.0;
    lp = log(p);
    lq = log1p(-p);
    lk = lgamma((double) k + 1.0);
    for (i = h; i <= k; i++)
    {
        t[i] = lk - lgamma((double) i + 1.0) - lgamma((double) (k - i) + 1.0)
               + (double) i * lp + (double) (k - i) * lq;
        mx = FLINT_MAX(mx, t[i]);
    }
    for (i = h; i <= k; i++)
        sum += exp(t[i] - mx);
    return FLINT_MIN(1.0, exp(mx) * sum * CHECK_ROUNDING);
}

double
_ntk_check_median_bound(slong k, double t)
{
    double one_sided = 2.0 * _ntk_check_binomial_tail(k, 1.0 / (1.0 + t * t));
    double two_sided = t > 1 ? _ntk_check_binomial_tail(k, 1.0 / (t * t)) : 1.0;
    return FLINT_MIN(1.0, FLINT_MIN(one_sided, two_sided));
}

double
_ntk_check_median_t(slong k, double alpha, int two)
{
    double lo = 1e-3, hi = 1e9;
    int i;
    for (i = 0; i < 100 && hi > lo * (1.0 + 1e-9); i++)
    {
        double mid = sqrt(lo * hi);
        double b = two ? _ntk_check_median_bound(k, mid)
                       : _ntk_check_binomial_tail(k, 1.0 / (1.0 + mid * mid));
        if (b <= alpha)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

/* The samples of the smallest block of k over the plan's chunks. */
static slong
check_min_block(const ntk_check_median_t * plan, slong k)
{
    slong b, least = plan->samples;
    for (b = 0; b < k; b++)
    {
        slong c0 = b * plan->n_chunks / k, c1 = (b + 1) * plan->n_chunks / k;
        slong size = FLINT_MIN(plan->samples, c1 * plan->chunk_size) - c0 * plan->chunk_size;
        least = FLINT_MIN(least, size);
    }
    return least;
}

ntk_status_t
ntk_check_median_plan(ntk_check_median_t * plan, double alpha, slong samples, slong chunk_size,
                      ntk_error_t * err)
{
    slong k, kmax;
    double best = INFINITY;
    if (plan == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, "plan", "plan: NULL argument");
    if (!(alpha > 0 && alpha < 1))
        return _ntk_error_set(err, NTK_ERR_RANGE, "alpha", "alpha: %g is not in (0, 1)", alpha);
    if (samples < 2 || chunk_size < 1)
        return _ntk_error_set(err, NTK_ERR_RANGE, "samples",
                              "samples: need at least 2 samples and chunks of at least 1");
    plan->samples = samples;
    plan->chunk_size = chunk_size;
    plan->n_chunks = (samples + chunk_size - 1) / chunk_size;
    plan->blocks = 0;
    kmax = FLINT_MIN(plan->n_chunks, CHECK_BLOCKS_MAX);
    for (k = 1; k <= kmax; k += 2)
    {
        slong least = check_min_block(plan, k);
        double t, threshold;
        if (least < 2)
            break;
        /* the threshold is flat near its optimum and grows beyond: stop early */
        if (plan->blocks > 0 && k > 3 * plan->blocks + 50)
            break;
        t = _ntk_check_median_t(k, alpha, 1);
        threshold = t * sqrt((double) samples / (double) least);
        if (threshold < best)
        {
            best = threshold;
            plan->blocks = k;
            plan->min_block = least;
            plan->t = t;
        }
    }
    plan->bound = _ntk_check_median_bound(plan->blocks, plan->t);
    plan->threshold = best;
    plan->catches = (plan->t + _ntk_check_median_t(plan->blocks, alpha, 0))
                    * sqrt((double) samples / (double) plan->min_block);
    return NTK_OK;
}

slong
ntk_check_median_block(const ntk_check_median_t * plan, slong c)
{
    /* block b holds the chunks [b n / k, (b + 1) n / k): the largest b with
       b n / k <= c (integer division) */
    slong b = (c * plan->blocks) / plan->n_chunks;
    while (b + 1 < plan->blocks && (b + 1) * plan->n_chunks / plan->blocks <= c)
        b++;
    while (b > 0 && b * plan->n_chunks / plan->blocks > c)
        b--;
    return b;
}

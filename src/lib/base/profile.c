/* Width profiles: parsing, validation and run-length storage. */

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "error.h"

void
ntk_profile_init(ntk_profile_t p)
{
    if (p == NULL)
        return;
    p->n_runs = 0;
    p->width = NULL;
    p->count = NULL;
    p->depth = -1;
}

void
ntk_profile_clear(ntk_profile_t p)
{
    if (p == NULL)
        return;
    flint_free(p->width);
    flint_free(p->count);
    ntk_profile_init(p);
}

/* Appends count widths of w, merging with the last run when equal. */
static void
profile_push(ntk_profile_t p, ulong w, slong count, slong * alloc)
{
    if (p->n_runs > 0 && p->width[p->n_runs - 1] == w)
    {
        p->count[p->n_runs - 1] += count;
        return;
    }
    if (p->n_runs == *alloc)
    {
        *alloc = FLINT_MAX(8, 2 * *alloc);
        p->width = flint_realloc(p->width, *alloc * sizeof(ulong));
        p->count = flint_realloc(p->count, *alloc * sizeof(slong));
    }
    p->width[p->n_runs] = w;
    p->count[p->n_runs] = count;
    p->n_runs++;
}

/* Reads a positive decimal integer <= max from [s, end); 0 on any failure. */
static ulong
parse_positive(const char * s, const char * end, ulong max)
{
    ulong v = 0;
    if (s == end)
        return 0;
    for (; s < end; s++)
    {
        if (!isdigit((unsigned char) *s))
            return 0;
        if (v > (max - (ulong) (*s - '0')) / 10)
            return 0;
        v = 10 * v + (ulong) (*s - '0');
    }
    return v;
}

/* Why [s, end) is not a positive integer <= max, for the error message. */
static const char *
positive_problem(const char * s, const char * end, ulong max)
{
    const char * t;
    if (s == end)
        return "is empty";
    if (*s == '-')
        return "is negative";
    for (t = s; t < end; t++)
        if (!isdigit((unsigned char) *t))
            return "is not a positive integer";
    if (parse_positive(s, end, max) == 0)
    {
        for (t = s; t < end && *t == '0'; t++)
            ;
        return t == end ? "is zero" : "is too large";
    }
    return "is invalid";
}

static ntk_status_t
profile_check_end(ntk_profile_t p, const char * spec, ntk_error_t * err)
{
    slong total = 0, r;
    for (r = 0; r < p->n_runs; r++)
        total += p->count[r];
    if (total < 2)
        return _ntk_error_set(err, NTK_ERR_SYNTAX, "widths",
            "widths '%s': need at least an input and an output width (n_0,...,n_d with n_d = 1)",
            spec);
    if (p->width[p->n_runs - 1] != 1)
        return _ntk_error_set(err, NTK_ERR_RANGE, "widths",
            "widths '%s': the last width is %lu, but the output layer must have width 1 (missing output layer?)",
            spec, (unsigned long) p->width[p->n_runs - 1]);
    p->depth = total - 1;
    return NTK_OK;
}

ntk_status_t
ntk_profile_set_str(ntk_profile_t p, const char * spec, ntk_error_t * err)
{
    const char * item = spec;
    slong alloc = 0, total = 0;
    if (p == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, "p", "p: NULL profile");
    ntk_profile_clear(p);
    if (spec == NULL || *spec == '\0')
        return _ntk_error_set(err, NTK_ERR_SYNTAX, "widths", "widths: the profile is empty");
    for (;;)
    {
        const char * end = strchr(item, ',');
        const char * x;
        ulong w;
        slong count = 1;
        int len;
        if (end == NULL)
            end = item + strlen(item);
        len = (int) FLINT_MIN(end - item, 60);
        x = memchr(item, 'x', end - item);
        w = parse_positive(item, x ? x : end, NTK_WIDTH_MAX);
        if (w == 0)
        {
            ntk_profile_clear(p);
            return _ntk_error_set(err, NTK_ERR_SYNTAX, "widths",
                "widths: item '%.*s' %s (widths are positive integers <= 2^40; NxK repeats N K times)",
                len, item, positive_problem(item, x ? x : end, NTK_WIDTH_MAX));
        }
        if (x != NULL)
        {
            count = (slong) parse_positive(x + 1, end, (ulong) NTK_LAYERS_MAX);
            if (count == 0)
            {
                ntk_profile_clear(p);
                return _ntk_error_set(err, NTK_ERR_SYNTAX, "widths",
                    "widths: item '%.*s': the repeat count %s",
                    len, item, positive_problem(x + 1, end, (ulong) NTK_LAYERS_MAX));
            }
        }
        total += count;
        if (total > NTK_LAYERS_MAX)
        {
            ntk_profile_clear(p);
            return _ntk_error_set(err, NTK_ERR_RANGE, "widths",
                "widths: item '%.*s' makes the profile longer than 2^40 widths", len, item);
        }
        profile_push(p, w, count, &alloc);
        if (*end == '\0')
            break;
        item = end + 1;
    }
    if (profile_check_end(p, spec, err) != NTK_OK)
    {
        ntk_profile_clear(p);
        return err ? err->status : NTK_ERR_RANGE;
    }
    return NTK_OK;
}

ntk_status_t
ntk_profile_set_widths(ntk_profile_t p, const ulong * widths, slong len,
                       ntk_error_t * err)
{
    slong i, alloc = 0;
    if (p == NULL || (widths == NULL && len > 0))
        return _ntk_error_set(err, NTK_ERR_RANGE, "widths", "widths: NULL argument");
    if (len < 0 || len > NTK_LAYERS_MAX)
        return _ntk_error_set(err, NTK_ERR_RANGE, "widths", "widths: %ld widths (need 2..2^40)",
                              (long) len);
    ntk_profile_clear(p);
    for (i = 0; i < len; i++)
    {
        if (widths[i] == 0 || widths[i] > NTK_WIDTH_MAX)
        {
            ntk_profile_clear(p);
            return _ntk_error_set(err, NTK_ERR_RANGE, "widths",
                "widths: width n_%ld = %lu is not in 1..2^40", (long) i, (unsigned long) widths[i]);
        }
        profile_push(p, widths[i], 1, &alloc);
    }
    if (profile_check_end(p, "(array)", err) != NTK_OK)
    {
        ntk_profile_clear(p);
        return err ? err->status : NTK_ERR_RANGE;
    }
    return NTK_OK;
}

void
ntk_profile_set(ntk_profile_t p, const ntk_profile_t q)
{
    slong alloc = 0, r;
    if (p == q || p == NULL || q == NULL)
        return;
    ntk_profile_clear(p);
    for (r = 0; r < q->n_runs; r++)
        profile_push(p, q->width[r], q->count[r], &alloc);
    p->depth = q->depth;
}

slong
ntk_profile_depth(const ntk_profile_t p)
{
    return p == NULL ? -1 : p->depth;
}

ulong
ntk_profile_width(const ntk_profile_t p, slong i)
{
    slong r;
    if (p == NULL || i < 0)
        return 0;
    for (r = 0; r < p->n_runs; r++)
    {
        if (i < p->count[r])
            return p->width[r];
        i -= p->count[r];
    }
    return 0;
}

char *
ntk_profile_get_str(const ntk_profile_t p)
{
    slong r, len = 0;
    char * s;
    if (p == NULL)
        return NULL;
    s = flint_malloc(48 * (p->n_runs + 1));
    s[0] = '\0';
    for (r = 0; r < p->n_runs; r++)
    {
        if (p->count[r] == 1)
            len += flint_sprintf(s + len, "%s%wu", r ? "," : "", p->width[r]);
        else
            len += flint_sprintf(s + len, "%s%wux%wd", r ? "," : "",
                                 p->width[r], p->count[r]);
    }
    return s;
}

double
ntk_profile_beta(const ntk_profile_t p)
{
    slong r, i = 0;
    double beta = 0.0;
    if (p == NULL)
        return 0.0;
    for (r = 0; r < p->n_runs; r++)
    {
        /* widths n_1 .. n_{d-1} of run r */
        slong lo = FLINT_MAX(i, 1), hi = FLINT_MIN(i + p->count[r], p->depth);
        if (hi > lo)
            beta += (double) (hi - lo) / (double) p->width[r];
        i += p->count[r];
    }
    return beta;
}

/* The transfer recursion in floating point (MPFR), for profiles beyond exact
   reach.

   The same layer tables as the exact pass, turned into dense matrices over
   the live states (every block holds at least two paths: the others are
   always zero), and raised to the length of each run of identical layers by
   repeated squaring: O(log d) matrix products for a uniform profile.  All
   entries are non-negative, so products lose no digits to cancellation; the
   working precision carries NTK_GUARD_BITS guard bits. */

#include <mpfr.h>
#include <string.h>
#include "transfer.h"

/* A square matrix over the live states. */
typedef struct
{
    int n;
    mpfr_t * e;   /* row-major, n x n */
}
dense_t;

static void
dense_init(dense_t * m, int n, mpfr_prec_t prec)
{
    int k;
    m->n = n;
    m->e = flint_malloc(FLINT_MAX(n * n, 1) * sizeof(mpfr_t));
    for (k = 0; k < n * n; k++)
    {
        mpfr_init2(m->e[k], prec);
        mpfr_set_zero(m->e[k], 1);
    }
}

static void
dense_clear(dense_t * m)
{
    int k;
    for (k = 0; k < m->n * m->n; k++)
        mpfr_clear(m->e[k]);
    flint_free(m->e);
}

/* c <- a b (c distinct from a and b). */
static void
dense_mul(dense_t * c, const dense_t * a, const dense_t * b, mpfr_t tmp)
{
    int i, j, k, n = a->n;
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++)
        {
            mpfr_set_zero(c->e[i * n + j], 1);
            for (k = 0; k < n; k++)
                if (!mpfr_zero_p(a->e[i * n + k]) && !mpfr_zero_p(b->e[k * n + j]))
                {
                    mpfr_mul(tmp, a->e[i * n + k], b->e[k * n + j], MPFR_RNDN);
                    mpfr_add(c->e[i * n + j], c->e[i * n + j], tmp, MPFR_RNDN);
                }
        }
}

/* v <- a v, with w as scratch. */
static void
dense_apply(mpfr_t * v, mpfr_t * w, const dense_t * a, mpfr_t tmp)
{
    int i, k, n = a->n;
    for (i = 0; i < n; i++)
    {
        mpfr_set_zero(w[i], 1);
        for (k = 0; k < n; k++)
            if (!mpfr_zero_p(a->e[i * n + k]) && !mpfr_zero_p(v[k]))
            {
                mpfr_mul(tmp, a->e[i * n + k], v[k], MPFR_RNDN);
                mpfr_add(w[i], w[i], tmp, MPFR_RNDN);
            }
    }
    for (i = 0; i < n; i++)
        mpfr_swap(v[i], w[i]);
}

/* Every state of a reachable space can be non-zero, in each phase. */
static int
live_states(int * dense_of, const _ntk_space_t * space, int phases)
{
    int s;
    for (s = 0; s < phases * space->n_states; s++)
        dense_of[s] = s;
    return phases * space->n_states;
}

/* The dense matrix of one layer: the exact table, and the alive empty
   state's stay (1 - 2^-n, or 1 when no layer can shut) and move to the dead
   empty state (2^-n), in floating point. */
static void
dense_layer(dense_t * m, const _ntk_space_t * space, const int * dense_of, int phases,
            const ntk_conv_struct * conv, ulong n_prev, ulong n_cur, int hidden)
{
    _ntk_layer_t * layer = flint_malloc(sizeof(_ntk_layer_t));
    _ntk_layer_kind_t kind;
    fmpq_t f;
    int k;
    fmpq_init(f);
    _ntk_layer_kind_init(&kind, conv, n_prev, n_cur, hidden, phases == 2);
    _ntk_layer_init(layer, space, &kind);
    for (k = 0; k < layer->n_trans; k++)
    {
        int i = dense_of[layer->from[k]], j = dense_of[layer->to[k]];
        if (i < 0 || j < 0)
            continue;
        fmpq_set_fmpz_frac(f, layer->factor + k, layer->scale);
        fmpq_get_mpfr(m->e[i * m->n + j], f, MPFR_RNDN);
    }
    if (space->empty >= 0 && hidden)
    {
        int a = dense_of[space->empty];
        mpfr_t * e = &m->e[a * (m->n + 1)];
        if (!kind.dying)
            mpfr_set_ui(*e, 1, MPFR_RNDN);
        else
        {
            mpfr_set_ui_2exp(*e, 1, -(mpfr_exp_t) FLINT_MIN(n_cur, (ulong) WORD(1) << 40), MPFR_RNDN);
            if (phases == 2)
                mpfr_set(m->e[a * m->n + dense_of[space->n_states + space->empty]], *e, MPFR_RNDN);
            mpfr_ui_sub(*e, 1, *e, MPFR_RNDN);
        }
    }
    _ntk_layer_clear(layer);
    _ntk_layer_kind_clear(&kind);
    flint_free(layer);
    fmpq_clear(f);
}

/* v <- T^count v for the layer kind (n_prev, n_cur, hidden), by squaring. */
static void
apply_group(mpfr_t * v, mpfr_t * w, const _ntk_space_t * space, const int * dense_of,
            int n_dense, int phases, const _ntk_run_t * run, ulong n_prev, ulong n_cur,
            int hidden, slong count, mpfr_prec_t prec)
{
    dense_t pw, sq;
    mpfr_t tmp;
    if (count <= 0)
        return;
    mpfr_init2(tmp, prec);
    dense_init(&pw, n_dense, prec);
    dense_init(&sq, n_dense, prec);
    dense_layer(&pw, space, dense_of, phases, run->conv, n_prev, n_cur, hidden);
    for (;;)
    {
        if (count & 1)
            dense_apply(v, w, &pw, tmp);
        count >>= 1;
        if (count == 0)
            break;
        dense_mul(&sq, &pw, &pw, tmp);
        { dense_t t = pw; pw = sq; sq = t; }
    }
    dense_clear(&pw);
    dense_clear(&sq);
    mpfr_clear(tmp);
}

/* res <- the exact value of the floating-point x (a dyadic rational). */
static void
fmpq_set_mpfr_exact(fmpq_t res, const mpfr_t x)
{
    mpz_t z;
    fmpz_t m, p;
    mpfr_exp_t e;
    if (mpfr_zero_p(x))
    {
        fmpq_zero(res);
        return;
    }
    mpz_init(z);
    fmpz_init(m);
    fmpz_init(p);
    e = mpfr_get_z_2exp(z, x);
    fmpz_set_mpz(m, z);
    if (e >= 0)
    {
        fmpz_mul_2exp(m, m, (ulong) e);
        fmpz_one(p);
        fmpq_set_fmpz_frac(res, m, p);
    }
    else
    {
        fmpz_one(p);
        fmpz_mul_2exp(p, p, (ulong) -e);
        fmpq_set_fmpz_frac(res, m, p);
    }
    mpz_clear(z);
    fmpz_clear(m);
    fmpz_clear(p);
}

/* res <- x exactly, or NTK_ERR_RANGE when x is not a number of modest
   exponent (its exact form would not fit in memory). */
static ntk_status_t
set_exact_checked(fmpq_t res, const mpfr_t x)
{
    if (!mpfr_zero_p(x) && (!mpfr_number_p(x) || FLINT_ABS(mpfr_get_exp(x)) > _NTK_MPFR_EXP_MAX))
    {
        fmpq_zero(res);
        return NTK_ERR_RANGE;
    }
    fmpq_set_mpfr_exact(res, x);
    return NTK_OK;
}

ntk_status_t
_ntk_transfer_mpfr_run(fmpq_t res, fmpq_t at_zero, const _ntk_term_t * term,
                       const _ntk_run_t * run, mpfr_prec_t prec)
{
    const ntk_profile_struct * p = run->profile;
    const _ntk_space_t * space;
    int dense_of[2 * _NTK_MAX_STATES], n_dense, k, phases;
    mpfr_t v[2 * _NTK_MAX_STATES], w[2 * _NTK_MAX_STATES];
    slong r, first = 0, d = p->depth;
    ntk_status_t status = NTK_OK, st;
    /* this thread's exponent range, widest while it works: deep networks
       with cw != 2 leave the default range of 2^(+-2^30) */
    mpfr_exp_t emin = mpfr_get_emin(), emax = mpfr_get_emax();
    mpfr_set_emin(mpfr_get_emin_min());
    mpfr_set_emax(mpfr_get_emax_max());
    space = _ntk_space_of(term);
    phases = _ntk_transfer_phases(term, run->conv);
    n_dense = live_states(dense_of, space, phases);
    for (k = 0; k < n_dense; k++)
    {
        mpfr_init2(v[k], prec);
        mpfr_init2(w[k], prec);
        mpfr_set_zero(v[k], 1);
    }
    mpfr_set_ui(v[dense_of[space->terminal]], 1, MPFR_RNDN);
    if (phases == 2)
        mpfr_set_ui(v[dense_of[space->n_states + space->terminal]], 1, MPFR_RNDN);
    for (r = 0; r < p->n_runs; r++)
        first += p->count[r];
    /* run r holds the widths at positions first .. first + count - 1; layer i
       joins widths i-1 and i; the layers are taken from the output down */
    for (r = p->n_runs - 1; r >= 0 && status == NTK_OK; r--)
    {
        ulong wr = p->width[r];
        slong hi;
        first -= p->count[r];
        hi = first + p->count[r] - 1;
        if (hi == d)
        {
            apply_group(v, w, space, dense_of, n_dense, phases, run,
                        p->count[r] > 1 ? wr : p->width[r - 1], wr, 0, 1, prec);
            hi--;
        }
        apply_group(v, w, space, dense_of, n_dense, phases, run, wr, wr, 1, hi - first, prec);
        if (first >= 1 && first <= hi)
            apply_group(v, w, space, dense_of, n_dense, phases, run, p->width[r - 1], wr, 1, 1,
                        prec);
        if (_ntk_progress_add(run->progress, p->count[r] - (r == 0)))
            status = NTK_ERR_INTERRUPTED;
    }
    st = set_exact_checked(res, v[dense_of[space->start]]);
    if (at_zero != NULL)
    {
        if (phases == 2 && st == NTK_OK)
            st = set_exact_checked(at_zero, v[dense_of[space->n_states + space->empty]]);
        else
            fmpq_zero(at_zero);
    }
    if (status == NTK_OK)
        status = st;
    mpfr_set_emin(emin);
    mpfr_set_emax(emax);
    for (k = 0; k < n_dense; k++)
    {
        mpfr_clear(v[k]);
        mpfr_clear(w[k]);
    }
    return status;
}

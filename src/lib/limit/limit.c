/* The depth-to-width limit: hidden width n and depth d to infinity with
   beta = (d - 1)/n fixed, x2/n_0 = a fixed (NTK parametrization, c = 2 in the
   hidden layers).  See doc/derivation.md, section 8.

   In the limit only the states whose blocks are pairs survive.  Between marks
   the three pairings of four paths evolve, per unit of t = layer/n, with the
   generator G = -I + 2J (J all ones): a pairing reaches {0123} with weight
   2/n and leaves it for each pairing with weight 1, the rest is O(1/n^2).  A
   mark is placed at rate n dt: a weight mark with relative weight 1 where its
   two paths share a block, a bias pair is born with weight 1/2.  Each path
   pair brings a factor n (first layer or birth) and c_d/n (last layer), so
   E[term] = n^#marks start' exp(beta M) end + O(n^(#marks - 1)), with M the
   generator plus the mark placements on the states (placed marks, pairing). */

#include <mpfr.h>
#include <string.h>
#include "base/error.h"
#include "limit.h"
#include "engine/space.h"

/* The continuum states of a term: the empty state and the pairings. */
typedef struct
{
    const _ntk_space_t * space;
    int n;
    int state[_NTK_MAX_STATES];   /* continuum index -> state of the space */
    int index[_NTK_MAX_STATES];   /* state of the space -> continuum index or -1 */
}
pairing_space_t;

static void
pairing_space_init(pairing_space_t * ps, const _ntk_space_t * space)
{
    int s;
    ps->space = space;
    ps->n = 0;
    for (s = 0; s < space->n_states; s++)
    {
        const _ntk_pattern_t * pat = &space->state[s].pattern;
        int present = _ntk_pattern_n_present(pat, space->term.n_paths);
        ps->index[s] = -1;
        if (2 * pat->n_blocks == present)
        {
            int size[_NTK_MAX_PATHS] = { 0 }, p, ok = 1;
            for (p = 0; p < space->term.n_paths; p++)
                if (pat->block[p] >= 0)
                    ok &= ++size[(int) pat->block[p]] <= 2;
            if (ok)
            {
                ps->index[s] = ps->n;
                ps->state[ps->n++] = s;
            }
        }
    }
}

/* The continuum index of (done, pat with paths p, q added as a new block). */
static int
with_new_pair(const pairing_space_t * ps, int done, const _ntk_pattern_t * pat, int p, int q)
{
    _ntk_pattern_t t = *pat, canon;
    int k, map[_NTK_MAX_PATHS * 2], next = 0;
    t.block[p] = t.block[q] = (signed char) t.n_blocks;
    t.n_blocks++;
    /* renumber blocks in order of first appearance */
    for (k = 0; k < 2 * _NTK_MAX_PATHS; k++)
        map[k] = -1;
    canon = t;
    for (k = 0; k < ps->space->term.n_paths; k++)
        if (t.block[k] >= 0)
        {
            if (map[(int) t.block[k]] < 0)
                map[(int) t.block[k]] = next++;
            canon.block[k] = (signed char) map[(int) t.block[k]];
        }
    return ps->index[_ntk_space_find(ps->space, done, &canon)];
}

/* M: the generator within each set of placed marks, and the placements.
   Per unit of t = layer/n a pairing of four paths stays with weight 1 - u,
   merges into {0123} with r u (r = A_4/A_2^2), and {0123} splits back into
   each pairing with 1 - u: G = -I + r J on the pairings (ReLU: r = 2).  A
   weight mark is placed with relative weight 1 where its paths share a
   block, a bias pair is born with A_2 (ReLU: 1/2). */
static void
limit_generator(mpfr_t * m, const pairing_space_t * ps, int bias, const mpfr_t r,
                const mpfr_t a2)
{
    const _ntk_term_t * term = &ps->space->term;
    int i, j, k, n = ps->n;
    for (i = 0; i < n * n; i++)
        mpfr_set_zero(m[i], 1);
    for (i = 0; i < n; i++)
    {
        const _ntk_state_t * st = &ps->space->state[ps->state[i]];
        if (_ntk_pattern_n_present(&st->pattern, term->n_paths) == 4)
            for (j = 0; j < n; j++)
            {
                const _ntk_state_t * to = &ps->space->state[ps->state[j]];
                if (to->done == st->done && _ntk_pattern_n_present(&to->pattern, term->n_paths) == 4)
                {
                    mpfr_set(m[i * n + j], r, MPFR_RNDN);
                    if (i == j)
                        mpfr_sub_ui(m[i * n + j], m[i * n + j], 1, MPFR_RNDN);
                }
            }
        for (k = 0; k < term->n_marks; k++)
        {
            const _ntk_mark_t * mk = &term->mark[k];
            int done = st->done | (1 << k);
            if (st->done & (1 << k))
                continue;
            if (mk->kind == _NTK_MARK_WEIGHT)
            {
                if (st->pattern.block[mk->p] >= 0
                    && st->pattern.block[mk->p] == st->pattern.block[mk->q])
                {
                    j = ps->index[_ntk_space_find(ps->space, done, &st->pattern)];
                    mpfr_set_ui(m[i * n + j], 1, MPFR_RNDN);
                }
            }
            else if (bias)
            {
                j = with_new_pair(ps, done, &st->pattern, mk->p, mk->q);
                mpfr_set(m[i * n + j], a2, MPFR_RNDN);
            }
        }
    }
}

/* The limit of E[term] / n^#marks: start' exp(beta M) end. */
static void
limit_term(mpfr_t res, int which, const mpfr_t beta, const mpfr_t a, const mpfr_t c_out,
           int bias, const mpfr_t r, const mpfr_t a2, mpfr_prec_t prec)
{
    const _ntk_term_t * term = _ntk_term_get(which);
    _ntk_space_t space;
    pairing_space_t ps;
    mpfr_t * m, tmp, w;
    int i, j, n, f, all = (1 << term->n_marks) - 1;
    _ntk_space_init(&space, term);
    pairing_space_init(&ps, &space);
    n = ps.n;
    m = _ntk_mat_new(n, prec);
    mpfr_inits2(prec, tmp, w, (mpfr_ptr) 0);
    limit_generator(m, &ps, bias, r, a2);
    for (i = 0; i < n * n; i++)
        mpfr_mul(m[i], m[i], beta, MPFR_RNDN);
    _ntk_mat_exp_nonneg(m, n, prec);
    f = _ntk_term_n_full(term);
    mpfr_set_zero(res, 1);
    for (i = 0; i < n; i++)
    {
        const _ntk_state_t * st = &space.state[ps.state[i]];
        /* start: the f full paths in each pairing, a per pair; or the empty state */
        if (st->done != 0 || _ntk_pattern_n_present(&st->pattern, term->n_paths) != f)
            continue;
        for (j = 0; j < n; j++)
        {
            const _ntk_state_t * to = &space.state[ps.state[j]];
            int pairs = _ntk_pattern_n_present(&to->pattern, term->n_paths) / 2;
            if (to->done != all || pairs * 2 != term->n_paths)
                continue;
            /* end: c_d per pair at the output */
            mpfr_pow_ui(w, c_out, (ulong) pairs, MPFR_RNDN);
            mpfr_mul(tmp, m[i * n + j], w, MPFR_RNDN);
            mpfr_pow_ui(w, a, (ulong) f / 2, MPFR_RNDN);
            mpfr_mul(tmp, tmp, w, MPFR_RNDN);
            mpfr_add(res, res, tmp, MPFR_RNDN);
        }
    }
    mpfr_clears(tmp, w, (mpfr_ptr) 0);
    _ntk_mat_free(m, n);
}

void
ntk_limit_init(ntk_limit_t l, mpfr_prec_t prec)
{
    if (l == NULL)
        return;
    prec = FLINT_MAX(MPFR_PREC_MIN, FLINT_MIN(prec, WORD(1) << 24));
    mpfr_inits2(prec, l->e_k, l->e_k2, l->ratio_k2, l->ratio_dk, l->ratio_n4, l->e_k3,
                l->ratio_k3, l->ratio_n6, l->e_k4, l->ratio_k4, l->ratio_n8, (mpfr_ptr) 0);
    l->initialised = 1;
}

void
ntk_limit_clear(ntk_limit_t l)
{
    if (l == NULL || !l->initialised)
        return;
    mpfr_clears(l->e_k, l->e_k2, l->ratio_k2, l->ratio_dk, l->ratio_n4, l->e_k3, l->ratio_k3,
                l->ratio_n6, l->e_k4, l->ratio_k4, l->ratio_n8, (mpfr_ptr) 0);
    l->initialised = 0;
}

#define LIMIT_BETA_MAX 1000000      /* e^{5 beta} stays far inside MPFR's exponents */
#define LIMIT_BETA_MIN_DIGITS 1000  /* beta >= 10^-1000 */
#define LIMIT_A_MAX_DIGITS 100      /* a <= 10^100 */

/* 10^e as a rational (e may be negative). */
static void
fmpq_pow10(fmpq_t r, slong e)
{
    fmpz_t t;
    fmpz_init_set_ui(t, 10);
    fmpz_pow_ui(t, t, (ulong) FLINT_ABS(e));
    if (e >= 0)
        fmpq_set_fmpz(r, t);
    else
    {
        fmpq_one(r);
        fmpq_div_fmpz(r, r, t);
    }
    fmpz_clear(t);
}

/* The limit needs the critical variance (else the moments grow or shrink
   like (c A_2)^d); with slopes 0, a_minus and biases the dead phase grows
   like 2^((d-1)-n) in E[K_b] and 2^(2(d-1)-n) in E[K_b^2], which the alive
   limits outweigh only for beta <= 1/2; at a = 0 (x = 0) every gate is
   a_minus, the limit of ReLU-like slopes is K = 1, that of |a_plus| =
   |a_minus| continues the one at a > 0, and the others (gain a_minus^2/A_2
   != 1 per layer) have none. */
static ntk_status_t
limit_check_activation(const fmpq_t beta, const fmpq_t a, const ntk_conv_t conv,
                       ntk_error_t * err)
{
    fmpq_t crit, m;
    int critical, same;
    fmpq_init(crit); fmpq_init(m);
    ntk_conv_critical(crit, conv);
    critical = fmpq_equal(crit, conv->cw_hidden);
    fmpq_abs(crit, conv->a_plus);
    fmpq_abs(m, conv->a_minus);
    same = fmpq_equal(crit, m);
    fmpq_clear(m);
    if (!critical)
    {
        char * c;
        ntk_conv_critical(crit, conv);
        c = ntk_rational_get_str(crit);
        _ntk_error_set(err, NTK_ERR_RANGE, "cw_hidden",
            "cw_hidden: the limit is defined for the critical cw_hidden %s of this activation (else the moments grow like (c A_2)^d)", c);
        flint_free(c);
        fmpq_clear(crit);
        return NTK_ERR_RANGE;
    }
    fmpq_clear(crit);
    if (conv->bias && fmpq_is_zero(conv->a_plus) && !fmpq_is_zero(conv->a_minus))
    {
        fmpq_t half;
        int beyond;
        fmpq_init(half);
        fmpq_set_si(half, 1, 2);
        beyond = fmpq_cmp(beta, half) > 0;
        fmpq_clear(half);
        if (beyond)
            return _ntk_error_set(err, NTK_ERR_RANGE, "beta",
            "beta: with slopes 0,a_minus and biases the bias part of K grows like 2^((d-1)-n) (the dead phase): E[K^2]/d^2 diverges for beta > 1/2, E[K]/d for beta > 1");
    }
    if (fmpq_is_zero(a) && !fmpq_is_zero(conv->a_minus) && !same)
        return _ntk_error_set(err, NTK_ERR_RANGE, "a",
            "a: at a = 0 (the input x = 0) every gate is a_minus and the network is linear with gain a_minus^2/A_2 != 1 per layer: E[K]/d tends to 0 or to infinity; ntkexact moments gives the exact values");
    return NTK_OK;
}

/* The limits exist for the critical cw_hidden 2 in the NTK parametrization
   (else the moments grow like (c/2)^d); beta and a are kept where the values
   stay far inside MPFR's exponent range. */
ntk_status_t
_ntk_limit_check(const ntk_limit_t l, const fmpq_t beta, const fmpq_t a, const ntk_conv_t conv,
            ntk_error_t * err)
{
    fmpq_t bound;
    int bad_beta, bad_a;
    ntk_status_t status;
    const char * bad = beta == NULL ? "beta" : a == NULL ? "a" : conv == NULL ? "conv"
                       : (l == NULL || !l->initialised) ? "l" : NULL;
    if (bad != NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, bad, "%s: NULL or not initialised", bad);
    if ((status = ntk_conv_validate(conv, err)) != NTK_OK)
        return status;
    if (conv->param != NTK_PARAM_NTK)
        return _ntk_error_set(err, NTK_ERR_RANGE, "param",
            "param: the limit is defined in the NTK parametrization");
    if ((status = limit_check_activation(beta, a, conv, err)) != NTK_OK)
        return status;
    fmpq_init(bound);
    fmpq_pow10(bound, -LIMIT_BETA_MIN_DIGITS);
    bad_beta = fmpq_cmp(beta, bound) < 0 || fmpq_cmp_ui(beta, LIMIT_BETA_MAX) > 0;
    fmpq_pow10(bound, LIMIT_A_MAX_DIGITS);
    bad_a = fmpq_sgn(a) < 0 || fmpq_cmp(a, bound) > 0;
    fmpq_clear(bound);
    if (bad_beta)
        return _ntk_error_set(err, NTK_ERR_RANGE, "beta",
            "beta: the limit is computed for 10^-%d <= beta <= %d", LIMIT_BETA_MIN_DIGITS,
            LIMIT_BETA_MAX);
    if (bad_a)
        return _ntk_error_set(err, NTK_ERR_RANGE, "a",
            "a: the limit is computed for 0 <= a = x2/n_0 <= 10^%d", LIMIT_A_MAX_DIGITS);
    return NTK_OK;
}

ntk_status_t
_ntk_limit_check_correction(const fmpq_t beta, const ntk_conv_t conv, ntk_error_t * err)
{
    fmpq_t half;
    int beyond;
    if (!conv->bias || !fmpq_is_zero(conv->a_plus) || fmpq_is_zero(conv->a_minus))
        return NTK_OK;
    fmpq_init(half);
    fmpq_set_si(half, 1, 2);
    beyond = fmpq_cmp(beta, half) >= 0;
    fmpq_clear(half);
    if (beyond)
        return _ntk_error_set(err, NTK_ERR_RANGE, "beta",
            "beta: with slopes 0,a_minus and biases the dead phase's 2^(2(d-1)-n) in E[K^2] is not "
            "smaller than every power of 1/n at beta = 1/2: F_1 needs beta < 1/2");
    return NTK_OK;
}

/* a = 0 is the input x = 0: every gate is shut and K = 1 exactly (the output
   bias), so E[K]/d and E[K^2]/d^2 tend to 0, E[K^2]/E[K]^2 = 1, E[dK] = 0;
   N = 0, and E[N^4]/E[N^2]^2 is undefined (NaN); the same for the moments
   of order 3 and 4. */
void
_ntk_limit_dead_input(ntk_limit_t l)
{
    mpfr_set_zero(l->e_k3, 1);
    mpfr_set_zero(l->e_k4, 1);
    mpfr_set_ui(l->ratio_k3, 1, MPFR_RNDN);
    mpfr_set_ui(l->ratio_k4, 1, MPFR_RNDN);
    mpfr_set_nan(l->ratio_n6);
    mpfr_set_nan(l->ratio_n8);
    mpfr_set_zero(l->e_k, 1);
    mpfr_set_zero(l->e_k2, 1);
    mpfr_set_ui(l->ratio_k2, 1, MPFR_RNDN);
    mpfr_set_zero(l->ratio_dk, 1);
    mpfr_set_nan(l->ratio_n4);
}

ntk_status_t
ntk_limit_compute(ntk_limit_t l, const fmpq_t beta, const fmpq_t a,
                  const ntk_conv_t conv, ntk_error_t * err)
{
    mpfr_prec_t prec;
    mpfr_t b, av, co, v[_NTK_N_TERMS], t, r, a2;
    fmpq_t q;
    ntk_status_t status;
    int k;
    if ((status = _ntk_limit_check(l, beta, a, conv, err)) != NTK_OK)
        return status;
    if (fmpq_is_zero(a) && fmpq_is_zero(conv->a_minus))
    {
        _ntk_limit_dead_input(l);
        return NTK_OK;
    }
    /* the matrix exponentials are exact to their precision (_ntk_mat_exp_nonneg); the
       assembly adds a few roundings */
    prec = mpfr_get_prec(l->e_k) + 32;
    mpfr_inits2(prec, b, av, co, t, r, a2, (mpfr_ptr) 0);
    fmpq_get_mpfr(b, beta, MPFR_RNDN);
    fmpq_get_mpfr(av, a, MPFR_RNDN);
    fmpq_get_mpfr(co, conv->cw_output, MPFR_RNDN);
    /* the gate moments: A_2, and r = A_4 / A_2^2 */
    fmpq_init(q);
    ntk_conv_gate_moment(q, conv, 2);
    fmpq_get_mpfr(a2, q, MPFR_RNDN);
    fmpq_mul(q, q, q);
    {
        fmpq_t a4;
        fmpq_init(a4);
        ntk_conv_gate_moment(a4, conv, 4);
        fmpq_div(q, a4, q);
        fmpq_clear(a4);
    }
    fmpq_get_mpfr(r, q, MPFR_RNDN);
    fmpq_clear(q);
    /* the terms of the moments of order 2 */
    for (k = 0; k < _ntk_term_count(2); k++)
    {
        mpfr_init2(v[k], prec);
        limit_term(v[k], k, b, av, co, conv->bias, r, a2, prec);
    }
    /* E[K]/n -> Kw + Kb', E[K^2]/n^2 -> Kw2 + 2 KwKb' + Kb'2; d = beta n */
    mpfr_add(t, v[_NTK_TERM_KW], v[_NTK_TERM_KB], MPFR_RNDN);
    mpfr_div(l->e_k, t, b, MPFR_RNDN);
    mpfr_mul_2ui(l->e_k2, v[_NTK_TERM_KWKB], 1, MPFR_RNDN);
    mpfr_add(l->e_k2, l->e_k2, v[_NTK_TERM_KW2], MPFR_RNDN);
    mpfr_add(l->e_k2, l->e_k2, v[_NTK_TERM_KB2], MPFR_RNDN);
    mpfr_sqr(t, t, MPFR_RNDN);
    mpfr_div(l->ratio_k2, l->e_k2, t, MPFR_RNDN);
    mpfr_sqr(t, b, MPFR_RNDN);
    mpfr_div(l->e_k2, l->e_k2, t, MPFR_RNDN);
    /* E[dK]/(lambda E[K] d beta) -> -2 (Dww + 2 Dwb) / (beta^2 (Kw + Kb')) */
    mpfr_mul_2ui(t, v[_NTK_TERM_DWB], 1, MPFR_RNDN);
    mpfr_add(t, t, v[_NTK_TERM_DWW], MPFR_RNDN);
    mpfr_mul_si(t, t, -2, MPFR_RNDN);
    mpfr_div(t, t, l->e_k, MPFR_RNDN);          /* e_k = (Kw + Kb') / beta */
    mpfr_div(t, t, b, MPFR_RNDN);
    mpfr_div(t, t, b, MPFR_RNDN);
    mpfr_div(l->ratio_dk, t, b, MPFR_RNDN);
    mpfr_sqr(t, v[_NTK_TERM_N2], MPFR_RNDN);
    mpfr_div(l->ratio_n4, v[_NTK_TERM_N4], t, MPFR_RNDN);
    for (k = 0; k < _ntk_term_count(2); k++)
        mpfr_clear(v[k]);
    mpfr_clears(b, av, co, t, r, a2, (mpfr_ptr) 0);
    return NTK_OK;
}


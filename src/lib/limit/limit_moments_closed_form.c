/* The depth-to-width limits of the moments of order 3 and 4 from their
   closed forms (doc/derivation.md, section 8, "The moments of order 3 and
   4"): every term's limit is an exponential polynomial
   sum c beta^power e^(lambda beta), its exponents eigenvalues of the
   continuum generator.  With a slope 0 (r = A_4/A_2^2 = 2, ReLU's
   generator) the exponents are 30, 16, 15, 10, 5, 0, -1 and the exact
   coefficients the table below, solved from the generator's Taylor
   coefficients and re-checked on ten more by
   doc/tools/limit_moments_closed_form.py (an explicit model of the
   continuum, without the reduction of limit_moments.c), which prints it.
   For r != 2 the exponents move with r and meet at r = 1 and 3/2, so no
   table in r exists: the coefficients are fitted exactly at run time to
   the spectral data of the gauged layer maps (limit_spectral.c). */

#include <mpfr.h>
#include "base/error.h"
#include "limit.h"
#include "engine/term.h"

/* kind 0: C_ij, the limit of E[K_w^i K_b'^j] / (n^(i+j) c_d^(i+j) a^i) at
   A_2 = 1/2 (times (2 A_2)^j for slopes a_plus, 0); kind 1: C_N(j), that
   of E[N^(2j)] / (c_d a)^j. */
typedef struct
{
    int kind, i, j, lambda, power;
    const char * coeff;
}
closed_row_t;

static const closed_row_t closed_table[] =
{
    { 1, 0, 1, 0, 0, "1" },
    { 1, 0, 3, 15, 0, "15" },
    { 1, 0, 4, 30, 0, "105" },
    { 0, 0, 1, 0, 1, "1/2" },
    { 0, 0, 3, 15, 0, "1/3000" },
    { 0, 0, 3, 5, 0, "-3/1000" },
    { 0, 0, 3, 0, 1, "1/100" },
    { 0, 0, 3, 0, 0, "1/375" },
    { 0, 0, 4, 30, 0, "1/225000" },
    { 0, 0, 4, 15, 0, "-1/22500" },
    { 0, 0, 4, 5, 0, "3/12500" },
    { 0, 0, 4, 0, 1, "-1/1500" },
    { 0, 0, 4, 0, 0, "-1/5000" },
    { 0, 1, 0, 0, 1, "1" },
    { 0, 1, 2, 15, 1, "1/1500" },
    { 0, 1, 2, 15, 0, "49/90000" },
    { 0, 1, 2, 5, 1, "-7/1500" },
    { 0, 1, 2, 5, 0, "-4/1125" },
    { 0, 1, 2, 0, 1, "1/150" },
    { 0, 1, 2, 0, 0, "56/5625" },
    { 0, 1, 2, -1, 0, "-1/144" },
    { 0, 1, 3, 30, 1, "1/105000" },
    { 0, 1, 3, 30, 0, "17257/2136093750" },
    { 0, 1, 3, 16, 0, "-213/6450752" },
    { 0, 1, 3, 15, 1, "-1/15000" },
    { 0, 1, 3, 15, 0, "-11/300000" },
    { 0, 1, 3, 5, 1, "97/275000" },
    { 0, 1, 3, 5, 0, "31033/113437500" },
    { 0, 1, 3, 0, 1, "-1/3000" },
    { 0, 1, 3, 0, 0, "-1271/1800000" },
    { 0, 1, 3, -1, 0, "25/50592" },
    { 0, 2, 1, 15, 2, "3/500" },
    { 0, 2, 1, 15, 1, "3/1250" },
    { 0, 2, 1, 15, 0, "71/50000" },
    { 0, 2, 1, 5, 2, "-89/1500" },
    { 0, 2, 1, 5, 1, "-343/11250" },
    { 0, 2, 1, 5, 0, "151/168750" },
    { 0, 2, 1, -1, 0, "-1/432" },
    { 0, 2, 2, 30, 2, "1/12250" },
    { 0, 2, 2, 30, 1, "563/16078125" },
    { 0, 2, 2, 30, 0, "17992201/872238281250" },
    { 0, 2, 2, 16, 1, "-8/11319" },
    { 0, 2, 2, 16, 0, "190423/977893686" },
    { 0, 2, 2, 15, 2, "-1/2500" },
    { 0, 2, 2, 15, 1, "1/18750" },
    { 0, 2, 2, 15, 0, "-59/150000" },
    { 0, 2, 2, 10, 0, "1/5625" },
    { 0, 2, 2, 5, 2, "1619/412500" },
    { 0, 2, 2, 5, 1, "283147/170156250" },
    { 0, 2, 2, 5, 0, "-7693517/70189453125" },
    { 0, 2, 2, -1, 0, "25/227664" },
    { 0, 3, 0, 15, 3, "3/25" },
    { 0, 3, 0, 15, 2, "6/125" },
    { 0, 3, 0, 15, 1, "21/625" },
    { 0, 3, 0, 15, 0, "-24/3125" },
    { 0, 3, 0, 5, 1, "27/625" },
    { 0, 3, 0, 5, 0, "24/3125" },
    { 0, 3, 1, 30, 3, "1/686" },
    { 0, 3, 1, 30, 2, "59/120050" },
    { 0, 3, 1, 30, 1, "47429/315131250" },
    { 0, 3, 1, 30, 0, "21831209/275739843750" },
    { 0, 3, 1, 16, 2, "-121/4802" },
    { 0, 3, 1, 16, 1, "655/100842" },
    { 0, 3, 1, 16, 0, "220235/128119761" },
    { 0, 3, 1, 15, 3, "-1/250" },
    { 0, 3, 1, 15, 2, "1/625" },
    { 0, 3, 1, 15, 1, "-197/18750" },
    { 0, 3, 1, 15, 0, "-14/9375" },
    { 0, 3, 1, 10, 0, "-1/11250" },
    { 0, 3, 1, 5, 1, "-567/343750" },
    { 0, 3, 1, 5, 0, "-10206/47265625" },
    { 0, 4, 0, 30, 4, "15/343" },
    { 0, 4, 0, 30, 3, "36/2401" },
    { 0, 4, 0, 30, 2, "426/84035" },
    { 0, 4, 0, 30, 1, "10044/2941225" },
    { 0, 4, 0, 30, 0, "-87477/102942875" },
    { 0, 4, 0, 16, 2, "242/16807" },
    { 0, 4, 0, 16, 1, "4876/352947" },
    { 0, 4, 0, 16, 0, "-290/7411887" },
    { 0, 4, 0, 10, 0, "1/1125" },
};

#define CLOSED_ROWS ((int) (sizeof(closed_table) / sizeof(closed_table[0])))

/* res <- the closed form of (kind, i, j) at b (working precision of res). */
static void
closed_value(mpfr_t res, int kind, int i, int j, const mpfr_t b)
{
    mpfr_prec_t prec = mpfr_get_prec(res);
    mpfr_t t, u;
    fmpq_t c;
    int k;
    mpfr_inits2(prec, t, u, (mpfr_ptr) 0);
    fmpq_init(c);
    mpfr_set_zero(res, 1);
    for (k = 0; k < CLOSED_ROWS; k++)
    {
        const closed_row_t * row = &closed_table[k];
        if (row->kind != kind || row->i != i || row->j != j)
            continue;
        if (fmpq_set_str(c, row->coeff, 10) != 0)
            flint_abort();    /* the table is well formed */
        fmpq_get_mpfr(t, c, MPFR_RNDN);
        mpfr_pow_ui(u, b, (ulong) row->power, MPFR_RNDN);
        mpfr_mul(t, t, u, MPFR_RNDN);
        mpfr_mul_si(u, b, row->lambda, MPFR_RNDN);
        mpfr_exp(u, u, MPFR_RNDN);
        mpfr_mul(t, t, u, MPFR_RNDN);
        mpfr_add(res, res, t, MPFR_RNDN);
    }
    fmpq_clear(c);
    mpfr_clears(t, u, (mpfr_ptr) 0);
}

/* The closed form of term (k, i) (limit.h) with its factors
   c_d^k a^i (2 A_2)^(k-i), or (c_d a)^k for E[N^(2k)]. */
typedef struct
{
    mpfr_srcptr beta, a, c_out, two_a2;
    int bias;
}
closed_ctx_t;

static void
closed_term(mpfr_t res, int k, int i, const void * ctx)
{
    const closed_ctx_t * c = ctx;
    mpfr_t t, u;
    mpfr_inits2(mpfr_get_prec(res), t, u, (mpfr_ptr) 0);
    mpfr_pow_ui(t, c->c_out, (ulong) k, MPFR_RNDN);
    if (i < 0)
    {
        closed_value(res, 1, 0, k, c->beta);
        mpfr_pow_ui(u, c->a, (ulong) k, MPFR_RNDN);
    }
    else
    {
        closed_value(res, 0, i, k - i, c->beta);
        mpfr_pow_ui(u, c->two_a2, (ulong) (k - i), MPFR_RNDN);
        mpfr_mul(t, t, u, MPFR_RNDN);
        mpfr_pow_ui(u, c->a, (ulong) i, MPFR_RNDN);
    }
    mpfr_mul(t, t, u, MPFR_RNDN);
    mpfr_mul(res, res, t, MPFR_RNDN);
    if (i >= 0 && i < k && !c->bias)
        mpfr_set_zero(res, 1);
    mpfr_clears(t, u, (mpfr_ptr) 0);
}

/* The closed form of term (k, i) for r = A_4/A_2^2 != 2, where no table
   holds: the exact exponential polynomial F_0 of the term's spectral data
   (limit_spectral.c: the gauged layer maps of the transfer recursion at
   u = 1/n -> 0, which share nothing with the continuum generator of
   limit_moments.c but the layer factors), times a^(n_full/2). */
typedef struct
{
    mpfr_srcptr beta, a;
    const ntk_conv_struct * conv;
    int bad;
}
spectral_ctx_t;

static void
spectral_term(mpfr_t res, int k, int i, const void * ctx)
{
    spectral_ctx_t * c = (spectral_ctx_t *) ctx;
    int which = i < 0 ? _ntk_term_n(k) : _ntk_term_kwkb(i, k - i);
    _ntk_spectral_t sp;
    _ntk_exppoly_t f0, f1;
    mpfr_t t;
    mpfr_set_zero(res, 1);
    if (c->bad || (!c->conv->bias && _ntk_term_has_bias(_ntk_term_get(which))))
        return;
    if (_ntk_spectral_init(&sp, which, c->conv) != 0)
    {
        c->bad = 1;
        return;
    }
    if (_ntk_spectral_exppoly(&f0, &f1, &sp) != 0)
        c->bad = 1;
    else
    {
        mpfr_init2(t, mpfr_get_prec(res));
        _ntk_exppoly_value(res, &f0, c->beta, mpfr_get_prec(res));
        mpfr_pow_ui(t, c->a, (ulong) sp.half, MPFR_RNDN);
        mpfr_mul(res, res, t, MPFR_RNDN);
        mpfr_clear(t);
        _ntk_exppoly_clear(&f0);
        _ntk_exppoly_clear(&f1);
    }
    _ntk_spectral_clear(&sp);
}

/* The precision of the closed forms: C_ij ~ beta^(i+j) / 2^j cancels from
   O(1) terms for small beta (2 moments log2(1/beta) bits; the spectral
   forms' exponents spread more than the table's); for large beta the
   e^(30 beta) of the exponent; and a margin. */
static mpfr_prec_t
closed_prec(const ntk_limit_t l, const fmpq_t beta, int moments)
{
    mpfr_prec_t prec = mpfr_get_prec(l->e_k) + 64;
    if (fmpq_cmp_ui(beta, 1) < 0)
        prec += 2 * moments * ((mpfr_prec_t) fmpz_bits(fmpq_denref(beta))
                               - (mpfr_prec_t) fmpz_bits(fmpq_numref(beta)) + 1);
    else
        prec += 64 + 2 * (mpfr_prec_t) FLINT_BIT_COUNT(fmpz_bits(fmpq_numref(beta)));
    return prec;
}

ntk_status_t
ntk_limit_closed_form_moments(ntk_limit_t l, const fmpq_t beta, const fmpq_t a,
                              const ntk_conv_t conv, int moments, ntk_error_t * err)
{
    mpfr_t b, av, co, two_a2;
    fmpq_t q, q4;
    mpfr_prec_t prec;
    ntk_status_t status;
    int table;
    if ((status = _ntk_limit_check_moments(moments, 0, beta, conv, err)) != NTK_OK
        || (status = ntk_limit_closed_form(l, beta, a, conv, err)) != NTK_OK || moments == 2)
        return status;
    if (fmpq_is_zero(a) && fmpq_is_zero(conv->a_minus))    /* the dead input: K = lb */
    {
        _ntk_limit_dead_input(l);
        return NTK_OK;
    }
    prec = closed_prec(l, beta, moments);
    mpfr_inits2(prec, b, av, co, two_a2, (mpfr_ptr) 0);
    fmpq_get_mpfr(b, beta, MPFR_RNDN);
    fmpq_get_mpfr(av, a, MPFR_RNDN);
    fmpq_get_mpfr(co, conv->cw_output, MPFR_RNDN);
    /* the table is ReLU's generator, r = A_4/A_2^2 = 2: one slope 0 */
    fmpq_init(q); fmpq_init(q4);
    ntk_conv_gate_moment(q, conv, 2);
    ntk_conv_gate_moment(q4, conv, 4);
    fmpq_mul(q, q, q);
    fmpq_mul_2exp(q, q, 1);
    table = fmpq_equal(q, q4);                /* A_4 = 2 A_2^2 */
    ntk_conv_gate_moment(q, conv, 2);
    fmpq_mul_2exp(q, q, 1);                   /* 2 A_2 per bias mark */
    fmpq_get_mpfr(two_a2, q, MPFR_RNDN);
    fmpq_clear(q); fmpq_clear(q4);
    if (table)
    {
        closed_ctx_t c;
        c.beta = b; c.a = av; c.c_out = co; c.two_a2 = two_a2; c.bias = conv->bias;
        _ntk_limit_moments_from(l, moments, b, prec, closed_term, &c);
    }
    else
    {
        spectral_ctx_t c;
        c.beta = b; c.a = av; c.conv = conv; c.bad = 0;
        _ntk_limit_moments_from(l, moments, b, prec, spectral_term, &c);
        if (c.bad)
            status = _ntk_error_set(err, NTK_ERR_RANGE, "",
                "the gauged layer map is not a projection plus O(1/n) (please report)");
    }
    mpfr_clears(b, av, co, two_a2, (mpfr_ptr) 0);
    return status;
}

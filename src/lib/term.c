/* The term types of the moments of K and of the first SGD update. */

#include "term.h"

#define W_(p, q) { _NTK_MARK_WEIGHT, p, q }
#define B_(p, q) { _NTK_MARK_BIAS, p, q }

static const _ntk_term_t term_table[_NTK_N_TERMS] = {
    { 2, 1, { W_(0, 1) } },            /* K_w */
    { 2, 1, { B_(0, 1) } },            /* K_b' (hidden biases) */
    { 4, 2, { W_(0, 1), W_(2, 3) } },  /* K_w^2 */
    { 4, 2, { B_(0, 1), B_(2, 3) } },  /* K_b'^2 */
    { 4, 2, { W_(0, 1), B_(2, 3) } },  /* K_w K_b' */
    /* N g: gradient path 0, Hessian path 1, gradient path 2, N is path 3 */
    { 4, 2, { W_(0, 1), W_(1, 2) } },  /* D_ww */
    { 4, 2, { B_(0, 1), W_(1, 2) } },  /* D_wb: the bias sits below the weight */
    { 2, 0, { { 0, 0, 0 } } },          /* N^2 (no marks) */
    { 4, 0, { { 0, 0, 0 } } }           /* N^4 (no marks) */
};

const _ntk_term_t *
_ntk_term_get(int k)
{
    return term_table + k;
}

int
_ntk_term_present(const _ntk_term_t * term, int done)
{
    int present = (1 << term->n_paths) - 1, k;
    for (k = 0; k < term->n_marks; k++)
        if (term->mark[k].kind == _NTK_MARK_BIAS && !(done & (1 << k)))
            present &= ~((1 << term->mark[k].p) | (1 << term->mark[k].q));
    return present;
}

int
_ntk_term_n_full(const _ntk_term_t * term)
{
    int present = _ntk_term_present(term, 0), n = 0, p;
    for (p = 0; p < term->n_paths; p++)
        n += (present >> p) & 1;
    return n;
}

int
_ntk_term_has_bias(const _ntk_term_t * term)
{
    int k;
    for (k = 0; k < term->n_marks; k++)
        if (term->mark[k].kind == _NTK_MARK_BIAS)
            return 1;
    return 0;
}

/* The term types of the moments of K and of the first SGD update. */

#include "term.h"

#define W_(p, q) { _NTK_MARK_WEIGHT, p, q }
#define B_(p, q) { _NTK_MARK_BIAS, p, q }
#define NONE_ { { 0, 0, 0 } }

static const _ntk_term_t term_table[_NTK_N_TERMS_ALL] = {
    { 2, 1, { W_(0, 1) } },            /* K_w */
    { 2, 1, { B_(0, 1) } },            /* K_b' (hidden biases) */
    { 4, 2, { W_(0, 1), W_(2, 3) } },  /* K_w^2 */
    { 4, 2, { B_(0, 1), B_(2, 3) } },  /* K_b'^2 */
    { 4, 2, { W_(0, 1), B_(2, 3) } },  /* K_w K_b' */
    /* N g: gradient path 0, Hessian path 1, gradient path 2, N is path 3 */
    { 4, 2, { W_(0, 1), W_(1, 2) } },  /* D_ww */
    { 4, 2, { B_(0, 1), W_(1, 2) } },  /* D_wb: the bias sits below the weight */
    { 2, 0, NONE_ },                   /* N^2 (no marks) */
    { 4, 0, NONE_ },                   /* N^4 */
    /* order 3: weight marks first, then bias marks, on consecutive pairs */
    { 6, 3, { W_(0, 1), W_(2, 3), W_(4, 5) } },
    { 6, 3, { W_(0, 1), W_(2, 3), B_(4, 5) } },
    { 6, 3, { W_(0, 1), B_(2, 3), B_(4, 5) } },
    { 6, 3, { B_(0, 1), B_(2, 3), B_(4, 5) } },
    { 6, 0, NONE_ },                   /* N^6 */
    /* order 4 */
    { 8, 4, { W_(0, 1), W_(2, 3), W_(4, 5), W_(6, 7) } },
    { 8, 4, { W_(0, 1), W_(2, 3), W_(4, 5), B_(6, 7) } },
    { 8, 4, { W_(0, 1), W_(2, 3), B_(4, 5), B_(6, 7) } },
    { 8, 4, { W_(0, 1), B_(2, 3), B_(4, 5), B_(6, 7) } },
    { 8, 4, { B_(0, 1), B_(2, 3), B_(4, 5), B_(6, 7) } },
    { 8, 0, NONE_ },                   /* N^8 */
    /* the update's second moment: g = g_ww + 2 g_wb, each a triple (gradient
       path, Hessian path, gradient path) as in D_ww, D_wb; N^2 on paths 6, 7 */
    { 6, 4, { W_(0, 1), W_(1, 2), W_(3, 4), W_(4, 5) } },   /* g_ww^2 */
    { 6, 4, { W_(0, 1), W_(1, 2), B_(3, 4), W_(4, 5) } },   /* g_ww g_wb */
    { 6, 4, { B_(0, 1), W_(1, 2), B_(3, 4), W_(4, 5) } },   /* g_wb^2 */
    { 8, 4, { W_(0, 1), W_(1, 2), W_(3, 4), W_(4, 5) } },   /* N^2 g_ww^2 */
    { 8, 4, { W_(0, 1), W_(1, 2), B_(3, 4), W_(4, 5) } },   /* N^2 g_ww g_wb */
    { 8, 4, { B_(0, 1), W_(1, 2), B_(3, 4), W_(4, 5) } }    /* N^2 g_wb^2 */
};

const _ntk_term_t *
_ntk_term_get(int k)
{
    return term_table + k;
}

int
_ntk_term_count(int order)
{
    return order <= 2 ? _NTK_TERM_KW3 : order == 3 ? _NTK_TERM_KW4 : _NTK_N_TERMS;
}

int
_ntk_term_kwkb(int a, int b)
{
    static const int first[5] = { -1, _NTK_TERM_KW, _NTK_TERM_KW2, _NTK_TERM_KW3, _NTK_TERM_KW4 };
    int k = a + b;
    if (a < 0 || b < 0 || k < 1 || k > 4)
        return -1;
    if (k == 1)
        return a ? _NTK_TERM_KW : _NTK_TERM_KB;
    if (k == 2)
        return a == 2 ? _NTK_TERM_KW2 : a == 1 ? _NTK_TERM_KWKB : _NTK_TERM_KB2;
    return first[k] + (k - a);
}

int
_ntk_term_n(int k)
{
    static const int table[5] = { -1, _NTK_TERM_N2, _NTK_TERM_N4, _NTK_TERM_N6, _NTK_TERM_N8 };
    return (k >= 1 && k <= 4) ? table[k] : -1;
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

int
_ntk_term_reduced(const _ntk_term_t * term)
{
    /* the update's terms are the only ones with six or eight paths whose
       marks share a path */
    return _ntk_term_disjoint(term) || term->n_paths >= 6;
}

int
_ntk_term_disjoint(const _ntk_term_t * term)
{
    int used = 0, k;
    for (k = 0; k < term->n_marks; k++)
    {
        int pq = (1 << term->mark[k].p) | (1 << term->mark[k].q);
        if (used & pq)
            return 0;
        used |= pq;
    }
    return 1;
}

/* Random inputs of the brute force's tests (t-brute, t-brute-update): one
   generator, so that both draw the same kinds of laws. */

#include "brute.h"

void
brute_random_rational(fmpq_t r, flint_rand_t state, slong lo, slong hi)
{
    fmpq_set_si(r, lo + (slong) n_randint(state, hi - lo + 1), 1 + n_randint(state, 4));
}

/* A law with the given moments; or at random one that exists: mu4 > 1,
   mu6 >= mu4^2, mu8 >= mu4^2 + (mu6 - mu4)^2 / (mu4 - 1) (sometimes on
   the boundary). */
void
brute_net_random_law(brute_net_t * net, flint_rand_t state)
{
    fmpq_t t, b;
    int kind = (int) n_randint(state, 6);
    fmpq_init(t); fmpq_init(b);
    if (kind == 0)
    {
        fmpq_set_si(net->mu4, 3, 1); fmpq_set_si(net->mu6, 15, 1); fmpq_set_si(net->mu8, 105, 1);
    }
    else if (kind == 1)
    {
        fmpq_set_si(net->mu4, 9, 5); fmpq_set_si(net->mu6, 27, 7); fmpq_set_si(net->mu8, 9, 1);
    }
    else
    {
        brute_random_rational(t, state, 1, 12);
        fmpq_add_si(net->mu4, t, 1);
        fmpq_mul(net->mu6, net->mu4, net->mu4);
        brute_random_rational(t, state, 1, 30);
        fmpq_add(net->mu6, net->mu6, t);
        /* the bound of the 3 x 3 Hankel determinant */
        fmpq_sub(b, net->mu6, net->mu4);
        fmpq_mul(b, b, b);
        fmpq_sub_si(t, net->mu4, 1);
        fmpq_div(b, b, t);
        fmpq_mul(t, net->mu4, net->mu4);
        fmpq_add(net->mu8, b, t);
        if (kind != 2)
        {
            brute_random_rational(t, state, 1, 200);
            fmpq_add(net->mu8, net->mu8, t);
        }
    }
    fmpq_clear(t); fmpq_clear(b);
}

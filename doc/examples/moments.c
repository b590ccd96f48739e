/* Exact moments of the NTK from C with libntkexact.

   Build against an installed library:
       cc moments.c $(pkg-config --cflags --libs ntkexact) -o moments
   Run:
       ./moments 10,100x10,1 1        (widths, x2)                          */

#include <stdio.h>
#include <ntkexact.h>

int
main(int argc, char ** argv)
{
    const char * widths = argc > 1 ? argv[1] : "10,100x10,1";
    const char * x2_text = argc > 2 ? argv[2] : "1";
    ntk_profile_t profile;
    ntk_conv_t conv;
    ntk_exec_t exec;
    ntk_moments_t moments;
    ntk_error_t err;
    fmpq_t x2, value;
    int q, status = 0;

    ntk_profile_init(profile);
    ntk_conv_init(conv);    /* Gaussian weights (mu4 = 3), c = 2 and 1, NTK, biases */
    ntk_exec_init(exec);    /* one thread, exact */
    ntk_moments_init(moments);
    fmpq_init(x2);
    fmpq_init(value);

    if (ntk_profile_set_str(profile, widths, &err) != NTK_OK
        || ntk_rational_set_str(x2, x2_text, "x2", &err) != NTK_OK
        || ntk_moments_compute(moments, profile, conv, exec, &err) != NTK_OK)
    {
        fprintf(stderr, "moments: %s\n", err.message);
        status = 2;
    }
    else
        for (q = 0; q < NTK_N_INTERFACE_QUANTITIES; q++)
        {
            char * decimal;
            ntk_moments_eval(value, moments, q, x2);
            decimal = ntk_rational_get_decimal(value, 15);
            printf("%-7s %s\n", ntk_quantity_name(q), decimal);
            flint_free(decimal);
        }

    fmpq_clear(value);
    fmpq_clear(x2);
    ntk_moments_clear(moments);
    ntk_exec_clear(exec);
    ntk_conv_clear(conv);
    ntk_profile_clear(profile);
    return status;
}

/* The names of the quantities. */

#include "ntkexact.h"

static const char * const quantity_names[NTK_N_QUANTITIES] = {
    "E_K", "E_Kw", "E_Kb", "E_K2", "E_Kw2", "E_Kb2", "E_KwKb", "Var_K",
    "E_dK", "E_Dww", "E_Dwb", "E_N2", "E_N4"
};

const char *
ntk_quantity_name(ntk_quantity_t q)
{
    return ((int) q >= 0 && q < NTK_N_QUANTITIES) ? quantity_names[q] : "?";
}

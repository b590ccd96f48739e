/* The names and orders of the quantities. */

#include "ntkexact.h"

static const char * const quantity_names[NTK_N_QUANTITIES] = {
    "E_K", "E_Kw", "E_Kb", "E_K2", "E_Kw2", "E_Kb2", "E_KwKb", "Var_K",
    "E_dK", "E_Dww", "E_Dwb", "E_N2", "E_N4",
    "E_K3", "E_Kw3", "E_Kw2Kb", "E_KwKb2", "E_Kb3", "M3_K", "Skew2_K", "E_N6",
    "E_K4", "E_Kw4", "E_Kw3Kb", "E_Kw2Kb2", "E_KwKb3", "E_Kb4", "M4_K", "Kurt_K", "E_N8",
    "E_g2", "E_N2g2", "E_N2gww2", "E_N2gwwgwb", "E_N2gwb2", "E_dK2", "Var_dK", "RelVar_dK"
};

const char *
ntk_quantity_name(ntk_quantity_t q)
{
    return ((int) q >= 0 && q < NTK_N_QUANTITIES) ? quantity_names[q] : "?";
}

int
ntk_quantity_count(int order)
{
    return order == 2 ? NTK_E_K3 : order == 3 ? NTK_E_K4 : order == 4 ? NTK_UPDATE_FIRST : 0;
}

int
ntk_quantity_order(ntk_quantity_t q)
{
    int k;
    if ((int) q < 0)
        return 0;
    for (k = 2; k <= NTK_ORDER_MAX; k++)
        if ((int) q < ntk_quantity_count(k))
            return k;
    return 0;
}

int
ntk_quantity_is_update(ntk_quantity_t q)
{
    return (int) q >= NTK_UPDATE_FIRST && q < NTK_N_QUANTITIES;
}

int
ntk_quantity_has_target(ntk_quantity_t q)
{
    return q == NTK_E_DK2 || q == NTK_VAR_DK || q == NTK_RELVAR_DK;
}

int
ntk_quantity_is_ratio(ntk_quantity_t q)
{
    return q == NTK_SKEW2_K || q == NTK_KURT_K || q == NTK_RELVAR_DK;
}

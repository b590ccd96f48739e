/* Internal: the NTK of two inputs at infinite width and its 1/n corrections
   (doc/derivation.md, section 16).  Ball arithmetic (Arb) throughout: every
   number is an interval that contains the true value. */

#ifndef NTK_KERNEL_IMPL_H
#define NTK_KERNEL_IMPL_H

#include <arb.h>
#include "ntkexact.h"

/* ------------------------------------------------ the activation */

/* sigma(z) = a_plus z (z > 0), a_minus z (z < 0), sigma'(0) = a_minus;
   s = (a_plus + a_minus)/2, t = (a_plus - a_minus)/2, A_2 = s^2 + t^2. */
typedef struct
{
    arb_t ap, am, s, A2, t2pi;   /* t2pi = 2 t^2 / pi */
    arb_struct ap_pow[5], am_pow[5];   /* a_plus^k, a_minus^k */
    arb_t pi, half_sqrt_2pi;     /* pi, sqrt(pi/2) (= E[|u|], u ~ N(0,1), times pi/2) */
    int linear;                  /* a_plus = a_minus exactly: t = 0 */
    int even;                    /* a_minus = -a_plus exactly: s = 0 (|x| and its multiples) */
    slong prec;
}
_ntk_act_struct;

void _ntk_act_init(_ntk_act_struct * act, const ntk_conv_struct * conv, slong prec);

void _ntk_act_clear(_ntk_act_struct * act);

/* ------------------------------------------------ the Gaussian integrals */

/* How the integrals over the pre-activations z = (z_0, z_1) ~ N(0, G) of one
   layer are evaluated.  The mode is decided once, from the exact inputs: the
   degenerate cases are exact properties of every network, not of the
   infinite-width values. */
typedef enum
{
    _NTK_GAUSS_GENERAL = 0,   /* q_0, q_1 > 0 and 0 < theta < pi (nonlinear sigma) */
    _NTK_GAUSS_LINEAR,        /* a_plus = a_minus: polynomials in G */
    _NTK_GAUSS_PARALLEL,      /* z_1 = sgn lambda z_0 exactly (theta = 0 or pi) */
    _NTK_GAUSS_ZERO           /* an input is 0: its z is 0 */
}
_ntk_gauss_mode_t;

typedef struct
{
    _ntk_gauss_mode_t mode;
    int sgn;                  /* PARALLEL: +1 (theta = 0) or -1 (theta = pi) */
    int zero[2];              /* ZERO: which inputs are 0 */
    const _ntk_act_struct * act;
    slong prec;
    arb_t q[2], c;            /* G_00, G_11, G_01 */
    arb_t sq[2];              /* sqrt(q_0), sqrt(q_1) */
    arb_struct sq_pow[2][5];  /* their powers 0..4 (once have_powers) */
    int have_powers;
    arb_t theta, sin, cos;    /* the angle of z_0 and z_1 (GENERAL) */
    arb_t sm;                 /* sin theta - theta cos theta (GENERAL) */
    int have_orthant;
    arb_struct orth[5][5];    /* GENERAL: P(i, k, theta), i + k <= 4 */
    arb_struct orthc[5][5];   /* P(i, k, pi - theta) */
}
_ntk_gauss_struct;

void _ntk_gauss_init(_ntk_gauss_struct * g, const _ntk_act_struct * act, slong prec);

void _ntk_gauss_clear(_ntk_gauss_struct * g);

/* Sets the covariance and the mode (theta, sin, cos as given: GENERAL only). */
void _ntk_gauss_set(_ntk_gauss_struct * g, _ntk_gauss_mode_t mode, int sgn, const arb_t q0,
                    const arb_t q1, const arb_t c, const arb_t theta);

/* res <- E[prod_a sigma(z_a)^n[a][0] sigma'(z_a)^n[a][1]], n[a][0] + n[a][1] <= 4,
   n[0][0] + n[1][0] <= 4 and even. */
void _ntk_gauss_expect(arb_t res, _ntk_gauss_struct * g, const int n[2][2]);

/* The gradient and the Hessian of E[F(z_a) F(z_b)], F = sigma (deriv = 0)
   or sigma' (deriv = 1), with respect to (G_00, G_01, G_11), G_01 standing
   for both off-diagonal entries.  In the degenerate modes the derivatives are
   those along the set of covariances the networks stay on (PARALLEL: loaded
   on G_00; ZERO: on the non-zero input's variance), which is all that the
   covariances of the layer's Gram matrix ever contract them with. */
void _ntk_gauss_derivs(arb_ptr grad, arb_ptr hess, _ntk_gauss_struct * g, int deriv, int a,
                       int b);

/* res[0..1] <- E[grad (sigma(z_gamma) sigma'(z_a))], the vector that carries
   the NTK's correlations across neurons to the next layer. */
void _ntk_gauss_stein(arb_ptr res, _ntk_gauss_struct * g, int gamma, int a);

/* res <- q_0^(p0/2) q_1^(p1/2) (p0, p1 of either sign). */
void _ntk_gauss_scale(arb_t res, const _ntk_gauss_struct * g, int p0, int p1);

/* sin(theta) - theta cos(theta), accurate for small theta (a series there). */
void _ntk_sin_minus_theta_cos(arb_t res, const arb_t theta, const arb_t sin, const arb_t cos,
                              slong prec);

/* ------------------------------------------------ the layer step */

/* The infinite-width values at one interface (the activations of a layer,
   scaled by the next layer's c/n): G (covariance of the next pre-activations)
   and T (the mean of the next layer's NTK part carried from below), indexed
   by the pairs 00, 01, 11, and the angle of G. */
typedef struct
{
    arb_struct G[3], T[3];
    arb_t theta;
    _ntk_gauss_mode_t mode;
    int sgn;
}
_ntk_iface_struct;

void _ntk_iface_init(_ntk_iface_struct * f);

void _ntk_iface_clear(_ntk_iface_struct * f);

/* The O(1/n) state: the mean corrections of (G, T) (6), their covariance (21),
   Phi (10: the NTK's correlations across neurons projected on the
   activations) and Psi (8: the traces of products of the NTK's blocks). */
#define _NTK_KSTATE 45

/* The state index of the mean correction of variable u (0..5: G_00, G_01,
   G_11, T_00, T_01, T_11) and of the covariance of u and v. */
#define _NTK_KM1(u) (u)
slong _ntk_kstate_cov(int u, int v);

/* The index of Psi(a, b, c, d) (-1 if it is not one of the eight kept). */
slong _ntk_kstate_psi(int a, int b, int c, int d);

/* One layer step, from interface s to s + 1 (the layer of width n' that
   follows it): next <- the infinite-width values; when A is not NULL, the
   linear map A (_NTK_KSTATE^2 entries, row-major) and the source b of the
   O(1/n) state: x' = A x + b / n'.  cp is the c of the layer after n', mu
   the weight factor of the layer of width n' (1 in the NTK
   parametrization), lb 1 with biases. */
void _ntk_kernel_step(_ntk_iface_struct * next, arb_ptr A, arb_ptr b,
                      const _ntk_iface_struct * cur, _ntk_gauss_struct * g,
                      const arb_t cp, const arb_t mu, int lb, _ntk_gauss_mode_t next_mode,
                      slong prec);

/* The angle of the next layer's pre-activations at infinite width (GENERAL
   mode), in a form whose ball does not grow with the depth. */
void _ntk_kernel_next_angle(arb_t res, const arb_t theta, const arb_t sin, const arb_t cos,
                            const arb_t sm, const _ntk_act_struct * act, slong prec);

/* The output functionals at the last interface: w[q] (q < NTK_KERNEL_N_COEFFS,
   _NTK_KSTATE entries each) with the O(1/n) part of quantity q = w[q] . x. */
void _ntk_kernel_output(arb_ptr w, const arb_t mu);

/* ------------------------------------------------ the pass */

/* The checks of ntk_kernel_compute (profile, conventions, inputs). */
ntk_status_t _ntk_kernel_check(const ntk_profile_t p, const fmpq_t x2, const fmpq_t y2,
                               const fmpq_t xy, const ntk_conv_t conv, ntk_error_t * err);

/* The bits the 1/n recursion loses to cancellation, estimated from the
   smallest angle of the layers (about 6 log2(1/theta), theta or pi - theta)
   by a pass of the angle map at 64 bits; 0 without a general angle. */
slong _ntk_kernel_angle_loss(const ntk_profile_t p, const fmpq_t x2, const fmpq_t y2,
                             const fmpq_t xy, const ntk_conv_t conv);

/* ntk_kernel_compute after the checks; exec (may be NULL) for its progress
   callback: NTK_ERR_INTERRUPTED (nothing else set) when it asks to stop. */
ntk_status_t _ntk_kernel_compute(ntk_kernel_t k, const ntk_profile_t p, const fmpq_t x2,
                                 const fmpq_t y2, const fmpq_t xy, const ntk_conv_t conv,
                                 ntk_kernel_what_t what, slong prec, const ntk_exec_struct * exec);

#endif

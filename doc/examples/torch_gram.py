"""Checking a PyTorch NTK Gram matrix of a batch of inputs with one call.

The model is a torch.nn.Sequential of Linear and ReLU layers with the
conventions of ntkexact (doc/derivation.md, sections 1 and 2): weights
N(0, c/n_in), c = 2 hidden and 1 at the output, zero trainable biases, a
linear output.  For each random network, torch.func (functorch in PyTorch 1.13) gives the Jacobian of
the outputs N(x_1), ..., N(x_4) of a batch of 4 inputs with respect to every
parameter (jacrev), and the empirical NTK Gram matrix is

    K[i, j] = sum over weights of (c/n_in) dN(x_i)/dW dN(x_j)/dW
              + sum over biases of dN(x_i)/db dN(x_j)/db

(the NTK parametrization: a torch gradient is taken with respect to
What = sqrt(c/n_in) W, so each weight's product is multiplied by c/n_in).
torch.func.vmap runs it for a batch of networks at once, their parameters
drawn directly as stacked tensors.  Then one call checks it:

    from ntkexact.testing import check_gram
    check_gram(sample_fn, "4,128,128,1", inputs)

which compares the mean of every diagonal entry with the exact E[K(x,x)]
and its variance with the exact Var[K(x,x)], and the mean of every
off-diagonal entry with Theta(x_i, x_j) + sum_l c_l/n_l (ntkexact.kernel),
at one false-alarm level for the whole matrix (doc/python.md).

Usage: python3 torch_gram.py [--samples N] [--seed 1]
                             [--bug batch-mean|paired-activations]
--bug plants a cross-input bug: batch-mean centres the first hidden layer
across the batch (a batch-norm left in training mode); paired-activations
pairs the gradients of input i with the activations of another input of the
batch.  Exit status 0 when the check passes, 1 otherwise.
"""

import argparse
import math
import sys

import torch
try:
    from torch.func import functional_call, jacrev, vmap
except ImportError:                 # PyTorch < 2.0 (Debian 12's 1.13): the same in functorch
    from functorch import jacrev, vmap
    from torch.nn.utils.stateless import functional_call

from ntkexact.testing import GramCheckError, check_gram

WIDTHS = [4, 128, 128, 1]
# four inputs of R^4: unequal norms, angles near 0, pi/2 and pi
INPUTS = torch.tensor([[1.0, 0.0, 0.0, 0.0],
                       [0.9, 0.3, 0.0, 0.0],
                       [0.0, 1.0, -1.0, 0.5],
                       [-1.0, -0.2, 0.1, 0.0]], dtype=torch.float64)
BUGS = ("batch-mean", "paired-activations")


class BatchMean(torch.nn.Module):
    """The planted bug batch-mean: x minus its mean over the batch."""

    def forward(self, x):
        return x - x.mean(dim=0, keepdim=True)


def make_model(widths, bug=None):
    layers = []
    for i in range(len(widths) - 1):
        layers.append(torch.nn.Linear(widths[i], widths[i + 1], dtype=torch.float64))
        if i == 0 and bug == "batch-mean":
            layers.append(BatchMean())
        if i < len(widths) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


class GramSampler:
    """sample_fn(inputs, m, generator) for check_gram: the NTK Gram matrices
    of m fresh networks at the inputs, shape (m, k, k)."""

    def __init__(self, widths=WIDTHS, bug=None):
        if bug is not None and bug not in BUGS:
            raise ValueError(f"bug: {bug} is not one of {', '.join(BUGS)}")
        self.widths, self.bug = list(widths), bug
        self.model = make_model(self.widths, bug)
        # the factor c/n_in of each weight, 1 for each bias
        self.scale = {}
        linears = [m for m in self.model if isinstance(m, torch.nn.Linear)]
        names = {id(p): n for n, p in self.model.named_parameters()}
        for i, lin in enumerate(linears):
            c = 2.0 if i < len(linears) - 1 else 1.0
            self.scale[names[id(lin.weight)]] = c / lin.in_features
            self.scale[names[id(lin.bias)]] = 1.0

    def draw(self, m, generator):
        """Stacked parameters of m networks: weights N(0, c/n_in), biases 0."""
        params = {}
        for name, p in self.model.named_parameters():
            if name.endswith("weight"):
                params[name] = (torch.randn((m,) + tuple(p.shape), generator=generator,
                                            dtype=torch.float64) * math.sqrt(self.scale[name]))
            else:
                params[name] = torch.zeros((m,) + tuple(p.shape), dtype=torch.float64)
        return params

    def gram_one(self, params, x):
        """The NTK Gram matrix of one network (params) at the batch x."""
        def outputs(p):
            return functional_call(self.model, p, (x,)).squeeze(-1)
        jac = jacrev(outputs)(params)            # name -> (k, *shape)
        k = x.shape[0]
        return sum(self.scale[n] * (j.reshape(k, -1) @ j.reshape(k, -1).T)
                   for n, j in jac.items())

    def gram_paired(self, params, x, shift=1):
        """The planted bug paired-activations, from the parts of the weight
        gradient dN/dW = delta a^T: delta of input i (the bias gradient)
        with the activations a of the input `shift` places before it in the
        batch (shift=0: the correct Gram matrix, by another route)."""
        def outputs(p):
            return functional_call(self.model, p, (x,)).squeeze(-1)
        jac = jacrev(outputs)(params)
        k = x.shape[0]
        acts, a = [], x
        linears = [m for m in self.model if isinstance(m, torch.nn.Linear)]
        for i, lin in enumerate(linears):
            acts.append(a)
            z = a @ params[f"{2 * i}.weight"].T + params[f"{2 * i}.bias"]
            a = torch.relu(z)
        total = torch.zeros(k, k, dtype=torch.float64)
        for i in range(len(linears)):
            delta = jac[f"{2 * i}.bias"].reshape(k, -1)
            other = acts[i].roll(shift, dims=0)
            total = total + (self.scale[f"{2 * i}.weight"] * (delta @ delta.T)
                             * (other @ other.T) + delta @ delta.T)
        return total

    def __call__(self, inputs, m, generator):
        params = self.draw(m, generator)
        one = self.gram_paired if self.bug == "paired-activations" else self.gram_one
        with torch.no_grad():
            return vmap(one, in_dims=(0, None))(params, inputs)


def check(samples=None, seed=1, bug=None, raise_on_failure=True):
    """The one call: check_gram on the sampler (samples None: the rule's
    default, 10000 or fewer where the 1/n expansion needs it)."""
    generator = torch.Generator().manual_seed(seed)
    return check_gram(GramSampler(bug=bug), WIDTHS, INPUTS, samples, batch=250,
                      rng=generator, raise_on_failure=raise_on_failure)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--samples", type=int, default=None)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--bug", choices=BUGS)
    args = p.parse_args(argv)
    try:
        report = check(args.samples, args.seed, args.bug)
    except GramCheckError as e:
        print(e)
        return 1
    print(report.table())
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Writes doc/api.md, the reference of the C API, from the comments of the
public headers: include/ntkexact.h and the module headers it includes,
include/ntkexact/*.h, in its order (so the two cannot drift apart;
tests/api-doc.sh checks).

Usage: python3 doc/tools/api_doc.py include/ntkexact.h > doc/api.md"""
import os
import re
import sys


def module_lines(umbrella):
    """The declarations of each module header the umbrella includes, in order:
    from a module's first section line to its closing extern "C"."""
    res = []
    top = os.path.dirname(umbrella)
    for inc in re.findall(r'^#include "(ntkexact/\w+\.h)"', open(umbrella).read(), re.M):
        body = open(os.path.join(top, inc)).read().splitlines()
        first = next(i for i, l in enumerate(body) if re.match(r"^/\* -{10,} ", l))
        last = max(i for i, l in enumerate(body) if l.startswith("#ifdef __cplusplus"))
        res += body[first:last]
    return res + ["#ifdef __cplusplus"]


lines = module_lines(sys.argv[1])
out = ["# The C API of libntkexact", "",
       "Generated from `include/ntkexact.h` and its module headers `include/ntkexact/*.h`",
       "by `doc/tools/api_doc.py`; the headers are the reference. Build with",
       "`pkg-config --cflags --libs ntkexact`. Values are FLINT",
       "`fmpz`/`fmpq`/`fmpq_poly` and MPFR `mpfr_t`; every `*_init` has its `*_clear`;",
       "fallible calls return an `ntk_status_t` and fill an `ntk_error_t` message.", ""]
section = re.compile(r"^/\* -{10,} (.+?) \*/$")
i, comment, started = 0, None, False
while i < len(lines):
    line = lines[i]
    m = section.match(line)
    if m:
        started = True
        out += [f"## {m.group(1)}", ""]
        i += 1
        continue
    if not started or line.startswith("#ifdef __cplusplus"):
        if line.startswith("#ifdef __cplusplus") and started:
            break
        i += 1
        continue
    if line.startswith("/*"):                      # a comment at column 0
        text = []
        while True:
            text.append(lines[i].strip().removeprefix("/*").removesuffix("*/").strip(" *"))
            if lines[i].rstrip().endswith("*/"):
                break
            i += 1
        comment = " ".join(t for t in text if t)
        i += 1
        continue
    if not line.strip():
        i += 1
        continue
    decl = [line]                                  # a declaration at column 0
    if line.startswith("#"):
        pass
    elif line.startswith("typedef") and not line.rstrip().endswith(";"):
        while not re.match(r"^}?\s*\w+\s*;$", lines[i].strip()) or lines[i].strip() == "{":
            i += 1
            decl.append(lines[i])
    else:
        while not lines[i].rstrip().endswith(";"):
            i += 1
            decl.append(lines[i])
    out += ["```c"] + decl + ["```"]
    if comment:
        out += [comment]
    out.append("")
    comment = None
    i += 1
print("\n".join(out).rstrip() + "\n")

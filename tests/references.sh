#!/bin/sh
# Every file that the project cites exists in the repository, and every
# cited section of doc/derivation.md exists.  TAP.
S=${SRCDIR:-.}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
cd "$S" || exit 1
if ! git rev-parse --git-dir >/dev/null 2>&1; then
    echo "1..0 # SKIP not a git checkout (the list of files comes from git)"
    exit 0
fi
list=${TMPDIR:-/tmp}/ntk-refs.$$
git ls-files >"$list"
trap 'rm -f "$list"' EXIT
"$PY" - "$list" <<'PYEOF'
import os, re, sys
files = [f.strip() for f in open(sys.argv[1]) if f.strip()]
tracked = set(files)
basenames = {os.path.basename(f) for f in files}
# made by the build, or installed: cited on purpose
generated = {"config.h", "config.h.in", "Makefile.in", "configure", "test-suite.log", "ntkexact.pc", "dummy.c"}
installed = ("share/", "/usr/", "$(", "~/")
# headers of the libraries we build on
external = ("flint/", "gmp.h", "mpfr.h", "mpi.h", "Python.h", "arb.h")
ref = re.compile(r"(?<![\w$./-])((?:[\w.-]+/)*[\w.-]*[A-Za-z][\w.-]*\.(?:md|c|h|sh|py|1|in|ac|am|svg|png))\b")
sections = {int(m.group(1)) for m in re.finditer(r"^## (\d+)\.", open("doc/derivation.md").read(), re.M)}
secref = re.compile(r"derivation\.md[`,)]*,? (?:s\.|sections? )(\d+)(?:(?:,| and| to) (\d+))?")
bad, n_refs, n_secs = [], 0, 0
for f in files:
    if f.endswith((".png", ".xz", ".csv", ".svg")) or f.startswith("build-aux/"):
        continue
    try:
        text = open(f, encoding="utf-8").read()
    except (UnicodeDecodeError, OSError):
        continue
    # system headers are not ours; groff font escapes are not part of names
    text = re.sub(r"^\s*#\s*include\s*<[^>]*>", "", text, flags=re.M)
    text = re.sub(r"\\f[BIRP]", " ", text)
    for m in ref.finditer(text):
        r = m.group(1).rstrip(".")
        n_refs += 1
        if r in generated or os.path.basename(r) in generated or r.startswith(external):
            continue
        if "/" in r:
            ok = (r in tracked or os.path.normpath(os.path.join(os.path.dirname(f), r)) in tracked
                  or (r.startswith(installed) and os.path.basename(r) in basenames)
                  or any(t.endswith("/" + r) for t in tracked))
        else:
            ok = r in basenames
        if not ok:
            bad.append(f"{f}: {r}")
    for m in secref.finditer(text):
        for g in m.groups():
            if g is None:
                continue
            n_secs += 1
            if int(g) not in sections:
                bad.append(f"{f}: doc/derivation.md section {g}")
print("ok 1 - %d file references and %d section references resolve" % (n_refs, n_secs)
      if not bad else "not ok 1 - references that do not resolve:\n# " + "\n# ".join(sorted(set(bad))))
print("1..1")
PYEOF

# Generates tests/hostile.txt: one hostile command line per line, "STATUS<tab>ARGS".
lines = []
def add(status, args, mode=""):
    lines.append(f"{status}\t{mode + ':' if mode else ''}{args}")

W = "--widths 3,2,1"
bad_widths = ["3,0,1", "3,-1,1", "3,abc,1", "3,123456789012345678901234,1", "''", "3,,1", "3,100x0,1",
              "1", "3,2", "' 3,2,1'", "'3,2,1 '", "3,+2,1", "3,0x10,1", "3,2.5,1", ",3,2,1", "3,2,1,",
              "3,1099511627777,1", "3,2x1099511627777,1", "3,x2,1", "3,2x,1", "3,2xx2,1", "3,2x-1,1"]
for w in bad_widths:
    add(2, f"moments --widths {w}")
for w in bad_widths[:12]:
    add(2, f"sample --widths {w} --samples 10")
    add(2, f"check --widths {w} --samples 10")
for w in bad_widths[:8]:
    add(2, f"example --widths {w}")
    add(2, f"compare-paper --widths {w}")
    add(2, f"table --profile {w}")
bad_q = ["x", "1/0", "0x10", "' 3'", "'3 '", "+3", "1e9999999", "nan", "inf", "''", "1/", "/2", "1.2.3",
         "1e", "--", "1/2/3", "1/-2", "-", "."]
rational_opts = {
    "moments": ["--x2", "--mu4", "--cw-hidden", "--cw-output", "--target"],
    "sample": ["--x2", "--cw-hidden", "--cw-output"],
    "expand --depth 3": ["--x2", "--mu4", "--cw-hidden", "--cw-output"],
    "limit --beta 1": ["--a", "--cw-output"],
    "table --depths 2 --hidden-widths 1": ["--cw-hidden", "--cw-output"],
}
for cmd, opts in rational_opts.items():
    base = cmd + (" " + W if cmd in ("moments",) else "") + (" " + W + " --samples 10" if cmd == "sample" else "")
    for o in opts:
        for q in bad_q[:10]:
            add(2, f"{base} {o} {q}")
for q in bad_q:
    add(2, f"limit --beta {q}")
for q in bad_q[:8]:
    add(2, f"compare-paper --beta {q}")
    add(2, f"compare-paper --a {q}")
    add(2, f"table --depths 2 --hidden-widths 1 --a {q}")
    add(2, f"table --depths 2 --hidden-widths 1 --mu4 {q}")
# ranges of rationals
for a in ["moments " + W + " --mu4 0.5", "moments " + W + " --cw-hidden 0", "moments " + W + " --cw-output -1",
          "moments " + W + " --x2 -1", "sample " + W + " --samples 10 --x2 -1/2", "expand --depth 3 --x2 -1",
          "limit --beta 0", "limit --beta -1", "limit --beta 1000001", "limit --beta 149000000", "limit --beta 1e30",
          "limit --beta 1e-1001", "limit --beta 1 --a -1", "limit --beta 1 --a 1e101", "compare-paper --beta 0",
          "compare-paper --beta 10001", "compare-paper --a 0", "compare-paper --a 1e-101", "compare-paper --a 1e101",
          "compare-paper --n 0", "compare-paper --n 1/2", "compare-paper --n 18446744073709551626 --beta 1/2 --a 1",
          "compare-paper --n 1099511627777", "compare-paper --n 100000 --beta 1", "table --depths 1 --hidden-widths 2",
          "table --depths 2 --hidden-widths 0", "table --depths 2 --hidden-widths 1099511627777", "table --depths 2.5 --hidden-widths 2",
          "table --depths 2 --hidden-widths 2 --a -1", "table --depths 2 --hidden-widths 2 --mu4 1/2",
          "limit --beta 1 --cw-hidden 3", "limit --beta 1 --param standard", "expand --depth 3 --mu4 0",
          "sample " + W + " --samples 10 --mu4 2", "check " + W + " --samples 10 --mu4 5",
          "sample " + W + " --samples 10 --cw-hidden 1e100000", "sample --widths 3,10x10,1 --samples 10 --x2 1e-100",
          "check --widths 3,10x300,1 --samples 10 --cw-hidden 5", "sample " + W + " --samples 10 --x2 1e80"]:
    add(2, a)
bad_int = ["0", "-1", "' 3'", "'3 '", "+3", "0x10", "3.0", "1e3", "''", "abc", "99999999999999999999999", "3a"]
int_opts = [("moments " + W, "--digits", 1, 1000), ("moments " + W, "--threads", 1, 64),
            ("moments " + W, "--precision", 2, 1 << 20), ("sample " + W, "--samples", 2, None),
            ("expand", "--depth", 2, 400), ("expand --depth 3", "--n0", 1, None), ("expand --depth 3", "--order", 0, 1000),
            ("limit --beta 1", "--digits", 1, 1000), ("table --depths 2 --hidden-widths 1", "--n0", 1, None),
            ("compare-paper", "--n0", 1, None), ("compare-paper", "--threads", 1, 64)]
for base, o, lo, hi in int_opts:
    vals = [v for v in bad_int if not (v == "0" and lo == 0)]
    if hi is not None:
        vals = vals + [str(hi + 1)]
    if lo > 1:
        vals = vals + [str(lo - 1)]
    for v in vals:
        extra = " --samples 10" if base.startswith("sample") and o != "--samples" else ""
        add(2, f"{base}{extra} {o} {v}")
for v in ["' -1'", "-1", "+1", "0x1", "18446744073709551616", "''", "1.5"]:
    add(2, f"sample {W} --samples 10 --seed {v}")
for v in ["-1", "0", "inf", "nan", "0x1p3", "' 5'", "''", "abc", "-inf", "1e999"]:
    add(2, f"check {W} --samples 10 --tolerance {v}")
# the sampling method
for cmd in ["sample " + W + " --samples 10", "check " + W + " --samples 10"]:
    for v in ["''", "Full", "'projected '", "auto", "fulll", "0", "2", "projected,full", "--quiet"]:
        add(2, f"{cmd} --method {v}")
    for law in ["--mu4 9/5", "--law uniform", "--law uniform --mu4 9/5"]:
        add(2, f"{cmd} --method projected {law}")
        add(2, f"{cmd} {law} --method projected")
    add(2, f"{cmd} --method")
add(2, "moments " + W + " --method full")
add(2, "sample --widths 3,16777216,1 --samples 2")
add(2, "sample --widths 3,2x100000000,1 --samples 2 --method projected")
add(2, "sample --widths 3,20000,20000,1 --samples 2 --method full")
# lists with empty items
for l in ["2,,3", ",1", "1,", ",", "1,,"]:
    add(2, f"limit --beta {l}")
    add(2, f"compare-paper --n {l}")
    add(2, f"table --depths {l} --hidden-widths 2")
    add(2, f"table --depths 2 --hidden-widths {l}")
    add(2, f"table --depths 2 --hidden-widths 2 --a {l}")
# --order and the law's higher moments
for v in ["0", "1", "5", "-2", "' 3'", "3.0", "''", "x", "99999999999999999999", "+3", "0x3"]:
    add(2, f"moments {W} --order {v}")
    add(2, f"table --depths 2 --hidden-widths 1 --order {v}")
for o in ["--mu6", "--mu8"]:
    for q in bad_q[:10]:
        add(2, f"moments {W} --order 4 {o} {q}")
    add(2, f"table --depths 2 --hidden-widths 1 --order 4 {o} {bad_q[1]}")
for a in ["moments " + W + " --order 3 --mu6 8", "moments " + W + " --order 3 --mu6 -15",
          "moments " + W + " --order 4 --mu8 10", "moments " + W + " --order 4 --mu4 2 --mu6 6 --mu8 19",
          "moments " + W + " --order 4 --mu4 2 --mu6 4 --mu8 9", "moments " + W + " --order 3 --mu4 1 --mu6 2",
          "moments " + W + " --order 3 --mu4 5", "moments " + W + " --order 4 --mu4 5 --mu6 30",
          "moments " + W + " --order 3 --mu4 1", "table --depths 2 --hidden-widths 1 --order 3 --mu4 3,2",
          "table --depths 2 --hidden-widths 1 --order 4 --mu6 1", "moments " + W + " --order 4 --x2 symbolic --double",
          "sample " + W + " --samples 10 --mu6 15", "check " + W + " --samples 10 --mu8 105",
          "expand --depth 3 --mu6 15", "limit --beta 1 --mu6 15", "compare-paper --order 3",
          "moments --widths 3,10000000x300,1 --order 4",
          "moments --widths 10,1000x1000000000,1 --double --order 4"]:
    add(2, a)
# options, commands, arguments
for cmd in ["moments " + W, "sample " + W + " --samples 10", "check " + W + " --samples 10", "expand --depth 3",
            "limit --beta 1", "table --depths 2 --hidden-widths 1", "compare-paper", "example", "help", "version"]:
    add(2, f"{cmd} --bogus")
    add(2, f"{cmd} extra")
    add(2, f"{cmd} -x")
for cmd, o in [("moments", "--widths"), ("sample " + W, "--samples"), ("expand", "--depth"), ("limit", "--beta"),
               ("table", "--depths"), ("compare-paper", "--n"), ("moments " + W, "--format")]:
    add(2, f"{cmd} {o}")
for a in ["frobnicate", "''", "-v", "--versio", "MOMENTS " + W, "help bogus", "help --bogus", "version --bogus",
          "moments", "sample " + W, "sample --samples 10", "expand", "limit", "table",
          "table --depths 2", "table --hidden-widths 2", "limit --beta 1 --x2 2", "limit --beta 1 --n0 3",
          "limit --beta 1 --a 1 --x2 1 --n0 1", "moments " + W + " --x2 symbolic --double",
          "sample " + W + " --samples 10 --x2 symbolic", "limit --beta 1 --x2 symbolic --n0 2",
          "expand --depth 3 --x2 symbolic", "sample " + W + " --samples 10 --law uniform --mu4 3",
          "sample " + W + " --samples 10 --law cauchy", "moments " + W + " --format xml",
          "table --depths 2 --hidden-widths 1 --format json", "expand --depth 3 --format csv", "moments " + W + " --param foo",
          "moments " + W + " --samples 10", "sample " + W + " --samples 10 --full", "sample " + W + " --samples 10 --double",
          "sample " + W + " --samples 10 --tolerance 3", "compare-paper --cw-hidden 3", "compare-paper --no-bias",
          "compare-paper --param standard", "compare-paper --cw-output 2", "compare-paper --widths 3,1",
          "moments --widths 3,10000000x300,1", "table --profile 3,10000000x300,1",
          "check --widths 3,10000000x300,1 --samples 10", "sample --widths 3,2x100000000,1 --samples 2",
          "moments --widths 10,1000x1000000000,1 --double --cw-hidden 1000000"]:
    add(2, a)
# the series in 1/n and the 1/n correction (issue 15)
for a in ["expand --depth symbolic --order 41", "expand --depth symbolic --cw-hidden 3 --order 21", "expand --depth 3 --method foo",
          "expand --depth 3 --series --order 41", "expand --depth 1001 --no-dead-part", "expand --depth sym",
          "expand --depth symbolic --method interpolate", "expand --depth 401 --method interpolate --no-dead-part",
          "expand --depth 20000 --series --cw-hidden 3", "expand --depth 1099511627777 --series",
          "limit --beta 1 --order 2", "limit --beta 1 --order -1", "limit --beta 1 --order 1 --param standard",
          "limit --beta 1/2 --order 1 --activation slopes:0,1"]:
    add(2, a)
# expand --moments 3|4 (issue 12, point 4)
for v in ["5", "1", "0", "x", "''", "3.0", "+3", "99999999999999999999"]:
    add(2, f"expand --depth 3 --moments {v}")
for a in ["expand --depth 201 --moments 3", "expand --depth 101 --moments 4",
          "expand --depth 101 --moments 4 --method interpolate --no-dead-part",
          "expand --depth symbolic --moments 4 --order 41", "expand --depth 5 --series --moments 3 --order 41",
          "expand --depth symbolic --x2 0 --activation leaky:1/2 --order 21",
          "expand --depth 10001 --series --moments 4 --cw-hidden 3", "expand --depth symbolic --moments 3 --x2 -1",
          "expand --depth 3 --moments 2 --mu6 15", "expand --depth 3 --moments 3 --mu8 105",
          "expand --depth 3 --moments 3 --mu6 8", "expand --depth 3 --moments 4 --mu8 10",
          "expand --depth 3 --moments 3 --mu4 5", "expand --depth 3 --moments 4 --mu4 2 --mu6 4",
          "expand --depth 3 --moments 4 --mu6 x"]:
    add(2, a)
add(0, "expand --depth 3 --moments 4 --mu4 2 --mu6 5 --mu8 14 --format json", "ok")
# issue 24: the series of the moments up to E[K^4], off the critical cw_hidden, and x2 = 0
for a in ["expand --depth 3 --moments 3 --series", "expand --depth symbolic --moments 4 --order 2",
          "expand --depth symbolic --cw-hidden 3 --order 2", "expand --depth symbolic --cw-hidden 3 --format json",
          "expand --depth 201 --moments 3 --series --order 2", "expand --depth 3 --x2 0",
          "expand --depth 3 --x2 0 --no-bias --format json", "expand --depth 4 --x2 0 --moments 4 --no-bias",
          "expand --depth symbolic --x2 0 --moments 4 --no-bias --order 2 --format json",
          "expand --depth symbolic --x2 0 --activation leaky:1/2 --order 2",
          "expand --depth 5 --series --x2 0 --moments 4 --activation slopes:0,1 --format json",
          "expand --depth 10000 --series --cw-hidden 3 --moments 4 --order 1"]:
    add(0, a, "ok")
# limit --moments (issue 12, point 4): orders 2..4; the dead phase of slopes 0,a bounds beta
for a in ["limit --beta 1 --moments 5", "limit --beta 1 --moments 1", "limit --beta 1 --moments x",
          "limit --beta 1 --moments 0", "limit --beta 1 --moments -3", "limit --beta 1 --moments 3.5",
          "limit --beta 1 --moments ''", "limit --beta 1 --moments 99999999999999999999",
          "limit --beta 1/3 --moments 4 --activation slopes:0,1",
          "limit --beta 1/4 --moments 4 --order 1 --activation slopes:0,1",
          "limit --beta 1 --moments 4 --cw-hidden 3",
          "limit --beta 1 --moments 4 --param standard", "limit --beta 1 --moments 4 --digits 0",
          "limit --beta 1 --moments"]:
    add(2, a)
# answered since issue 24: every activation, and F_1, at orders 3 and 4
for a in ["limit --beta 1 --moments 3 --order 1", "limit --beta 1 --moments 4 --order 1",
          "limit --beta 1 --moments 3 --activation leaky:1/2", "limit --beta 1 --moments 4 --activation linear",
          "limit --beta 1/4 --moments 4 --activation slopes:0,1"]:
    add(0, a, "ok")
# order 3, 4 estimates beyond double precision (K about 2^150): refused, not passed
for cmd in ["check", "sample"]:
    add(2, f"{cmd} --widths 3,2,1 --samples 2000 --cw-output {2 ** 150} --order 4")
    add(2, f"{cmd} --widths 3,2,1 --samples 2000 --cw-output {2 ** 200} --order 3")
    # and those of the update's second moment (N^2 g^2 about 2^300)
    add(2, f"{cmd} --widths 3,2,1 --samples 2000 --cw-output {2 ** 150} --update")
    add(2, f"{cmd} " + W + " --samples 10 --target 1")
# failed writes: every command, to a full device and to a closed stdout
for cmd in ["moments " + W, "moments " + W + " --format json", "example", "table --depths 2,3 --hidden-widths 1",
            "sample " + W + " --samples 100", "check " + W + " --samples 1000", "expand --depth 3",
            "moments " + W + " --order 4 --format json", "table --profile 3,2,1 --order 3",
            "limit --beta 1", "compare-paper --n 10 --beta 1 --a 1", "help", "help moments", "version",
            "moments --help"]:
    add(1, cmd, "full")
    add(1, cmd, "closed")
# a 1 KiB file-size limit: every command's output is longer
for cmd in ["moments --widths 10,100x40,1 --format json", "table --depths 2,3,4,5,6,7,8 --hidden-widths 1,2,3,4",
            "sample --widths 10,10x60,1 --samples 100 --format json", "expand --depth 6 --format json",
            "limit --beta 1 --digits 1000", "compare-paper --n 10,30 --beta 1/2,1,2 --a 1"]:
    add(1, cmd, "fsize")
# memory and threads
add(3, "sample --widths 3,11000,11000,1 --samples 2 --method full", "mem500000")
add(3, "moments --widths 3,1000000000,1", "mem500000")
add(3, "sample --widths 3,2,1 --samples 1000000 --threads 64", "mem120000")
add(3, "moments --widths 3,300000000,1", "mem150000")
add(3, "sample --widths 3,4000,4000,1 --samples 2 --method full", "mem100000")
add(3, "check --widths 3,4000,4000,1 --samples 2 --method full", "mem100000")
# the projected method holds a few doubles per neuron: 10^7 neurons do not fit in 100 MB
add(3, "sample --widths 3,1000000x10,1 --samples 2", "mem100000")
add(3, "check --widths 3,1000000x10,1 --samples 2 --no-bias --method projected", "mem100000")
# valid edge cases: exit 0 and no nan or inf printed
for a in ["limit --beta 1/2 --a 0", "limit --beta 1/2 --a 0 --format json", "limit --beta 1e-40",
          "limit --beta 1e-20 --digits 10 --format json", "limit --beta 1000000 --digits 5",
          "moments --widths 1,1,1,1 --x2 0 --format json", "moments " + W + " --x2 1e-100 --format csv",
          "moments --widths 10,1000x1000000000,1 --double --format json", "sample " + W + " --samples 2 --x2 0",
          "sample --widths 1,1,1,1 --samples 2 --x2 0 --method projected --no-bias",
          "sample --widths 3,20000,20000,1 --samples 2 --format json",
          "check --widths 3,1x6,1 --samples 100 --method full --tolerance 1000",
          "compare-paper --n 10 --beta 1/2 --a 1e-50 --format csv", "expand --depth 3 --x2 1e-30 --format json",
          "limit --beta 1/2 --a 0 --order 1", "limit --beta 1e-40 --order 1", "limit --beta 1000000 --digits 5 --order 1",
          "moments " + W + " --order 4 --x2 0 --format json", "moments " + W + " --order 4 --x2 1e-100 --format csv",
          "moments --widths 2,1 --order 4 --format json", "moments " + W + " --order 4 --mu4 1 --mu6 1 --mu8 1",
          "moments " + W + " --order 4 --x2 symbolic --format csv",
          "moments --widths 10,1000x1000000,1 --double --order 4 --format json",
          "expand --depth 1099511627776 --series --order 2", "expand --depth symbolic --order 0 --format json"]:
    add(0, a, "ok")
# --activation: malformed, both slopes zero, and where a command refuses it
bad_act = ["relu2", "''", "leaky", "leaky:", "leaky:x", "leaky:1/0", "slopes:1", "slopes:1,", "slopes:,1",
           "slopes:0,0", "slopes:1,2,3", "slopes:a,b", "leaky:nan", "LINEAR", "' relu'", "slopes:1e9999999,1"]
for v in bad_act:
    add(2, f"moments {W} --activation {v}")
for cmd in ["expand --depth 3", "limit --beta 1", "table --depths 2 --hidden-widths 1"]:
    for v in bad_act[:6]:
        add(2, f"{cmd} --activation {v}")
for a in ["compare-paper --activation linear", "limit --beta 1 --activation linear --cw-hidden 2",
          "limit --beta 1 --activation slopes:0,1", "limit --beta 1 --a 0 --activation leaky:1/2",
          "limit --beta 1 --activation leaky:1/2 --param standard",
          "moments " + W + " --activation linear --activation"]:
    add(2, a)
for a in ["moments " + W + " --activation slopes:0,1 --x2 0 --format json",
          "moments " + W + " --activation abs --x2 0 --format csv",
          "limit --beta 1 --a 0 --activation linear --format json",
          "limit --beta 1/2 --activation slopes:0,1 --format csv",
          "expand --depth 3 --activation slopes:3/2,-1/3 --format json",
          "moments --widths 10,1000x1000000,1 --double --activation leaky:1/10"]:
    add(0, a, "ok")
# checkpoints (sample, check) and table --output/--resume; "$tmp" is the
# test's own directory (the lines are eval'd there)
for cmd in ["sample " + W + " --samples 100", "check " + W + " --samples 100"]:
    for v in ["0", "-1", "abc", "inf", "nan", "1e400", "1e10", "' 1'", "0x10", "''", "1,2", "1/2", "-0", "."]:
        add(2, f"{cmd} --checkpoint \"$tmp/ck\" --checkpoint-every {v}")
    add(2, f"{cmd} --checkpoint-every 5")
    add(2, f"{cmd} --checkpoint ''")
    add(2, f"{cmd} --checkpoint")
    add(2, f"{cmd} --checkpoint /")
    add(2, f"{cmd} --checkpoint /dev/null")
    add(2, f"{cmd} --checkpoint \"$tmp\"")
    add(1, f"{cmd} --checkpoint /nonexistent/dir/ck")
    add(1, f"{cmd} --checkpoint \"$tmp/ck-full\"", "full")
# two inputs (--xy) take the same checkpoint options; each kind refuses the
# other's checkpoint, and a checkpoint of other inputs
for cmd in ["sample " + W + " --samples 100 --y2 2 --xy 1/2", "check " + W + " --samples 100 --y2 2 --xy 1/2"]:
    for v in ["0", "-1", "abc", "nan", "1e400", "''", "0x10"]:
        add(2, f"{cmd} --checkpoint \"$tmp/ck2\" --checkpoint-every {v}")
    add(2, f"{cmd} --checkpoint-every 5")
    add(2, f"{cmd} --checkpoint ''")
    add(2, f"{cmd} --checkpoint /dev/null")
    add(2, f"{cmd} --checkpoint \"$tmp\"")
    add(2, f"{cmd} --checkpoint \"$tmp/ck-full\"")     # one input's
    add(1, f"{cmd} --checkpoint /nonexistent/dir/ck")
    add(1, f"{cmd} --checkpoint \"$tmp/ck2-full\"", "full")
for a in ["sample " + W + " --samples 100 --y2 2 --xy 1/3 --checkpoint \"$tmp/ck2-full\"",
          "sample " + W + " --samples 100 --y2 3 --xy 1/2 --checkpoint \"$tmp/ck2-full\"",
          "sample " + W + " --samples 100 --checkpoint \"$tmp/ck2-full\"",
          "check " + W + " --samples 100 --checkpoint \"$tmp/ck2-full\"",
          "check " + W + " --samples 100 --y2 2 --xy 1/2 --guarantee --checkpoint x"]:
    add(2, a)
for a in ["moments " + W + " --checkpoint x", "table --depths 2 --hidden-widths 1 --checkpoint x",
          "expand --depth 3 --checkpoint-every 5", "moments " + W + " --output x", "sample " + W + " --samples 10 --resume",
          "table --depths 2 --hidden-widths 1 --resume", "table --depths 2 --hidden-widths 1 --output ''",
          "table --depths 2 --hidden-widths 1 --output", "table --depths 2 --hidden-widths 1 --resume --output /dev/null --format xml",
          "table --depths 2 --hidden-widths 1 --resume x", "table --depths 2 --hidden-widths 1 --output \"$tmp/t\" --resume --depths 0"]:
    add(2, a)
add(1, "table --depths 2 --hidden-widths 1 --output /nonexistent/dir/t")
add(1, "table --depths 2 --hidden-widths 1 --output /")
add(1, "table --depths 2,3 --hidden-widths 1 --output /dev/full")
# check's rule: --alpha, --guarantee and --tolerance (issue 21); the orders
# 3, 4 print no nan (their central moments are "not estimable"), and a row
# whose sample has no spread is said in words (issue 22, points 2 and 3)
for v in ["0", "1", "-1", "2", "nan", "inf", "1e-200", "abc", "''", "0x1p-4", "1/10"]:
    add(2, f"check {W} --samples 100 --alpha {v}")
for a in ["check " + W + " --samples 100 --guarantee --tolerance 5",
          "check " + W + " --samples 100 --guarantee --checkpoint x", "check " + W + " --guarantee=1",
          "check " + W + " --samples 100 --alpha 0.01 --tolerance 5",
          "sample " + W + " --samples 100 --guarantee", "sample " + W + " --samples 100 --alpha 0.01"]:
    add(2, a)
for a in ["sample " + W + " --samples 50 --order 3", "sample " + W + " --samples 50 --order 4 --format csv",
          "sample " + W + " --samples 50 --order 4 --format json",
          "check " + W + " --samples 1000 --order 4 --tolerance 1000",
          "check " + W + " --samples 1000 --order 4 --tolerance 1000 --format csv",
          "check " + W + " --samples 1000 --order 3 --tolerance 1000 --format json",
          "check " + W + " --samples 3000 --guarantee --order 4 --format csv",
          "check --widths 1,1,1,1 --samples 100 --x2 0", "check --widths 1,1,1,1 --samples 100 --x2 0 --format csv",
          "check " + W]:
    add(0, a, "ok")
# a report that fails, or (a sampler that refuses such slopes) a refusal:
# never nan or inf
add(1, "check " + W + " --samples 1000 --activation slopes:1e309,0", "nonan")
add(1, "check " + W + " --samples 1000 --activation slopes:1e309,0 --format csv", "nonan")
add(1, "check " + W + " --samples 1000 --activation slopes:1e309,0 --format json", "nonan")
# sample and check --output FILE, as table's (issue 22, point 8)
for cmd in ["sample " + W + " --samples 100", "check " + W + " --samples 100"]:
    add("2~--output", f"{cmd} --output ''")
    add(2, f"{cmd} --output")
    add(1, f"{cmd} --output /nonexistent/dir/o")
    add(1, f"{cmd} --output /")
    add(1, f"{cmd} --output /dev/full")
    # a 1 KiB file-size limit: the JSON report is longer, and is cut back to nothing
    add(1, f"{cmd.replace(W, '--widths 10,10x60,1')} --format json --output \"$tmp/o\"", "fsize")
# the sampler and extreme slopes (issue 22, point 1): every form of
# --activation at exponents of both signs, on either slope and with a 0
# slope.  check compares the sample with the exact moments (exit 0: every
# |z| <= 5, seed fixed: deterministic), or the activation is refused by name
# where the exact values are beyond double precision (slopes 1e162, 0 gave
# E_K 1 +- 0 with exit 0 while moments gives 5.0e+323); without biases (NTK
# parametrization) the slopes factor out and any size is sampled.
C1 = "check --widths 3,2,1 --samples 2000 --seed 3 --quiet"
S1 = "sample --widths 3,2,1 --samples 2000 --seed 3 --quiet --format csv"
for a in ["relu", "linear", "abs"]:
    add(0, f"{C1} --activation {a}", "ok")
for e in [20, -20, 150, -150, 300, -300]:
    # (activation, log10 of its scale s = the larger |slope|): refused where
    # s^2 K_b is beyond 2^+-240, i.e. for |log10 s| >= 150 (leaky:1e-300 has
    # slopes 1, 1e-300: scale 1); check takes slopes of at most 512 bits
    # (1e154), sample of 4096
    cmd = C1 if abs(e) < 300 else S1
    for a, scale in [(f"leaky:1e{e}", max(e, 0)), (f"leaky:-1e{e}", max(e, 0)),
                     (f"slopes:1e{e},0", e), (f"slopes:0,1e{e}", e), (f"slopes:-1e{e},1e{e}", e),
                     (f"slopes:1e{e},-3e{-e}", abs(e))]:
        if abs(scale) >= 150:
            add("2~--activation", f"{cmd} --activation {a}")
        else:
            add(0, f"{cmd} --activation {a}", "ok")
        add(0, f"{cmd} --activation {a} --no-bias", "ok")
for a in ["slopes:1e162,0", "slopes:1e600,0", "slopes:1e-200,0", "slopes:0,1e-200"]:
    for m in ["full", "projected"]:
        add("2~--activation", f"sample --widths 3,2,1 --samples 10 --method {m} --quiet --activation {a}")
        add(0, f"{S1} --method {m} --activation {a} --no-bias", "ok")
add("2~--activation", f"{S1} --param standard --no-bias --activation slopes:1e300,0")
add(0, f"{C1} --param standard --activation slopes:1e20,-1e19", "ok")
add(0, f"{C1} --law uniform --activation slopes:-1e20,0", "ok")
add(0, f"{C1} --x2 0 --activation slopes:3e30,1e30", "ok")
# the size of rationals (issue 22, point 6: huge exponents ran for minutes):
# each command takes numerators and denominators of at most so many bits,
# an option at its bound runs, one bit more is refused naming the option
def e_max(bits):
    """The largest E with 10^E of at most `bits` bits."""
    e = 0
    while (10 ** (e + 1)).bit_length() <= bits:
        e += 1
    return e
for a in ["moments " + W + " --activation slopes:1e100000,1e-100000",
          "expand --depth 3 --activation slopes:1e100000,1e-100000",
          "limit --beta 1/2 --activation leaky:1e100000", "limit --beta 1,5 --order 1 --activation slopes:12,17.21e-384",
          "expand --depth 3 --activation slopes:1e100000,1e-100000", "table --depths 2 --hidden-widths 1 --activation leaky:1e-100000",
          "check " + W + " --samples 10 --activation slopes:1e100000,1e-100000"]:
    add("2~--activation", a)
bounds = [  # (command, option, bits, the value at the bound as a template of 10^E)
    ("moments " + W, "--x2", 1024, "1e-{E}"), ("moments " + W, "--mu4", 1024, "1e{E}"),
    ("moments " + W, "--cw-hidden", 1024, "1e-{E}"), ("moments " + W, "--cw-output", 1024, "1e{E}"),
    ("moments " + W, "--activation", 512, "slopes:1e{E},1e-{E}"), ("moments " + W, "--activation", 512, "leaky:1e-{E}"),
    ("moments " + W + " --order 3", "--mu6", 1024, "1e{E}"), ("moments " + W + " --order 4 --mu6 15", "--mu8", 1024, "1e{E}"),
    ("table --depths 2 --hidden-widths 1", "--a", 1024, "1e-{E}"), ("table --depths 2 --hidden-widths 1", "--mu4", 1024, "1e{E}"),
    ("table --depths 2 --hidden-widths 1", "--activation", 512, "leaky:1e{E}"),
    ("sample " + W + " --samples 10 --no-bias", "--activation", 4096, "slopes:0,1e-{E}"),
    ("check " + W + " --samples 10 --no-bias --tolerance 1000", "--activation", 512, "slopes:1e{E},0"),
    ("expand --depth 3", "--x2", 128, "1e{E}"), ("expand --depth 3", "--mu4", 128, "1e{E}"),
    ("expand --depth 3", "--cw-output", 128, "1e-{E}"), ("expand --depth 3", "--activation", 128, "leaky:1e-{E}"),
    ("expand --depth 3 --series", "--x2", 32, "1e-{E}"), ("expand --depth symbolic", "--activation", 32, "leaky:1e-{E}"),
    ("expand --depth symbolic --order 40", "--x2", 8, "1e-{E}"), ("expand --depth 9 --series --order 20", "--mu4", 16, "1e{E}"),
    ("expand --depth 10 --series --cw-hidden 3", "--cw-output", 32, "1e{E}"),
    ("limit --beta 1", "--activation", 64, "leaky:1e-{E}"), ("limit --beta 1 --order 1", "--mu4", 64, "1e{E}"),
    ("limit --beta 1 --order 1", "--cw-output", 1024, "1e-{E}"), ("limit --beta 1", "--a", 4096, "1e-{E}"),
    ("compare-paper --n 10 --a 1", "--beta", 4096, "1e-{E}")]
for cmd, opt, bits, tmpl in bounds:
    e = e_max(bits)
    add(0, f"{cmd} {opt} {tmpl.format(E=e)}", "ok")
    add(f"2~{opt}", f"{cmd} {opt} {tmpl.format(E=e + 1)}")
# a value given is checked, or refused where the run does not use it (issue
# 22, point 7: moments --mu6 -1 exited 0 and ignored the value)
for a, opt in [("moments " + W + " --mu6 -1", "--mu6"), ("moments " + W + " --mu6 15", "--mu6"),
               ("moments " + W + " --order 3 --mu8 105", "--mu8"), ("table --depths 2 --hidden-widths 1 --mu6 15", "--mu6"),
               ("table --depths 2 --hidden-widths 1 --order 3 --mu8 1", "--mu8"), ("example --mu6 15", "--mu6"),
               ("moments " + W + " --precision 64 --double", "--double"),
               ("moments " + W + " --full --format json", "--full"), ("moments " + W + " --double --full", "--full"),
               ("table --profile 3,2,1 --n0 5", "--n0"), ("table --depths 2 --hidden-widths 1 --format jsonl --no-header", "--no-header"),
               ("expand --depth 3 --series --no-dead-part", "--no-dead-part"),
               ("moments " + W + " --quiet --progress", "--progress"), ("table --depths 2 --hidden-widths 1 --quiet --progress", "--progress"),
               ("sample " + W + " --samples 10 --quiet --progress", "--progress"),
               ("check " + W + " --samples 10 --quiet --progress", "--progress"),
               ("expand --depth 3 --quiet --progress", "--progress")]:
    add(f"2~{opt}", a)
# kernel: two inputs by their Gram entries (issue 23)
K = "kernel --widths 3,2,1"
for o in ["--xy", "--y2", "--x2"]:
    for q in bad_q[:10]:
        add(2, f"{K} --xy 1/2 {o} {q}" if o != "--xy" else f"{K} {o} {q}")
for a in [K + " --x2 1 --y2 1 --xy 1.0000000000000000000000000000000000001",
          K + " --x2 2 --y2 8 --xy -4.000000000000000000000000001",
          K + " --x2 1/3 --y2 1/3 --xy 0.33333333333333333334", K + " --x2 0 --y2 1 --xy 1e-300",
          K + " --x2 1 --y2 -1 --xy 0", K + " --x2 -1/2 --xy 0", K, K + " --y2 2", "kernel --xy 0",
          K + " --xy 0 --digits 0", K + " --xy 0 --digits 1001", K + " --xy 0 --digits 99999999999999999999",
          K + " --xy 0 --digits x", K + " --xy 0 --order 2", K + " --xy 0 --order -1", K + " --xy 0 --order ''",
          K + " --xy 0 --per-layer --order 0", K + " --xy 0 --mu4 9/5", K + " --xy 0 --mu4 1",
          "kernel --widths 3,2x2000000,1 --xy 0", K + " --x2 symbolic --xy 0", K + " --xy 0 --format jsonl",
          K + " --xy 0 --format xml", K + " --xy 0 --activation slopes:0,0", K + " --xy 0 --activation leaky:",
          K + " --xy 0 --bogus", K + " --xy 0 extra", K + " --xy", K + " --xy 0 --samples 10",
          K + " --xy 0 --cw-hidden 0", K + " --xy 0 --cw-output -1", "kernel --widths 3,0,1 --xy 0",
          K + " --xy 1/2 --x2 1e2000", K + " --xy 1/2 --activation slopes:1e1300,1"]:
    add(2, a)
for a in [K + " --x2 0 --y2 0 --xy 0 --format json", "kernel --widths 1,1 --xy 1/2",
          K + " --x2 1e-100 --y2 1e100 --xy 0 --format csv", K + " --xy -1 --format json",
          K + " --xy -1 --activation abs", K + " --xy -1 --activation linear --format csv",
          "kernel --widths 3,1099511627776x3,1 --xy 1/2", K + " --xy 1/2 --digits 1000 --order 0",
          K + " --xy 0.99999999999999999999999999999999 --per-layer", K + " --x2 2 --y2 2 --xy 2 --param standard",
          "kernel --widths 3,5,7,1 --xy 1/3 --activation slopes:0,3/2 --no-bias --per-layer --format json"]:
    add(0, a, "ok")
add(1, K + " --xy 1/2", "full")
add(1, K + " --xy 1/2", "closed")
add(1, "kernel --widths 3,10x40,1 --xy 1/2 --per-layer --format json", "fsize")
# sample and check of two inputs (--xy, issue 23 point 4)
for c in ["sample --widths 3,4,1 --samples 10", "check --widths 3,4,1 --samples 10"]:
    for q in bad_q[:6]:
        add(2, f"{c} --xy {q}")
        add(2, f"{c} --xy 1/2 --y2 {q}")
    for a in [" --y2 2", " --xy 2", " --x2 1 --y2 1 --xy 1.0000000000000000000000000001", " --x2 -1 --xy 0",
              " --xy 0 --x2 symbolic", " --xy 0 --order 3", " --xy 0 --update", " --xy 0 --checkpoint-every 5",
              " --xy 0 --mu4 7", " --xy", " --xy 0 --method bogus", " --xy 0 --format jsonl"]:
        add(2, c + a)
    add(2, "sample --widths 1,4,1 --samples 10 --xy 1/2")
    add(2, "check --widths 1,4,1 --samples 10 --xy 1/2")
add(2, "check --widths 3,4,1 --samples 10 --xy 0 --guarantee")
add(0, "sample --widths 3,4,1 --samples 10 --xy 0 --checkpoint \"$tmp/ck-xy\" --checkpoint-every 1", "ok")
add(2, "check --widths 3,4,1 --samples 10 --xy 0 --law uniform")
add(2, "sample --widths 3,4,1 --samples 1 --xy 0")
add(2, "check --widths 2,3,1 --samples 200 --xy 0 --x2 1e-100 --y2 1e-100")
add(2, "sample --widths 3,8192x3,1 --samples 10 --xy 0 --method full")
add(2, "sample --widths 3,4x3,1 --samples 10 --xy 1/2 --activation slopes:1e300,0")
for a in ["sample --widths 3,4,1 --samples 10 --x2 0 --y2 0 --xy 0 --format json",
          "sample --widths 1,4,1 --samples 10 --x2 1 --y2 4 --xy -2 --format csv",
          "sample --widths 3,4x3,1 --samples 50 --xy -1 --activation linear --no-bias",
          "sample --widths 3,4,1 --samples 10 --xy 1/2 --law uniform --format json",
          "check --widths 3,4x2,1 --samples 50 --x2 0 --y2 0 --xy 0 --format json",
          "check --widths 3,4x2,1 --samples 50 --xy 1/2 --format csv --no-bias",
          "check --widths 2,3,1 --samples 200 --xy 0 --x2 1e-10 --y2 1e-10 --format json"]:
    add(0, a, "ok")
add(1, "sample --widths 3,4,1 --samples 10 --xy 1/2", "full")
add(1, "check --widths 3,4,1 --samples 10 --xy 1/2", "closed")
print("# Generated by tests/hostile-gen.py; read by tests/hostile.sh: STATUS<tab>[MODE:]ARGUMENTS")
print("\n".join(lines))

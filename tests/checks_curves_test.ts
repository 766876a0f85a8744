import { curvesFromCsv } from "../core/checks/curves.ts";
import { curvesCommand } from "../core/commands/curves.ts";
import { assertClose, assertEquals, assertMatch, assertOk } from "./assert.ts";

// Long-format CSV of an analytic ladder: L = L0 + s_ω·(t^-½ + p^-½) at the
// compute-optimal horizon t*(p) = p (μ = ν = ½), seeds scaling L − L0.
const L0 = 0.5;
function ladderCsv(
  opts: {
    seeds?: number[];
    header?: string[];
    decay?: boolean;
    sizes?: number[];
  } = {},
) {
  const seeds = opts.seeds ?? [0.99, 1.01];
  const sizes = opts.sizes ?? [100, 200, 400, 800];
  const lines = [
    (opts.header ?? ["params", "seed", "step", "compute", "loss", "lr"]).join(
      ",",
    ),
  ];
  for (const p of sizes) {
    seeds.forEach((s, w) => {
      for (let i = 1; i <= 100; i++) {
        const t = (p * i) / 100;
        const lr = opts.decay ? 0.01 * (1 - i / 101) : 0.01;
        const loss = L0 + s * (Math.pow(t, -0.5) + Math.pow(p, -0.5));
        lines.push([p, w, t, 6 * t * p, loss, lr].join(","));
      }
    });
  }
  return lines.join("\n") + "\n";
}

/** Runs the command capturing stdout/stderr. */
async function capture(args: string[]) {
  const out: string[] = [], err: string[] = [];
  const log = console.log, error = console.error;
  console.log = (...a: unknown[]) => out.push(a.join(" "));
  console.error = (...a: unknown[]) => err.push(a.join(" "));
  try {
    const code = await curvesCommand(args);
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}

async function withFile(text: string, fn: (path: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "phasebench_curves_" });
  try {
    const path = `${dir}/ladder.csv`;
    await Deno.writeTextFile(path, text);
    await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("curves: a good ladder passes collapse and supercollapse, with the JSON shape", async () => {
  await withFile(ladderCsv({ decay: true }), async (path) => {
    const r = await capture([
      path,
      "--check",
      "collapse,supercollapse",
      "--json",
      "--l0",
      "0.5",
    ]);
    assertEquals(r.code, 0, r.out + r.err);
    const j = JSON.parse(r.out);
    assertEquals(Object.keys(j).sort(), [
      "checks",
      "delta",
      "grid",
      "l0",
      "ratio",
      "sigma",
    ]);
    assertEquals(j.l0, 0.5);
    assertEquals(j.checks.length, 2);
    // the same objects as verify --json
    assertEquals(Object.keys(j.checks[0]).sort(), [
      "check",
      "detail",
      "expect",
      "expected",
      "experiment",
      "outcome",
      "run",
      "statistic",
      "tolerance",
      "value",
      "verdict",
    ]);
    assertEquals(j.checks.map((c: { verdict: string }) => c.verdict), [
      "pass",
      "pass",
    ]);
    assertEquals(j.checks[0].experiment, "ladder");
    assertEquals(j.grid.length, 100);
    assertEquals(j.grid[j.grid.length - 1], 1);
    assertEquals(j.delta.length, j.grid.length);
    assertClose(j.sigma[50], 0.02 / Math.SQRT2 / 1, 1e-9); // sd([0.99, 1.01])/1
    assertOk(j.ratio.every((v: number) => v < 1e-6));
  });
});

Deno.test("curves: the text output lists x, Δ, σ̄, Δ/σ̄ and one line per check", async () => {
  await withFile(ladderCsv(), async (path) => {
    const r = await capture([path, "--check", "collapse", "--l0", "0.5"]);
    assertEquals(r.code, 0, r.err);
    assertMatch(r.out, /x\s+Δ\s+σ̄\s+Δ\/σ̄/);
    assertMatch(r.out, /\n\s+0\.5\s/);
    assertMatch(r.out, /ok\s+ladder:collapse\s.*pass\s+median delta\/sigma=/);
  });
});

Deno.test("curves: without --l0 it fits L̂, and fit_l0 agrees with the scan", async () => {
  await withFile(ladderCsv(), async (path) => {
    const r = await capture([path, "--check", "collapse,fit_l0", "--json"]);
    const j = JSON.parse(r.out);
    assertClose(j.l0, L0, 1e-4);
    assertEquals(r.code, 0, r.out);
    assertClose(j.checks[1].value, L0, 1e-3);
  });
});

Deno.test("curves: compute_optimal_horizon on constant-LR curves run past t*", async () => {
  // L = L0 + t^-½ + p^-½ → γ = ν/μ = 1; runs to 30·t*(p) = 30p, log-spaced steps
  const lines = ["params,seed,step,loss"];
  for (const p of [100, 200, 400, 800, 1600, 3200]) {
    for (let i = 0; i < 200; i++) {
      const t = Math.pow(30 * p, i / 199);
      lines.push(
        [p, 0, t, L0 + Math.pow(t, -0.5) + Math.pow(p, -0.5)].join(","),
      );
    }
  }
  await withFile(lines.join("\n"), async (path) => {
    const r = await capture([
      path,
      "--check",
      "compute_optimal_horizon",
      "--json",
    ]);
    assertEquals(r.code, 0, r.out + r.err);
    const j = JSON.parse(r.out);
    assertClose(j.checks[0].value, 1, 0.01);
    assertMatch(j.checks[0].detail, /compute = 6·p·step \(no compute column\)/);
  });
});

Deno.test("curves: a missing column exits 2 and names it", async () => {
  await withFile(ladderCsv(), async (path) => {
    const r = await capture([
      path,
      "--check",
      "collapse",
      "--loss",
      "val_loss",
    ]);
    assertEquals(r.code, 2);
    assertMatch(r.err, /ladder\.csv:1: missing column "val_loss" \(--loss\)/);
    assertEquals(r.out, "");
  });
  await withFile(
    ladderCsv({ header: ["size", "seed", "step", "compute", "loss", "lr"] }),
    async (path) => {
      const r = await capture([path, "--check", "collapse"]);
      assertEquals(r.code, 2);
      assertMatch(
        r.err,
        /missing column "params" \(--params\); columns are: size, seed/,
      );
      assertEquals(
        (await capture([path, "--check", "collapse", "--params", "size"])).code,
        0,
      );
    },
  );
});

Deno.test("curves: a non-numeric cell exits 2 naming file, line and column", async () => {
  const lines = ladderCsv().split("\n");
  lines[7] = lines[7].replace(/,[^,]+,([^,]+)$/, ",abc,$1"); // the loss cell of line 8
  await withFile(lines.join("\n"), async (path) => {
    const r = await capture([path, "--check", "collapse"]);
    assertEquals(r.code, 2);
    assertMatch(
      r.err,
      /ladder\.csv:8: column loss: expected a number, got "abc"/,
    );
    assertOk(!/\bat /.test(r.err), "no stack trace");
  });
});

Deno.test("curves: one seed per size skips collapse with the reason and exits 1", async () => {
  await withFile(ladderCsv({ seeds: [1] }), async (path) => {
    const r = await capture([
      path,
      "--check",
      "collapse",
      "--json",
      "--l0",
      "0.5",
    ]);
    assertEquals(r.code, 1);
    const j = JSON.parse(r.out);
    assertEquals(j.checks[0].verdict, "skip");
    assertMatch(
      j.checks[0].detail,
      /size n_params=100 has 1 seed .*needs ≥ 2 seeds per size/,
    );
    assertEquals(j.sigma[0], null);
  });
});

Deno.test("curves: usage errors exit 2", async () => {
  assertEquals((await capture(["--check", "collapse"])).code, 2);
  const r = await capture(["nope.csv", "--check", "collapse"]);
  assertEquals(r.code, 2);
  assertMatch(r.err, /nope\.csv: cannot read/);
  assertMatch(
    (await capture(["x.csv", "--check", "eoss"])).err,
    /unknown check "eoss"; known: eos, /,
  );
  assertMatch(
    (await capture(["x.csv", "--check", "collapse", "--bogus"])).err,
    /bogus/,
  );
  await withFile(ladderCsv(), async (path) => {
    assertMatch(
      (await capture([path, "--check", "collapse", "--l0", "low"])).err,
      /--l0: expected a number/,
    );
  });
});

Deno.test("curvesFromCsv(): --where filters rows; an LR sweep is split by lr", () => {
  const text = ladderCsv();
  const all = curvesFromCsv(text, "l.csv", {});
  assertEquals(all.runs.length, 8);
  assertEquals(all.runs[0].info, { n_params: "100", seed: "0", lr: "0.01" });
  const some = curvesFromCsv(text, "l.csv", {
    where: ["params=200", "seed=1"],
  });
  assertEquals(some.runs.map((r) => r.id), ["params=200,seed=1"]);
  // two constant LRs in one file, same (params, seed): split by lr
  const body = text.trim().split("\n");
  const swept = [
    ...body,
    ...body.slice(1).map((l) => l.replace(/,0\.01$/, ",0.02")),
  ].join("\n");
  const s = curvesFromCsv(swept, "l.csv", {});
  assertEquals(s.runs.length, 16);
  assertMatch(s.runs[8].id, /lr=0\.02/);
  // without an lr column the two runs are identical row for row: merged, with a note
  const noLr = swept.split("\n").map((l) => l.replace(/,[^,]+$/, "")).join(
    "\n",
  );
  const merged = curvesFromCsv(noLr, "l.csv", {});
  assertEquals(merged.runs.length, 8);
  assertOk(merged.notes.includes("merged 800 identical repeated rows (same step and loss)"));
  // a repeat with another loss is an error naming the lines and --compute
  const clash = noLr.replace(/\n(100,0,1,600,)([\d.]+)$/m, (_m, a, b) => `\n${a}${Number(b) + 1}`);
  try {
    curvesFromCsv(clash, "l.csv", {});
    throw new Error("expected an error");
  } catch (e) {
    assertMatch(
      (e as Error).message,
      /l\.csv: lines 2 and 802 repeat step 1 with different loss for params = 100, seed 0: .*--compute/,
    );
  }
});

Deno.test("curves: identical repeated rows are merged with a note; conflicting repeats name --step", async () => {
  const text = ladderCsv();
  const lines = text.trimEnd().split("\n");
  // real logs repeat a row (same compute, same loss) at the end of an epoch
  const repeated = [...lines.slice(0, 11), lines[10], lines[10], ...lines.slice(11)].join("\n") +
    "\n";
  const r = curvesFromCsv(repeated, "r.csv", {});
  assertEquals(r.runs.length, 8);
  assertEquals(r.runs[0].metrics!.length, 100);
  assertOk(
    r.notes.includes("merged 2 identical repeated rows (same step and loss)"),
    r.notes.join("; "),
  );
  // the same x with another loss is an error: with x = compute (no step column
  // given), the message names --step
  const noStep = repeated.replace(/^params,seed,step,/, "params,seed,iter,");
  const conflict = noStep.replace(
    /\n(100,0,[^,]+,[^,]+,)([^,]+)(,[^\n]+)\n\1\2\3\n/,
    (_m, a, b, c) => `\n${a}${b}${c}\n${a}${Number(b) + 0.1}${c}\n`,
  );
  let msg = "";
  try {
    curvesFromCsv(conflict, "c.csv", {});
  } catch (e) {
    msg = (e as Error).message;
  }
  assertMatch(msg, /^c\.csv: lines \d+ and \d+ repeat compute [\d.e+]+ with different loss/);
  assertMatch(msg, /--step COL names the step column/);
  await withFile(conflict, async (path) => {
    const c = await capture([path, "--check", "collapse"]);
    assertEquals(c.code, 2);
    assertMatch(c.err, /--step/);
  });
});

Deno.test("curves: without a compute column it warns that L0 cannot be fitted", async () => {
  const text = ladderCsv({ header: ["params", "seed", "step", "flops", "loss", "lr"] });
  await withFile(text, async (path) => {
    const c = await capture([path, "--check", "collapse,fit_l0"]);
    assertMatch(c.err, /warning: no compute column \(--compute\): L0 cannot be fitted/);
    assertMatch(c.out, /L̂ = 0\n/);
    assertMatch(c.out, /SKIP\s+ladder:fit_l0 .*no compute column/);
    // with --compute the same file fits L̂ and no warning is printed
    const d = await capture([path, "--check", "collapse", "--compute", "flops", "--json"]);
    assertOk(!/warning/.test(d.err), d.err);
    assertMatch(JSON.parse(d.out).checks[0].detail, /fitted L = a·c\^-b \+ L0/);
  });
});

Deno.test("curves --report DIR draws the collapse figure for external curves", async () => {
  const dir = await Deno.makeTempDir({ prefix: "phasebench_curves_report_" });
  try {
    await withFile(ladderCsv(), async (path) => {
      const c = await capture([path, "--check", "collapse", "--l0", "0.5", "--report", dir]);
      assertEquals(c.code, 0, c.err);
      const svg = await Deno.readTextFile(`${dir}/ladder.collapse.svg`);
      assertOk(svg.startsWith("<svg") && svg.includes("collapse deviation"), svg.slice(0, 200));
      const html = await Deno.readTextFile(`${dir}/index.html`);
      assertMatch(html, /<img src="ladder\.collapse\.svg"/);
      assertMatch(html, /L̂ = 0\.5 \(given\)/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("curves: NaN, infinite or negative losses, negative sizes and negative compute exit 2 naming file:line", async () => {
  const cases: [string, string, RegExp][] = [
    ["loss", "nan", /:3: column loss: expected a finite, non-negative loss, got "nan"/],
    ["loss", "inf", /:3: column loss: expected a finite, non-negative loss, got "inf"/],
    ["loss", "-0.5", /:3: column loss: expected a finite, non-negative loss, got "-0.5"/],
    ["params", "-10", /:3: column params: expected a positive model size, got "-10"/],
    ["compute", "-6", /:3: column compute: expected a finite, non-negative compute, got "-6"/],
  ];
  for (const [col, bad, msg] of cases) {
    const rows = ["params,seed,step,compute,loss", "10,0,1,60,2", "10,0,2,120,1"];
    const cells = rows[2].split(",");
    cells[["params", "seed", "step", "compute", "loss"].indexOf(col)] = bad;
    rows[2] = cells.join(",");
    await withFile(rows.join("\n") + "\n", async (path) => {
      const r = await capture([path, "--check", "collapse"]);
      assertEquals(r.code, 2, `${col}=${bad}`);
      assertMatch(r.err, msg);
    });
  }
});

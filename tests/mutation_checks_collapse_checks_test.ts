/**
 * Fast exact tests of the checks of core/checks/collapse_checks.ts
 * (`collapse`, `supercollapse`, `fit_l0`, `collapse_variance_scaling`) on tiny
 * synthetic ladders with hand-derived answers (see collapse_fixtures.ts),
 * written against the mutants StrykerJS makes (`deno task mutation`): every
 * threshold just inside and outside, every skip reason, the detail's numbers.
 */
import type { CheckOptions, RunData } from "../core/checks/types.ts";
import {
  collapseCheck,
  collapseVarianceScalingCheck,
  excessSpread,
  fitL0Check,
  scanL0,
  supercollapseCheck,
} from "../core/checks/collapse_checks.ts";
import { integrateLr } from "../core/checks/collapse.ts";
import { ladderOf, ladderRuns, one, run } from "./collapse_fixtures.ts";
import { assertClose, assertEquals, assertMatch, assertOk } from "./assert.ts";

// Δ/σ̄ of the default ladder at L̂ = 0 on the grid [0.5, 0.75, 1], computed
// independently (Python, statistics.stdev): 1.0859620454687933 at x = 0.5,
// 0.7202625095795141 at x = 0.75, median 0.9031122775241537.
const RATIO_AT_0 = 0.9031122775241537;

Deno.test("collapse: a perfect collapse passes; the detail gives the range, L̂, Δ, σ̄ and the ladder", () => {
  const o = one(collapseCheck, ladderRuns(), { l0: 0.5, gridPoints: 4 });
  assertEquals([o.run, o.statistic, o.expected, o.tolerance, o.verdict], [
    "*",
    "median delta/sigma",
    "<= 1.5",
    "x in [0.25, 0.95]; across the L0 interval",
    "pass",
  ]);
  assertOk(o.value! < 1e-12, `${o.value}`);
  assertMatch(
    o.detail,
    /^median Δ\/σ̄ = [\d.e-]+, need ≤ 1\.5; no matched control \(option control\): power not shown; over x ∈ \[0\.25, 0\.95\] \(2 grid points\), threshold 1\.5; L̂ = 0\.5 \(given\); L̂ = 0\.5: Δ\/σ̄ [\d.e-]+; at L̂: median Δ = [\d.e-]+, median σ̄ = 0\.1414, Δ\/σ̄\(0\.5\) = 0; ladder: 3 sizes × 2 seeds \(n_params = 10, 20, 40\), loss train_loss$/,
  );
});

Deno.test("collapse: the threshold is inclusive (median Δ/σ̄ ≤ threshold)", () => {
  const L = ladderRuns();
  const at = one(collapseCheck, L, { l0: 0, gridPoints: 4 });
  assertEquals(at.value, RATIO_AT_0);
  assertEquals(at.verdict, "pass");
  assertMatch(at.detail, /median Δ = 0\.08053, median σ̄ = 0\.08828, Δ\/σ̄\(0\.5\) = 1\.09;/);
  assertEquals(
    one(collapseCheck, L, { l0: 0, gridPoints: 4, threshold: RATIO_AT_0 }).verdict,
    "pass",
  );
  const out = one(collapseCheck, L, { l0: 0, gridPoints: 4, threshold: RATIO_AT_0 * (1 - 1e-12) });
  assertEquals([out.verdict, out.expected], ["fail", `<= ${0.9031}`]);
  // Δ/σ̄ at the grid points 0.3, 0.5, 0.7, 0.9 that exist
  const g10 = one(collapseCheck, L, { l0: 0, gridPoints: 10 });
  assertMatch(
    g10.detail,
    /Δ\/σ̄\(0\.5\) = 1\.09, Δ\/σ̄\(0\.7\) = [\d.]+, Δ\/σ̄\(0\.9\) = [\d.]+; ladder/,
  );
  assertMatch(g10.detail, /\(5 grid points\)/);
});

Deno.test("collapse: skip reasons — L̂ above a final loss, an empty range, too few seeds, bad options", () => {
  const L = ladderRuns();
  const skip = (runs: RunData[], o: CheckOptions) => {
    const r = one(collapseCheck, runs, o);
    assertEquals([r.verdict, r.value], ["skip", null], r.detail);
    return r.detail;
  };
  assertEquals(skip(L, { l0: 2, gridPoints: 4 }), "L̂ = 2 is not below every final loss (0.725)");
  // exactly at the smallest final loss is not below it
  assertEquals(
    skip(L, { l0: 0.725, gridPoints: 4 }),
    "L̂ = 0.725 is not below every final loss (0.725)",
  );
  assertEquals(
    skip(L, { l0: 0.5, gridPoints: 4, range: [0.1, 0.2] }),
    "no grid point in x ∈ [0.10, 0.20]",
  );
  assertEquals(
    skip(L.slice(1), { l0: 0.5 }),
    "runs: size n_params=10 has 1 seed (n10s1): the noise floor σ needs ≥ 2 seeds per size",
  );
  assertEquals(skip([], {}), "runs: no runs");
  assertEquals(
    skip(L, { l0: 0.5, gridPoints: 1 }),
    "option gridPoints: expected an integer ≥ 2, got 1",
  );
  assertEquals(
    skip(L, { l0: 0.5, gridPoints: 2.5 }),
    "option gridPoints: expected an integer ≥ 2, got 2.5",
  );
  assertMatch(
    skip(L, { l0: 0.5, subject: "both" }),
    /subject.*expected "ladder" or "control", got "both"/,
  );
  assertMatch(
    skip(L, { l0: 0.5, subject: "control" }),
    /"control" needs option control \(a runs\.csv selector\)/,
  );
  assertMatch(skip(L, { l0: 0.5, control: {} }), /expected a non-empty runs\.csv selector/);
  assertMatch(skip(L, { l0: 0.5, control: "arm" }), /expected a non-empty runs\.csv selector/);
});

/** The matched control: each size's curve has another shape, ℓ = x^-(1+j) for the j-th size. */
function controlRuns(sizes = [10, 20, 40], scales = [0.9, 1.1]): RunData[] {
  return sizes.flatMap((n, j) =>
    scales.map((s, w) =>
      run(`c${n}s${w}`, { n_params: `${n}`, seed: `${w}`, arm: "control", g: "1.25" }, {
        compute: [5, 10].map((k) => k * n),
        train_loss: [5, 10].map((k) => 0.5 + s * (10 / n) * (k / 10) ** -(1 + j)),
      })
    )
  );
}
const withInfo = (runs: RunData[], info: Record<string, string>) =>
  runs.map((r) => ({ ...r, info: { ...r.info, ...info } }));

Deno.test("collapse with a control: the ladder passes with power; subject control fails; a missing control skips", () => {
  const runs = [...withInfo(ladderRuns(), { arm: "ladder", g: "1" }), ...controlRuns()];
  const o = one(collapseCheck, runs, { l0: 0.5, gridPoints: 4, control: { arm: "control" } });
  assertEquals([o.verdict, o.tolerance], [
    "pass",
    "x in [0.25, 0.95]; control delta >= 2x; across the L0 interval",
  ]);
  assertMatch(
    o.detail,
    /; control median Δ 0\.5339 = \d+× the ladder's [\d.e-]+ at L̂ \(need ≥ 2× at every L̂ of the interval\);/,
  );
  assertMatch(o.detail, /L̂ = 0\.5: Δ\/σ̄ [\d.e-]+ vs control 3\.775, Δ ratio \d+×;/);
  assertMatch(
    o.detail,
    /; ladder: 3 sizes × 2 seeds \(n_params = 10, 20, 40\), loss train_loss; control: 3 sizes × 2 seeds/,
  );
  // a numeric selector matches numerically ("1.25" = 1.25); the control's verdict is its own
  const c = one(collapseCheck, runs, {
    l0: 0.5,
    gridPoints: 4,
    control: { g: 1.25 },
    subject: "control",
  });
  assertEquals([c.statistic, c.verdict], ["control median delta/sigma at ladder L0", "fail"]);
  assertClose(c.value!, 3.775, 1e-3);
  assertMatch(
    c.detail,
    /^control median Δ\/σ̄ = 3\.775 at the ladder's L̂; control median Δ 0\.5339/,
  );
  // below a high threshold the control passes
  const ok = one(collapseCheck, runs, {
    l0: 0.5,
    gridPoints: 4,
    control: { g: 1.25 },
    subject: "control",
    threshold: 4,
  });
  assertEquals(ok.verdict, "pass");
  const none = one(collapseCheck, runs, { l0: 0.5, gridPoints: 4, control: { g: 2 } });
  assertEquals([none.verdict, none.detail], [
    "skip",
    'no run matches control {"g":2} (of 12 runs)',
  ]);
  // a string selector matches the text; a key no run has matches nothing
  assertEquals(
    one(collapseCheck, runs, { l0: 0.5, gridPoints: 4, control: { g: "1.25" } }).verdict,
    "pass",
  );
  assertEquals(
    one(collapseCheck, runs, { l0: 0.5, gridPoints: 4, control: { g: "1.250" } }).verdict,
    "skip",
  );
  assertEquals(
    one(collapseCheck, runs, { l0: 0.5, gridPoints: 4, control: { h: 1 } }).detail,
    'no run matches control {"h":1} (of 12 runs)',
  );
  // a number matches numerically ("1.250" = 1.25), not as text
  const padded = [
    ...withInfo(ladderRuns(), { g: "1" }),
    ...withInfo(controlRuns(), { g: "1.250" }),
  ];
  assertEquals(
    one(collapseCheck, padded, { l0: 0.5, gridPoints: 4, control: { g: 1.25 } }).verdict,
    "pass",
  );
  // a blank cell is not the number 0
  const blank = [...withInfo(ladderRuns(), { g: " " }), ...withInfo(controlRuns(), { g: "0" })];
  const b = one(collapseCheck, blank, { l0: 0.5, gridPoints: 4, control: { g: 0 } });
  assertEquals(b.verdict, "pass", b.detail);
  assertMatch(b.detail, /; control: 3 sizes × 2 seeds/);
  // a control with a seed missing
  const short = one(collapseCheck, runs.slice(0, -1), {
    l0: 0.5,
    gridPoints: 4,
    control: { arm: "control" },
  });
  assertEquals(
    short.detail,
    "control: size n_params=40 has 1 seed (c40s0): the noise floor σ needs ≥ 2 seeds per size",
  );
  const ladderShort = one(collapseCheck, runs.slice(1), {
    l0: 0.5,
    gridPoints: 4,
    control: { arm: "control" },
  });
  assertMatch(ladderShort.detail, /^ladder: size n_params=10 has 1 seed/);
});

Deno.test("collapse with a control: no power when the control is less than controlFactor × worse", () => {
  // the control is the ladder at L̂ = 0 vs itself: same Δ, ratio 1×
  const L = ladderRuns();
  const runs = [...withInfo(L, { arm: "ladder" }), ...withInfo(L, { arm: "control" })];
  const o = one(collapseCheck, runs, { l0: 0, gridPoints: 4, control: { arm: "control" } });
  assertEquals([o.verdict, o.value], ["skip", RATIO_AT_0]);
  assertMatch(
    o.detail,
    /^no power: control median Δ 0\.08053 = 1× the ladder's 0\.08053 at L̂ \(need ≥ 2×/,
  );
  // a factor of exactly 1 is met (≥)
  assertEquals(
    one(collapseCheck, runs, {
      l0: 0,
      gridPoints: 4,
      control: { arm: "control" },
      controlFactor: 1,
    }).verdict,
    "pass",
  );
  // subject control at a threshold it exceeds, without power: skip, not fail
  const c = one(collapseCheck, runs, {
    l0: 0,
    gridPoints: 4,
    control: { arm: "control" },
    subject: "control",
    threshold: 0.5,
  });
  assertEquals(c.verdict, "skip");
  assertMatch(
    c.detail,
    /^control exceeds the threshold but is not clearly worse than the ladder \(no power\)/,
  );
  // with power (factor 1) it fails
  assertEquals(
    one(collapseCheck, runs, {
      l0: 0,
      gridPoints: 4,
      control: { arm: "control" },
      subject: "control",
      threshold: 0.5,
      controlFactor: 1,
    }).verdict,
    "fail",
  );
  const frame = one(collapseCheck, runs, {
    l0: 0,
    gridPoints: 4,
    control: { arm: "control" },
    controlFactor: 3,
  });
  assertEquals(frame.tolerance, "x in [0.25, 0.95]; control delta >= 3x; across the L0 interval");
});

Deno.test("collapse: across the L0 interval — fitted L̂ with its bootstrap ends, and a verdict that depends on L̂", () => {
  const L = ladderRuns();
  const o = one(collapseCheck, L, { gridPoints: 4, resamples: 5 });
  assertEquals(o.verdict, "pass");
  assertMatch(
    o.detail,
    /L̂ = 0\.5 \(fitted L = a·c\^-b \+ L0; 90% bootstrap interval \[[\d.e-]+, 0\.59\] over 5 resamples of seeds\); L̂ = [\d.e-]+: Δ\/σ̄ 0\.9031; L̂ = 0\.5: Δ\/σ̄ [\d.e-]+; L̂ = 0\.59: Δ\/σ̄ 0\.5237;/,
  );
  // a threshold between the ratios at the interval's ends: the verdict depends on L̂
  const dep = one(collapseCheck, L, { gridPoints: 4, resamples: 5, threshold: 0.7 });
  assertEquals(dep.verdict, "skip");
  assertMatch(dep.detail, /^the verdict depends on L̂ within the L0 interval; no matched control/);
  // below every ratio of the interval: fail
  assertEquals(
    one(collapseCheck, L, { gridPoints: 4, resamples: 5, threshold: 1e-13 }).verdict,
    "fail",
  );
  // without resamples the interval is not computed and L̂ alone decides
  const n = one(collapseCheck, L, { gridPoints: 4, resamples: 0, threshold: 0.7 });
  assertEquals(n.verdict, "pass");
  assertMatch(n.detail, /90% bootstrap interval not computed\).*; L̂ = 0\.5: Δ\/σ̄ [\d.e-]+; at L̂/);
  assertOk(!n.detail.includes("clipped"), n.detail);
  assertEquals(n.detail.match(/L̂ = [\d.e-]+: Δ/g)?.length, 1, n.detail);
  // a coverage of 1 is the whole bootstrap range
  assertMatch(
    one(collapseCheck, L, { gridPoints: 4, resamples: 3, level: 1 }).detail,
    /100% bootstrap interval \[[\d.e-]+, [\d.e-]+\] over 3 resamples/,
  );
  // a resample count or coverage that makes no interval: skipped, naming the option
  for (
    const [opts, re] of [
      [{ resamples: 2.5 }, /option resamples: expected a whole number ≥ 0, got 2\.5/],
      [{ resamples: -3 }, /option resamples: expected a whole number ≥ 0, got -3/],
      [{ level: 1.2 }, /option level: expected a coverage in \(0, 1\], got 1\.2/],
      [{ level: 0 }, /option level: expected a coverage in \(0, 1\], got 0/],
    ] as const
  ) {
    const r = one(collapseCheck, L, { gridPoints: 4, ...opts });
    assertEquals([r.verdict, r.value], ["skip", null], r.detail);
    assertMatch(r.detail, re);
  }
  assertMatch(
    one(collapseCheck, L, { gridPoints: 4, resamples: 0, level: 0.5 }).detail,
    /\(fitted L = a·c\^-b \+ L0; 50% bootstrap/,
  );
  // fewer than 3 sizes, or no compute: L̂ = 0
  assertMatch(
    one(collapseCheck, ladderRuns([10, 20]), { gridPoints: 4 }).detail,
    /; L̂ = 0 \(fewer than 3 sizes to fit L0\); L̂ = 0: /,
  );
});

Deno.test("supercollapse: Δ < σ̄ everywhere in [1 − delta, upper] passes; the worst point and the count above", () => {
  const L = ladderRuns();
  const o = one(supercollapseCheck, L, { l0: 0.5, gridPoints: 4 });
  assertEquals([o.statistic, o.expected, o.tolerance, o.verdict], [
    "max delta/sigma",
    "< 1",
    "x in [0.75, 0.95]; across the L0 interval",
    "pass",
  ]);
  assertMatch(
    o.detail,
    /^max Δ\/σ̄ = [\d.e-]+ at x = 0\.75 over x ∈ \[0\.75, 0\.95\] \(1 grid points\); Δ ≥ σ̄ at 0 of them; L̂ = 0\.5 \(given\); L̂ = 0\.5: max Δ\/σ̄ [\d.e-]+, Δ ≥ σ̄ at 0; 3 sizes × 2 seeds \(n_params = 10, 20, 40\), loss train_loss$/,
  );
  // at L̂ = 0, x = 0.5 has Δ/σ̄ = 1.0860 (Python, as RATIO_AT_0) and x = 0.75 0.7203
  const f = one(supercollapseCheck, L, { l0: 0, gridPoints: 4, delta: 0.5 });
  assertEquals([f.verdict, f.value, f.tolerance], [
    "fail",
    1.0859620454687933,
    "x in [0.50, 0.95]; across the L0 interval",
  ]);
  assertMatch(
    f.detail,
    /^max Δ\/σ̄ = 1\.086 at x = 0\.5 over x ∈ \[0\.50, 0\.95\] \(2 grid points\); Δ ≥ σ̄ at 1 of them;/,
  );
  // the worst point need not be the first of the window
  const w = one(supercollapseCheck, L, { l0: 0.7, gridPoints: 10, delta: 0.7 });
  assertEquals(w.verdict, "fail");
  assertMatch(
    w.detail,
    /^max Δ\/σ̄ = 3\.904 at x = 0\.5 over x ∈ \[0\.30, 0\.95\] \(5 grid points\); Δ ≥ σ̄ at 5 of them;/,
  );
  assertEquals(one(supercollapseCheck, L, { l0: 0.6, gridPoints: 4, delta: 0.5 }).verdict, "pass");
  assertEquals(
    one(supercollapseCheck, L, { l0: 0.5, gridPoints: 4, upper: 0.8 }).tolerance,
    "x in [0.75, 0.80]; across the L0 interval",
  );
});

Deno.test("supercollapse: across the L0 interval, skips, and the note on an lr that does not decay", () => {
  const L = ladderRuns();
  const dep = one(supercollapseCheck, L, { gridPoints: 4, delta: 0.5, resamples: 5 });
  assertEquals(dep.verdict, "skip");
  assertMatch(
    dep.detail,
    /^the verdict depends on L̂ within the L0 interval; max Δ\/σ̄ = [\d.e-]+ at x = 0\.5 .*; L̂ = [\d.e-]+: max Δ\/σ̄ 1\.086, Δ ≥ σ̄ at 1; L̂ = 0\.5: max Δ\/σ̄ [\d.e-]+, Δ ≥ σ̄ at 0; L̂ = 0\.59: max Δ\/σ̄ 0\.6283, Δ ≥ σ̄ at 0;/,
  );
  const skip = (runs: RunData[], o: CheckOptions) => {
    const r = one(supercollapseCheck, runs, o);
    assertEquals([r.verdict, r.value], ["skip", null]);
    return r.detail;
  };
  assertEquals(skip(L, { l0: 2, gridPoints: 4 }), "L̂ = 2 ≥ a final loss");
  assertEquals(skip(L, { l0: 0.725, gridPoints: 4 }), "L̂ = 0.725 ≥ a final loss");
  assertEquals(
    skip(L, { l0: 0.5, gridPoints: 4, delta: 0.1, upper: 0.8 }),
    "no grid point in x ∈ [0.90, 0.80]",
  );
  assertEquals(skip([], {}), "runs: no runs");
  // lr decaying to ≤ 5% of its peak: no note; above: a note
  const withLr = (last: number) =>
    ladderRuns().map((r) => {
      const t = r.metrics!;
      const cols = {
        step: t.column("compute"),
        compute: t.column("compute"),
        train_loss: t.column("train_loss"),
        lr: [1, last],
      };
      return run(r.id, r.info, cols);
    });
  assertOk(!/decay/.test(one(supercollapseCheck, withLr(0.05), { l0: 0.5, gridPoints: 4 }).detail));
  assertMatch(
    one(supercollapseCheck, withLr(0.06), { l0: 0.5, gridPoints: 4 }).detail,
    /loss train_loss; the lr column does not decay to ≤ 5% of its peak$/,
  );
});

Deno.test("excessSpread(): median over grid columns of sd/|mean| of (L − L_final)/(L_final − L̂)", () => {
  assertEquals(excessSpread([[2, 2], [4, 4]], [1, 2], [0, 1], [0, 1], 0), 0);
  // at L̂ = 0.5: excesses 2 and 4/3, sd/|mean| = (√2/3)/(5/3) = √2/5
  assertClose(excessSpread([[2, 2], [4, 4]], [1, 2], [0], [0, 1], 0.5), Math.SQRT2 / 5, 1e-12);
  // the median over columns: spreads √2/5, √2/5 and 1/√2 (excesses 2 and 2/3)
  const lossAt = [[2, 2, 2], [4, 4, 3], [3, 3, 6]];
  assertClose(excessSpread(lossAt, [1, 2, 1], [0, 1, 2], [0, 1], 0.5), 0.28284271247461906, 1e-12);
  // one run: no spread; a negative mean excess counts by its size
  assertEquals(excessSpread([[2], [4]], [1, 2], [0], [1], 0.5), 0);
  // excesses −0.5 and −0.75: sd 0.25/√2 over |mean| 0.625
  assertClose(excessSpread([[0.5], [1]], [1, 4], [0], [0, 1], 0), 0.25 / Math.SQRT2 / 0.625, 1e-12);
  // rows pick the runs: only runs 0 and 2
  assertClose(excessSpread([[2], [9], [3]], [1, 1, 1], [0], [0, 2], 0), Math.SQRT2 / 3, 1e-12);
});

Deno.test("scanL0(): 200 candidates over [0, cap), refined; cap is the smallest final of the runs used", () => {
  const l = ladderOf(ladderRuns([10, 20, 40], [1, 1]));
  const s = scanL0(l, [0.25, 0.95], 4);
  assertClose(s.l0, 0.5, 1e-6);
  assertEquals(s.cap, 0.75);
  assertEquals(s.candidates.length, 200);
  assertEquals(s.values.length, 200);
  assertEquals(s.candidates[0], 0);
  assertEquals(s.candidates[100], (0.75 * (1 - 1e-6) * 100) / 200);
  assertOk(s.objective <= Math.min(...s.values));
  assertOk(s.objective < 1e-9, `${s.objective}`);
  // n candidates; rows limit the runs (and the cap: size 10's finals are 1.5)
  const few = scanL0(l, [0.25, 0.95], 4, [0, 1], undefined, 10);
  assertEquals(few.candidates.length, 10);
  assertEquals(few.cap, 1.5);
  // two runs of one size have the same shape at every L̂: the objective is 0 from the start
  assertEquals(few.values[0], 0);
  // the bent ladder collapses at L̂ = 0.3 (see fit_l0 below)
  assertClose(scanL0(ladderOf(bentRuns()), [0.25, 0.95], 4).l0, 0.3, 1e-6);
});

/**
 * Finals on the law 0.5 + 10/n (L0 = 0.5) but shapes that collapse at L̂ = 0.3:
 * L(x) = L_f + (L_f − 0.3)·(1/x − 1), two identical seeds.
 */
function bentRuns(): RunData[] {
  return [10, 20, 40].flatMap((n) =>
    [0, 1].map((w) => {
      const lf = 0.5 + 10 / n;
      return run(`n${n}s${w}`, { n_params: `${n}`, seed: `${w}` }, {
        compute: [5, 10].map((k) => k * n),
        train_loss: [5, 10].map((k) => lf + (lf - 0.3) * (10 / k - 1)),
      });
    })
  );
}

Deno.test("fit_l0: passes when the scanned L̂ is the power-law L0, fails when the collapse is sharpest elsewhere", () => {
  const o = one(fitL0Check, ladderRuns([10, 20, 40], [1, 1]), { gridPoints: 4, resamples: 5 });
  assertEquals([o.statistic, o.tolerance, o.verdict], [
    "scanned L0 (sharpest collapse of the excess)",
    "95% bootstrap interval over seeds",
    "pass",
  ]);
  assertClose(o.value!, 0.5, 1e-6);
  // the ±1e-3 × cap resolution floor around a zero-width interval
  assertEquals(o.expected, "0.5; difference interval [-0.00075, 0.00075] must contain 0");
  assertMatch(
    o.detail,
    /^scanned L̂ = 0\.5 \(median sd\/\|mean\| of ℓ − 1 = [\d.e-]+ over x ∈ \[0\.25, 0\.95\]; 1 below its value at L̂ = 0; within 10% of the minimum over 0% of \[0, 0\.75\)\) vs power-law L0 = 0\.5 \(L = a·c\^-b \+ L0, b = 1\); difference [\d.e-]+, 95% bootstrap interval \[[\d.e-]+, [\d.e-]+\] over 5 resamples of seeds \(± 0\.00075 resolution\) contains 0; 3 sizes × 2 seeds/,
  );
  const f = one(fitL0Check, bentRuns(), { gridPoints: 4, resamples: 5 });
  assertEquals(f.verdict, "fail");
  // without resamples the interval is the difference itself: the same ladder still fails
  const f0 = one(fitL0Check, bentRuns(), { gridPoints: 4, resamples: 0 });
  assertEquals(f0.verdict, "fail");
  assertMatch(f0.expected, /^0\.5; difference interval \[-0\.200\d+, -0\.199\d+\] must contain 0$/);
  assertClose(f.value!, 0.3, 1e-6);
  assertEquals(f.expected, "0.5; difference interval [-0.2008, -0.1992] must contain 0");
  assertMatch(
    f.detail,
    /difference -0\.2, 95% bootstrap interval \[-0\.2, -0\.2\] over 5 resamples .* excludes 0;/,
  );
  assertEquals(
    one(fitL0Check, bentRuns(), { gridPoints: 4, resamples: 2, level: 0.5 }).tolerance,
    "50% bootstrap interval over seeds",
  );
});

Deno.test("fit_l0: every skip — no ladder, one run, < 3 sizes, steps only, an empty range, a flat objective", () => {
  const skip = (runs: RunData[], o: CheckOptions = {}) => {
    const r = one(fitL0Check, runs, { gridPoints: 4, resamples: 0, ...o });
    assertEquals(r.verdict, "skip", r.detail);
    return r;
  };
  assertEquals(skip([]).detail, "no runs");
  assertEquals(skip(ladderRuns([10], [1])).detail, "fewer than 2 usable runs");
  assertEquals(
    skip(ladderRuns([10, 20], [1])).detail,
    "power-law fit of L0 needs ≥ 3 sizes, got 2",
  );
  const steps = ladderRuns([10, 20, 40], [1]).map((r) =>
    run(r.id, r.info, {
      step: r.metrics!.column("compute"),
      train_loss: r.metrics!.column("train_loss"),
    })
  );
  assertEquals(
    skip(steps).detail,
    "no compute column: the power law L = a·c^-b + L0 cannot be fitted against steps",
  );
  assertEquals(
    skip(ladderRuns(), { range: [0.1, 0.2] }).detail,
    "no grid point in x ∈ [0.10, 0.20]",
  );
  // every run the same curve: any L̂ collapses them
  const same = [10, 20, 40].flatMap((n) =>
    [0, 1].map((w) =>
      run(`n${n}s${w}`, { n_params: `${n}`, seed: `${w}` }, {
        compute: [5 * n, 10 * n],
        train_loss: [2, 1],
      })
    )
  );
  const flat = skip(same);
  assertMatch(
    flat.detail,
    /^L0 not identifiable on this ladder: the objective is flat \(within 10% of its minimum over [\d.]+% ≥ 50% of the scanned L̂\); scanned L̂ = /,
  );
  assertOk(flat.value !== null);
  // a wide tolerance makes any ladder flat; maxFlatFraction 1 is reached by a 100% flat scan
  assertMatch(
    skip(ladderRuns(), { flatTolerance: 1e12 }).detail,
    /within 100000000000000% of its minimum over 100% ≥ 50%/,
  );
  assertMatch(
    skip(ladderRuns(), { flatTolerance: 1e12, maxFlatFraction: 1 }).detail,
    /over 100% ≥ 100%/,
  );
  assertEquals(
    one(fitL0Check, ladderRuns([10, 20, 40], [1, 1]), {
      gridPoints: 4,
      resamples: 0,
      maxFlatFraction: 0.01,
    }).verdict,
    "pass",
  );
});

/**
 * A ladder for collapse_variance_scaling, measured at x = i/m (i = 1..m) with
 * step = compute = 10n·x and a learning rate η(x). Each size has the three
 * seeds w ∈ {−0.02, 0, 0.02} of a planted spread: L − 0.5 = (10/n)·(1/x)·(1 +
 * w·g(x)) with g = `shape` of the check's predictor P(x) = √(η̂(1 − τ̂)), τ
 * integrated from η over the steps as the check does. Since P(1) = 0, ℓ(x) =
 * (1/x)(1 + w·g) and Δ = sd(w)·g exactly at every measured x: on a grid of
 * the measured points the log-log slope of Δ on P is exactly the power in g.
 */
function cvsRuns(
  shape: (p: number, x: number) => number,
  lr: (x: number) => number,
  m = 20,
): RunData[] {
  const xs = Array.from({ length: m }, (_, i) => (i + 1) / m);
  const eta = xs.map(lr);
  const peak = Math.max(...eta);
  const tau = integrateLr(xs, eta);
  const P = xs.map((_, i) => Math.sqrt((eta[i] / peak) * (1 - tau[i] / tau[m - 1])));
  const ws = [-0.02, 0, 0.02];
  return [10, 20, 40].flatMap((n) =>
    ws.map((w, k) =>
      run(`n${n}s${k}`, { n_params: `${n}`, seed: `${k}` }, {
        step: xs.map((x) => x * 10 * n),
        compute: xs.map((x) => x * 10 * n),
        train_loss: xs.map((x, i) => 0.5 + (10 / n) * (1 / x) * (1 + w * shape(P[i], x))),
        lr: eta,
      })
    )
  );
}
const linearDecay = (x: number) => 1.05 - x;
const CVS = { l0: 0.5, gridPoints: 20, resamples: 10 };

Deno.test("collapse_variance_scaling: Δ ∝ P passes with slope 1; Δ ∝ P² fails with slope 2", () => {
  const o = one(collapseVarianceScalingCheck, cvsRuns((p) => p, linearDecay), CVS);
  assertEquals([o.statistic, o.expected, o.tolerance, o.verdict], [
    "log-log slope of delta on sqrt(eta*(1-tau))",
    "interval meets [0.80, 1.25]; the alternative shape's misses it",
    "90% bootstrap over seeds; after the LR peak, x <= 0.95",
    "pass",
  ]);
  assertClose(o.value!, 1, 1e-9, o.detail);
  // the LR peak is the first point (x = 0.05): 18 grid points from 0.1 to 0.95
  assertMatch(
    o.detail,
    /^log-log slope of Δ on √\(η̂\(1−τ̂\)\) = 1, 90% interval \[[\d.]+, [\d.]+\] \(meets the band \[0\.80, 1\.25\] around 1\); on √η̂: [\d.]+ \[[\d.]+, [\d.]+\] \(misses it\); 18 grid points after the LR peak x ∈ \[0\.1, 0\.95\]; Pearson r = [\d.]+; 10 resamples; L̂ = 0\.5 \(given\); 3 sizes × 3 seeds \(n_params = 10, 20, 40\), loss train_loss$/,
  );
  const sq = one(collapseVarianceScalingCheck, cvsRuns((p) => p * p, linearDecay), CVS);
  assertEquals(sq.verdict, "fail");
  assertClose(sq.value!, 2, 1e-9, sq.detail);
  assertMatch(sq.detail, /\(misses the band \[0\.80, 1\.25\] around 1\)/);
  // a band that holds 2 but also the alternative: fail; one that holds only 2: pass
  const alt = Number(/on √η̂: ([\d.]+)/.exec(sq.detail)![1]);
  assertOk(alt > 2.5, sq.detail);
  assertEquals(
    one(collapseVarianceScalingCheck, cvsRuns((p) => p * p, linearDecay), {
      ...CVS,
      band: [1.9, 2.1],
    }).verdict,
    "pass",
  );
  assertEquals(
    one(collapseVarianceScalingCheck, cvsRuns((p) => p * p, linearDecay), {
      ...CVS,
      band: [1.9, 100],
    }).verdict,
    "fail",
  );
});

Deno.test("collapse_variance_scaling: σ̄ instead of Δ, the other alternative shapes, the level and upper options", () => {
  const runs = cvsRuns((p) => p, linearDecay);
  const s = one(collapseVarianceScalingCheck, runs, { ...CVS, use: "sigma" });
  assertEquals(s.verdict, "pass");
  assertClose(s.value!, 1, 1e-9);
  assertMatch(s.detail, /^log-log slope of σ̄ on √\(η̂\(1−τ̂\)\) = 1,/);
  assertMatch(
    one(collapseVarianceScalingCheck, runs, { ...CVS, alternative: "tau" }).detail,
    /; on 1 − τ̂: [\d.]+ \[/,
  );
  assertMatch(
    one(collapseVarianceScalingCheck, runs, { ...CVS, alternative: "x" }).detail,
    /; on 1 − x: [\d.]+ \[/,
  );
  const lv = one(collapseVarianceScalingCheck, runs, { ...CVS, level: 0.5, upper: 0.5 });
  assertEquals(lv.tolerance, "50% bootstrap over seeds; after the LR peak, x <= 0.5");
  assertMatch(lv.detail, /50% interval .* 9 grid points after the LR peak x ∈ \[0\.1, 0\.5\]/);
  // a warm-up to a plateau: the peak is the plateau's last point (x = 0.4)
  const warm = (x: number) => Math.min(1, x / 0.2, (1.05 - x) / 0.65);
  assertMatch(
    one(collapseVarianceScalingCheck, cvsRuns((p) => p, warm), CVS).detail,
    /grid points after the LR peak x ∈ \[0\.45, 0\.95\]/,
  );
});

Deno.test("collapse_variance_scaling: every skip — no lr, too few points, no spread, bad options", () => {
  const runs = cvsRuns((p) => p, linearDecay);
  const skip = (r: RunData[], o: CheckOptions) => {
    const out = one(collapseVarianceScalingCheck, r, o);
    assertEquals([out.verdict, out.value], ["skip", null], out.detail);
    return out.detail;
  };
  assertEquals(
    skip(ladderRuns(), { l0: 0.5 }),
    "run n10s0: no lr column (needed for η(x) and τ(x))",
  );
  assertEquals(skip([], {}), "no runs");
  assertEquals(skip(runs.slice(0, 1), CVS), "fewer than 2 usable runs");
  // σ̄ needs two seeds per size (Δ does not)
  assertEquals(
    skip(runs.slice(2), { ...CVS, use: "sigma" }),
    "size n_params=10 has 1 seed (n10s2): the noise floor σ needs ≥ 2 seeds per size",
  );
  const uneven = one(collapseVarianceScalingCheck, runs.slice(2), CVS);
  assertEquals(uneven.verdict, "pass");
  assertMatch(uneven.detail, /; 3 sizes × 1–3 seeds \(n_params = 10, 20, 40\), loss train_loss$/);
  assertEquals(one(collapseVarianceScalingCheck, runs, { ...CVS, minPoints: 18 }).verdict, "pass");
  assertEquals(
    skip(runs, { ...CVS, minPoints: 19 }),
    "only 18 grid points after the LR peak (x > 0.05, η < η_peak, x ≤ 0.95); need ≥ 19",
  );
  assertEquals(
    skip(cvsRuns(() => 0, linearDecay), CVS),
    "Δ ≤ 1e-9 after the LR peak: the curves coincide to round-off, nothing to scale",
  );
  assertMatch(skip(runs, { ...CVS, floor: 1 }), /^Δ ≤ 1 after the LR peak/);
  assertMatch(skip(runs, { ...CVS, use: "both" }), /expected "delta" or "sigma", got "both"/);
  assertMatch(
    skip(runs, { ...CVS, alternative: "step" }),
    /expected "eta", "tau" or "x", got "step"/,
  );
});

Deno.test("collapse: the option schemas of the collapse family — each bound just inside and just outside, unknown keys refused", () => {
  const ok = (
    check: { optionsSchema: { safeParse: (v: unknown) => { success: boolean } } },
    o: object,
    want: boolean,
  ) => assertEquals(check.optionsSchema.safeParse(o).success, want, JSON.stringify(o));
  for (
    const check of [collapseCheck, supercollapseCheck, fitL0Check, collapseVarianceScalingCheck]
  ) {
    for (const k of ["params", "seed", "compute", "loss"]) {
      ok(check, { [k]: "ab" }, true);
      ok(check, { [k]: "" }, false);
      ok(check, { [k]: 1 }, false);
    }
    ok(check, { gridPoints: 2 }, true);
    ok(check, { gridPoints: 1 }, false);
    ok(check, { gridPoints: 2.5 }, false);
    ok(check, { resamples: 0 }, true);
    ok(check, { resamples: -1 }, false);
    ok(check, { resamples: 1.5 }, false);
    ok(check, { level: 0.5 }, true);
    ok(check, { level: 0 }, false);
    ok(check, { level: 1 }, false);
    ok(check, { bogus: 1 }, false);
  }
  for (const check of [collapseCheck, supercollapseCheck, collapseVarianceScalingCheck]) {
    ok(check, { l0: 0 }, true);
    ok(check, { l0: "0.5" }, false);
  }
  ok(fitL0Check, { l0: 0.5 }, false); // fit_l0 scans L̂ itself
  ok(collapseCheck, {
    range: [0.25, 0.95],
    threshold: 1e-9,
    controlFactor: 1e-9,
    control: { a: 1, b: "x", c: true },
  }, true);
  ok(collapseCheck, { range: [0.25] }, false);
  ok(collapseCheck, { threshold: 0 }, false);
  ok(collapseCheck, { controlFactor: 0 }, false);
  ok(collapseCheck, { control: { a: [1] } }, false);
  ok(collapseCheck, { subject: "control" }, true);
  ok(collapseCheck, { subject: "ladder" }, true);
  ok(collapseCheck, { subject: "both" }, false);
  ok(supercollapseCheck, { delta: 0.5, upper: 1 }, true);
  for (const bad of [{ delta: 0 }, { delta: 1 }, { upper: 0 }, { upper: 1.01 }]) {
    ok(supercollapseCheck, bad, false);
  }
  ok(fitL0Check, { range: [0.1, 0.9], flatTolerance: 1e-9, maxFlatFraction: 1 }, true);
  for (
    const bad of [{ flatTolerance: 0 }, { maxFlatFraction: 0 }, { maxFlatFraction: 1.01 }, {
      range: "x",
    }]
  ) {
    ok(fitL0Check, bad, false);
  }
  ok(collapseVarianceScalingCheck, {
    upper: 1,
    minPoints: 2,
    use: "sigma",
    floor: 0,
    band: [1, 1],
    alternative: "tau",
  }, true);
  ok(collapseVarianceScalingCheck, { use: "delta", alternative: "eta" }, true);
  ok(collapseVarianceScalingCheck, { alternative: "x" }, true);
  for (
    const bad of [
      { upper: 0 },
      { upper: 1.01 },
      { minPoints: 1 },
      { minPoints: 2.5 },
      { use: "both" },
      { floor: -1e-9 },
      { band: [1] },
      { alternative: "step" },
    ]
  ) ok(collapseVarianceScalingCheck, bad, false);
});

Deno.test("collapse: gridPoints 2 is enough; a steps-only ladder has L̂ = 0; a control without grid points in the range", () => {
  const two = one(collapseCheck, ladderRuns(), { l0: 0.5, gridPoints: 2 });
  assertEquals(two.verdict, "pass");
  assertMatch(two.detail, /\(1 grid points\)/);
  const steps = ladderRuns().map((r) =>
    run(r.id, r.info, {
      step: r.metrics!.column("compute"),
      train_loss: r.metrics!.column("train_loss"),
    })
  );
  assertMatch(
    one(collapseCheck, steps, { gridPoints: 4 }).detail,
    /; L̂ = 0 \(no compute column: L0 cannot be fitted; give l0\); L̂ = 0: Δ\/σ̄ 0\.9031;/,
  );
  // the control measured only from x = 0.96: its grid has no point in [0.25, 0.95]
  const late = controlRuns().map((r) => {
    const n = Number(r.info.n_params);
    return run(r.id, r.info, { compute: [96 * n, 100 * n], train_loss: [2, 1] });
  });
  const c = one(collapseCheck, [...withInfo(ladderRuns(), { arm: "ladder" }), ...late], {
    l0: 0.5,
    gridPoints: 100,
    control: { arm: "control" },
  });
  assertEquals([c.verdict, c.detail], ["skip", "control: no grid point in x ∈ [0.25, 0.95]"]);
});

Deno.test("collapse with a control: subject control at its exact ratio passes (≤); without power a pass stays a pass; a verdict that depends on L̂", () => {
  const runs = [...withInfo(ladderRuns(), { arm: "ladder" }), ...controlRuns()];
  const o = { l0: 0.5, gridPoints: 4, control: { arm: "control" }, subject: "control" };
  const c = one(collapseCheck, runs, o);
  assertEquals(one(collapseCheck, runs, { ...o, threshold: c.value! }).verdict, "pass");
  // the control is the ladder itself (no power): below the threshold it passes
  const L = ladderRuns();
  const self = [...withInfo(L, { arm: "ladder" }), ...withInfo(L, { arm: "control" })];
  assertEquals(one(collapseCheck, self, { ...o, l0: 0, threshold: 5 }).verdict, "pass");
  // fitted L̂ with its interval: the control's ratios 0.9031, ~0 and 0.5237 straddle 0.7
  const dep = one(collapseCheck, self, {
    gridPoints: 4,
    resamples: 5,
    control: { arm: "control" },
    subject: "control",
    threshold: 0.7,
  });
  assertEquals(dep.verdict, "skip");
  assertMatch(dep.detail, /^the control's verdict depends on L̂ within the L0 interval; /);
});

Deno.test("supercollapse: Δ = σ̄ = 0 is a perfect collapse, not Δ ≥ σ̄; the value is the one at L̂; the decay note is relative to the peak", () => {
  // identical seeds and L̂ = L0: ℓ = 2, 1 exactly for every run, so Δ = σ̄ = 0
  const exact = one(supercollapseCheck, ladderRuns([10, 20, 40], [1, 1]), {
    l0: 0.5,
    gridPoints: 2,
    delta: 0.5,
  });
  assertEquals([exact.verdict, exact.value], ["pass", 0]);
  assertMatch(exact.detail, /; Δ ≥ σ̄ at 0 of them;/);
  const dep = one(supercollapseCheck, ladderRuns(), { gridPoints: 4, delta: 0.5, resamples: 5 });
  assertOk(dep.value! < 1e-9, `${dep.value}`); // at L̂ = 0.5, not at the interval's lower end
  const withLr = (lr: number[]) =>
    ladderRuns().map((r) => {
      const t = r.metrics!;
      return run(r.id, r.info, {
        step: t.column("compute"),
        compute: t.column("compute"),
        train_loss: t.column("train_loss"),
        lr,
      });
    });
  assertOk(
    !/decay/.test(one(supercollapseCheck, withLr([2, 0.1]), { l0: 0.5, gridPoints: 4 }).detail),
  );
  assertMatch(
    one(supercollapseCheck, withLr([2, 0.11]), { l0: 0.5, gridPoints: 4 }).detail,
    /does not decay/,
  );
});

Deno.test("excessSpread(): sd with ddof 1 over three runs; no excess anywhere is no spread", () => {
  // excesses 1, 2, 3 (L̂ = 0, finals 1): sd 1, mean 2
  assertClose(excessSpread([[2], [3], [4]], [1, 1, 1], [0], [0, 1, 2], 0), 0.5, 1e-12);
  assertEquals(excessSpread([[1], [2]], [1, 2], [0], [0, 1], 0), 0);
});

Deno.test("collapse_variance_scaling: η̂ is η over its peak; the alternative shapes' slopes; the floor; no resamples", () => {
  // the same ladder at a tenth of the learning rate: η̂ is unchanged, so is the answer
  const tenth = one(
    collapseVarianceScalingCheck,
    cvsRuns((p) => p, (x) => 0.1 * linearDecay(x)),
    CVS,
  );
  assertEquals(tenth.verdict, "pass");
  assertClose(tenth.value!, 1, 1e-9);
  assertMatch(tenth.detail, /; 18 grid points after the LR peak x ∈ \[0\.1, 0\.95\];/);
  // Δ ∝ P exactly, so the slope on an alternative A is the least-squares slope of log P on log A
  const xs = Array.from({ length: 20 }, (_, i) => (i + 1) / 20);
  const eta = xs.map(linearDecay);
  const tau = integrateLr(xs, eta);
  const idx = xs.map((_, i) => i).filter((i) => i >= 1 && i <= 18);
  const P = idx.map((i) => Math.sqrt(eta[i] * (1 - tau[i] / tau[19])));
  const slope = (a: number[]) => {
    const u = a.map(Math.log), v = P.map(Math.log);
    const mu = u.reduce((s, x) => s + x) / u.length, mv = v.reduce((s, x) => s + x) / v.length;
    return u.reduce((s, x, k) => s + (x - mu) * (v[k] - mv), 0) /
      u.reduce((s, x) => s + (x - mu) ** 2, 0);
  };
  const runs = cvsRuns((p) => p, linearDecay);
  const alts: [string, string, number[]][] = [
    ["eta", "√η̂", idx.map((i) => Math.sqrt(eta[i]))],
    ["tau", "1 − τ̂", idx.map((i) => 1 - tau[i] / tau[19])],
    ["x", "1 − x", idx.map((i) => 1 - xs[i])],
  ];
  for (const [alt, name, a] of alts) {
    const d = one(collapseVarianceScalingCheck, runs, { ...CVS, alternative: alt }).detail;
    const got = Number(new RegExp(`on ${name}: ([\\d.]+) \\[`).exec(d)![1]);
    assertClose(got, slope(a), 1e-3, `${alt}: ${d}`);
  }
  // the floor: the largest Δ after the peak (~0.017) decides, not the smallest (~4e-4)
  assertEquals(one(collapseVarianceScalingCheck, runs, { ...CVS, floor: 1e-3 }).verdict, "pass");
  assertMatch(
    one(collapseVarianceScalingCheck, runs, { ...CVS, use: "sigma", floor: 1 }).detail,
    /^σ̄ ≤ 1 after the LR peak/,
  );
  // no resamples: the interval is the slope itself, which meets a band of exactly that slope
  const n = one(collapseVarianceScalingCheck, runs, { ...CVS, resamples: 0 });
  assertEquals(n.verdict, "pass");
  assertMatch(n.detail, /, 90% interval \[1, 1\] \(meets the band/);
  assertEquals(
    one(collapseVarianceScalingCheck, runs, { ...CVS, resamples: 0, band: [n.value!, n.value!] })
      .verdict,
    "pass",
  );
  // two runs are enough
  assertOk(
    one(collapseVarianceScalingCheck, runs.slice(0, 2), CVS).detail !== "fewer than 2 usable runs",
  );
});

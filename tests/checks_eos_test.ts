import { Table } from "../core/results/table.ts";
import type { RunData, RunStatus } from "../core/checks/types.ts";
import { eosCheck } from "../core/checks/eos.ts";
import { adaptiveEosCheck } from "../core/checks/adaptive_eos.ts";
import { progressiveSharpeningCheck } from "../core/checks/progressive_sharpening.ts";
import { assertClose, assertEquals, assertMatch } from "./assert.ts";

function runOf(
  id: string,
  cols: Record<string, (number | null)[]>,
  info: Record<string, string> = {},
  status: RunStatus = "ok",
): RunData {
  const names = Object.keys(cols);
  return {
    id,
    status,
    info,
    metrics: new Table(`${id}.csv`, names, cols, cols[names[0]].length),
  };
}

/**
 * A GD run measured every 10 steps to step 1000: sharpness rises linearly
 * from `start`·θ to `plateau`·θ by step 300, then oscillates ±3% around it.
 * The train loss falls non-monotonically.
 */
function gdRun(
  plateau: number,
  opts: {
    start?: number;
    lr?: number;
    column?: string;
    threshold?: "lr" | "two_over_lr";
  } = {},
) {
  const lr = opts.lr ?? 0.1, theta = 2 / lr, start = opts.start ?? 0.3;
  const step: number[] = [],
    lam: number[] = [],
    loss: number[] = [],
    lrs: number[] = [];
  for (let s = 0; s <= 1000; s += 10) {
    step.push(s);
    const ratio = s < 300
      ? start + (plateau - start) * (s / 300)
      : plateau * (1 + 0.03 * Math.sin(s));
    lam.push(ratio * theta);
    loss.push(1 / (1 + 0.01 * s) + 0.01 * Math.abs(Math.sin(s / 7)));
    lrs.push(lr);
  }
  const cols: Record<string, (number | null)[]> = { step };
  if ((opts.threshold ?? "lr") === "lr") cols.lr = lrs;
  else cols.two_over_lr = lrs.map((l) => 2 / l);
  cols.train_loss = loss;
  cols[opts.column ?? "lambda_max"] = lam;
  return cols;
}

const evalEos = (r: RunData, options = {}) =>
  eosCheck.evaluate({ experiment: "eos", runs: [r] }, options)[0];

Deno.test("eos passes when λ_max hovers at 2/η while the loss falls", () => {
  const o = evalEos(runOf("eos/a", gdRun(1.0)));
  assertEquals(o.verdict, "pass", o.detail);
  assertClose(o.value!, 1.0, 0.03);
  assertEquals(o.run, "eos/a");
  assertMatch(o.detail, /median λ_max·η\/2 = 1\.0\d* over steps \d+–1000/);
});

Deno.test("eos reads θ from a two_over_lr column when the runner wrote one", () => {
  const o = evalEos(runOf("eos/b", gdRun(1.0, { threshold: "two_over_lr" })));
  assertEquals(o.verdict, "pass", o.detail);
  assertMatch(o.detail, /θ from two_over_lr/);
});

Deno.test("eos takes η from runs.csv when metrics have no lr column", () => {
  const cols = gdRun(1.0);
  delete cols.lr;
  assertEquals(evalEos(runOf("eos/c", cols, { lr: "0.1" })).verdict, "pass");
  assertEquals(evalEos(runOf("eos/c", cols)).verdict, "skip");
});

Deno.test("eos fails when λ_max settles at 1.4·2/η (outside [0.90, 1.15])", () => {
  const o = evalEos(runOf("eos/high", gdRun(1.4)));
  assertEquals(o.verdict, "fail");
  assertClose(o.value!, 1.4, 0.03);
});

Deno.test("eos fails with a reason when λ_max never reaches 0.95·2/η", () => {
  const o = evalEos(runOf("eos/low", gdRun(0.7)));
  assertEquals(o.verdict, "fail");
  assertEquals(o.value, null);
  assertMatch(o.detail, /never reached 0\.95θ \(start 0\.3, max λ_max·η\/2 = 0\.7/);
});

Deno.test("eos fails when the loss makes no progress after onset", () => {
  const cols = gdRun(1.0);
  cols.train_loss = cols.train_loss.map((_, i) => 0.1 + 0.001 * i);
  const o = evalEos(runOf("eos/stuck", cols));
  assertEquals(o.verdict, "fail");
  assertMatch(o.detail, /no progress/);
});

Deno.test("eos fails a diverged run and says where it diverged", () => {
  const cols = gdRun(1.0);
  cols.train_loss[50] = NaN;
  const o = evalEos(runOf("eos/div", cols, {}, "diverged"));
  assertEquals(o.verdict, "fail");
  assertMatch(o.detail, /diverged at step 500 \(train_loss = nan\)/);
  const o2 = evalEos(
    runOf("eos/div2", gdRun(1.0), { reason: "loss inf" }, "diverged"),
  );
  assertEquals(o2.verdict, "fail");
  assertMatch(o2.detail, /run diverged \(loss inf\)/);
});

Deno.test("eos skips with a reason when the sharpness column is missing", () => {
  const cols = gdRun(1.0);
  delete cols.lambda_max;
  const o = evalEos(runOf("eos/nolam", cols));
  assertEquals(o.verdict, "skip");
  assertMatch(o.detail, /no lambda_max column/);
});

Deno.test("eos honours a tighter band option and one outcome per run", () => {
  const runs = [runOf("a", gdRun(1.0)), runOf("b", gdRun(1.1))];
  const out = eosCheck.evaluate({ experiment: "eos", runs }, {
    band: [0.95, 1.05],
  });
  assertEquals(out.map((o) => o.verdict), ["pass", "fail"]);
  const bad = eosCheck.evaluate({ experiment: "eos", runs }, {
    band: [1.2, 1.0],
  });
  assertEquals(bad[0].verdict, "skip");
  assertMatch(bad[0].detail, /option band/);
});

// ------------------------------------------------------------ adaptive_eos

/** Adam run: preconditioned sharpness relative to (2+2β1)/((1−β1)η). */
function adamRun(plateau: number, withCritical: boolean) {
  const cols = gdRun(plateau, { lr: 0.01, column: "precond_lambda_max" });
  // gdRun scaled λ by 2/η; rescale to 38/η (β1 = 0.9)
  cols.precond_lambda_max = cols.precond_lambda_max.map((v) => (v as number) * 19);
  if (withCritical) {
    cols.critical_sharpness = cols.lr.map((l) => 38 / (l as number));
    delete cols.lr;
  }
  return cols;
}

const evalAdam = (r: RunData) =>
  adaptiveEosCheck.evaluate({ experiment: "adam", runs: [r] }, {})[0];

Deno.test("adaptive_eos passes at 1.0·38/η from a critical_sharpness column", () => {
  const o = evalAdam(runOf("adam/a", adamRun(1.0, true)));
  assertEquals(o.verdict, "pass", o.detail);
  assertClose(o.value!, 1.0, 0.03);
});

Deno.test("adaptive_eos computes θ from lr and β1 = 0.9 in runs.csv", () => {
  const o = evalAdam(runOf("adam/b", adamRun(1.0, false), { beta1: "0.9" }));
  assertEquals(o.verdict, "pass", o.detail);
  assertMatch(o.detail, /38\/η with β1 = 0\.9/);
  // β1 = 0.5 → θ = 6/η: the same data starts far above that threshold (0.3·38/6 = 1.9θ)
  const o2 = evalAdam(runOf("adam/c", adamRun(1.0, false), { beta1: "0.5" }));
  assertEquals(o2.verdict, "skip");
  assertMatch(o2.detail, /starts above the edge: λ_max\(P⁻¹H\)\/θ = 1\.9/);
});

Deno.test("adaptive_eos fails at 1.4θ, when θ is never reached, and on divergence", () => {
  assertEquals(
    evalAdam(runOf("adam/high", adamRun(1.4, true))).verdict,
    "fail",
  );
  const low = evalAdam(runOf("adam/low", adamRun(0.6, true)));
  assertEquals(low.verdict, "fail");
  assertMatch(low.detail, /never reached/);
  const div = evalAdam(runOf("adam/div", adamRun(1.0, true), {}, "diverged"));
  assertEquals(div.verdict, "fail");
  assertMatch(div.detail, /diverged/);
});

Deno.test("adaptive_eos skips when precond_lambda_max was not measured", () => {
  const cols = adamRun(1.0, true);
  delete cols.precond_lambda_max;
  cols.lambda_max = cols.step.map(() => 1);
  const o = evalAdam(runOf("adam/none", cols));
  assertEquals(o.verdict, "skip");
  assertMatch(o.detail, /no precond_lambda_max column/);
});

// -------------------------------------------------- progressive_sharpening

const evalPs = (r: RunData, options = {}) =>
  progressiveSharpeningCheck.evaluate(
    { experiment: "ps", runs: [r] },
    options,
  )[0];

Deno.test("progressive_sharpening passes on a run that rises 0.1θ → 0.45θ without reaching 0.5θ", () => {
  const step: number[] = [], lam: number[] = [];
  for (let s = 0; s <= 100; s++) {
    step.push(s * 10);
    lam.push(20 * (0.1 + 0.0035 * s)); // θ = 20 (η = 0.1): 0.1θ → 0.45θ
  }
  const o = evalPs(runOf("ps/a", { step, lambda_max: lam, lr: step.map(() => 0.1) }));
  assertEquals(o.verdict, "pass", o.detail);
  assertEquals(o.value, 1);
  assertMatch(o.detail, /whole run \(max λ\/θ = 0\.45 < 0\.5\)/);
  assertMatch(o.detail, /growth 2\.315 → 8\.685 = 3\.752x/);
});

Deno.test("progressive_sharpening skips a run whose growth is implied by the 0.5θ cut", () => {
  // gdRun rises 0.2θ → 1.0θ: it reaches 0.5θ at step 120 from λ₀ = 0.2θ ≤ 0.5/1.5
  const o = evalPs(runOf("ps/implied", gdRun(1.0, { start: 0.2 })));
  assertEquals(o.verdict, "skip");
  assertMatch(o.detail, /uninformative: λ\/θ reached 0\.5 from λ₀\/θ = 0\.2 ≤ 0\.5\/1\.5/);
  // at λ₀ = 0.34θ (just above 0.5/1.5 = 0.333) the segment is evaluated: 0.34θ → <0.5θ is < 1.5×
  const o2 = evalPs(runOf("ps/close", gdRun(1.0, { start: 0.34 })));
  assertEquals(o2.verdict, "fail", o2.detail);
  assertMatch(o2.detail, /= 1\.453x .* over steps < 80 \(first λ\/θ ≥ 0\.5\)/);
});

Deno.test("progressive_sharpening fails on a constant Hessian (linear regression): growth 1.00×", () => {
  const step: number[] = [], lam: number[] = [];
  for (let s = 0; s <= 40; s++) {
    step.push(s * 50);
    lam.push(2.13 + 1e-7 * Math.sin(s)); // Lanczos rounding around a constant λ
  }
  const o = evalPs(runOf("ps/linear", { step, lambda_max: lam, lr: step.map(() => 0.05) }));
  assertEquals(o.verdict, "fail");
  assertMatch(o.detail, /growth 2\.13 → 2\.13 = 1x/);
});

Deno.test("progressive_sharpening fails on a flat, noisy sharpness", () => {
  const step: number[] = [], lam: number[] = [];
  for (let s = 0; s < 100; s++) {
    step.push(s);
    lam.push(5 + 0.5 * Math.sin(s * 1.3));
  }
  const o = evalPs(
    runOf("ps/flat", { step, lambda_max: lam, lr: step.map(() => 0.01) }),
  );
  assertEquals(o.verdict, "fail");
  assertMatch(o.detail, /whole run \(max λ\/θ = 0\.02\d* < 0\.5\)/);
});

Deno.test("progressive_sharpening fails when the rise is monotone but under 1.5×", () => {
  const step: number[] = [], lam: number[] = [];
  for (let s = 0; s < 100; s++) {
    step.push(s);
    lam.push(5 + 0.01 * s); // 5 → 6: ρ = 1, growth 1.2
  }
  const o = evalPs(runOf("ps/slow", { step, lambda_max: lam }));
  assertEquals(o.verdict, "fail");
  assertEquals(o.value, 1);
  assertMatch(o.detail, /growth .* = 1\.1\d*x/);
});

Deno.test("progressive_sharpening skips without sharpness or with too few points", () => {
  assertEquals(
    evalPs(runOf("ps/none", { step: [0, 1], train_loss: [1, 0.5] })).verdict,
    "skip",
  );
  const o = evalPs(
    runOf("ps/short", { step: [0, 1, 2], lambda_max: [1, 2, 3] }),
  );
  assertEquals(o.verdict, "skip");
  assertMatch(o.detail, /only 3 measurements/);
});

// ------------------------------------------- eos: rise, orbits, progress

/**
 * A GD run measured on every `every` steps: λ/θ rises linearly from `start`
 * to 1 by step 200, then sits on a period-2 orbit (`hi` at even steps, `lo`
 * at odd steps) with a slow ±1% sawtooth; the loss falls to step 200, then
 * rises by `lossRise`× and alternates by 4% on the orbit.
 */
function orbitRun(
  o: { start?: number; hi?: number; lo?: number; every?: number; lossRise?: number } = {},
) {
  const start = o.start ?? 0.5, hi = o.hi ?? 1.06, lo = o.lo ?? 0.94, every = o.every ?? 1;
  const lossRise = o.lossRise ?? 1.5;
  const step: number[] = [], lam: number[] = [], loss: number[] = [], lr: number[] = [];
  for (let s = 0; s <= 2000; s += every) {
    step.push(s);
    lr.push(0.4);
    const saw = 1 + 0.01 * (((s / 37) % 2) - 1);
    const r = s < 200 ? start + (1 - start) * (s / 200) : (s % 2 === 0 ? hi : lo) * saw;
    lam.push(r * 5);
    const base = s < 200
      ? 0.3 - 0.28 * (s / 200)
      : 0.02 * (1 + (lossRise - 1) * Math.min(1, (s - 200) / 500));
    loss.push(s >= 200 && s % 2 === 1 ? base * 1.04 : base);
  }
  return { step, lr, train_loss: loss, lambda_max: lam };
}

Deno.test("eos counts a run that starts at exactly 0.8θ and reports one starting at 0.81θ as above the edge", () => {
  const at = evalEos(runOf("eos/at", gdRun(1.0, { start: 0.8 })));
  assertEquals(at.verdict, "pass", at.detail);
  assertMatch(at.detail, /start 0\.8, onset/);
  const above = evalEos(runOf("eos/above", gdRun(1.0, { start: 0.81 })));
  assertEquals(above.verdict, "skip");
  assertEquals(above.value, null);
  assertMatch(
    above.detail,
    /starts above the edge: λ_max·η\/2 = 0\.81 at step 0 > 0\.8 .*not counted/,
  );
  // the threshold is an option
  assertEquals(
    evalEos(runOf("eos/above", gdRun(1.0, { start: 0.81 })), { start: 0.85 }).verdict,
    "pass",
  );
});

Deno.test("eos detects a period-2 orbit (1.06θ / 0.94θ) and uses its average, 1.00", () => {
  const o = evalEos(runOf("eos/orbit", orbitRun()));
  assertEquals(o.verdict, "pass", o.detail);
  assertClose(o.value!, 1.0, 0.01);
  assertMatch(o.detail, /^orbit-averaged λ_max·η\/2 = /);
  assertMatch(o.detail, /period-2 orbit: λ_max·η\/2 1\.06\d* at even steps, 0\.94\d* at odd/);
  assertMatch(o.detail, /train_loss 0\.0\d+ \/ 0\.0\d+/);
});

Deno.test("eos records no orbit at a parity gap just under orbitGap, and one at just over it", () => {
  // hi − lo = 0.048 < 0.05: no orbit, plain median
  const under = evalEos(runOf("eos/u", orbitRun({ hi: 1.024, lo: 0.976 })));
  assertMatch(under.detail, /no period-2 orbit/);
  const over = evalEos(runOf("eos/o", orbitRun({ hi: 1.026, lo: 0.974 })));
  assertMatch(over.detail, /period-2 orbit: /);
  assertEquals([under.verdict, over.verdict], ["pass", "pass"]);
});

Deno.test("eos: the float32 cpu artefact (λ at 1.97θ / 1.86θ on a period-2 orbit) fails on its orbit average", () => {
  const o = evalEos(runOf("eos/cpu", orbitRun({ start: 0.6, hi: 1.97, lo: 1.86 })));
  assertEquals(o.verdict, "fail");
  assertClose(o.value!, 1.915, 0.02);
  assertMatch(o.detail, /period-2 orbit: λ_max·η\/2 1\.969 at even steps, 1\.86 at odd/);
});

Deno.test("eos: an odd cadence (25) sees the orbit, an even one (20) samples one phase and says so", () => {
  const odd = evalEos(runOf("eos/25", orbitRun({ every: 25 })));
  assertMatch(odd.detail, /period-2 orbit/);
  assertClose(odd.value!, 1.0, 0.01);
  const even = evalEos(runOf("eos/20", orbitRun({ every: 20 })));
  assertMatch(even.detail, /orbit check n\/a \(all settled measurements on even steps/);
  assertClose(even.value!, 1.06, 0.015); // one phase only, still inside the band
  assertEquals([odd.verdict, even.verdict], ["pass", "pass"]);
});

Deno.test("eos progress: a loss that rises 2× after onset but stays below the rise passes; above it fails", () => {
  const ok = evalEos(runOf("eos/rise", orbitRun({ lossRise: 2 })));
  assertEquals(ok.verdict, "pass", ok.detail);
  assertMatch(ok.detail, /after t₀ 0\.0\d+ → 0\.0\d+ \(×1\.\d+, not required\)/);
  // the loss climbs back above the median loss of the rise (~0.16): no progress
  const bad = evalEos(runOf("eos/back", orbitRun({ lossRise: 12 })));
  assertEquals(bad.verdict, "fail");
  assertMatch(bad.detail, /\(no progress\)/);
});

Deno.test("eos and adaptive_eos options are strict: a misspelt key is refused by the schema", () => {
  assertEquals(eosCheck.optionsSchema!.safeParse({ band: [0.9, 1.15], start: 0.8 }).success, true);
  assertEquals(eosCheck.optionsSchema!.safeParse({ bnad: [0.9, 1.15] }).success, false);
  assertEquals(adaptiveEosCheck.optionsSchema!.safeParse({ beta1: 0.9 }).success, true);
  assertEquals(eosCheck.optionsSchema!.safeParse({ beta1: 0.9 }).success, false);
  assertEquals(
    progressiveSharpeningCheck.optionsSchema!.safeParse({ upTo: 0.5, onset: 0.95 }).success,
    false,
  );
});

/**
 * `PhaseDiagnostic` (SPEC §8): labels windows of measurements as
 * `sharpening | edge | edge-shrinking | stable | diverging` (and, when
 * accuracies exist, `memorisation | generalised`, with `edge-shrinking` when
 * the update-Gram gap g₂₃ is below half its running peak) from the sharpness ratio
 * r = λ_max·η/c (= lambda_max / two_over_lr, or precond_lambda_max /
 * critical_sharpness for Adam), its trend and the update-Gram gap, and returns
 * the transitions as events. It also estimates the effective temperature
 * T = η·Tr Σ / (2B·Tr H) where both traces were measured.
 *
 * It reads only metrics columns, so it works on CSVs from anywhere.
 *
 * @example
 * ```ts
 * import { diagnosePhases } from "./phase_diagnostic.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const events = diagnosePhases({ step: [0, 1, 2, 3], lambda_max: [1, 2, 3, 4], two_over_lr: [10, 10, 10, 10] }, { window: 2, batchSize: 1 });
 * assertEquals(events[0].label, "sharpening");
 * ```
 * @module
 */
import type { EventRow } from "../results/events.ts";

/** Columns by name (null = not measured). */
export type Columns = Record<string, (number | null)[]>;

/** Settings. */
export interface DiagnosticOptions {
  /** Measurements per window. */
  window: number;
  /** Batch size B for the temperature (examples per step). */
  batchSize: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(4) : String(x);
}

/** Label of one window (rows i0..i1 inclusive). */
function labelWindow(
  cols: Columns,
  idx: number[],
  g23Peak: number,
): { label: string; why: string } {
  const get = (c: string) =>
    cols[c] ? idx.map((i) => cols[c][i]).filter((v): v is number => v !== null) : [];
  const loss = get("train_loss");
  if (
    loss.some((v) => !Number.isFinite(v)) ||
    (loss.length > 1 && loss[loss.length - 1] > 10 * loss[0])
  ) {
    return {
      label: "diverging",
      why: `train loss ${fmt(loss[0])} → ${fmt(loss[loss.length - 1])}`,
    };
  }
  const trainAcc = get("train_acc"), testAcc = get("test_acc");
  const g23 = get("gram_g23");
  if (trainAcc.length > 0 && testAcc.length > 0) {
    const tr = trainAcc[trainAcc.length - 1], te = testAcc[testAcc.length - 1];
    if (tr >= 0.99 && te >= 0.95) {
      return { label: "generalised", why: `train acc ${fmt(tr)}, test acc ${fmt(te)}` };
    }
    if (tr >= 0.99 && te < 0.95) {
      if (g23.length > 0 && g23[g23.length - 1] < 0.5 * g23Peak) {
        return {
          label: "edge-shrinking",
          why: `g23 ${fmt(g23[g23.length - 1])} < ½ of its peak ${fmt(g23Peak)}, test acc ${
            fmt(te)
          }`,
        };
      }
      return { label: "memorisation", why: `train acc ${fmt(tr)}, test acc ${fmt(te)}` };
    }
  }
  const adam = cols["critical_sharpness"] !== undefined;
  const lam = adam ? get("precond_lambda_max") : get("lambda_max");
  const crit = adam ? get("critical_sharpness") : get("two_over_lr");
  if (lam.length > 0 && crit.length === lam.length) {
    const r = lam.map((l, i) => l / crit[i]);
    const rMed = median(r);
    const trend = lam.length > 1 ? lam[lam.length - 1] / lam[0] : 1;
    if (rMed >= 0.9) return { label: "edge", why: `median λ·η/c = ${fmt(rMed)}` };
    if (trend > 1.05) {
      return {
        label: "sharpening",
        why: `λ_max ${fmt(lam[0])} → ${fmt(lam[lam.length - 1])}, λ·η/c = ${fmt(rMed)}`,
      };
    }
    if (trend < 0.9) {
      return { label: "edge-shrinking", why: `λ_max ${fmt(lam[0])} → ${fmt(lam[lam.length - 1])}` };
    }
    return { label: "stable", why: `λ·η/c = ${fmt(rMed)}, flat` };
  }
  return { label: "stable", why: "no sharpness or accuracy measured" };
}

/** Labels windows and returns the phase transitions and temperature estimates. */
export function diagnosePhases(cols: Columns, opts: DiagnosticOptions): EventRow[] {
  const steps = cols["step"] ?? [];
  const n = steps.length;
  const events: EventRow[] = [];
  let prev: string | null = null;
  let g23Peak = -Infinity;
  for (let start = 0; start < n; start += opts.window) {
    const idx: number[] = [];
    for (let i = start; i < Math.min(n, start + opts.window); i++) idx.push(i);
    for (const i of idx) {
      const g = cols["gram_g23"]?.[i];
      if (g !== null && g !== undefined && Number.isFinite(g)) g23Peak = Math.max(g23Peak, g);
    }
    const { label, why } = labelWindow(cols, idx, g23Peak);
    const step = steps[idx[0]] ?? 0;
    if (label !== prev) {
      events.push({
        step,
        event: "phase",
        label: prev === null ? label : `${prev} → ${label}`,
        detail: why,
      });
      prev = label;
    }
  }
  const trS = cols["grad_noise_trace"], trH = cols["hessian_trace"], lr = cols["lr"];
  if (trS && trH && lr) {
    for (let i = 0; i < n; i++) {
      const s = trS[i], h = trH[i], eta = lr[i];
      if (s !== null && h !== null && eta !== null && h !== 0) {
        const temperature = (eta * s) / (2 * opts.batchSize * h);
        events.push({
          step: steps[i] ?? 0,
          event: "temperature",
          label: fmt(temperature),
          detail: `T = η·TrΣ/(2B·TrH) with η=${fmt(eta)}, TrΣ=${
            fmt(s)
          } (per-example), B=${opts.batchSize}, TrH=${fmt(h)}`,
        });
      }
    }
  }
  return events;
}

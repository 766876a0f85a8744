/**
 * Helpers shared by the check modules: reading options with validation,
 * measured series from a run's metrics, divergence detection, outcome
 * builders and number formatting for one-line details.
 *
 * @example
 * ```ts
 * import { fmt, numberOption } from "./common.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(numberOption({ onset: 0.9 }, "onset", 0.95), 0.9);
 * assertEquals(fmt(1.23456), "1.235");
 * ```
 * @module
 */
import type { CheckInput, CheckOptions, CheckOutcome, RunData, Verdict } from "./types.ts";
import type { Table } from "../results/table.ts";

/** A malformed check option; the check turns it into a `skip` naming the option. */
export class OptionError extends Error {
  /** Creates the error for option `key`. */
  constructor(key: string, what: string) {
    super(`option ${key}: ${what}`);
    this.name = "OptionError";
  }
}

/**
 * A numeric option, or `def` when absent.
 *
 * @example
 * ```ts
 * import { numberOption } from "./common.ts";
 * import { assertEquals, assertThrowsMsg } from "../../tests/assert.ts";
 * assertEquals(numberOption({}, "threshold", 1.5), 1.5);
 * assertThrowsMsg(() => numberOption({ threshold: "x" }, "threshold", 1.5), /threshold/);
 * ```
 */
export function numberOption(
  options: CheckOptions,
  key: string,
  def: number,
): number {
  const v = options[key];
  if (v === undefined) return def;
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new OptionError(
      key,
      `expected a finite number, got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

/**
 * A numeric option, or undefined when absent.
 *
 * @example
 * ```ts
 * import { optionalNumber } from "./common.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(optionalNumber({ l0: 0.5 }, "l0"), 0.5);
 * assertEquals(optionalNumber({}, "l0"), undefined);
 * ```
 */
export function optionalNumber(
  options: CheckOptions,
  key: string,
): number | undefined {
  return options[key] === undefined ? undefined : numberOption(options, key, 0);
}

/**
 * A string option, or `def` when absent.
 *
 * @example
 * ```ts
 * import { stringOption } from "./common.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(stringOption({ loss: "test_loss" }, "loss"), "test_loss");
 * ```
 */
export function stringOption(
  options: CheckOptions,
  key: string,
  def?: string,
): string | undefined {
  const v = options[key];
  if (v === undefined) return def;
  if (typeof v !== "string" || v === "") {
    throw new OptionError(
      key,
      `expected a non-empty string, got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

/**
 * A `[lo, hi]` option with lo ≤ hi, or `def` when absent.
 *
 * @example
 * ```ts
 * import { bandOption } from "./common.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(bandOption({ band: [0.8, 1.2] }, "band", [0.9, 1.15]), [0.8, 1.2]);
 * assertEquals(bandOption({}, "band", [0.9, 1.15]), [0.9, 1.15]);
 * ```
 */
export function bandOption(
  options: CheckOptions,
  key: string,
  def: [number, number],
): [number, number] {
  const v = options[key];
  if (v === undefined) return def;
  if (
    !Array.isArray(v) || v.length !== 2 || typeof v[0] !== "number" ||
    typeof v[1] !== "number" || !(v[0] <= v[1])
  ) {
    throw new OptionError(
      key,
      `expected [lo, hi] with lo ≤ hi, got ${JSON.stringify(v)}`,
    );
  }
  return [v[0], v[1]];
}

/**
 * Formats a number for a detail line: 4 significant digits, locale-free.
 *
 * @example
 * ```ts
 * import { fmt } from "./common.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(fmt(0.000123456), "0.0001235");
 * assertEquals(fmt(1800), "1800");
 * ```
 */
export function fmt(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined) return "n/a";
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  return String(Number(x.toPrecision(digits)));
}

/**
 * Formats a band `[lo, hi]` with two decimals, e.g. "[0.90, 1.15]".
 *
 * @example
 * ```ts
 * import { fmtBand } from "./common.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(fmtBand([0.9, 1.15]), "[0.90, 1.15]");
 * ```
 */
export function fmtBand([lo, hi]: readonly [number, number]): string {
  const f = (
    x: number,
  ) => (Math.abs(x) >= 0.01 || x === 0 ? x.toFixed(2) : fmt(x));
  return `[${f(lo)}, ${f(hi)}]`;
}

/** The fixed parts of a check's outcomes. */
export interface OutcomeFrame {
  /** Statistic name. */
  statistic: string;
  /** Expected band or threshold, human-readable. */
  expected: string;
  /** Tolerance, human-readable. */
  tolerance: string;
}

/**
 * Builds an outcome from a frame.
 *
 * @example
 * ```ts
 * import { outcome } from "./common.ts";
 * const frame = { statistic: "rho", expected: ">= 0.8", tolerance: "" };
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(outcome("r1", frame, 0.9, "pass", "rho = 0.9").verdict, "pass");
 * ```
 */
export function outcome(
  run: string,
  frame: OutcomeFrame,
  value: number | null,
  verdict: Verdict,
  detail: string,
): CheckOutcome {
  return { run, ...frame, value, verdict, detail };
}

/**
 * Wraps a check body so that it never throws: a thrown error becomes one
 * `skip` outcome whose detail is the error message.
 *
 * @example
 * ```ts
 * import { guarded } from "./common.ts";
 * const ev = guarded(() => ({ statistic: "s", expected: "", tolerance: "" }), () => {
 *   throw new Error("boom");
 * });
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(ev({ experiment: "e", runs: [] }, {})[0].verdict, "skip");
 * ```
 */
export function guarded(
  frameOf: (options: CheckOptions) => OutcomeFrame,
  body: (input: CheckInput, options: CheckOptions) => CheckOutcome[],
): (input: CheckInput, options: CheckOptions) => CheckOutcome[] {
  return (input, options) => {
    try {
      return body(input, options);
    } catch (e) {
      let frame: OutcomeFrame;
      try {
        frame = frameOf(options);
      } catch {
        frame = { statistic: "", expected: "", tolerance: "" };
      }
      return [outcome("*", frame, null, "skip", (e as Error).message)];
    }
  };
}

/**
 * Rows where `x` and `y` are both measured, sorted by x (stable), as arrays.
 * Empty arrays when either column is absent.
 *
 * @example
 * ```ts
 * import { series } from "./common.ts";
 * import { tableFromCsv } from "../results/table.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const table = tableFromCsv("step,a\n0,1\n1,\n2,3\n", "m.csv");
 * assertEquals(series(table, "step", "a"), { x: [0, 2], y: [1, 3] });
 * ```
 */
export function series(
  table: Table,
  x: string,
  y: string,
): { x: number[]; y: number[] } {
  if (!table.has(x) || !table.has(y)) return { x: [], y: [] };
  const p = table.pairs(x, y);
  let sorted = true;
  for (let i = 1; i < p.x.length; i++) if (p.x[i] < p.x[i - 1]) sorted = false;
  if (sorted) return p;
  const idx = p.x.map((_, i) => i).sort((a, b) => p.x[a] - p.x[b] || a - b);
  return { x: idx.map((i) => p.x[i]), y: idx.map((i) => p.y[i]) };
}

/**
 * True when the column exists and has at least one measured (non-empty) cell.
 *
 * @example
 * ```ts
 * import { hasValues } from "./common.ts";
 * import { tableFromCsv } from "../results/table.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(hasValues(tableFromCsv("step,a\n0,\n", "m.csv"), "a"), false);
 * assertEquals(hasValues(tableFromCsv("step,a\n0,1\n", "m.csv"), "a"), true);
 * ```
 */
export function hasValues(table: Table | null, column: string): boolean {
  if (!table || !table.has(column)) return false;
  return table.column(column).some((v) => v !== null);
}

/**
 * The last measured value of `y` at a step ≤ `at`, else the first one after;
 * null when `y` is never measured.
 *
 * @example
 * ```ts
 * import { valueNear } from "./common.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(valueNear({ x: [0, 10, 20], y: [5, 4, 3] }, 15), 4);
 * ```
 */
export function valueNear(
  s: { x: number[]; y: number[] },
  at: number,
): number | null {
  if (s.x.length === 0) return null;
  let best: number | null = null;
  for (let i = 0; i < s.x.length; i++) if (s.x[i] <= at) best = s.y[i];
  return best ?? s.y[0];
}

/**
 * Why a run counts as diverged (status `diverged`, or a non-finite value in a
 * loss column), or null.
 *
 * @example
 * ```ts
 * import { divergence } from "./common.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const run = { id: "r", status: "diverged" as const, info: { reason: "nan loss" }, metrics: null };
 * assertEquals(divergence(run), "run diverged (nan loss)");
 * ```
 */
export function divergence(
  run: RunData,
  columns: readonly string[] = ["train_loss", "test_loss"],
): string | null {
  const t = run.metrics;
  if (t) {
    const steps = t.has("step") ? t.column("step") : null;
    for (const c of columns) {
      if (!t.has(c)) continue;
      const col = t.column(c);
      for (let i = 0; i < col.length; i++) {
        const v = col[i];
        if (v !== null && !Number.isFinite(v)) {
          const at = steps?.[i] !== null && steps?.[i] !== undefined ? ` at step ${steps[i]}` : "";
          return `run diverged${at} (${c} = ${fmt(v)})`;
        }
      }
    }
  }
  if (run.status === "diverged") {
    const why = run.info.reason ? ` (${run.info.reason})` : "";
    return `run diverged${why}`;
  }
  return null;
}

/**
 * Parses a runs.csv value as a finite number, or null.
 *
 * @example
 * ```ts
 * import { infoNumber } from "./common.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(infoNumber({ lr: "0.2" }, "lr"), 0.2);
 * assertEquals(infoNumber({ lr: "" }, "lr"), null);
 * ```
 */
export function infoNumber(
  info: Record<string, string>,
  key: string,
): number | null {
  const s = info[key];
  if (s === undefined || s.trim() === "") return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

/**
 * The perf CSV (`results/perf/<machine>-<backend>.csv`): its columns, writing,
 * reading, and the regression gate between two of them (like asv's
 * `continuous -f` or pytest-benchmark's `--benchmark-compare-fail`).
 *
 * @example
 * ```ts
 * import { perfRegressions } from "./perf_csv.ts";
 * const old = [{ benchmark: "step", medianMs: 10, minMs: 9, maxMs: 11, reps: 5, extra: "" }];
 * const now = [{ benchmark: "step", medianMs: 14, minMs: 13, maxMs: 15, reps: 5, extra: "" }];
 * import { assertClose, assertEquals } from "../../tests/assert.ts";
 * const [r] = perfRegressions(old, now, 1.2); // 14/10 > 1.2 and the ranges do not overlap
 * assertClose(r.ratio, 1.4, 1e-12);
 * assertEquals(perfRegressions(old, now, 1.5), []);
 * ```
 * @module
 */
import { parseCsv, toCsv } from "../results/csv.ts";
import { CsvError } from "../results/csv.ts";

/** One benchmark result. */
export interface PerfRow {
  /** Benchmark name. */
  benchmark: string;
  /** Median milliseconds. */
  medianMs: number;
  /** Fastest repetition. */
  minMs: number;
  /** Slowest repetition. */
  maxMs: number;
  /** Repetitions timed. */
  reps: number;
  /** Extra figures (e.g. HVPs per measurement). */
  extra: string;
}

/** Columns of the perf CSV, in order. */
export const PERF_COLUMNS = [
  "benchmark",
  "backend",
  "median_ms",
  "min_ms",
  "max_ms",
  "reps",
  "extra",
  "tfjs",
  "deno",
  "cpu",
  "device",
] as const;

/**
 * The perf CSV text of `rows` measured on `backend` (its `device` line, where
 * it has one, in the last column of phasebench's rows).
 */
export function perfCsv(
  rows: PerfRow[],
  backend: { name: string; tfjs: string; deno: string; cpu: string; device?: string },
): string {
  const ms = (x: number) => Math.round(x * 100) / 100;
  return toCsv(
    [...PERF_COLUMNS],
    rows.map((r) => [
      r.benchmark,
      r.benchmark.startsWith("pytorch") ? "pytorch" : backend.name,
      ms(r.medianMs),
      ms(r.minMs),
      ms(r.maxMs),
      r.reps,
      r.extra,
      backend.tfjs,
      backend.deno,
      backend.cpu,
      // what ran beyond the backend's name: wasm's threads, blas's library, webgpu's adapter
      r.benchmark.startsWith("pytorch") ? "" : backend.device ?? "",
    ]),
  );
}

/** Reads a perf CSV; throws CsvError naming the file and line. */
export function readPerfCsv(text: string, file: string): PerfRow[] {
  const { header, rows } = parseCsv(text, file);
  for (const c of ["benchmark", "median_ms", "min_ms", "max_ms"]) {
    if (!header.includes(c)) throw new CsvError(file, 1, `missing column "${c}"`);
  }
  const col = (name: string) => header.indexOf(name);
  return rows.map((r, i) => {
    const num = (name: string) => {
      const v = Number(r[col(name)]);
      if (r[col(name)].trim() === "" || !Number.isFinite(v) || v < 0) {
        throw new CsvError(
          file,
          i + 2,
          `${name}: expected a non-negative number, got "${r[col(name)]}"`,
        );
      }
      return v;
    };
    return {
      benchmark: r[col("benchmark")],
      medianMs: num("median_ms"),
      minMs: num("min_ms"),
      maxMs: num("max_ms"),
      reps: col("reps") >= 0 ? Number(r[col("reps")]) : 0,
      extra: col("extra") >= 0 ? r[col("extra")] : "",
    };
  });
}

/** A benchmark that got slower. */
export interface PerfRegression {
  /** Benchmark name. */
  benchmark: string;
  /** New median / old median. */
  ratio: number;
  /** Old and new median (ms). */
  oldMs: number;
  /** New median (ms). */
  newMs: number;
}

/**
 * Benchmarks (present in both) whose median got slower than `failAbove` × the
 * old one with non-overlapping min–max ranges (the new minimum above the old
 * maximum), so noise alone does not fail the gate.
 */
export function perfRegressions(
  old: PerfRow[],
  now: PerfRow[],
  failAbove: number,
): PerfRegression[] {
  const before = new Map(old.map((r) => [r.benchmark, r]));
  const out: PerfRegression[] = [];
  for (const r of now) {
    const o = before.get(r.benchmark);
    if (!o || !(o.medianMs > 0)) continue;
    const ratio = r.medianMs / o.medianMs;
    if (ratio > failAbove && r.minMs > o.maxMs) {
      out.push({ benchmark: r.benchmark, ratio, oldMs: o.medianMs, newMs: r.medianMs });
    }
  }
  return out;
}

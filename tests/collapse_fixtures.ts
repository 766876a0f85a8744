/**
 * Small synthetic ladders for the collapse-family tests
 * (mutation_checks_collapse*_test.ts, mutation_checks_horizon_test.ts).
 *
 * @module
 */
import { Table } from "../core/results/table.ts";
import type { CheckOptions, CheckOutcome, RunData } from "../core/checks/types.ts";
import { type Ladder, prepareLadder } from "../core/checks/collapse.ts";
import { assertEquals } from "./assert.ts";

/** Metric columns by name. */
export type Cols = Record<string, (number | null)[]>;

/** A run with the given runs.csv info and metric columns. */
export function run(id: string, info: Record<string, string>, cols: Cols, status = "ok"): RunData {
  const n = Object.values(cols)[0]?.length ?? 0;
  return {
    id,
    status: status as RunData["status"],
    info,
    metrics: new Table(`${id}.csv`, Object.keys(cols), cols, n),
  };
}

/**
 * Sizes n with seeds scaling the excess: L = 0.5 + s·100/c at c = n·[k…]
 * (default c = 5n, 10n), so at L̂ = 0.5 every ℓ(x) = 1/x and σ = sd(s)/mean(s).
 */
export function ladderRuns(
  sizes = [10, 20, 40],
  scales = [0.9, 1.1],
  ks = [5, 10],
): RunData[] {
  return sizes.flatMap((n) =>
    scales.map((s, w) =>
      run(`n${n}s${w}`, { n_params: `${n}`, seed: `${w}` }, {
        compute: ks.map((k) => k * n),
        train_loss: ks.map((k) => 0.5 + (s * 100) / (k * n)),
      })
    )
  );
}

export function ladderOf(runs: RunData[], options: CheckOptions = {}): Ladder {
  const l = prepareLadder(runs, options);
  if ("reason" in l) throw new Error(l.reason);
  return l;
}

export const reasonOf = (runs: RunData[], options: CheckOptions = {}) => {
  const l = prepareLadder(runs, options);
  return "reason" in l ? l.reason : "";
};

/** The one outcome of a check on `runs`. */
export const one = (
  check: {
    evaluate: (i: { experiment: string; runs: RunData[] }, o: CheckOptions) => CheckOutcome[];
  },
  runs: RunData[],
  options: CheckOptions = {},
) => {
  const out = check.evaluate({ experiment: "e", runs }, options);
  assertEquals(out.length, 1);
  return out[0];
};

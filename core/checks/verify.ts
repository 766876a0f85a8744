/**
 * Re-evaluates every check of a results directory from its CSVs alone and
 * writes `checks.csv`. Used by `bench`, `run`, `verify` and `merge`.
 *
 * @example
 * ```ts
 * import { verifyDir } from "./verify.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * // an experiment folder that has not run yet (no runs.csv) has no rows
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/e`);
 * await Deno.writeTextFile(`${dir}/e/experiment.json`, JSON.stringify({ checks: [] }));
 * const { rows, gatingFailures } = await verifyDir(dir, undefined, false);
 * assertEquals([rows, gatingFailures], [[], []]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
import { type CheckRow, type CheckSpec, failsGate } from "./types.ts";
import { evaluateExperimentChecks } from "./evaluate.ts";
import { readExperimentRuns } from "../results/runs_csv.ts";
import { checksCsv } from "../results/checks_csv.ts";
import { exists, writeTextAtomic } from "../results/atomic.ts";
import { CsvError } from "../results/csv.ts";

/** Result of verifying a directory. */
export interface VerifyResult {
  /** All check rows. */
  rows: CheckRow[];
  /** Gating rows whose expectation was not met, or that were skipped (see `failsGate`). */
  gatingFailures: CheckRow[];
  /** Runs that failed with an error (not diverged, not skipped): their checks could not be evaluated. */
  failedRuns: { id: string; reason: string }[];
}

/** Experiment folders of a results directory (those with experiment.json). */
export async function experimentDirs(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.isDirectory && (await exists(`${dir}/${e.name}/experiment.json`))) {
        names.push(e.name);
      }
    }
  } catch (e) {
    throw new CsvError(
      dir,
      null,
      `cannot read results directory (${(e as Error).message})`,
    );
  }
  return names.sort();
}

/**
 * Evaluates checks of the named experiments (default: all) and writes
 * checks.csv with their rows. `report`, when given, limits the returned rows,
 * gating failures and failed runs to those experiments (checks.csv still has
 * every evaluated experiment).
 */
export async function verifyDir(
  dir: string,
  names?: string[],
  write = true,
  report?: string[],
): Promise<VerifyResult> {
  const exps = names ?? (await experimentDirs(dir));
  const rows: CheckRow[] = [];
  const failedRuns: { id: string; reason: string }[] = [];
  for (const name of [...exps].sort()) {
    const file = `${dir}/${name}/experiment.json`;
    let config: { checks?: CheckSpec[] };
    try {
      config = JSON.parse(await Deno.readTextFile(file));
    } catch (e) {
      throw new CsvError(
        file,
        null,
        `unreadable experiment.json (${(e as Error).message})`,
      );
    }
    if (!(await exists(`${dir}/${name}/runs.csv`))) continue;
    const runs = await readExperimentRuns(`${dir}/${name}`);
    for (const r of runs) {
      if (r.status === "failed") failedRuns.push({ id: r.id, reason: r.info.reason ?? "" });
    }
    rows.push(...evaluateExperimentChecks(name, config.checks ?? [], runs));
  }
  if (write) {
    await writeTextAtomic(
      `${dir}/checks.csv`,
      checksCsv(rows),
    );
  }
  const mine = report ? rows.filter((r) => report.includes(r.experiment)) : rows;
  const mineFailed = report
    ? failedRuns.filter((f) => report.includes(f.id.split("/")[0]))
    : failedRuns;
  return { rows: mine, gatingFailures: mine.filter(failsGate), failedRuns: mineFailed };
}

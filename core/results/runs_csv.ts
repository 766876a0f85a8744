/**
 * `runs.csv` per experiment: one row per run with its sweep values, status and
 * final metrics; and reading an experiment's runs back as check input.
 *
 * @example
 * ```ts
 * import { readExperimentRuns } from "./runs_csv.ts";
 * import { writeFakeSuite } from "../../tests/compare_fixture.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFakeSuite(dir);
 * const runs = await readExperimentRuns(`${dir}/eos_toy`);
 * assertEquals(runs.map((r) => [r.id, r.status, r.info.lr]), [
 *   ["eos_toy/lr=0.2,seed=1", "ok", "0.2"],
 *   ["eos_toy/lr=0.4,seed=1", "ok", "0.4"],
 * ]);
 * assertEquals(runs[0].metrics!.has("lambda_max"), true);
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
import { type Cell, parseCsv, toCsv } from "./csv.ts";
import { checkRunMetrics, readTable } from "./table.ts";
import { CsvError } from "./csv.ts";
import type { RunData, RunStatus } from "./run_data.ts";

/** Fixed columns of runs.csv after the run, dir and status columns and the sweep keys. */
export const RUN_INFO_COLUMNS = [
  "seed",
  "lr",
  "optimizer",
  "beta1",
  "batch_size",
  "n_params",
  "schedule",
  "steps",
  "final_train_loss",
  "final_test_loss",
  "final_train_acc",
  "final_test_acc",
  "reason",
] as const;

/** One runs.csv row before formatting. */
export interface RunRow {
  /** Run id. */
  run: string;
  /** Run directory name. */
  dir: string;
  /** Status. */
  status: RunStatus;
  /** Sweep values by field path. */
  point: Record<string, Cell>;
  /** The RUN_INFO_COLUMNS values. */
  info: Partial<Record<typeof RUN_INFO_COLUMNS[number], Cell>>;
}

/** Renders runs.csv text (rows sorted by run id for determinism). */
export function runsCsv(sweepKeys: string[], rows: RunRow[]): string {
  const keys = sweepKeys.filter((k) => !(RUN_INFO_COLUMNS as readonly string[]).includes(k));
  const header = ["run", "dir", "status", ...keys, ...RUN_INFO_COLUMNS];
  const sorted = [...rows].sort((a, b) => (a.run < b.run ? -1 : a.run > b.run ? 1 : 0));
  return toCsv(
    header,
    sorted.map((
      r,
    ) => [
      r.run,
      r.dir,
      r.status,
      ...keys.map((k) => r.point[k]),
      ...RUN_INFO_COLUMNS.map((c) => r.info[c]),
    ]),
  );
}

/** Reads `<expDir>/runs.csv` and each run's metrics.csv as check input. */
export async function readExperimentRuns(expDir: string): Promise<RunData[]> {
  const file = `${expDir}/runs.csv`;
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    throw new CsvError(file, null, `cannot read (${(e as Error).message})`);
  }
  const { header, rows } = parseCsv(text, file);
  for (const c of ["run", "dir", "status"]) {
    if (!header.includes(c)) throw new CsvError(file, 1, `missing column "${c}"`);
  }
  const out: RunData[] = [];
  for (const r of rows) {
    const info: Record<string, string> = {};
    header.forEach((h, j) => (info[h] = r[j]));
    const status = info.status as RunStatus;
    let metrics = null;
    if (status !== "skipped" && status !== "failed") {
      try {
        metrics = checkRunMetrics(await readTable(`${expDir}/${info.dir}/metrics.csv`), status);
      } catch (e) {
        if (status === "ok" || status === "diverged") throw e;
      }
    }
    out.push({ id: info.run, status, info, metrics });
  }
  return out;
}

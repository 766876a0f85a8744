/**
 * A results directory made from curves logged elsewhere (`curves … --out
 * DIR`): the suite layout — `manifest.json` (recording the source file and
 * its SHA-256), `checks.csv`, `<experiment>/experiment.json` with the checks
 * that were run, `runs.csv`, and per run `metrics.csv` and `manifest.json` —
 * so that `verify`, `compare`, `report` and the gate treat external runs
 * exactly like phasebench's own. Written atomically (a temporary sibling,
 * then renamed).
 *
 * @example
 * ```ts
 * import { writeExternalResults } from "./external.ts";
 * import { loadSuite } from "./load.ts";
 * import { tableFromCsv } from "./table.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const sourceText = "step,train_loss\n0,1\n10,0.5\n";
 * const metrics = tableFromCsv(sourceText, "eos.csv");
 * const runs = [{ id: "torch_eos/lr=0.1", status: "ok" as const, info: {}, metrics }];
 * const dir = `${await Deno.makeTempDir()}/torch`;
 * await writeExternalResults(dir, { experiment: "torch_eos", source: "eos.csv", sourceText, runs, checks: [], rows: [] });
 * const suite = await loadSuite(dir); // reads back like phasebench's own results
 * assertEquals(suite.experiments[0].runs.map((r) => r.id), ["torch_eos/lr=0.1"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
import { toCsv } from "./csv.ts";
import { LoadError } from "./load.ts";

import type { RunData } from "./run_data.ts";
import { type CheckRow, checksCsv } from "./checks_csv.ts";

/** What {@linkcode writeExternalResults} writes. */
export interface ExternalResults {
  /** Experiment name (a folder name). */
  experiment: string;
  /** The source file, as given. */
  source: string;
  /** Its text (hashed into the manifest). */
  sourceText: string;
  /** The runs (ids `<experiment>/<label>`). */
  runs: RunData[];
  /** The checks run, as experiment.json `checks` entries (name, expect, options). */
  checks: { name: string; expect: string; options: Record<string, unknown> }[];
  /** Their verdicts. */
  rows: CheckRow[];
}

/** A folder name for a run label: safe characters only, unique within the experiment. */
function dirNames(labels: string[]): string[] {
  const used = new Set<string>();
  return labels.map((l) => {
    const base = l.replace(/[^A-Za-z0-9_.=,+-]/g, "_").slice(0, 120) || "run";
    let name = base;
    for (let k = 2; used.has(name); k++) name = `${base}~${k}`;
    used.add(name);
    return name;
  });
}

async function sha256(text: string): Promise<string> {
  const h = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(h, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Writes the results directory `dir`; returns the files written (relative to `dir`). */
export async function writeExternalResults(dir: string, r: ExternalResults): Promise<string[]> {
  const files = new Map<string, string>();
  const hash = await sha256(r.sourceText);
  const labels = r.runs.map((run) => run.id.slice(run.id.indexOf("/") + 1));
  const dirs = dirNames(labels);
  const infoKeys = [...new Set(r.runs.flatMap((run) => Object.keys(run.info)))]
    .filter((k) => !["run", "dir", "status"].includes(k)).sort();
  const order = r.runs.map((_, i) => i).sort((a, b) =>
    r.runs[a].id < r.runs[b].id ? -1 : r.runs[a].id > r.runs[b].id ? 1 : 0
  );
  files.set(
    `${r.experiment}/runs.csv`,
    toCsv(
      ["run", "dir", "status", ...infoKeys],
      order.map((i) => [
        r.runs[i].id,
        dirs[i],
        r.runs[i].status,
        ...infoKeys.map((k) => r.runs[i].info[k] ?? ""),
      ]),
    ),
  );
  r.runs.forEach((run, i) => {
    const t = run.metrics;
    if (!t) return;
    files.set(
      `${r.experiment}/${dirs[i]}/metrics.csv`,
      toCsv(
        t.columns,
        Array.from({ length: t.length }, (_, k) => t.columns.map((c) => t.data[c][k])),
      ),
    );
    files.set(
      `${r.experiment}/${dirs[i]}/manifest.json`,
      JSON.stringify(
        { run: run.id, status: run.status, backend: { name: "external" }, source: r.source },
        null,
        2,
      ) + "\n",
    );
  });
  files.set(
    `${r.experiment}/experiment.json`,
    JSON.stringify(
      {
        name: r.experiment,
        description: `curves from ${r.source} (logged outside phasebench)`,
        tags: ["external"],
        checks: r.checks,
      },
      null,
      2,
    ) + "\n",
  );
  files.set("checks.csv", checksCsv(r.rows));
  files.set(
    "manifest.json",
    JSON.stringify(
      {
        suite: "curves",
        experiments: [r.experiment],
        runs: r.runs.length,
        backend: { name: "external" },
        source: {
          file: r.source,
          sha256: hash,
          bytes: new TextEncoder().encode(r.sourceText).length,
        },
      },
      null,
      2,
    ) + "\n",
  );
  // never replace a directory that is not an earlier `curves --out`
  try {
    const m = JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`));
    if (m?.suite !== "curves") {
      throw new LoadError(dir, null, "exists and holds other results; choose another --out");
    }
  } catch (e) {
    if (e instanceof LoadError) throw e;
    let entries = 0;
    try {
      for await (const _ of Deno.readDir(dir)) entries++;
    } catch {
      // absent: fine
    }
    if (entries > 0) {
      throw new LoadError(
        dir,
        null,
        "exists and is not a results directory of curves; choose another --out",
      );
    }
  }
  const tmp = `${dir.replace(/\/+$/, "")}.${Deno.pid}.tmp`;
  await Deno.remove(tmp, { recursive: true }).catch(() => {});
  try {
    for (const [rel, text] of files) {
      const path = `${tmp}/${rel}`;
      await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
      await Deno.writeTextFile(path, text);
    }
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    await Deno.rename(tmp, dir);
  } catch (e) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw e;
  }
  return [...files.keys()].sort();
}

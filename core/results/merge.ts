/**
 * Joining shard directories (`bench --shard i/n`) into one result set.
 *
 * Each shard has the suite layout with a subset of the runs. The merge copies
 * every run directory, merges each experiment's `runs.csv` (rows sorted by run
 * id, code-unit order, as the runner writes them), requires identical
 * `experiment.json` and one backend across shards, refuses a run present in two
 * shards, and writes a suite `manifest.json` listing the shards. `checks.csv`
 * is not merged: re-verify the merged directory. The output appears atomically
 * (built in a temporary sibling folder, then renamed).
 *
 * @example
 * ```ts
 * import { mergeShards } from "./merge.ts";
 * import { writeFakeSuite } from "../../tests/compare_fixture.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * // two shards: the eos_toy runs, and the rest
 * const dir = await Deno.makeTempDir();
 * await writeFakeSuite(`${dir}/shard-1`, { runFilter: (id) => id.startsWith("eos_toy/") });
 * await writeFakeSuite(`${dir}/shard-2`, { runFilter: (id) => !id.startsWith("eos_toy/") });
 * const merged = await mergeShards([`${dir}/shard-1`, `${dir}/shard-2`], `${dir}/all`);
 * assertEquals(merged.runs, 9);
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
import { basename, dirname, resolve } from "node:path";
import { toCsv } from "./csv.ts";
import { backendOf } from "../backends/identity.ts";
import { dirSource, type FileSource, isIgnoredFile, loadSuite, type Suite } from "./load.ts";

/** Raised when shards cannot be merged (overlap, inconsistency, existing output). */
export class MergeError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "MergeError";
  }
}

/** Options of {@linkcode mergeShards}. */
export interface MergeOptions {
  /** Replace an existing, non-empty output directory (default false: refuse). */
  force?: boolean;
}

/** What a merge wrote. */
export interface MergeSummary {
  /** Output directory. */
  out: string;
  /** Experiments in the merged set. */
  experiments: string[];
  /** Number of runs merged. */
  runs: number;
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === "object" && !Array.isArray(x);
}

function stableJson(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(stableJson).join(",")}]`;
  if (isRecord(x)) {
    return `{${
      Object.keys(x).sort().map((k) => `${JSON.stringify(k)}:${stableJson(x[k])}`).join(",")
    }}`;
  }
  return JSON.stringify(x);
}

/** The suite manifest of a merge: fields equal in every shard, plus the shard list. */
function mergedManifest(
  dirs: string[],
  suites: Suite[],
): Record<string, unknown> {
  const manifests = suites.map((s) => (isRecord(s.manifest) ? s.manifest : {}));
  const common: Record<string, unknown> = {};
  const keys = [...new Set(manifests.flatMap((m) => Object.keys(m)))].sort();
  for (const k of keys) {
    if (k === "shard" || k === "shards") continue;
    const first = stableJson(manifests[0][k]);
    if (manifests.every((m) => k in m && stableJson(m[k]) === first)) {
      common[k] = manifests[0][k];
    }
  }
  return {
    ...common,
    shards: suites.map((s, i) => ({
      dir: basename(resolve(dirs[i])),
      manifest: s.manifest ?? null,
    })),
  };
}

async function isNonEmptyDir(path: string): Promise<boolean | null> {
  try {
    const st = await Deno.stat(path);
    if (!st.isDirectory) return true;
    for await (const _ of Deno.readDir(path)) return true;
    return false;
  } catch {
    return null;
  }
}

/**
 * Merges shard directories into `out`. Throws MergeError on overlapping or
 * inconsistent shards, CsvError/LoadError (file and line) on unreadable input.
 *
 * @example
 * ```ts
 * import { writeFakeSuite } from "../../tests/compare_fixture.ts";
 * import { assertEquals, assertRejectsMsg } from "../../tests/assert.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFakeSuite(`${dir}/shard-1`, { runFilter: (id) => id.startsWith("grok_toy/") });
 * await writeFakeSuite(`${dir}/shard-2`, { runFilter: (id) => !id.startsWith("grok_toy/") });
 * const s = await mergeShards([`${dir}/shard-1`, `${dir}/shard-2`], `${dir}/all`);
 * assertEquals([s.runs, s.experiments.length], [9, 3]);
 * // a run present in two shards is refused
 * await assertRejectsMsg(
 *   () => mergeShards([`${dir}/shard-2`, `${dir}/shard-2`], `${dir}/again`),
 *   /overlapping shards: run collapse_toy\/model.width=16,seed=0 is in both/,
 * );
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function mergeShards(
  dirs: string[],
  out: string,
  opts: MergeOptions = {},
): Promise<MergeSummary> {
  if (dirs.length === 0) {
    throw new MergeError("merge: no shard directories given");
  }
  const absOut = resolve(out);
  for (const d of dirs) {
    if (resolve(d) === absOut) {
      throw new MergeError(`merge: output ${out} is also a shard`);
    }
  }
  const suites: Suite[] = [];
  for (const d of dirs) {
    const s = await loadSuite(d);
    // A lost or empty CI shard must not merge into a result that looks whole.
    const runs = s.experiments.reduce((n, e) => n + e.runs.length, 0);
    if (runs === 0) {
      throw new MergeError(
        `merge: ${d} holds no results (${
          s.experiments.length === 0 ? "no experiment directories" : "no runs"
        }); is it a shard written by \`bench --shard I/N --out ${d}\`?`,
      );
    }
    suites.push(s);
  }
  const sources: FileSource[] = dirs.map((d) => dirSource(d));

  // One backend across every run of every shard.
  const backends = new Map<string, string>(); // backend → first "shard: run"
  suites.forEach((s, i) => {
    for (const e of s.experiments) {
      for (const r of e.runs) {
        const b = backendOf(r);
        if (!backends.has(b)) backends.set(b, `${dirs[i]}: ${r.id}`);
      }
    }
  });
  if (backends.size > 1) {
    const list = [...backends].map(([b, where]) => `${b} (e.g. ${where})`).join(
      ", ",
    );
    throw new MergeError(`merge: shards ran on different backends: ${list}`);
  }

  // Experiments: identical experiment.json and runs.csv header; runs disjoint.
  interface Acc {
    config: string;
    configFrom: string;
    header: string[];
    headerFrom: string;
    rows: { id: string; row: string[]; shard: number; dir: string }[];
    extra: Map<string, { bytes: Uint8Array; from: string }>;
  }
  const exps = new Map<string, Acc>();
  const owner = new Map<string, string>(); // run id → shard dir
  for (const [i, s] of suites.entries()) {
    const files = await sources[i].list();
    for (const e of s.experiments) {
      const cfgText = await sources[i].read(`${e.name}/experiment.json`);
      let acc = exps.get(e.name);
      if (!acc) {
        acc = {
          config: cfgText,
          configFrom: dirs[i],
          header: e.runsCsv?.header ?? [],
          headerFrom: dirs[i],
          rows: [],
          extra: new Map(),
        };
        exps.set(e.name, acc);
      } else if (acc.config !== cfgText) {
        throw new MergeError(
          `merge: inconsistent shards: ${e.name}/experiment.json differs between ${acc.configFrom} and ${
            dirs[i]
          }`,
        );
      }
      if (e.runsCsv) {
        if (acc.header.length === 0) {
          acc.header = e.runsCsv.header;
          acc.headerFrom = dirs[i];
        } else if (acc.header.join(",") !== e.runsCsv.header.join(",")) {
          throw new MergeError(
            `merge: inconsistent shards: ${e.name}/runs.csv columns differ between ${acc.headerFrom} ` +
              `(${acc.header.join(",")}) and ${dirs[i]} (${e.runsCsv.header.join(",")})`,
          );
        }
        const runCol = e.runsCsv.header.indexOf("run");
        const dirCol = e.runsCsv.header.indexOf("dir");
        for (const row of e.runsCsv.rows) {
          const id = row[runCol];
          const prev = owner.get(id);
          if (prev !== undefined) {
            throw new MergeError(
              `merge: overlapping shards: run ${id} is in both ${prev} and ${dirs[i]}`,
            );
          }
          owner.set(id, dirs[i]);
          acc.rows.push({ id, row, shard: i, dir: row[dirCol] });
        }
      }
      // Experiment-level files other than experiment.json/runs.csv must agree.
      const runDirs = new Set(e.runs.map((r) => r.dir).filter((d) => d !== ""));
      for (const f of files) {
        if (!f.startsWith(`${e.name}/`)) continue;
        const rest = f.slice(e.name.length + 1);
        if (rest === "experiment.json" || rest === "runs.csv") continue;
        const top = rest.split("/")[0];
        if (rest.includes("/") && runDirs.has(top)) continue;
        if (rest.includes("/")) continue; // a run dir not in runs.csv (unfinished): left out
        const bytes = await sources[i].readBytes(f);
        const had = acc.extra.get(rest);
        if (had && !sameBytes(had.bytes, bytes) && !isIgnoredFile(f)) {
          throw new MergeError(
            `merge: inconsistent shards: ${f} differs between ${had.from} and ${dirs[i]}`,
          );
        }
        if (!had) acc.extra.set(rest, { bytes, from: dirs[i] });
      }
    }
  }

  // Build in a temporary sibling folder, then rename into place.
  const state = await isNonEmptyDir(absOut);
  if (state === true && !opts.force) {
    throw new MergeError(
      `merge: output ${out} exists and is not empty (use --force to replace it)`,
    );
  }
  const parent = dirname(absOut);
  await Deno.mkdir(parent, { recursive: true });
  const tmp = `${absOut}.merge-${Deno.pid}.tmp`;
  await Deno.remove(tmp, { recursive: true }).catch(() => {});
  await Deno.mkdir(tmp, { recursive: true });
  try {
    let runs = 0;
    for (
      const [name, acc] of [...exps].sort((a, b) => byCodeUnit(a[0], b[0]))
    ) {
      await Deno.mkdir(`${tmp}/${name}`, { recursive: true });
      await Deno.writeTextFile(`${tmp}/${name}/experiment.json`, acc.config);
      for (
        const [rest, { bytes }] of [...acc.extra].sort((a, b) => byCodeUnit(a[0], b[0]))
      ) {
        await Deno.writeFile(`${tmp}/${name}/${rest}`, bytes);
      }
      if (acc.header.length === 0) continue;
      const rows = [...acc.rows].sort((a, b) => byCodeUnit(a.id, b.id));
      await Deno.writeTextFile(
        `${tmp}/${name}/runs.csv`,
        toCsv(acc.header, rows.map((r) => r.row)),
      );
      for (const r of rows) {
        runs++;
        if (r.dir === "") continue;
        await copyTree(
          sources[r.shard],
          `${name}/${r.dir}`,
          `${tmp}/${name}/${r.dir}`,
        );
      }
    }
    await Deno.writeTextFile(
      `${tmp}/manifest.json`,
      JSON.stringify(mergedManifest(dirs, suites), null, 2) + "\n",
    );
    if (state !== null) {
      const old = `${absOut}.old-${Deno.pid}.tmp`;
      await Deno.rename(absOut, old);
      await Deno.rename(tmp, absOut);
      await Deno.remove(old, { recursive: true });
    } else {
      await Deno.rename(tmp, absOut);
    }
    return { out, experiments: [...exps.keys()].sort(byCodeUnit), runs };
  } catch (e) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw e;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

async function copyTree(
  src: FileSource,
  rel: string,
  to: string,
): Promise<void> {
  const files = (await src.list()).filter((f) => f.startsWith(`${rel}/`));
  for (const f of files) {
    const target = `${to}/${f.slice(rel.length + 1)}`;
    await Deno.mkdir(dirname(target), { recursive: true });
    await Deno.writeFile(target, await src.readBytes(f));
  }
}

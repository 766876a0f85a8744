/**
 * Reading a results directory (the layout the runner writes) into memory, from
 * the file system or from a git revision, through one loader.
 *
 * Layout read here:
 * `manifest.json`, `checks.csv`, `<experiment>/experiment.json`,
 * `<experiment>/runs.csv`, and per run dir `metrics.csv`, `manifest.json`,
 * `events.csv` (and `density.csv` when a run wrote one). Malformed input throws
 * a {@linkcode CsvError} or {@linkcode LoadError} naming the file and line.
 *
 * @example
 * ```ts
 * import { loadSuite } from "./load.ts";
 * import { writeFakeSuite } from "../../tests/compare_fixture.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFakeSuite(dir); // a small suite in the runner's layout
 * const suite = await loadSuite(dir);
 * assertEquals(suite.experiments.map((e) => [e.name, e.runs.length]), [
 *   ["collapse_toy", 6],
 *   ["eos_toy", 2],
 *   ["grok_toy", 1],
 * ]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
import { CsvError, oneOf, parseCsv, requireColumns } from "./csv.ts";
import { checkRunMetrics, type Table, tableFromCsv } from "./table.ts";
import type { RunData, RunStatus } from "./run_data.ts";
import { type CheckRow, parseChecksCsv } from "./checks_csv.ts";

export { parseChecksCsv } from "./checks_csv.ts";

/** Error for unreadable or inconsistent result files (not CSV syntax); names the file and line. */
export class LoadError extends Error {
  /** Creates the error; message is `file:line: what` (or `file: what`). */
  constructor(
    readonly file: string,
    readonly line: number | null,
    what: string,
  ) {
    super(line === null ? `${file}: ${what}` : `${file}:${line}: ${what}`);
    this.name = "LoadError";
  }
}

/** True for the errors that mean "bad input" (exit 2): they name file and line. */
export function isInputError(e: unknown): e is CsvError | LoadError {
  return e instanceof CsvError || e instanceof LoadError;
}

/**
 * Read-only access to the files of one result set, with paths relative to the
 * result set's root, `/`-separated.
 */
export interface FileSource {
  /** Human-readable name of the result set (a directory, or `git:<rev>:<subdir>`). */
  readonly label: string;
  /** Every file, relative path, sorted by code unit. */
  list(): Promise<string[]>;
  /** A file's text (UTF-8). */
  read(path: string): Promise<string>;
  /** A file's bytes. */
  readBytes(path: string): Promise<Uint8Array>;
  /** How a file is named in messages (e.g. the full path). */
  describe(path: string): string;
}

/** A run as loaded: what the checks see, plus its directory and manifest. */
export type LoadedRun = RunData & {
  /** Run directory, relative to the experiment (e.g. `lr=0.2,seed=1~a1b2c3`). */
  dir: string;
  /** The run's manifest.json, when present. */
  manifest?: Record<string, unknown>;
  /** events.csv (phase diagnostic), when present. */
  events?: { header: string[]; rows: string[][] };
  /** density.csv (spectral density), when present. */
  density?: Table;
};

/** runs.csv as read: header and string rows. */
export interface RunsCsv {
  /** How the file is named in messages. */
  file: string;
  /** Column names. */
  header: string[];
  /** Rows, as strings, each of the header's width. */
  rows: string[][];
}

/** One experiment of a suite. */
export interface LoadedExperiment {
  /** Experiment name (its directory name). */
  name: string;
  /** experiment.json, parsed. */
  config: unknown;
  /** runs.csv, or null when the experiment has none. */
  runsCsv: RunsCsv | null;
  /** Runs in runs.csv order. */
  runs: LoadedRun[];
}

/** A whole result set. */
export interface Suite {
  /** Where it came from (directory or `git:<rev>:<subdir>`). */
  dir: string;
  /** Suite manifest.json, when present. */
  manifest?: unknown;
  /** checks.csv rows ([] when absent). */
  checks: CheckRow[];
  /** Experiments, sorted by name. */
  experiments: LoadedExperiment[];
  /**
   * SHA-256 (hex) of every compared file, keyed by relative path: the basis of
   * the byte-identity test in `compare`. Files named by
   * {@linkcode isIgnoredFile} are left out; manifests are hashed after dropping
   * their volatile fields ({@linkcode isVolatileManifestKey}).
   */
  digests: Record<string, string>;
}

/** Files a `FileSource` on a directory skips entirely (temporary files, locks). */
function isScratchFile(rel: string): boolean {
  const base = rel.slice(rel.lastIndexOf("/") + 1);
  return base === ".lock" || base.endsWith(".tmp");
}

/**
 * Files left out of the byte-identity comparison: wall-clock `timing.csv`,
 * the generated `report/` folder, lock and temporary files.
 */
export function isIgnoredFile(rel: string): boolean {
  const base = rel.slice(rel.lastIndexOf("/") + 1);
  return base === "timing.csv" || rel.startsWith("report/") ||
    isScratchFile(rel);
}

const VOLATILE_WORDS = new Set([
  "time",
  "times",
  "timing",
  "timings",
  "timestamp",
  "date",
  "wall",
  "start",
  "started",
  "end",
  "ended",
  "finished",
  "elapsed",
  "duration",
  "git",
  "commit",
  "dirty",
  "host",
  "hostname",
  "pid",
  "cwd",
  "argv",
  "args",
  "out",
  "jobs",
  "shard",
  "shards",
  "suite",
  "resumed",
]);

/**
 * Whether a manifest key holds a volatile value that does not describe the
 * numbers (wall-clock times, git provenance, host, invocation, sharding). The
 * key is split into words at `_`, `-`, `.` and camelCase boundaries; it is
 * volatile when any word is one of: time(s), timing(s), timestamp, date, wall,
 * start(ed), end(ed), finished, elapsed, duration, git, commit, dirty,
 * host(name), pid, cwd, argv, args, out, jobs, shard(s), suite (the command
 * that wrote it: bench/baseline/run), resumed.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(isVolatileManifestKey("wallSeconds"), true);
 * assertEquals(isVolatileManifestKey("backend"), false);
 * ```
 */
export function isVolatileManifestKey(key: string): boolean {
  const words = key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase().split(
    /[\s_.\-]+/,
  );
  return words.some((w) => VOLATILE_WORDS.has(w));
}

/** A manifest without its volatile fields, keys sorted (stable JSON). */
export function stableManifest(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stableManifest);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      if (isVolatileManifestKey(k)) continue;
      out[k] = stableManifest((value as Record<string, unknown>)[k]);
    }
    return out;
  }
  return value;
}

/** A FileSource over a directory on disk. */
export function dirSource(dir: string): FileSource {
  const root = dir.replace(/\/+$/, "") || "/";
  const describe = (rel: string) => `${root}/${rel}`;
  return {
    label: root,
    describe,
    async list() {
      const out: string[] = [];
      const walk = async (rel: string) => {
        let entries: Deno.DirEntry[];
        try {
          entries = [];
          for await (
            const e of Deno.readDir(rel === "" ? root : `${root}/${rel}`)
          ) entries.push(e);
        } catch (e) {
          throw new LoadError(
            rel === "" ? root : describe(rel),
            null,
            `cannot read directory (${(e as Error).message})`,
          );
        }
        for (const e of entries) {
          const p = rel === "" ? e.name : `${rel}/${e.name}`;
          if (e.isDirectory) await walk(p);
          else if (e.isFile && !isScratchFile(p)) out.push(p);
        }
      };
      await walk("");
      return out.sort(byCodeUnit);
    },
    async read(rel) {
      return new TextDecoder().decode(await this.readBytes(rel));
    },
    async readBytes(rel) {
      try {
        return await Deno.readFile(describe(rel));
      } catch (e) {
        throw new LoadError(
          describe(rel),
          null,
          `cannot read (${(e as Error).message})`,
        );
      }
    },
  };
}

async function git(
  repoDir: string,
  args: string[],
  what: string,
): Promise<Uint8Array> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command("git", {
      args,
      cwd: repoDir,
      stdout: "piped",
      stderr: "piped",
    })
      .output();
  } catch (e) {
    throw new LoadError(what, null, `cannot run git (${(e as Error).message})`);
  }
  if (!out.success) {
    const msg = new TextDecoder().decode(out.stderr).trim().split("\n")[0];
    throw new LoadError(what, null, `git ${args[0]} failed: ${msg}`);
  }
  return out.stdout;
}

/**
 * A FileSource over `<subdir>` of the git revision `rev` of the repository at
 * `repoDir`, read with `git ls-tree` and `git show` (the work tree is never
 * touched).
 */
export function gitSource(
  repoDir: string,
  rev: string,
  subdir = "results/baseline",
): FileSource {
  const sub = subdir.replace(/^\.\/+/, "").replace(/\/+$/, "");
  const label = `git:${rev}:${sub}`;
  let prefix: string | null = null;
  const describe = (rel: string) => `${label}/${rel}`;
  return {
    label,
    describe,
    async list() {
      const cwdPrefix = new TextDecoder().decode(
        await git(repoDir, ["rev-parse", "--show-prefix"], label),
      ).trim();
      prefix = `${cwdPrefix}${sub}/`;
      const text = new TextDecoder().decode(
        await git(repoDir, [
          "ls-tree",
          "-r",
          "--full-name",
          "--name-only",
          rev,
          "--",
          sub,
        ], label),
      );
      const files = text.split("\n").filter((l) => l !== "");
      if (files.length === 0) {
        throw new LoadError(label, null, "no files at this revision");
      }
      return files
        .filter((f) => f.startsWith(prefix!))
        .map((f) => f.slice(prefix!.length))
        .filter((f) => !isScratchFile(f))
        .sort(byCodeUnit);
    },
    async read(rel) {
      return new TextDecoder().decode(await this.readBytes(rel));
    },
    async readBytes(rel) {
      if (prefix === null) await this.list();
      return await git(
        repoDir,
        ["show", `${rev}:${prefix}${rel}`],
        describe(rel),
      );
    },
  };
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Parses JSON text; errors name the file and (when the parser tells the
 * position) the line.
 */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const lc = /line (\d+)/.exec(msg);
    const pos = /position (\d+)/.exec(msg);
    let line: number | null = null;
    if (lc) line = Number(lc[1]);
    else if (pos) line = text.slice(0, Number(pos[1])).split("\n").length;
    else if (/end of JSON input/i.test(msg)) line = text.split("\n").length;
    throw new LoadError(file, line, `malformed JSON (${msg})`);
  }
}

const RUN_STATUSES: readonly RunStatus[] = [
  "ok",
  "diverged",
  "skipped",
  "failed",
];

async function digest(bytes: Uint8Array): Promise<string> {
  const h = new Uint8Array(
    await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>),
  );
  return Array.from(h, (b) => b.toString(16).padStart(2, "0")).join("");
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === "object" && !Array.isArray(x);
}

/** Loads a result set through any FileSource (the one loader behind loadSuite/loadSuiteFromGit). */
export async function loadFromSource(src: FileSource): Promise<Suite> {
  const files = await src.list();
  const have = new Set(files);
  const texts = new Map<string, string>();
  const digests: Record<string, string> = {};
  for (const f of files) {
    if (isIgnoredFile(f)) continue;
    const bytes = await src.readBytes(f);
    const base = f.slice(f.lastIndexOf("/") + 1);
    if (base === "manifest.json") {
      const text = new TextDecoder().decode(bytes);
      texts.set(f, text);
      const stable = JSON.stringify(
        stableManifest(parseJsonText(text, src.describe(f))),
      );
      digests[f] = await digest(new TextEncoder().encode(stable));
    } else {
      digests[f] = await digest(bytes);
      if (base.endsWith(".csv") || base.endsWith(".json")) {
        texts.set(f, new TextDecoder().decode(bytes));
      }
    }
  }
  const text = async (f: string) => texts.get(f) ?? await src.read(f);

  const suite: Suite = { dir: src.label, checks: [], experiments: [], digests };
  if (have.has("manifest.json")) {
    suite.manifest = parseJsonText(
      await text("manifest.json"),
      src.describe("manifest.json"),
    );
  }
  if (have.has("checks.csv")) {
    suite.checks = parseChecksCsv(
      await text("checks.csv"),
      src.describe("checks.csv"),
    );
  }
  const names = files
    .filter((f) => /^[^/]+\/experiment\.json$/.test(f))
    .map((f) => f.slice(0, f.indexOf("/")))
    .sort(byCodeUnit);
  for (const name of names) {
    const cfgFile = `${name}/experiment.json`;
    const exp: LoadedExperiment = {
      name,
      config: parseJsonText(await text(cfgFile), src.describe(cfgFile)),
      runsCsv: null,
      runs: [],
    };
    const runsFile = `${name}/runs.csv`;
    if (have.has(runsFile)) {
      const file = src.describe(runsFile);
      const { header, rows } = parseCsv(await text(runsFile), file);
      requireColumns(header, ["run", "dir", "status"], file);
      exp.runsCsv = { file, header, rows };
      const seen = new Map<string, number>();
      for (const [i, r] of rows.entries()) {
        const line = i + 2;
        const info: Record<string, string> = {};
        header.forEach((h, j) => (info[h] = r[j]));
        const id = info.run;
        if (id === "") {
          throw new CsvError(file, line, "column run: empty run id");
        }
        if (seen.has(id)) {
          throw new CsvError(
            file,
            line,
            `run "${id}" listed twice (first on line ${seen.get(id)})`,
          );
        }
        seen.set(id, line);
        const status = oneOf(info.status, RUN_STATUSES, file, line, "status");
        const dir = info.dir;
        const base = `${name}/${dir}`;
        const run: LoadedRun = { id, status, info, metrics: null, dir };
        if (dir !== "" && have.has(`${base}/metrics.csv`)) {
          run.metrics = tableFromCsv(
            await text(`${base}/metrics.csv`),
            src.describe(`${base}/metrics.csv`),
          );
          if (status === "ok" || status === "diverged") checkRunMetrics(run.metrics, status);
        } else if (status === "ok" || status === "diverged") {
          throw new CsvError(
            file,
            line,
            `run "${id}" has status ${status} but ${base}/metrics.csv is missing`,
          );
        }
        if (dir !== "" && have.has(`${base}/manifest.json`)) {
          const m = parseJsonText(
            await text(`${base}/manifest.json`),
            src.describe(`${base}/manifest.json`),
          );
          if (!isRecord(m)) {
            throw new LoadError(
              src.describe(`${base}/manifest.json`),
              1,
              "expected a JSON object",
            );
          }
          run.manifest = m;
        }
        if (dir !== "" && have.has(`${base}/events.csv`)) {
          run.events = parseCsv(
            await text(`${base}/events.csv`),
            src.describe(`${base}/events.csv`),
          );
        }
        if (dir !== "" && have.has(`${base}/density.csv`)) {
          run.density = tableFromCsv(
            await text(`${base}/density.csv`),
            src.describe(`${base}/density.csv`),
          );
        }
        exp.runs.push(run);
      }
    }
    suite.experiments.push(exp);
  }
  return suite;
}

/**
 * Loads the result directory `dir` (see the module doc for the layout).
 * Throws CsvError/LoadError naming file and line on malformed input.
 *
 * @example
 * ```ts
 * import { writeFakeSuite } from "../../tests/compare_fixture.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFakeSuite(dir);
 * const suite = await loadSuite(dir);
 * assertEquals(suite.checks.filter((c) => c.outcome === "not met"), []);
 * assertEquals(suite.checks.map((c) => c.check), ["eos", "grokking", "collapse"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function loadSuite(dir: string): Promise<Suite> {
  try {
    const st = await Deno.stat(dir);
    if (!st.isDirectory) throw new LoadError(dir, null, "not a directory");
  } catch (e) {
    if (e instanceof LoadError) throw e;
    throw new LoadError(
      dir,
      null,
      `cannot open results directory (${(e as Error).message})`,
    );
  }
  return await loadFromSource(dirSource(dir));
}

/**
 * Loads `<subdir>` as committed at git revision `rev` of the repository at
 * `repoDir` (default subdir `results/baseline`), without touching the work tree.
 *
 * @example
 * ```ts
 * import { writeFakeSuite } from "../../tests/compare_fixture.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * // a repository whose commit holds results/baseline; the work tree then loses it
 * const repo = await Deno.makeTempDir();
 * const git = (...args: string[]) =>
 *   new Deno.Command("git", { args: ["-C", repo, "-c", "user.name=x", "-c", "user.email=x@x", ...args] })
 *     .outputSync();
 * git("init", "-q");
 * await writeFakeSuite(`${repo}/results/baseline`);
 * git("add", ".");
 * git("commit", "-q", "-m", "baseline");
 * await Deno.remove(`${repo}/results`, { recursive: true });
 * const base = await loadSuiteFromGit(repo, "HEAD");
 * assertEquals(base.experiments.length, 3);
 * await Deno.remove(repo, { recursive: true });
 * ```
 */
export async function loadSuiteFromGit(
  repoDir: string,
  rev: string,
  subdir = "results/baseline",
): Promise<Suite> {
  return await loadFromSource(gitSource(repoDir, rev, subdir));
}

/**
 * Test helper: writes small, fake result directories in the runner's layout
 * (suite manifest, checks.csv, experiment.json, runs.csv, per-run metrics.csv,
 * manifest.json, timing.csv, events.csv) with deterministic synthetic curves.
 * Shared by the compare, merge and report tests.
 * @module
 */
import { toCsv } from "../core/results/csv.ts";
import { CHECK_COLUMNS, type CheckRow } from "../core/checks/types.ts";

/** One run of a fake experiment. */
export interface FakeRun {
  /** Sweep point, e.g. `{ lr: 0.2, seed: 1 }` ({} for `base`). */
  params: Record<string, number>;
  /** metrics.csv header. */
  header: string[];
  /** metrics.csv rows. */
  rows: (number | null)[][];
}

/** One fake experiment. */
export interface FakeExperiment {
  /** Name. */
  name: string;
  /** experiment.json contents. */
  config: Record<string, unknown>;
  /** Runs. */
  runs: FakeRun[];
}

/** Options of writeFakeSuite. */
export interface FakeOptions {
  /** Backend name written in every run manifest (default "wasm"). */
  backend?: string;
  /** Only write runs whose id passes (to make shards). */
  runFilter?: (runId: string) => boolean;
  /** Write checks.csv (default true). */
  checks?: boolean;
  /** Wall-clock seconds written to timing.csv and manifests (to show they are ignored). */
  wallSeconds?: number;
}

function hash6(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  }
  return h.toString(16).padStart(8, "0").slice(0, 6);
}

/** Run id of a fake run. */
export function runId(exp: string, params: Record<string, number>): string {
  const keys = Object.keys(params);
  return `${exp}/${keys.length ? keys.map((k) => `${k}=${params[k]}`).join(",") : "base"}`;
}

/** Run directory name of a fake run. */
export function runDir(exp: string, params: Record<string, number>): string {
  const id = runId(exp, params);
  return `${id.slice(exp.length + 1)}~${hash6(id)}`;
}

/** The default fake suite: an EoS sweep, a grokking run and a small collapse ladder. */
export function fakeExperiments(): FakeExperiment[] {
  const eosRuns: FakeRun[] = [0.2, 0.4].map((lr) => {
    const rows: (number | null)[][] = [];
    for (let s = 0; s <= 200; s += 10) {
      const theta = 2 / lr;
      const lam = s < 100 ? 3 + (theta - 3) * (s / 100) : theta * (1 + 0.05 * Math.sin(s / 7));
      rows.push([
        s,
        lr,
        s * lr,
        0.5 * Math.exp(-s / 60) + 0.01 * (1 + Math.sin(s)),
        s % 20 === 0 ? lam : null,
        theta,
      ]);
    }
    return {
      params: { lr, seed: 1 },
      header: ["step", "lr", "tau", "train_loss", "lambda_max", "two_over_lr"],
      rows,
    };
  });
  const grokRows: (number | null)[][] = [];
  for (let s = 10; s <= 2000; s = Math.round(s * 1.25)) {
    const train = Math.min(1, 1 / (1 + Math.exp(-(s - 60) / 10)));
    const test = 0.01 + 0.99 / (1 + Math.exp(-(s - 700) / 80));
    const g23 = s < 400 ? 5 : 5 / (1 + (s - 400) / 20);
    grokRows.push([s, 1 - train + 1e-4, train, 1.2 - test, test, g23]);
  }
  const collapseRuns: FakeRun[] = [];
  for (const width of [8, 16, 32]) {
    for (const seed of [0, 1]) {
      const p = width * width * 10;
      const tStar = Math.round(50 * Math.pow(p / 640, 0.5));
      const rows: (number | null)[][] = [];
      for (let k = 0; k <= 20; k++) {
        const t = Math.max(1, Math.round((k / 20) * tStar));
        const noise = 1 + 0.01 * Math.sin(7 * t + 3 * seed + width);
        const loss = (0.1 + 2 * Math.pow(t, -0.6) + 3 * Math.pow(p, -0.4)) *
          noise;
        rows.push([t, 6 * t * p, loss]);
      }
      collapseRuns.push({
        params: { "model.width": width, seed },
        header: ["step", "compute", "train_loss"],
        rows,
      });
    }
  }
  return [
    {
      name: "eos_toy",
      config: {
        name: "eos_toy",
        tags: ["eos"],
        optimizer: { name: "gd" },
        sweep: { lr: [0.2, 0.4], seed: [1] },
      },
      runs: eosRuns,
    },
    {
      name: "grok_toy",
      config: {
        name: "grok_toy",
        tags: ["grokking"],
        optimizer: { name: "adamw" },
        checks: [{ name: "grokking", expect: "holds" }],
      },
      runs: [{
        params: {},
        header: [
          "step",
          "train_loss",
          "train_acc",
          "test_loss",
          "test_acc",
          "gram_g23",
        ],
        rows: grokRows,
      }],
    },
    {
      name: "collapse_toy",
      config: {
        name: "collapse_toy",
        tags: ["collapse"],
        checks: [{
          name: "collapse",
          expect: "report",
          options: { params: "model.width" },
        }],
        sweep: { "model.width": [8, 16, 32], seed: [0, 1] },
      },
      runs: collapseRuns,
    },
  ];
}

/** Default checks.csv rows for the fake suite. */
export function fakeChecks(): CheckRow[] {
  return [
    {
      experiment: "eos_toy",
      check: "eos",
      run: "eos_toy/lr=0.2,seed=1",
      expect: "holds",
      statistic: "median lambda_max*lr/2",
      value: 1.01,
      expected: "[0.90, 1.15]",
      tolerance: "band",
      verdict: "pass",
      outcome: "met",
      detail: "onset at step 100",
    },
    {
      experiment: "grok_toy",
      check: "grokking",
      run: "*",
      expect: "holds",
      statistic: "t_gen/t_fit",
      value: 9.5,
      expected: ">= 3",
      tolerance: "",
      verdict: "pass",
      outcome: "met",
      detail: "t_fit=100, t_gen=950",
    },
    {
      experiment: "collapse_toy",
      check: "collapse",
      run: "*",
      expect: "report",
      statistic: "median Delta/sigma",
      value: 0.8,
      expected: "<= 1.5",
      tolerance: "",
      verdict: "pass",
      outcome: "report",
      detail: "",
    },
  ];
}

/** Writes a fake result set into `dir`; returns the experiments written. */
export async function writeFakeSuite(
  dir: string,
  opts: FakeOptions = {},
  experiments: FakeExperiment[] = fakeExperiments(),
): Promise<FakeExperiment[]> {
  const backend = opts.backend ?? "wasm";
  const wall = opts.wallSeconds ?? 1.5;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    `${dir}/manifest.json`,
    JSON.stringify(
      {
        suite: "quick",
        backend: { name: backend },
        git: { commit: "abc", dirty: false },
        startedAt: `2026-01-01T00:00:0${Math.round(wall) % 10}Z`,
      },
      null,
      2,
    ) + "\n",
  );
  if (opts.checks ?? true) {
    const rows = fakeChecks().map((r) => CHECK_COLUMNS.map((c) => r[c]));
    await Deno.writeTextFile(
      `${dir}/checks.csv`,
      toCsv([...CHECK_COLUMNS], rows),
    );
  }
  for (const e of experiments) {
    const runs = e.runs.filter((r) => (opts.runFilter ?? (() => true))(runId(e.name, r.params)));
    if (runs.length === 0) continue;
    await Deno.mkdir(`${dir}/${e.name}`, { recursive: true });
    await Deno.writeTextFile(
      `${dir}/${e.name}/experiment.json`,
      JSON.stringify(e.config, null, 2) + "\n",
    );
    const keys = Object.keys(runs[0].params);
    const header = [
      "run",
      "dir",
      "status",
      ...keys,
      "steps",
      "final_train_loss",
      "reason",
    ];
    const sorted = [...runs].sort((x, y) => {
      const a = runId(e.name, x.params), b = runId(e.name, y.params);
      return a < b ? -1 : a > b ? 1 : 0;
    });
    const rows = sorted.map((r) => {
      const li = r.header.indexOf("train_loss");
      const last = r.rows[r.rows.length - 1];
      return [
        runId(e.name, r.params),
        runDir(e.name, r.params),
        "ok",
        ...keys.map((k) => r.params[k]),
        last[0],
        last[li],
        "",
      ];
    });
    await Deno.writeTextFile(`${dir}/${e.name}/runs.csv`, toCsv(header, rows));
    for (const r of runs) {
      const rd = `${dir}/${e.name}/${runDir(e.name, r.params)}`;
      await Deno.mkdir(rd, { recursive: true });
      await Deno.writeTextFile(`${rd}/metrics.csv`, toCsv(r.header, r.rows));
      await Deno.writeTextFile(
        `${rd}/manifest.json`,
        JSON.stringify(
          {
            run: runId(e.name, r.params),
            backend: { name: backend, version: "4.22.0" },
            wall: { train: wall },
          },
          null,
          2,
        ) + "\n",
      );
      await Deno.writeTextFile(
        `${rd}/timing.csv`,
        toCsv(["phase", "seconds"], [["train", wall]]),
      );
    }
  }
  return experiments;
}

/** Replaces the first occurrence of `from` with `to` in a file (throws when absent). */
export async function editFile(
  path: string,
  from: string | RegExp,
  to: string,
): Promise<void> {
  const text = await Deno.readTextFile(path);
  const next = text.replace(from, to);
  if (next === text) throw new Error(`editFile: ${from} not found in ${path}`);
  await Deno.writeTextFile(path, next);
}

/** Captures a command's stdout/stderr. */
export function captureIO(): {
  out(t: string): void;
  err(t: string): void;
  stdout: string[];
  stderr: string[];
} {
  const stdout: string[] = [], stderr: string[] = [];
  return {
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    stdout,
    stderr,
  };
}

/** Changes one metrics.csv cell of a fake run (matched by step) to `value`. */
export async function setMetric(
  dir: string,
  exp: string,
  params: Record<string, number>,
  step: number,
  column: string,
  value: (old: number) => number,
): Promise<void> {
  const path = `${dir}/${exp}/${runDir(exp, params)}/metrics.csv`;
  const lines = (await Deno.readTextFile(path)).split("\n");
  const header = lines[0].split(",");
  const c = header.indexOf(column);
  const i = lines.findIndex((l, k) => k > 0 && l.split(",")[0] === String(step));
  if (c < 0 || i < 0) {
    throw new Error(`setMetric: no ${column} at step ${step} in ${path}`);
  }
  const cells = lines[i].split(",");
  cells[c] = String(value(Number(cells[c])));
  lines[i] = cells.join(",");
  await Deno.writeTextFile(path, lines.join("\n"));
}

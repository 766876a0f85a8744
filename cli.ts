/**
 * The phasebench command line (SPEC §13). Each command is a `deno task`.
 * Exit codes: 0 = every gating check met its expectation; 1 = some did not, was
 * skipped, or a run failed (or compare found a regression); 2 = bad input,
 * usage or an I/O fault (the message names the file, field, line or path).
 * @module
 */
import { parseArgs } from "node:util";
import { ConfigError } from "./core/config/errors.ts";
import { listExperimentFiles } from "./core/config/load.ts";
import { experimentJsonSchema } from "./core/config/json_schema.ts";
import { BackendError, type BackendName, BACKENDS } from "./core/backend.ts";
import { LockError } from "./core/results/lock.ts";
import { CsvError } from "./core/results/csv.ts";
import { exists, writeTextAtomic } from "./core/results/atomic.ts";
import { parseShard, runSuite, type SuiteOptions } from "./core/train/suite.ts";
import { verifyDir, type VerifyResult } from "./core/checks/verify.ts";
import { renderCheckSummary } from "./core/checks/summary.ts";

const USAGE = `phasebench — theory checks for the phase transitions of training

usage: deno task <command> [args]
  bench   [--profile quick|full] [--only GLOB] [--backend B] [--jobs N] [--shard I/N] [--out DIR] [--force] [--quiet] [--data-dir DIR] [--set PATH=VALUE]...
  run     FILE [--set PATH=VALUE]... [--profile P] [--backend B] [--out DIR] [--jobs N] [--force] [--quiet]
  verify  DIR [--json]
  curves  FILE.csv --check NAME[,NAME] [--params COL] [--seed COL] [--compute COL] [--loss COL] [--lr COL] [--where COL=VALUE]... [--l0 VALUE] [--json]
  compare A B [--json]
  report  DIR
  perf    [--json]
  merge   DIR... --out DIR
  baseline
  schema  [--out FILE]
backends: ${BACKENDS.join(", ")} (default wasm)`;

/** A usage error (exit 2). */
class UsageError extends Error {}

function defaultJobs(): number {
  return Math.max(1, navigator.hardwareConcurrency ?? 1);
}

function globToRegExp(glob: string): RegExp {
  const esc = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^(${esc.split(",").join("|")})$`);
}

/**
 * `--jobs -3` would read as a flag cluster (parseArgs: "ambiguous"); join a
 * value-taking flag with a value that starts with "-" so it is validated.
 */
function joinDashValues(args: string[], valued: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (valued.includes(a) && i + 1 < args.length && /^-\d/.test(args[i + 1])) {
      out.push(`${a}=${args[++i]}`);
    } else out.push(a);
  }
  return out;
}

function suiteFlags(rawArgs: string[]) {
  const args = joinDashValues(rawArgs, ["--jobs", "--shard"]);
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      profile: { type: "string", default: "quick" },
      only: { type: "string" },
      backend: { type: "string", default: "wasm" },
      jobs: { type: "string" },
      shard: { type: "string" },
      out: { type: "string" },
      force: { type: "boolean", default: false },
      quiet: { type: "boolean", default: false },
      set: { type: "string", multiple: true, default: [] },
      "data-dir": { type: "string" },
      "no-report": { type: "boolean", default: false },
      "no-compare": { type: "boolean", default: false },
    },
  });
  if (values.profile !== "quick" && values.profile !== "full") {
    throw new UsageError(`--profile ${values.profile}: expected quick or full`);
  }
  if (!(BACKENDS as readonly string[]).includes(values.backend!)) {
    throw new UsageError(`--backend ${values.backend}: expected one of ${BACKENDS.join(", ")}`);
  }
  const jobs = values.jobs === undefined ? defaultJobs() : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) {
    throw new UsageError(`--jobs ${values.jobs}: expected a positive integer`);
  }
  return { values, positionals, jobs };
}

async function finishSuite(
  out: string,
  verify: VerifyResult | null,
  quiet: boolean,
  opts: { report: boolean; compare: boolean },
): Promise<number> {
  if (!verify) {
    console.log(`shard written to ${out}; checks run after \`deno task merge\``);
    return 0;
  }
  console.log(renderCheckSummary(verify.rows));
  for (const f of verify.failedRuns) console.log(`FAILED RUN ${f.id}: ${f.reason}`);
  console.log(`results: ${out}`);
  if (opts.report) {
    try {
      const { writeReport } = await import("./core/report/mod.ts");
      const files = await writeReport(out);
      if (!quiet) console.log(`report: ${files[files.length - 1]} (${files.length} files)`);
    } catch (e) {
      console.error(`report: not written (${(e as Error).message.split("\n")[0]})`);
    }
  }
  if (opts.compare && out !== "results/baseline" && (await exists("results/baseline/checks.csv"))) {
    try {
      const { compareSuites, renderMarkdown } = await import("./core/compare/mod.ts");
      const { loadSuite } = await import("./core/results/load.ts");
      const c = compareSuites(await loadSuite("results/baseline"), await loadSuite(out), {});
      console.log("\n## compared with results/baseline\n\n" + renderMarkdown(c));
    } catch (e) {
      console.error(`compare with results/baseline: ${(e as Error).message.split("\n")[0]}`);
    }
  }
  return verify.gatingFailures.length > 0 || verify.failedRuns.length > 0 ? 1 : 0;
}

async function bench(args: string[], baseline = false): Promise<number> {
  const { values, positionals, jobs } = suiteFlags(args);
  if (positionals.length > 0) throw new UsageError(`bench: unexpected argument ${positionals[0]}`);
  let files = await listExperimentFiles("experiments");
  if (values.only) {
    const re = globToRegExp(values.only);
    files = files.filter((f) => re.test(f.replace(/^.*\//, "").replace(/\.(ts|json)$/, "")));
    if (files.length === 0) throw new UsageError(`--only ${values.only}: no experiment matches`);
  }
  const out = baseline ? "results/baseline" : values.out ?? "results/latest";
  const opts: SuiteOptions = {
    files,
    profile: baseline ? "quick" : values.profile as "quick" | "full",
    sets: values.set as string[],
    backend: baseline ? "wasm" : values.backend as BackendName,
    out,
    jobs,
    shard: values.shard ? parseShard(values.shard) : undefined,
    force: baseline ? true : values.force!,
    quiet: values.quiet!,
    dataDir: values["data-dir"] ?? Deno.env.get("PHASEBENCH_DATA"),
    suite: baseline ? "baseline" : "bench",
  };
  const t0 = performance.now();
  const result = await runSuite(opts);
  if (!values.quiet) {
    console.log(
      `suite wall time ${
        ((performance.now() - t0) / 1000).toFixed(1)
      } s, ${result.runs.length} runs`,
    );
  }
  return await finishSuite(out, result.verify, values.quiet!, {
    report: !values["no-report"],
    compare: !baseline && !values["no-compare"],
  });
}

async function run(args: string[]): Promise<number> {
  const { values, positionals, jobs } = suiteFlags(args);
  if (positionals.length !== 1) throw new UsageError("run: expected one experiment FILE");
  const file = positionals[0];
  const name = file.replace(/^.*\//, "").replace(/\.(ts|json)$/, "");
  const out = values.out ?? `results/${name}`;
  const result = await runSuite({
    files: [file],
    profile: values.profile as "quick" | "full",
    sets: values.set as string[],
    backend: values.backend as BackendName,
    out,
    jobs,
    shard: values.shard ? parseShard(values.shard) : undefined,
    force: values.force!,
    quiet: values.quiet!,
    dataDir: values["data-dir"] ?? Deno.env.get("PHASEBENCH_DATA"),
    suite: name,
  }, false);
  return await finishSuite(out, result.verify, values.quiet!, { report: false, compare: false });
}

async function verify(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: "boolean", default: false } },
  });
  if (positionals.length !== 1) throw new UsageError("verify: expected one results DIR");
  const dir = positionals[0];
  if (!(await exists(dir))) throw new UsageError(`verify: ${dir}: no such directory`);
  const r = await verifyDir(dir);
  if (values.json) {
    const checks = r.rows.map((c) => ({
      experiment: c.experiment,
      check: c.check,
      run: c.run,
      expect: c.expect,
      statistic: c.statistic,
      value: c.value,
      expected: c.expected,
      tolerance: c.tolerance,
      verdict: c.verdict,
      outcome: c.outcome,
      detail: c.detail,
    }));
    console.log(JSON.stringify({ checks }, null, 2));
  } else {
    console.log(renderCheckSummary(r.rows));
    for (const f of r.failedRuns) console.log(`FAILED RUN ${f.id}: ${f.reason}`);
  }
  return r.gatingFailures.length > 0 || r.failedRuns.length > 0 ? 1 : 0;
}

async function merge(args: string[]): Promise<number> {
  const { mergeCommand } = await import("./core/results/merge.ts");
  const code = await mergeCommand(args);
  if (code !== 0) return code;
  const { values } = parseArgs({
    args,
    allowPositionals: true,
    strict: false,
    options: { out: { type: "string" } },
  });
  const r = await verifyDir(String(values.out));
  console.log(renderCheckSummary(r.rows));
  for (const f of r.failedRuns) console.log(`FAILED RUN ${f.id}: ${f.reason}`);
  return r.gatingFailures.length > 0 || r.failedRuns.length > 0 ? 1 : 0;
}

async function schema(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { out: { type: "string", default: "experiments/experiment.schema.json" } },
  });
  await writeTextAtomic(values.out!, JSON.stringify(experimentJsonSchema(), null, 2) + "\n");
  console.log(`wrote ${values.out}`);
  return 0;
}

async function delegate(modPath: string, fn: string, args: string[]): Promise<number> {
  let mod: Record<string, unknown>;
  try {
    mod = await import(modPath);
  } catch (e) {
    if ((e as Error).message.includes("Module not found")) {
      console.error("not available yet");
      return 2;
    }
    throw e;
  }
  const f = mod[fn] as ((a: string[]) => Promise<number>) | undefined;
  if (!f) {
    console.error("not available yet");
    return 2;
  }
  return await f(args);
}

/** Whether an error is an I/O fault from the OS (exit 2 with its message). */
function isIoFault(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const io = [
    Deno.errors.PermissionDenied,
    Deno.errors.NotFound,
    Deno.errors.AlreadyExists,
    Deno.errors.NotADirectory,
    Deno.errors.IsADirectory,
    Deno.errors.FilesystemLoop,
    Deno.errors.WriteZero,
    Deno.errors.UnexpectedEof,
  ];
  return io.some((c) => e instanceof c) || /\(os error \d+\)/.test(e.message);
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...args] = argv;
  try {
    switch (cmd) {
      case "bench":
        return await bench(args);
      case "baseline":
        return await bench(args, true);
      case "run":
        return await run(args);
      case "verify":
        return await verify(args);
      case "schema":
        return await schema(args);
      case "curves":
        return await delegate("./core/checks/curves.ts", "curvesCommand", args);
      case "compare":
        return await delegate("./core/compare/mod.ts", "compareCommand", args);
      case "report":
        return await delegate("./core/report/mod.ts", "reportCommand", args);
      case "merge":
        return await merge(args);
      case "perf":
        return await delegate("./core/perf/mod.ts", "perfCommand", args);
      case undefined:
      case "help":
      case "--help":
        console.log(USAGE);
        return cmd === undefined ? 2 : 0;
      default:
        console.error(`unknown command "${cmd}"\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    if (
      e instanceof ConfigError || e instanceof CsvError || e instanceof LockError ||
      e instanceof BackendError || e instanceof UsageError
    ) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    if (isIoFault(e)) {
      // an OS-level fault (read-only or full disk, a file where a folder should be):
      // Deno's message names the OS reason and the path
      console.error(`error: ${(e as Error).message}`);
      return 2;
    }
    const code = (e as { code?: string }).code;
    if (code && code.startsWith("ERR_PARSE_ARGS")) {
      console.error(`error: ${(e as Error).message}\n${USAGE}`);
      return 2;
    }
    console.error(`internal error: ${(e as Error)?.message ?? e}`);
    if (Deno.env.get("PHASEBENCH_DEBUG")) console.error((e as Error)?.stack);
    return 3;
  }
}

if (import.meta.main) {
  const code = await main(Deno.args);
  // workers and wasm keep the event loop alive; exit explicitly
  Deno.exit(code);
}

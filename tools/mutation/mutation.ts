/**
 * `deno task mutation`: StrykerJS mutation testing of `core/checks/` and
 * `core/spectral/`, one Stryker run per group of {@link MUTATION_GROUPS}
 * (each with its own targeted `deno test` command through Stryker's `command`
 * test runner), merged into one mutation-testing-report-schema JSON,
 * `reports/mutation/mutation.json`.
 *
 * Reruns are incremental: that report is also Stryker's incremental file, so
 * only mutants of changed source lines are tested again. Stryker's command
 * runner cannot see test changes, so when a group's test files change (their
 * hashes are kept in `reports/mutation/tests.json`) the group's surviving
 * mutants are tested again; killed mutants stay killed. `--force` tests every
 * mutant again (after removing or weakening a test).
 *
 * Usage: `deno task mutation [--only NAME|PATH]... [--force] [--head]
 * [--concurrency N] [--list]`. `--head` mutates a snapshot of the committed
 * sources (`git archive HEAD`) instead of the working tree, so the report
 * matches the commit and no one's uncommitted edits reach the sandbox.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(mutationScore({ Killed: 9, Survived: 1, Ignored: 4 }), 90);
 * assertEquals(commandFor({ name: "x", mutate: [], tests: ["tests/a_test.ts"] }),
 *   "deno test -A --no-check --fail-fast tests/a_test.ts");
 * ```
 * @module
 */
import { MUTATION_GROUPS, type MutationGroup } from "./groups.ts";

/** StrykerJS release run through npx (10.x needs Node ≥ 22). */
export const STRYKER = "@stryker-mutator/core@8.7.1";
/** Mutators left out: they only rewrite human-readable text (messages, details). */
export const EXCLUDED_MUTATORS = ["StringLiteral"];
const REPORT = "reports/mutation/mutation.json";
const TEST_HASHES = "reports/mutation/tests.json";
const SCRATCH = ".stryker-tmp/mutation";

/** A mutant as the mutation-testing-report-schema stores it. */
interface Mutant {
  id: string;
  mutatorName: string;
  status: string;
  [key: string]: unknown;
}
/** The parts of a mutation-testing report this script reads and writes. */
interface Report {
  schemaVersion: string;
  thresholds: { high: number; low: number };
  files: Record<string, { language: string; source: string; mutants: Mutant[] }>;
  testFiles?: Record<string, unknown>;
  framework?: unknown;
  [key: string]: unknown;
}

/** Stryker's mutation score: detected (killed or timed out) over valid mutants, in %. */
export function mutationScore(counts: Record<string, number>): number {
  const detected = (counts.Killed ?? 0) + (counts.Timeout ?? 0);
  const valid = detected + (counts.Survived ?? 0) + (counts.NoCoverage ?? 0);
  return valid === 0 ? NaN : (100 * detected) / valid;
}

/** The test command one group runs against each of its mutants. */
export function commandFor(group: MutationGroup): string {
  const filter = group.filter ? ` --filter '${group.filter}'` : "";
  return `deno test -A --no-check --fail-fast${filter} ${group.tests.join(" ")}`;
}

/** Source path of a `mutate` pattern (without a `:start-end` range). */
function pathOf(pattern: string): string {
  return pattern.replace(/:\d+(-\d+)?$/, "");
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(path)) as T;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Hash of what judges a group: its command and its test files' contents. */
async function testsHash(root: string, group: MutationGroup): Promise<string> {
  const parts = [commandFor(group)];
  for (const t of [...group.tests, "tests/assert.ts"]) {
    parts.push(t, await Deno.readTextFile(`${root}/${t}`));
  }
  return await sha256(parts.join("\0"));
}

async function run(cmd: string, args: string[], cwd: string, env?: Record<string, string>) {
  const status = await new Deno.Command(cmd, {
    args,
    cwd,
    env,
    stdout: "inherit",
    stderr: "inherit",
  })
    .spawn().status;
  return status.code;
}

/** A clean copy of the committed sources under `.stryker-tmp/head-PID`, sharing node_modules. */
async function headSnapshot(repo: string): Promise<string> {
  const root = `${repo}/.stryker-tmp/head-${Deno.pid}`;
  await Deno.remove(root, { recursive: true }).catch(() => {});
  await Deno.mkdir(root, { recursive: true });
  const code = await run("bash", ["-c", `git archive HEAD | tar -x -C '${root}'`], repo);
  if (code !== 0) throw new Error("git archive HEAD failed");
  await Deno.symlink(`${repo}/node_modules`, `${root}/node_modules`);
  return root;
}

/** Counts of mutant statuses over the report's files whose path starts with `prefix`. */
function counts(report: Report, prefix = ""): Record<string, number> {
  const c: Record<string, number> = {};
  for (const [path, file] of Object.entries(report.files)) {
    if (!path.startsWith(prefix)) continue;
    for (const m of file.mutants) c[m.status] = (c[m.status] ?? 0) + 1;
  }
  return c;
}

function summaryLine(name: string, c: Record<string, number>): string {
  const n = (k: string) => c[k] ?? 0;
  const total = Object.values(c).reduce((a, b) => a + b, 0);
  const score = mutationScore(c);
  return `${name.padEnd(16)} score ${isNaN(score) ? "  n/a" : score.toFixed(1).padStart(5)}%  ` +
    `total ${total}  killed ${n("Killed")}  survived ${n("Survived")}  ` +
    `no-coverage ${n("NoCoverage")}  timeout ${n("Timeout")}  ignored ${n("Ignored")}` +
    (n("RuntimeError") + n("CompileError") > 0
      ? `  errors ${n("RuntimeError") + n("CompileError")}`
      : "");
}

/** Prints the score per folder and overall. */
export function printSummary(report: Report): void {
  for (const folder of ["core/checks/", "core/spectral/"]) {
    console.log(summaryLine(folder, counts(report, folder)));
  }
  console.log(summaryLine("overall", counts(report)));
}

async function main(args: string[]): Promise<number> {
  const only: string[] = [];
  let force = false, head = false, list = false, concurrency = 1;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--only") only.push(args[++i]);
    else if (a === "--force") force = true;
    else if (a === "--head") head = true;
    else if (a === "--list") list = true;
    else if (a === "--concurrency") concurrency = Number(args[++i]);
    else if (a === "--help" || a === "-h") {
      console.log(
        "Usage: deno task mutation [--only NAME|PATH]... [--force] [--head] [--concurrency N] [--list]",
      );
      return 0;
    } else {
      console.error(`mutation: unknown argument ${a} (see --help)`);
      return 2;
    }
  }
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
    console.error("mutation: --concurrency takes a positive integer");
    return 2;
  }
  const groups = MUTATION_GROUPS.filter((g) =>
    only.length === 0 ||
    only.some((o) =>
      g.name === o || g.name.startsWith(o.replace(/\/?$/, "/")) ||
      g.mutate.some((m) => pathOf(m) === o)
    )
  );
  if (list) {
    for (const g of groups) console.log(`${g.name}: ${g.mutate.join(" ")}\n  ${commandFor(g)}`);
    return 0;
  }
  if (groups.length === 0) {
    console.error(`mutation: no group matches ${only.join(", ")} (see --list)`);
    return 2;
  }
  const repo = Deno.cwd();
  const root = head ? await headSnapshot(repo) : repo;
  await Deno.mkdir(`${root}/${SCRATCH}`, { recursive: true });
  await Deno.mkdir(`${repo}/reports/mutation`, { recursive: true });
  const env = {
    PATH: `${Deno.execPath().replace(/\/[^/]*$/, "")}:${Deno.env.get("PATH") ?? ""}`,
    NO_COLOR: "1",
  };
  let merged = await readJson<Report>(`${repo}/${REPORT}`);
  const started = performance.now();
  for (const group of groups) {
    const t0 = performance.now();
    const files = [...new Set(group.mutate.map(pathOf))];
    const hash = await testsHash(root, group);
    const stem = `${root}/${SCRATCH}/${group.name.replace(/\//g, "_")}`;
    merged = (await readJson<Report>(`${repo}/${REPORT}`)) ?? merged;
    // The incremental file: this group's files from the merged report. When
    // the group's tests changed, its mutants that were not detected are
    // dropped from it so that Stryker tests them again.
    await Deno.remove(`${stem}.incremental.json`).catch(() => {});
    if (merged && !force) {
      const known = (await readJson<Record<string, string>>(`${repo}/${TEST_HASHES}`)) ?? {};
      const testsChanged = known[group.name] !== hash;
      const seed: Report = { ...merged, files: {} };
      for (const f of files) {
        const entry = merged.files[f];
        if (!entry) continue;
        seed.files[f] = {
          ...entry,
          mutants: testsChanged
            ? entry.mutants.filter((m) => m.status === "Killed" || m.status === "Timeout")
            : entry.mutants,
        };
      }
      await Deno.writeTextFile(`${stem}.incremental.json`, JSON.stringify(seed));
      if (testsChanged) console.log(`mutation: ${group.name}: tests changed, survivors retested`);
    }
    const config = {
      testRunner: "command",
      commandRunner: { command: commandFor(group) },
      coverageAnalysis: "off",
      mutate: group.mutate,
      ignorePatterns: ["/results", "/reports", "/.stryker-tmp", "/tools/mutation/*.json"],
      mutator: { excludedMutations: EXCLUDED_MUTATORS },
      concurrency,
      reporters: ["json", "clear-text", "progress-append-only"],
      clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
      jsonReporter: { fileName: `${stem}.report.json` },
      incremental: true,
      incrementalFile: `${stem}.incremental.json`,
      tempDirName: ".stryker-tmp",
      timeoutMS: 10000,
      timeoutFactor: 2,
      thresholds: { high: 90, low: 80, break: null },
      fileLogLevel: "off",
    };
    await Deno.writeTextFile(`${stem}.config.json`, JSON.stringify(config, null, 2));
    console.log(`mutation: ${group.name}: ${commandFor(group)}`);
    const code = await run(
      "npx",
      ["-y", "-p", STRYKER, "stryker", "run", `${stem}.config.json`],
      root,
      env,
    );
    if (code !== 0) {
      console.error(`mutation: ${group.name}: stryker exited ${code}`);
      return 1;
    }
    const report = await readJson<Report>(`${stem}.report.json`);
    if (!report) throw new Error(`${stem}.report.json: not written`);
    // Another run may have written the report meanwhile: merge this group's files into what is
    // on disk (and only them, so that an older run never overwrites a newer one's groups).
    merged = (await readJson<Report>(`${repo}/${REPORT}`)) ?? { ...report, files: {} };
    for (const f of files) merged.files[f] = report.files[f];
    merged.schemaVersion = report.schemaVersion;
    merged.thresholds = report.thresholds;
    merged.testFiles = report.testFiles;
    merged.framework = report.framework;
    delete merged.projectRoot;
    delete merged.config;
    merged.files = Object.fromEntries(
      Object.entries(merged.files).sort(([a], [b]) => a.localeCompare(b)),
    );
    const onDisk = (await readJson<Record<string, string>>(`${repo}/${TEST_HASHES}`)) ?? {};
    await writeAtomic(`${repo}/${REPORT}`, JSON.stringify(merged, null, 1) + "\n");
    await writeAtomic(
      `${repo}/${TEST_HASHES}`,
      JSON.stringify(sortedKeys({ ...onDisk, [group.name]: hash }), null, 2) + "\n",
    );
    const s = ((performance.now() - t0) / 1000).toFixed(0);
    console.log(`mutation: ${group.name} done in ${s} s`);
    console.log(summaryLine(group.name, counts({ ...merged, files: report.files } as Report)));
  }
  console.log(
    `mutation: ${groups.length} group(s) in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  if (merged) printSummary(merged);
  if (head) await Deno.remove(root, { recursive: true }).catch(() => {});
  return 0;
}

function sortedKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${Deno.pid}.tmp`;
  await Deno.writeTextFile(tmp, text);
  await Deno.rename(tmp, path);
}

if (import.meta.main) Deno.exit(await main(Deno.args));

/**
 * `compare A B [--json] [--rtol X]`: A and B are result directories or
 * `git:<rev>` (the committed `results/baseline/` at that revision; use
 * `git:<rev>:<subdir>` for another folder). Markdown (or JSON) to stdout.
 * Exit 0 = no regression, 1 = regression, 2 = unreadable input or bad usage.
 *
 * @example
 * ```ts
 * import { compareCommand } from "./command.ts";
 * Deno.exit(await compareCommand(["git:HEAD", "results/latest"]));
 * ```
 * @module
 */
import { parseArgs } from "node:util";
import {
  isInputError,
  LoadError,
  loadSuite,
  loadSuiteFromGit,
  type Suite,
} from "../results/load.ts";
import { compareSuites, DEFAULT_RTOL, exitCodeOf, toJson } from "./diff.ts";
import { renderMarkdown } from "./markdown.ts";

/** Where a command writes: stdout and stderr lines (defaults: console). */
export interface CommandIO {
  /** Writes to stdout. */
  out(text: string): void;
  /** Writes to stderr. */
  err(text: string): void;
}

/** The console as CommandIO. */
export const consoleIO: CommandIO = {
  out: (t) => console.log(t),
  err: (t) => console.error(t),
};

const USAGE =
  "usage: compare A B [--json] [--rtol X]   (A, B: result directory or git:<rev>[:<subdir>])";

/**
 * Loads a result set named on the command line: a directory, or
 * `git:<rev>[:<subdir>]` read from the git repository of the current directory.
 */
export async function loadResultArg(
  arg: string,
  repoDir = ".",
): Promise<Suite> {
  if (arg.startsWith("git:")) {
    const rest = arg.slice(4);
    const i = rest.indexOf(":");
    const rev = i < 0 ? rest : rest.slice(0, i);
    const sub = i < 0 ? "results/baseline" : rest.slice(i + 1);
    if (rev === "") throw new LoadError(arg, null, "empty git revision");
    return await loadSuiteFromGit(repoDir, rev, sub);
  }
  return await loadSuite(arg);
}

/**
 * Runs `compare` with CLI arguments; returns the exit code (0, 1 or 2). Never
 * throws for bad input: the message (file and line) goes to stderr.
 */
export async function compareCommand(
  args: string[],
  io: CommandIO = consoleIO,
  repoDir = ".",
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: "boolean" }, rtol: { type: "string" } },
    });
  } catch (e) {
    io.err(`compare: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 2) {
    io.err(
      `compare: expected two result sets, got ${positionals.length}\n${USAGE}`,
    );
    return 2;
  }
  let rtol = DEFAULT_RTOL;
  if (values.rtol !== undefined) {
    rtol = Number(values.rtol);
    if (!(rtol >= 0) || values.rtol.trim() === "") {
      io.err(
        `compare: --rtol: expected a non-negative number, got "${values.rtol}"`,
      );
      return 2;
    }
  }
  try {
    const a = await loadResultArg(positionals[0], repoDir);
    const b = await loadResultArg(positionals[1], repoDir);
    const c = compareSuites(a, b, { rtol });
    io.out(
      values.json ? JSON.stringify(toJson(c), null, 2) : renderMarkdown(c),
    );
    return exitCodeOf(c);
  } catch (e) {
    if (isInputError(e)) {
      io.err(`compare: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

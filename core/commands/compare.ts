/**
 * `compare A B`: A and B are result directories or `git:<rev>` (the committed
 * `results/baseline/` at that revision; `git:<rev>:<subdir>` for another
 * folder). Markdown (or JSON) to stdout. Exit 0 = no regression, 1 =
 * regression, 2 = unreadable input or bad usage.
 *
 * @example
 * ```ts
 * import { compareCommand } from "./compare.ts";
 * import { captureIO, writeFakeSuite } from "../../tests/compare_fixture.ts";
 * import { assertEquals, assertOk } from "../../tests/assert.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFakeSuite(`${dir}/a`);
 * await writeFakeSuite(`${dir}/b`);
 * const io = captureIO();
 * assertEquals(await compareCommand([`${dir}/a`, `${dir}/b`], io), 0);
 * assertOk(io.stdout.join("\n").startsWith("**byte-identical**"));
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
import { type Command, type CommandIO, consoleIO, runCommand, UsageError } from "./command.ts";
import { LoadError, loadSuite, loadSuiteFromGit, type Suite } from "../results/load.ts";
import { compareSuites, DEFAULT_RTOL, exitCodeOf, toJson } from "../compare/diff.ts";
import { renderMarkdown } from "../compare/markdown.ts";

/**
 * Loads a result set named on the command line: a directory, or
 * `git:<rev>[:<subdir>]` read from the git repository at `repoDir`.
 */
export async function loadResultArg(arg: string, repoDir = "."): Promise<Suite> {
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

/** `compare` (reading git revisions from `repoDir`). */
export function compareIn(repoDir: string): Command {
  return {
    name: "compare",
    summary:
      "Compares result set B with A: byte identity, check verdicts A → B, metric drift per run and column. Exit 1 when a gating check fails or is skipped in B, when B lacks a check, run or experiment that A has (a lost shard), or when metrics drift beyond --rtol on the same backend.",
    args: "A B",
    options: {
      json: { type: "boolean", default: false, help: "JSON instead of Markdown" },
      rtol: {
        type: "string",
        value: "X",
        help: `relative tolerance of same-backend drift (default ${DEFAULT_RTOL})`,
      },
    },
    async run({ values, positionals }, io) {
      if (positionals.length !== 2) {
        throw new UsageError(`expected two result sets, got ${positionals.length}`);
      }
      let rtol = DEFAULT_RTOL;
      if (values.rtol !== undefined) {
        const text = values.rtol as string;
        rtol = Number(text);
        if (!(rtol >= 0) || text.trim() === "") {
          throw new UsageError(`--rtol: expected a non-negative number, got "${text}"`);
        }
      }
      const a = await loadResultArg(positionals[0], repoDir);
      const b = await loadResultArg(positionals[1], repoDir);
      const c = compareSuites(a, b, { rtol });
      io.out(values.json ? JSON.stringify(toJson(c), null, 2) : renderMarkdown(c));
      return exitCodeOf(c);
    },
  };
}

/** `compare`. */
export const compare: Command = compareIn(".");

/** Runs `compare` with CLI arguments; returns the exit code (0, 1 or 2). */
export async function compareCommand(
  args: string[],
  io: CommandIO = consoleIO,
  repoDir = ".",
): Promise<number> {
  return await runCommand(compareIn(repoDir), args, io);
}

/**
 * Every command of the CLI, in the order of the top-level help, and the
 * top-level help built from them.
 *
 * @example
 * ```ts
 * import { commandNamed, topLevelHelp } from "./mod.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(commandNamed("compare")?.args, "A B");
 * assertEquals(topLevelHelp().includes("--rtol"), true);
 * ```
 * @module
 */
import { type Command, usageLine } from "./command.ts";
import { baseline, bench } from "./bench.ts";
import { run } from "./run.ts";
import { verify } from "./verify.ts";
import { curves } from "./curves.ts";
import { compare } from "./compare.ts";
import { report } from "./report.ts";
import { perf } from "./perf.ts";
import { merge } from "./merge.ts";
import { schema } from "./schema.ts";

export * from "./command.ts";

/** The commands, in help order. */
export const COMMANDS: Command[] = [
  bench,
  run,
  verify,
  curves,
  compare,
  report,
  perf,
  merge,
  baseline,
  schema,
];

/** The command called `name`, or undefined. */
export function commandNamed(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/** The top-level help: one usage line per command, then the exit codes. */
export function topLevelHelp(): string {
  return [
    "phasebench — theory checks for the phase transitions of training",
    "",
    "usage: deno task <command> [args]   (deno task <command> --help for its options)",
    ...COMMANDS.map((c) => `  ${usageLine(c)}`),
    "",
    "exit codes: 0 = every gating check met its expectation; 1 = one was not met or was skipped,",
    "a run failed, or compare found a regression; 2 = bad input, usage or an I/O fault",
    "(the message names the file, field, line or path).",
  ].join("\n");
}

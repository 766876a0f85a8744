/**
 * The phasebench command line (SPEC §13). Each command is a `deno task` and a
 * module of `core/commands/` that owns its usage, options and run function;
 * the help below is built from those modules.
 *
 * Exit codes: 0 = every gating check met its expectation; 1 = some did not, was
 * skipped, or a run failed (or compare found a regression); 2 = bad input,
 * usage or an I/O fault (the message names the file, field, line or path).
 * @module
 */
import { commandNamed, consoleIO, runCommand, topLevelHelp } from "./core/commands/mod.ts";

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    console.log(topLevelHelp());
    return name === undefined ? 2 : 0;
  }
  const cmd = commandNamed(name);
  if (!cmd) {
    console.error(`unknown command "${name}"\n${topLevelHelp()}`);
    return 2;
  }
  try {
    return await runCommand(cmd, args, consoleIO);
  } catch (e) {
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

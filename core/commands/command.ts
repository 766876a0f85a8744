/**
 * The command layer (modelled on asv's `commands/`): each command is one
 * module exporting a {@linkcode Command} — its name, summary, positional
 * arguments, options (with help text) and `run`. Parsing, `--help`/`-h`, the
 * usage lines and the top-level help are all built from those definitions, so
 * they cannot drift. This is the one place that imports `parseArgs`.
 *
 * @example
 * ```ts
 * import { type Command, runCommand } from "./command.ts";
 * import { captureIO } from "../../tests/compare_fixture.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const hello: Command = {
 *   name: "hello",
 *   summary: "says hello",
 *   args: "[NAME]",
 *   options: { loud: { type: "boolean", help: "shout" } },
 *   run: async ({ values, positionals }, io) => {
 *     io.out(`hello ${positionals[0] ?? "world"}${values.loud ? "!" : ""}`);
 *     return 0;
 *   },
 * };
 * const io = captureIO();
 * assertEquals(await runCommand(hello, ["--loud"], io), 0);
 * assertEquals(io.stdout, ["hello world!"]);
 * assertEquals(await runCommand(hello, ["--lound"], io), 2); // a usage error
 * ```
 * @module
 */
import { parseArgs } from "node:util";
import { ConfigError } from "../config/errors.ts";
import { BackendError } from "../backend.ts";
import { LockError } from "../results/lock.ts";
import { isInputError } from "../results/load.ts";

/** Where a command writes: stdout and stderr lines. */
export interface CommandIO {
  /** Writes a line (or lines) to stdout. */
  out(text: string): void;
  /** Writes a line (or lines) to stderr. */
  err(text: string): void;
}

/** The console as CommandIO. */
export const consoleIO: CommandIO = {
  out: (t) => console.log(t),
  err: (t) => console.error(t),
};

/** One option of a command. */
export interface OptionSpec {
  /** string takes a value; boolean is a switch. */
  type: "string" | "boolean";
  /** One line of help. */
  help: string;
  /** Name of the value in the usage, e.g. "DIR" (string options). */
  value?: string;
  /** May be given several times (values collect into a list). */
  multiple?: boolean;
  /** Default value. */
  default?: string | boolean | string[];
  /** One-letter alias. */
  short?: string;
}

/** Parsed arguments handed to `run`. */
export interface ParsedArgs {
  /** Option values by long name. */
  values: Record<string, string | boolean | string[] | undefined>;
  /** Positional arguments. */
  positionals: string[];
}

/** A command of the CLI. */
export interface Command {
  /** Name, as in `deno task <name>`. */
  name: string;
  /** One-line summary. */
  summary: string;
  /** Positional arguments in the usage line, e.g. "FILE" or "A B" ("" for none). */
  args: string;
  /** Options by long name. */
  options: Record<string, OptionSpec>;
  /** Runs the command; returns the exit code (0, 1 or 2). */
  run(args: ParsedArgs, io: CommandIO): Promise<number>;
}

/** Bad usage of a command (exit 2 with the command's usage line). */
export class UsageError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

function optionSynopsis(name: string, o: OptionSpec): string {
  const flag = o.type === "boolean" ? `--${name}` : `--${name} ${o.value ?? "VALUE"}`;
  return o.multiple ? `[${flag}]…` : `[${flag}]`;
}

/**
 * The usage line of a command, e.g. `compare A B [--json] [--rtol X]`.
 *
 * @example
 * ```ts
 * import { usageLine } from "./command.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const cmd = { name: "x", summary: "", args: "DIR", options: { json: { type: "boolean" as const, help: "" } }, run: () => Promise.resolve(0) };
 * assertEquals(usageLine(cmd), "x DIR [--json]");
 * ```
 */
export function usageLine(cmd: Command): string {
  return [cmd.name, cmd.args, ...Object.entries(cmd.options).map(([n, o]) => optionSynopsis(n, o))]
    .filter((s) => s !== "").join(" ");
}

/**
 * The `--help` text of a command: usage, summary and one line per option.
 *
 * @example
 * ```ts
 * import { helpText } from "./command.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const cmd = { name: "x", summary: "does x", args: "", options: {}, run: () => Promise.resolve(0) };
 * assertEquals(helpText(cmd).split("\n")[0], "usage: deno task x");
 * ```
 */
export function helpText(cmd: Command): string {
  const rows = Object.entries(cmd.options).map(([n, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ""}--${n}${
      o.type === "string" ? ` ${o.value ?? "VALUE"}` : ""
    }`;
    const def = o.default !== undefined && o.default !== false &&
        !(Array.isArray(o.default) && o.default.length === 0)
      ? ` (default ${Array.isArray(o.default) ? o.default.join(",") : o.default})`
      : "";
    return [flag, `${o.help}${o.multiple ? " (repeatable)" : ""}${def}`];
  });
  rows.push(["-h, --help", "this help"]);
  const w = Math.max(...rows.map((r) => r[0].length));
  return [
    `usage: deno task ${usageLine(cmd)}`,
    "",
    cmd.summary,
    "",
    "options:",
    ...rows.map(([f, h]) => `  ${f.padEnd(w)}  ${h}`),
  ].join("\n");
}

/**
 * `--opt -3` would read as a flag cluster to parseArgs ("ambiguous"): join a
 * string option with a value that starts with "-" so that it is validated.
 */
function joinDashValues(args: string[], cmd: Command): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const name = a.startsWith("--") ? a.slice(2) : "";
    if (cmd.options[name]?.type === "string" && i + 1 < args.length && /^-./.test(args[i + 1])) {
      out.push(`${a}=${args[++i]}`);
    } else out.push(a);
  }
  return out;
}

/**
 * Parses a command's arguments from its own option definitions. Throws
 * UsageError (with the command's name) on an unknown option or a missing value.
 */
export function parseCommandArgs(cmd: Command, args: string[]): ParsedArgs {
  const options: Record<string, {
    type: "string" | "boolean";
    multiple?: boolean;
    default?: string | boolean | string[];
    short?: string;
  }> = {};
  for (const [n, o] of Object.entries(cmd.options)) {
    options[n] = { type: o.type };
    if (o.multiple) options[n].multiple = true;
    if (o.default !== undefined) options[n].default = o.default;
    if (o.short) options[n].short = o.short;
  }
  try {
    const { values, positionals } = parseArgs({
      args: joinDashValues(args, cmd),
      allowPositionals: true,
      strict: true,
      options,
    });
    return { values: values as ParsedArgs["values"], positionals };
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify a positional.*$/s, ""));
  }
}

/** Whether an error is an I/O fault from the OS (exit 2 with its message, which names the path). */
export function isIoFault(e: unknown): boolean {
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

/** Whether an error is the user's input (bad file, field, line, path, usage): exit 2. */
export function isUserError(e: unknown): e is Error {
  return e instanceof ConfigError || e instanceof LockError || e instanceof BackendError ||
    e instanceof UsageError || isInputError(e) || isIoFault(e) ||
    (e instanceof Error && e.name === "MergeError");
}

/**
 * Runs a command with raw CLI arguments: `-h`/`--help` prints its help (exit
 * 0); a usage error prints the message and the usage line (exit 2); input and
 * I/O errors print one line naming the file, field, line or path (exit 2).
 * Anything else propagates (an internal error).
 */
export async function runCommand(
  cmd: Command,
  args: string[],
  io: CommandIO = consoleIO,
): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    io.out(helpText(cmd));
    return 0;
  }
  try {
    return await cmd.run(parseCommandArgs(cmd, args), io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${cmd.name}: ${e.message}\nusage: deno task ${usageLine(cmd)}`);
      return 2;
    }
    if (isUserError(e)) {
      io.err(`error: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

/**
 * Options shared by the commands that run experiments (`bench`, `run`):
 * their definitions (for parsing and help) and their translation into
 * {@linkcode SuiteOptions}.
 * @module
 */
import type { OptionSpec, ParsedArgs } from "./command.ts";
import { UsageError } from "./command.ts";
import { type BackendName, BACKENDS } from "../backend.ts";
import { parseShard, type SuiteOptions } from "../train/suite.ts";

/** Options of `bench` and `run`. */
export const SUITE_OPTIONS: Record<string, OptionSpec> = {
  profile: { type: "string", value: "quick|full", default: "quick", help: "profile of overrides" },
  backend: {
    type: "string",
    value: "B",
    default: "wasm",
    help: `TF.js backend: ${BACKENDS.join(", ")}`,
  },
  jobs: { type: "string", value: "N", help: "parallel workers (default: the number of cores)" },
  shard: {
    type: "string",
    value: "I/N",
    help: "run a deterministic 1/N of the runs (CI matrices)",
  },
  out: { type: "string", value: "DIR", help: "results directory" },
  force: { type: "boolean", default: false, help: "re-run finished runs" },
  quiet: { type: "boolean", default: false, help: "no progress display" },
  set: {
    type: "string",
    value: "PATH=VALUE",
    multiple: true,
    default: [],
    help: "override a field (on a swept path: run that one value; sweep.PATH=[…] sets a list)",
  },
  "data-dir": { type: "string", value: "DIR", help: "CIFAR-5M files (else $PHASEBENCH_DATA)" },
};

/** The parsed common options, validated. */
export interface SuiteFlags {
  /** quick | full. */
  profile: "quick" | "full";
  /** Backend. */
  backend: BackendName;
  /** Workers. */
  jobs: number;
  /** Shard text, if any. */
  shard?: string;
  /** Output directory, if given. */
  out?: string;
  /** --force. */
  force: boolean;
  /** --quiet. */
  quiet: boolean;
  /** --set values. */
  sets: string[];
  /** Data directory. */
  dataDir?: string;
}

/** Validates the common options; throws UsageError naming the flag. */
export function suiteFlags({ values }: ParsedArgs): SuiteFlags {
  const profile = values.profile as string;
  if (profile !== "quick" && profile !== "full") {
    throw new UsageError(`--profile ${profile}: expected quick or full`);
  }
  const backend = values.backend as string;
  if (!(BACKENDS as readonly string[]).includes(backend)) {
    throw new UsageError(`--backend ${backend}: expected one of ${BACKENDS.join(", ")}`);
  }
  const jobs = values.jobs === undefined
    ? Math.max(1, navigator.hardwareConcurrency ?? 1)
    : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) {
    throw new UsageError(`--jobs ${values.jobs}: expected a positive integer`);
  }
  return {
    profile,
    backend: backend as BackendName,
    jobs,
    shard: values.shard as string | undefined,
    out: values.out as string | undefined,
    force: values.force as boolean,
    quiet: values.quiet as boolean,
    sets: values.set as string[],
    dataDir: (values["data-dir"] as string | undefined) ?? Deno.env.get("PHASEBENCH_DATA"),
  };
}

/** The runner's options for `files` into `out` under the suite name `suite`. */
export function suiteOptionsOf(
  flags: SuiteFlags,
  files: string[],
  out: string,
  suite: string,
): SuiteOptions {
  return {
    files,
    profile: flags.profile,
    sets: flags.sets,
    backend: flags.backend,
    out,
    jobs: flags.jobs,
    shard: flags.shard ? parseShard(flags.shard) : undefined,
    force: flags.force,
    quiet: flags.quiet,
    dataDir: flags.dataDir,
    suite,
  };
}

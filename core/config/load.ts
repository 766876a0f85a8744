/**
 * Loads experiment files (`experiments/*.ts` default-exporting
 * `defineExperiment({...})`, or `*.json` with the same fields), applies the
 * profile's and `--set` overrides, and validates against one schema.
 *
 * @example
 * ```ts
 * import { loadExperiment } from "./load.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const file = new URL("../../experiments/eos_chebyshev.ts", import.meta.url).pathname;
 * const exp = await loadExperiment(file, { profile: "quick", sets: ["optimizer.lr=0.3"] });
 * assertEquals([exp.name, exp.optimizer?.lr], ["eos_chebyshev", 0.3]);
 * ```
 * @module
 */
import { basename, extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type Experiment, ExperimentSchema } from "./schema.ts";
import { ConfigError, configErrorFromZod, describeValue } from "./errors.ts";
import { applyOverride, parseSetArg } from "./overrides.ts";

/** Which profile to apply and which `--set` overrides. */
export interface LoadOptions {
  /** Profile name (`quick` is the CI suite, `full` closer to the papers). */
  profile: "quick" | "full";
  /** `path=value` strings from `--set`. */
  sets: string[];
  /** Names of known checks; unknown names in `checks` are errors when given. */
  knownChecks?: string[];
  /**
   * Why a check's `options` do not fit its declared schema (one line naming
   * the option), or null; given by the caller that owns the check registry.
   */
  checkOptionsProblem?: (check: string, options: Record<string, unknown>) => string | null;
}

/** Reads an experiment file's raw object (before validation). */
export async function readExperimentFile(file: string): Promise<unknown> {
  const ext = extname(file);
  let stat: Deno.FileInfo;
  try {
    stat = await Deno.stat(file);
  } catch {
    throw new ConfigError(`${file}: file not found`);
  }
  if (!stat.isFile) throw new ConfigError(`${file}: not a file`);
  if (ext === ".json") {
    const text = await Deno.readTextFile(file);
    try {
      return JSON.parse(text);
    } catch (e) {
      const msg = (e as Error).message;
      const pos = msg.match(/position (\d+)/);
      let where = "";
      if (pos) {
        const before = text.slice(0, Number(pos[1]));
        const line = before.split("\n").length;
        const col = Number(pos[1]) - before.lastIndexOf("\n");
        where = `:${line}:${col}`;
      }
      throw new ConfigError(`${file}${where}: invalid JSON (${msg.split("\n")[0]})`);
    }
  }
  if (ext === ".ts" || ext === ".js" || ext === ".mts") {
    let mod: Record<string, unknown>;
    try {
      mod = await import(pathToFileURL(resolve(file)).href);
    } catch (e) {
      const first = String((e as Error).message ?? e).split("\n").slice(0, 3).join(" ").replace(
        /\s+/g,
        " ",
      );
      throw new ConfigError(`${file}: cannot load the module: ${first}`);
    }
    if (!("default" in mod)) {
      throw new ConfigError(
        `${file}: (top level): expected a default export (export default defineExperiment({...})), got none`,
      );
    }
    const d = mod.default;
    if (d === null || typeof d !== "object" || Array.isArray(d)) {
      throw new ConfigError(`${file}: (top level): expected an object, got ${describeValue(d)}`);
    }
    return structuredClone(d);
  }
  throw new ConfigError(`${file}: expected a .ts or .json experiment file`);
}

/**
 * Applies profile and `--set` overrides to a raw experiment and validates it.
 * Throws ConfigError with lines naming file, field path, expected and got.
 */
export function resolveExperiment(raw: unknown, file: string, opts: LoadOptions): Experiment {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError(`${file}: (top level): expected an object, got ${describeValue(raw)}`);
  }
  const obj = structuredClone(raw) as Record<string, unknown>;
  // validate once as written, so profile typos are caught with the file's paths
  const first = ExperimentSchema.safeParse(obj);
  if (!first.success) throw configErrorFromZod(file, first.error, obj);
  const profile = first.data.profiles[opts.profile] ?? {};
  for (const [path, value] of Object.entries(profile)) {
    applyOverride(
      obj,
      path,
      structuredClone(value),
      `${file}: profiles.${opts.profile}["${path}"]`,
    );
  }
  for (const arg of opts.sets) {
    const { path, value } = parseSetArg(arg);
    const sweep = obj.sweep as Record<string, unknown> | undefined;
    const budget = obj.budget as Record<string, unknown> | undefined;
    if (
      path === "budget.steps" && budget && typeof budget === "object" && "computeOptimal" in budget
    ) {
      // a step count replaces a compute-optimal budget: switch to a step budget
      obj.budget = { steps: value };
    } else if (sweep && typeof sweep === "object" && Object.hasOwn(sweep, path)) {
      // `--set PATH=VALUE` on a swept path replaces that axis with the one value
      sweep[path] = [value];
    } else {
      applyOverride(obj, path, value, `--set ${arg}`);
    }
  }
  const parsed = ExperimentSchema.safeParse(obj);
  if (!parsed.success) {
    const err = configErrorFromZod(file, parsed.error, obj);
    const origin = opts.sets.length > 0 || Object.keys(profile).length > 0
      ? ` (after ${
        opts.sets.length > 0 ? "--set " + opts.sets.join(" --set ") + " and " : ""
      }profile ${opts.profile})`
      : "";
    throw new ConfigError(err.message + origin);
  }
  const exp = parsed.data;
  if (opts.knownChecks) {
    exp.checks.forEach((c, i) => {
      if (!opts.knownChecks!.includes(c.name)) {
        throw new ConfigError(
          `${file}: checks[${i}].name: expected one of ${
            opts.knownChecks!.join(" | ")
          }, got "${c.name}"`,
        );
      }
    });
  }
  if (opts.checkOptionsProblem) {
    exp.checks.forEach((c, i) => {
      const problem = opts.checkOptionsProblem!(c.name, c.options);
      if (problem) throw new ConfigError(`${file}: checks[${i}].options (${c.name}): ${problem}`);
    });
  }
  if (exp.task.kind !== "powerlaw-curve") {
    if (!exp.model) {
      throw new ConfigError(
        `${file}: model: required field missing (task ${exp.task.kind} trains a model)`,
      );
    }
    if (!exp.optimizer) {
      throw new ConfigError(
        `${file}: optimizer: required field missing (task ${exp.task.kind} trains a model)`,
      );
    }
  }
  for (const [i, path] of (exp.pairOver ?? []).entries()) {
    if (!Object.hasOwn(exp.sweep, path)) {
      throw new ConfigError(
        `${file}: pairOver[${i}]: expected a swept path (${
          Object.keys(exp.sweep).join(", ") || "the experiment sweeps nothing"
        }), got "${path}"`,
      );
    }
  }
  for (const [path, values] of Object.entries(exp.sweep)) {
    if (new Set(values.map((v) => JSON.stringify(v))).size !== values.length) {
      throw new ConfigError(`${file}: sweep["${path}"]: expected distinct values, got duplicates`);
    }
  }
  return exp;
}

/** Reads, overrides and validates one experiment file. */
export async function loadExperiment(file: string, opts: LoadOptions): Promise<Experiment> {
  const raw = await readExperimentFile(file);
  const exp = resolveExperiment(raw, file, opts);
  const stem = basename(file, extname(file));
  if (exp.name !== stem) {
    throw new ConfigError(`${file}: name: expected "${stem}" (the file name), got "${exp.name}"`);
  }
  return exp;
}

/** Lists experiment files in a directory (sorted, .ts and .json). */
export async function listExperimentFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (
      e.isFile && /\.(ts|json)$/.test(e.name) && !e.name.startsWith("_") &&
      !e.name.endsWith(".schema.json")
    ) {
      out.push(`${dir}/${e.name}`);
    }
  }
  return out.sort();
}

/**
 * `--set path=value` overrides and profile overrides: set a value at a dotted
 * field path, with type coercion (JSON when it parses, else a string).
 *
 * @example
 * ```ts
 * import { applyOverride, parseSetArg } from "./overrides.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const cfg = { optimizer: { kind: "gd", lr: 0.1 } };
 * const { path, value } = parseSetArg("optimizer.lr=0.2");
 * applyOverride(cfg, path, value, "--set optimizer.lr=0.2");
 * assertEquals(cfg.optimizer.lr, 0.2);
 * ```
 * @module
 */
import { ConfigError } from "./errors.ts";

/** Coerces a command-line value: JSON (numbers, booleans, lists, null) or a plain string. */
export function coerceValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Splits `path=value`; throws ConfigError when malformed. */
export function parseSetArg(arg: string): { path: string; value: unknown } {
  const eq = arg.indexOf("=");
  if (eq <= 0) {
    throw new ConfigError(`--set ${arg}: expected PATH=VALUE, e.g. --set optimizer.lr=0.1`);
  }
  const path = arg.slice(0, eq).trim();
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/.test(path)) {
    throw new ConfigError(`--set ${arg}: "${path}" is not a field path like optimizer.lr`);
  }
  return { path, value: coerceValue(arg.slice(eq + 1)) };
}

/**
 * Sets `value` at dotted `path` inside `root` (mutating). Intermediate objects
 * are created when absent; a non-object on the way is an error naming `origin`.
 * `sweep.<field path>` sets the sweep list of that field path, e.g.
 * `sweep.model.width=[32,64]`.
 */
export function applyOverride(
  root: Record<string, unknown>,
  path: string,
  value: unknown,
  origin: string,
): void {
  // `sweep.model.width` addresses the sweep key "model.width" (sweep keys are field paths)
  const split = path.split(".");
  const keys = split[0] === "sweep" && split.length > 2
    ? ["sweep", split.slice(1).join(".")]
    : split;
  let cur: Record<string, unknown> = root;
  for (let i = 0; i < keys.length - 1; i++) {
    const k = keys[i];
    const next = cur[k];
    if (next === undefined) {
      cur[k] = {};
    } else if (next === null || typeof next !== "object" || Array.isArray(next)) {
      throw new ConfigError(
        `${origin}: ${keys.slice(0, i + 1).join(".")} is ${
          Array.isArray(next) ? "a list" : typeof next
        }, not an object, so ${path} cannot be set`,
      );
    }
    cur = cur[k] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]] = value;
}

/** Reads the value at a dotted path (undefined when absent). */
export function getPath(root: unknown, path: string): unknown {
  let cur = root;
  for (const k of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

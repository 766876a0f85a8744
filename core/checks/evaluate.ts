/**
 * Evaluates an experiment's declared checks on its runs: filters runs by each
 * check's `where`, runs the check, and turns outcomes into checks.csv rows.
 *
 * @example
 * ```ts
 * import { evaluateExperimentChecks } from "./evaluate.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const rows = evaluateExperimentChecks("e", [{ name: "nope", expect: "holds" }], []);
 * assertEquals(rows[0].verdict, "skip");
 * ```
 * @module
 */
import {
  type Check,
  type CheckOptions,
  type CheckRow,
  type CheckSpec,
  outcomeOf,
  type RunData,
} from "./types.ts";
import { checkNames, getCheck } from "./registry.ts";

/**
 * Whether a run's runs.csv values match a `where` filter: numbers compare
 * numerically (the cell must parse to the same number), strings and booleans
 * by `String(value)`. A key the run lacks never matches.
 *
 * @example
 * ```ts
 * import { matchesWhere } from "./evaluate.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(matchesWhere({ "optimizer.lr": "0.20" }, { "optimizer.lr": 0.2 }), true);
 * ```
 */
export function matchesWhere(
  info: Record<string, string>,
  where: Record<string, string | number | boolean> | undefined,
): boolean {
  if (!where) return true;
  for (const [k, v] of Object.entries(where)) {
    const cell = info[k];
    if (cell === undefined) return false;
    if (typeof v === "number") {
      if (cell.trim() === "" || Number(cell) !== v) return false;
    } else if (cell !== String(v)) {
      return false;
    }
  }
  return true;
}

/**
 * Why `options` do not fit the check's declared strict schema (an unknown or
 * misspelt key, a wrong type), as one line naming the key; null when they fit.
 *
 * @example
 * ```ts
 * import { checkOptionsProblem } from "./evaluate.ts";
 * import { z } from "zod";
 * import { assertEquals } from "../../tests/assert.ts";
 * const check = { name: "c", description: "", optionsSchema: z.strictObject({ band: z.number().optional() }), evaluate: () => [] };
 * assertEquals(checkOptionsProblem(check, { bnad: 1 }), 'unknown option "bnad" (known: band)');
 * ```
 */
export function checkOptionsProblem(check: Check, options: CheckOptions): string | null {
  const r = check.optionsSchema.safeParse(options);
  if (r.success) return null;
  const known = knownOptionKeys(check);
  return r.error.issues.map((i) => {
    if (i.code === "unrecognized_keys") {
      return i.keys.map((k) => `unknown option "${k}" (known: ${known.join(", ") || "none"})`)
        .join("; ");
    }
    const path = i.path.map(String).join(".");
    return `option ${path || "(options)"}: ${i.message}`;
  }).join("; ");
}

/** The option keys a check declares (empty when it declares no object schema). */
export function knownOptionKeys(check: Check): string[] {
  const shape = (check.optionsSchema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

/**
 * Runs every check of `specs` on `runs` and returns the checks.csv rows.
 * An unknown check name or a `where` that matches no run gives one `skip`
 * row with the reason; a check that throws (it should not) gives a `skip` row
 * with the error message.
 *
 * @example
 * ```ts
 * import { evaluateExperimentChecks } from "./evaluate.ts";
 * import { tableFromCsv } from "../results/table.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const metrics = tableFromCsv("step,train_acc,test_acc\n0,0,0\n10,1,0.1\n40,1,1\n", "m.csv");
 * const runs = [{ id: "g/base", status: "ok" as const, info: {}, metrics }];
 * assertEquals(evaluateExperimentChecks("g", [{ name: "grokking", expect: "holds" }], runs)[0].outcome, "met");
 * ```
 */
export function evaluateExperimentChecks(
  experiment: string,
  specs: CheckSpec[],
  runs: RunData[],
): CheckRow[] {
  const rows: CheckRow[] = [];
  for (const spec of specs) {
    const base = { experiment, check: spec.name, expect: spec.expect };
    const skipRow = (detail: string): CheckRow => ({
      ...base,
      run: "*",
      statistic: "",
      value: null,
      expected: "",
      tolerance: "",
      verdict: "skip",
      outcome: outcomeOf(spec.expect, "skip"),
      detail,
    });
    const check = getCheck(spec.name);
    if (!check) {
      rows.push(
        skipRow(
          `unknown check "${spec.name}" (known: ${checkNames().join(", ")})`,
        ),
      );
      continue;
    }
    const selected = runs.filter((r) => matchesWhere(r.info, spec.where));
    if (selected.length === 0) {
      rows.push(skipRow(
        runs.length === 0
          ? "no runs"
          : `no run matches where ${JSON.stringify(spec.where)} (of ${runs.length} runs)`,
      ));
      continue;
    }
    const problem = checkOptionsProblem(check, spec.options ?? {});
    if (problem) {
      rows.push(skipRow(`options: ${problem}`));
      continue;
    }
    // Every selected run was skipped for absent input data: "no data", which
    // does not gate (SPEC §6.3); any other skip of a gating check gates.
    const noData = selected.every((r) => r.status === "skipped");
    let outcomes;
    try {
      outcomes = check.evaluate(
        { experiment, runs: selected },
        spec.options ?? {},
      );
    } catch (e) {
      rows.push(skipRow(`check error: ${(e as Error).message}`));
      continue;
    }
    for (const o of outcomes) {
      rows.push({ ...base, ...o, outcome: outcomeOf(spec.expect, o.verdict, noData) });
    }
  }
  return rows;
}

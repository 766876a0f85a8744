/**
 * The emergence plots of the report (SPEC §6.5, §10): for an experiment that
 * declares the `emergence` check, one figure per run (at most
 * {@linkcode MAX_RUNS}) with three panels sharing the step axis — the
 * per-subtask held-out accuracy curves (`acc_task_<i>`), the mean held-out
 * loss (`test_loss`) and the update-Gram edge statistic (`gram_s2_s3` or the
 * check's `column` option), each with the subtasks' onsets t_50 (as measured
 * by the check itself) drawn as vertical rules.
 *
 * @example
 * ```ts
 * import { emergencePlots } from "./emergence.ts";
 * import { loadSuite } from "../results/load.ts";
 * import { writeFakeSuite } from "../../tests/compare_fixture.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * // one run of an experiment that declares the emergence check: subtask 1 jumps at step 15
 * const dir = await Deno.makeTempDir();
 * const rows = [0, 10, 20, 30, 40, 50, 60].map((s) => [s, 1, s < 20 ? 0.5 : 1]);
 * await writeFakeSuite(dir, { checks: false }, [{
 *   name: "parity",
 *   config: { name: "parity", checks: [{ name: "emergence", expect: "holds" }] },
 *   runs: [{ params: { seed: 1 }, header: ["step", "train_loss", "acc_task_1"], rows }],
 * }]);
 * const [experiment] = (await loadSuite(dir)).experiments;
 * assertEquals(emergencePlots(experiment).map((p) => p.name), ["parity.emergence_1"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
import type { LoadedExperiment } from "../results/load.ts";
import type { CheckOptions, CheckSpec } from "../checks/types.ts";
import { analyseEmergence, subtaskIndices } from "../checks/emergence.ts";
import { series } from "../checks/common.ts";
import type { Plot } from "./render.ts";
import { FONT_FAMILY, type VlSpec } from "./render.ts";

/** Most runs drawn per experiment (one figure each). */
export const MAX_RUNS = 4;

function checkSpecs(config: unknown): CheckSpec[] {
  const c = (config as { checks?: unknown })?.checks;
  return Array.isArray(c)
    ? c.filter((s) => s && typeof s === "object" && typeof s.name === "string")
    : [];
}

function panel(
  title: string,
  values: Record<string, number | string>[],
  y: string,
  rules: { step: number; subtask: string }[],
  opts: { log?: boolean; color?: boolean; domain?: [number, number] },
): VlSpec {
  const xEnc = { field: "step", type: "quantitative", title: "step" };
  return {
    title,
    width: 520,
    height: 160,
    layer: [
      {
        data: { values },
        mark: { type: "line", clip: true },
        encoding: {
          x: xEnc,
          y: {
            field: y,
            type: "quantitative",
            title: y,
            ...(opts.log ? { scale: { type: "log" } } : {}),
            ...(opts.domain ? { scale: { domain: opts.domain } } : {}),
          },
          ...(opts.color ? { color: { field: "subtask", type: "nominal", title: "subtask" } } : {}),
        },
      },
      ...(rules.length
        ? [{
          data: { values: rules },
          mark: { type: "rule", strokeDash: [4, 3], opacity: 0.7 },
          encoding: {
            x: xEnc,
            ...(opts.color ? { color: { field: "subtask", type: "nominal" } } : {}),
          },
        }]
        : []),
    ],
  };
}

/**
 * The emergence figures of an experiment (none when it has no `emergence`
 * check or no `acc_task_<i>` columns).
 */
export function emergencePlots(exp: LoadedExperiment): Plot[] {
  const specs = checkSpecs(exp.config);
  const spec = specs.find((s) => s.name === "emergence");
  if (!spec) return [];
  const options: CheckOptions = spec.options ?? {};
  const edgeSpec = specs.find((s) => s.name === "edge_at_emergence");
  const edgeColumn = (edgeSpec?.options?.column as string | undefined) ?? "gram_s2_s3";
  const out: Plot[] = [];
  for (const r of exp.runs.filter((r) => r.metrics).slice(0, MAX_RUNS)) {
    const t = r.metrics!;
    const a = analyseEmergence(t, options);
    if (!a) continue;
    const rules = a.learned.map((j) => ({ step: j.t50!, subtask: String(j.task) }));
    const acc: Record<string, number | string>[] = [];
    for (const i of subtaskIndices(t, "acc_task_")) {
      const s = series(t, "step", `acc_task_${i}`);
      s.x.forEach((x, q) => acc.push({ step: x, accuracy: s.y[q], subtask: String(i) }));
    }
    const loss = series(t, "step", "test_loss");
    const edge = series(t, "step", edgeColumn);
    const panels: VlSpec[] = [
      panel("held-out accuracy per subtask; dashed: onsets t50", acc, "accuracy", rules, {
        color: true,
        domain: [0.4, 1],
      }),
    ];
    if (loss.x.length) {
      panels.push(
        panel(
          "mean held-out loss (equal weight per subtask)",
          loss.x.map((x, q) => ({ step: x, test_loss: loss.y[q] })),
          "test_loss",
          rules,
          { log: true },
        ),
      );
    }
    if (edge.x.length) {
      panels.push(
        panel(
          `update-Gram edge ${edgeColumn} (log scale)`,
          edge.x.flatMap((x, q) => edge.y[q] > 0 ? [{ step: x, [edgeColumn]: edge.y[q] }] : []),
          edgeColumn,
          rules,
          { log: true },
        ),
      );
    }
    const label = r.id.startsWith(`${exp.name}/`) ? r.id.slice(exp.name.length + 1) : r.id;
    out.push({
      name: `${exp.name}.emergence_${out.length + 1}`,
      title: `${exp.name}: emergence (${label})`,
      caption:
        `Per-subtask held-out accuracy (subtask i has the i-th largest frequency), the mean ` +
        `held-out loss and the update-Gram ${edgeColumn}, with the onsets t50 of the learned ` +
        `subtasks dashed; ${a.learned.length}/${a.jumps.length} learned.`,
      spec: {
        $schema: "https://vega.github.io/schema/vega-lite/v6.json",
        title: { text: `${exp.name}: emergence`, subtitle: label },
        config: {
          font: FONT_FAMILY,
          background: "white",
          title: { fontSize: 14, anchor: "start", subtitleFontSize: 11, subtitleColor: "#555" },
          view: { stroke: "#bbb" },
          line: { strokeWidth: 1.4 },
        },
        vconcat: panels,
      },
    });
  }
  return out;
}

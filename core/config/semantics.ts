/**
 * Semantic validation of one resolved run config: combinations that pass the
 * schema but cannot work (SPEC §13: "a task/model/loss combination that cannot
 * work" is an input error, refused before any run starts or any directory is
 * written).
 *
 * @example
 * ```ts
 * import { semanticProblems } from "./semantics.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(semanticProblems({ task: { kind: "modular", p: 12, op: "div" } }), [
 *   'task.p: expected a prime modulus for op "div" (b must have an inverse mod p), got 12',
 * ]);
 * assertEquals(semanticProblems({ task: { kind: "modular", p: 13, op: "div" } }), []);
 * ```
 * @module
 */

/** Whether `n` is prime (trial division; moduli here are small). */
export function isPrime(n: number): boolean {
  if (!Number.isInteger(n) || n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

/** Tasks whose targets are real-valued (regression): cross-entropy does not apply. */
const REGRESSION_TASKS = ["chebyshev", "powerlaw", "powerlaw-curve"];

/** Whether a task feeds token sequences (a transformer's input) rather than feature vectors. */
function tokenInput(task: Record<string, unknown>): boolean {
  return (task.kind === "modular" && task.encoding === "tokens") ||
    (task.kind === "cifar5m" && task.view === "grey-tokens");
}

/**
 * The problems of one resolved config (empty when it can run), each as
 * `field.path: expected …, got …`.
 */
export function semanticProblems(config: {
  task: Record<string, unknown>;
  model?: Record<string, unknown> | null;
  loss?: string;
}): string[] {
  const out: string[] = [];
  const task = config.task;
  if (task.kind === "modular" && task.op === "div" && !isPrime(task.p as number)) {
    out.push(
      `task.p: expected a prime modulus for op "div" (b must have an inverse mod p), got ${task.p}`,
    );
  }
  if (task.kind === "sparse-parity" && (task.k as number) > (task.n as number)) {
    out.push(
      `task.k: expected at most task.n = ${task.n} bits per subtask (a k-subset of the n task bits), got ${task.k}`,
    );
  }
  if (config.loss === "xent" && REGRESSION_TASKS.includes(task.kind as string)) {
    out.push(
      `loss: expected "mse" for the regression task ${task.kind} (cross-entropy needs class labels), got "xent"`,
    );
  }
  const model = config.model;
  if (model && task.kind !== "powerlaw-curve") {
    const tokens = tokenInput(task);
    if (model.kind === "transformer" && !tokens) {
      out.push(
        `model.kind: expected "mlp" or "resmlp" for ${task.kind} features (a transformer reads token sequences: modular encoding "tokens" or cifar5m view "grey-tokens"), got "transformer"`,
      );
    }
    if (model.kind !== "transformer" && tokens) {
      out.push(
        `model.kind: expected "transformer" for token inputs (${
          task.kind === "modular" ? 'task.encoding "tokens"' : 'task.view "grey-tokens"'
        }), got "${model.kind}"`,
      );
    }
  }
  return out;
}

/**
 * Gradient registrations are global, so these checks run in separate Deno
 * processes (other test files in this process may already have installed
 * them):
 * - negative control: plain nested `tf.grads` through tanh disagrees with the
 *   float64 reference, and the safe gradients fix it;
 * - the transpose-free MatMul gradient equals TF.js's default gradient.
 */
import { assertMatch, assertOk } from "./assert.ts";

async function runScript(name: string, ...args: string[]): Promise<Record<string, unknown>> {
  const script = new URL(`./reference/${name}`, import.meta.url);
  const config = new URL("../deno.json", import.meta.url);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", config.pathname, script.pathname, ...args],
    cwd: new URL("..", import.meta.url).pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  assertOk(out.success, `${name} failed: ${new TextDecoder().decode(out.stderr)}`);
  const lines = stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]);
}

Deno.test("naive nested tf.grads through tanh disagrees with the float64 reference (safe gradients fix it)", async () => {
  const result = await runScript("naive_hvp.ts");
  assertOk(result.installedAtStart === false, "safe gradients were installed before the naive run");
  // the harness refuses exact HVPs without the fix
  assertMatch(String(result.makeHvpRefused), /installSecondOrderSafeGradients/);
  // naive: wrong by more than 1% (or throws)
  if (result.naiveError === undefined) {
    const rel = result.naiveRelativeError as number;
    assertOk(rel > 1e-2, `naive nested grads unexpectedly agree: ${rel}`);
  } else {
    assertMatch(String(result.naiveError), /Cannot compute gradient/);
  }
  // positive control in the same process, after installing
  const safe = result.safeRelativeError as number;
  assertOk(safe < 1e-4, `safe HVP error ${safe}`);
});

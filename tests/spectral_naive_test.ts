/**
 * Negative control for the second-order-safe gradients: plain nested
 * `tf.grads` through tanh disagrees with the float64 reference. Runs in a
 * separate Deno process, because installing the safe gradients is global and
 * other test files in this process may already have done it.
 */
import { assertMatch, assertOk } from "./assert.ts";

Deno.test("naive nested tf.grads through tanh disagrees with the float64 reference (safe gradients fix it)", async () => {
  const script = new URL("./reference/naive_hvp.ts", import.meta.url);
  const config = new URL("../deno.json", import.meta.url);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", config.pathname, script.pathname],
    cwd: new URL("..", import.meta.url).pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  assertOk(out.success, `subprocess failed: ${stderr}`);
  const lines = stdout.trim().split("\n");
  const result = JSON.parse(lines[lines.length - 1]);
  assertOk(
    result.installedAtStart === false,
    "safe gradients were installed before the naive run",
  );
  // the harness refuses exact HVPs without the fix
  assertMatch(String(result.makeHvpRefused), /installSecondOrderSafeGradients/);
  // naive: wrong by more than 1% (or throws)
  if (result.naiveError === undefined) {
    assertOk(
      result.naiveRelativeError > 1e-2,
      `naive nested grads unexpectedly agree: ${result.naiveRelativeError}`,
    );
  } else {
    assertMatch(String(result.naiveError), /Cannot compute gradient/);
  }
  // positive control in the same process, after installing
  assertOk(
    result.safeRelativeError < 1e-4,
    `safe HVP error ${result.safeRelativeError}`,
  );
});

/**
 * Every spectral measurement on `webgpu` against the float64 reference, with
 * the tolerances the cpu tests use (spectral_hvp_test, spectral_trace_test,
 * spectral_precond_noise_test): gradient, exact and finite-difference HVPs,
 * λ_max by Lanczos and by power iteration, the Hutchinson trace and the
 * gradient-noise trace, for tanh × MSE and GELU × cross-entropy (whose shift
 * stays on the device on webgpu). Run in a subprocess
 * (`tests/reference/webgpu_spectral.ts`) with every kernel on the device.
 * Without a WebGPU adapter the test is reported as ignored, with the reason
 * in its name.
 */
import { assertEquals, assertOk } from "./assert.ts";
import { adapter, adapterSuffix, runReferenceScript } from "./webgpu_helpers.ts";

Deno.test({
  name: `webgpu: HVPs, λ_max, trace and gradient noise match the float64 reference${adapterSuffix}`,
  ignore: adapter === null,
  fn: async () => {
    const stdout = await runReferenceScript("webgpu_spectral.ts");
    const result = JSON.parse(stdout[stdout.length - 1]);
    assertEquals(result.backend, "webgpu");
    // relative errors (trace: in standard errors of the estimate)
    const tolerance: Record<string, number> = {
      gradient: 1e-5,
      loss: 1e-6,
      hvpExact: 1e-3,
      hvpFd: 1e-3,
      lanczos: 1e-3,
      power: 1e-3,
      traceSe: 3,
      gradNoise: 1e-4,
    };
    for (const pair of ["tanh/mse", "gelu/xent"]) {
      for (const [what, tol] of Object.entries(tolerance)) {
        const err = result[pair][what];
        assertOk(Number.isFinite(err) && err <= tol, `${pair} ${what}: ${err} > ${tol}`);
      }
    }
    console.log(JSON.stringify(result));
  },
});

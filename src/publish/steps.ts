/**
 * Fault-injection seam. A publication calls its step hook before each change it makes on
 * disk, and once more when it is done, so tests can stop it at an exact step: throw to make
 * that change fail (ENOSPC, a refused rename), or never return to freeze it there the way
 * SIGKILL or a power cut would. Production runs have no hook.
 */
export type StepHook = (step: string) => void | Promise<void>;

let installed: StepHook | undefined;

/** The hook for publications that are not given one (the CLI installs it; see pauseAtStepFromEnv). */
export function installStepHook(hook: StepHook | undefined): void {
  installed = hook;
}

export function installedStepHook(): StepHook | undefined {
  return installed;
}

/**
 * Environment variable read by the CLI only: `N` pauses a build before its Nth publication step,
 * a step's name (`done`) before the first step of that name; `0` only lists them.
 */
const PAUSE_ENV = 'KIOSQUE_PAUSE_AT_STEP';

/** The CLI's whole use of the seam: without the variable, nothing is installed. */
export function installStepHookFromEnv(env: NodeJS.ProcessEnv, write: (line: string) => void): void {
  const value = env[PAUSE_ENV];
  if (value === undefined || value === '') return;
  installStepHook(pauseAtStep(/^\d+$/.test(value) ? Number(value) : value, write));
}

/**
 * For the kill tests: writes `kiosque-step <n> <name>` to stderr at each step and, at step
 * `pauseAt` (its number or its name), waits forever, so the test that counted the steps can
 * SIGKILL the build exactly there.
 */
export function pauseAtStep(pauseAt: number | string, write: (line: string) => void): StepHook {
  let n = 0;
  return async (step) => {
    n += 1;
    write(`kiosque-step ${n} ${step}\n`);
    if (n === pauseAt || step === pauseAt) {
      setInterval(() => undefined, 60_000);
      await new Promise<never>(() => undefined);
    }
  };
}

/** What a command needs from its process, passed in so commands stay testable and quiet about globals. */
export type CommandIo = {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  /** Aborted on SIGINT/SIGTERM; long-running commands stop cleanly when it fires. */
  signal: AbortSignal;
  /** `--json` is on the command line: even a usage error answers with a JSON object on stdout. */
  json?: boolean;
};

/**
 * `stream` for a command's output, whose failed writes (a full disk under `>> kiosque.log`, a terminal gone) are kept
 * in `failure` rather than thrown: what the command did stands (a build that published has published), and its exit
 * code says so; a log line that cannot be written does not stop a service.
 */
export function tolerant(stream: NodeJS.WritableStream & { isTTY?: boolean }): CommandIo['stdout'] & { failure?: NodeJS.ErrnoException } {
  const wrapped: CommandIo['stdout'] & { failure?: NodeJS.ErrnoException } = Object.create(stream);
  wrapped.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    try {
      return (stream.write as (c: string | Uint8Array, ...r: unknown[]) => boolean).call(stream, chunk, ...rest);
    } catch (err) {
      wrapped.failure ??= err as NodeJS.ErrnoException;
      return false;
    }
  }) as typeof stream.write;
  return wrapped;
}

/** A subcommand: arguments after its name in, exit code out. Expected failures never throw. */
export type Command = (argv: string[], io: CommandIo) => Promise<number>;

/**
 * Exit codes shared by the commands. A usage error has its own code in every command, so a
 * script never mistakes a typo for "published, with rejected articles" or "unreadable file".
 */
export const EXIT = {
  ok: 0,
  /** build: nothing published; validate: errors found; serve/start: could not start. */
  failed: 1,
  /** build: published, some articles rejected; validate: unreadable file or unknown format. */
  partial: 2,
  /** Unknown option or command, bad option value, missing argument: EX_USAGE from sysexits.h. */
  usage: 64,
} as const;

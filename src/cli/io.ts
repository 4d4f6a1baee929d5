/** What a command needs from its process, passed in so commands stay testable and quiet about globals. */
export type CommandIo = {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  /** Aborted on SIGINT/SIGTERM; long-running commands stop cleanly when it fires. */
  signal: AbortSignal;
};

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

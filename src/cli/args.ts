/** Argument handling shared by the subcommands: strict parsing, --help, and the port option. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CommandIo } from './io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses `argv` strictly. Returns the values, or the exit code to return at once: 0 after
 * printing `help` for --help, `usageExit` after an unknown or malformed option.
 */
export function parseCommandArgs<O extends Options>(
  command: string,
  argv: string[],
  options: O,
  help: string,
  io: CommandIo,
  usageExit: number,
): { values: ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>>['values']; positionals: string[] } | { exit: number } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } } as O, strict: true, allowPositionals: true });
  } catch (err) {
    io.stderr.write(`kiosque ${command}: ${(err as Error).message}\n\n${help}`);
    return { exit: usageExit };
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout.write(help);
    return { exit: 0 };
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

/** A TCP port from the command line: undefined when absent, an error message when malformed. */
export function parsePort(value: string | undefined): number | undefined | { error: string } {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) return { error: `--port must be a whole number from 0 to 65535 (got "${value}")` };
  return port;
}

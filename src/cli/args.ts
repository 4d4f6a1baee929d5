/** Argument handling shared by the subcommands: strict parsing, --help, and the port option. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EXIT, type CommandIo } from './io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Reports a usage error on stderr and returns its exit code; `help` follows when given. */
export function usageError(io: CommandIo, command: string, message: string, help?: string): number {
  io.stderr.write(`kiosque ${command}: ${message}\n${help ? `\n${help}` : ''}`);
  // A script that asked for JSON parses stdout whatever happened.
  if (io.json) io.stdout.write(`${JSON.stringify({ error: 'usage', message: `kiosque ${command}: ${message}`, exitCode: EXIT.usage })}\n`);
  return EXIT.usage;
}

/** What `parseArgs` refused, in a line; `--wait -1` (taken for an option by the parser, which says so at length) as a negative number. */
export function argumentError(err: unknown, argv: readonly string[]): string {
  const ambiguous = (err as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
    ? /^Option '(--[\w-]+)[^']*' argument is ambiguous/.exec((err as Error).message) : null;
  const value = ambiguous ? argv[argv.indexOf(ambiguous[1]!) + 1] : undefined;
  if (ambiguous && value !== undefined && /^-\d/.test(value)) return `${ambiguous[1]} must not be negative (got "${value}")`;
  return (err as Error).message;
}

/**
 * Parses `argv` strictly: these commands take no operands, so a stray word (a typo for an
 * option) is a usage error rather than silently ignored. Returns the values, or the exit code
 * to return at once: 0 after printing `help` for --help, EXIT.usage after a bad argument.
 */
export function parseCommandArgs<O extends Options>(
  command: string,
  argv: string[],
  options: O,
  help: string,
  io: CommandIo,
): { values: ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: false }>>['values'] } | { exit: number } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } } as O, strict: true, allowPositionals: false });
  } catch (err) {
    return { exit: usageError(io, command, argumentError(err, argv), help) };
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout.write(help);
    return { exit: 0 };
  }
  return { values: parsed.values };
}

/** A number of seconds from the command line (`--wait 30`, `--wait 0.5`): `fallback` when absent, undefined when malformed (`0x10`, ` 5`, empty). */
export function parseSeconds(value: string | undefined, fallback: number): number | undefined {
  if (value === undefined) return fallback;
  return /^\d+(\.\d+)?$/.test(value) ? Number(value) : undefined;
}

/** A TCP port from the command line: undefined when absent, an error message when malformed. */
export function parsePort(value: string | undefined): number | undefined | { error: string } {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) return { error: `--port must be a whole number from 0 to 65535 (got "${value}")` };
  return port;
}

#!/usr/bin/env node
/**
 * kiosque CLI entry: picks the subcommand and lazy-loads only its module, so `validate`
 * never pays for the scheduler or the server. Exit codes are decided by the commands.
 */
import { installStepHookFromEnv } from '../publish/steps.js';
import { EXIT, tolerant, type Command, type CommandIo } from './io.js';

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run: Command }> }> = {
  build: { summary: 'read the store, render, validate and publish the three feeds once', load: () => import('./commands/build.js') },
  validate: { summary: 'check feed files (RSS 2.0, Atom 1.0, JSON Feed 1.1) against their specs', load: () => import('./commands/validate.js') },
  explain: { summary: 'print what a rule id means, why it matters and how to fix it', load: () => import('./commands/explain.js') },
  serve: { summary: 'serve the published feeds over HTTP with ETags, 304s and compression', load: () => import('./commands/serve.js') },
  start: { summary: 'build now, then on the configured schedule, and serve the feeds', load: () => import('./commands/start.js') },
  publish: { summary: 'push the publication in the out dir to an S3-compatible bucket', load: () => import('./commands/publish.js') },
};

export const USAGE = `Usage: kiosque <command> [options]

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)}${c.summary}`).join('\n')}

Run "kiosque <command> --help" for a command's options and exit codes.
A usage error (unknown command or option, bad value, missing argument) exits 64 in every command.
`;

const stdout = tolerant(process.stdout);
const stderr = tolerant(process.stderr);

/**
 * The working directory. One deleted under the process (a release folder a deploy removed) is said, and the process moves
 * to `/`, so that what asks Node for it (worker threads starting) still works: absolute paths work, relative ones are
 * looked for where the folder was, and are not found.
 */
function workingDirectory(): string {
  try {
    return process.cwd();
  } catch {
    const gone = process.env['PWD'] ?? '/';
    stderr.write(`kiosque: the working directory ${gone} no longer exists: relative paths cannot be found; give absolute ones, or run it from a folder that exists\n`);
    process.chdir('/');
    return gone;
  }
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    stdout.write(USAGE);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    const { VERSION } = await import('../version.js');
    stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    stderr.write(`kiosque: unknown command "${name}"\n\n${USAGE}`);
    return EXIT.usage;
  }
  const controller = new AbortController();
  // The signal's name is the abort reason: a command can say which one stopped it.
  const stop = (signal: NodeJS.Signals): void => controller.abort(signal);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const io: CommandIo = { stdout, stderr, cwd: workingDirectory(), signal: controller.signal, ...(rest.includes('--json') ? { json: true } : {}) };
  // Test seam for exact-step kills; inert unless KIOSQUE_PAUSE_AT_STEP is set.
  installStepHookFromEnv(process.env, (line) => stderr.write(line));
  const { run } = await command.load();
  return run(rest, io);
}

// Node ignores SIGPIPE, so a reader that stops early (`kiosque validate … | head`) makes the next write fail with
// EPIPE. Stop there as Unix tools do on SIGPIPE (status 128 + 13), without a stack trace: nobody reads the rest.
const SIGPIPE_STATUS = 141;
const SERVICES = new Set(['serve', 'start']);
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    // A service (`serve`, `start`) goes on serving and building when its log's reader is gone (`start | tee` restarted).
    if (err.code === 'EPIPE' && !SERVICES.has(process.argv[2] ?? '')) process.exit(SIGPIPE_STATUS);
    // Any other failure of an asynchronous write (a full disk behind a pipe): the command goes on, as with a synchronous one.
    (stream === process.stdout ? stdout : stderr).failure ??= err;
  });
}

// Its output could not be written: said in a line (if stderr still can be), the command's exit code kept. At exit, as a
// failed write is told by an event that may come after the command returned.
process.on('exit', (code) => {
  const failure = stdout.failure ?? stderr.failure;
  if (failure) stderr.write(`kiosque: its output could not be all written (${failure.code ?? failure.message}); the command's work stands, exit ${code}\n`);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Only bugs get here: expected failures are reported by the commands themselves.
    stderr.write(`kiosque: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);

/**
 * `kiosque serve`: serves the last publication in the out dir over HTTP (ETag/304,
 * pre-compressed gzip/br, WebSub Link headers) and swaps in new publications as the
 * manifest changes. One log line per event, like `start`.
 */
import { resolve } from 'node:path';
import { loadConfig } from '../../config.js';
import { describeListenError, startServer, type ServeEvent } from '../../serve/server.js';
import { parseCommandArgs, parsePort, usageError } from '../args.js';
import { formatConfigIssues } from '../build-report.js';
import { EXIT, type Command } from '../io.js';
import { createLogger } from '../log.js';

export const HELP = `Usage: kiosque serve [options]

Serves the published feeds (rss.xml, atom.xml, feed.json, index.html, feed.xsl) from the
out dir with ETags, 304 Not Modified and pre-compressed gzip/br bodies. A new publication
is picked up as soon as its manifest is written. Stops cleanly on SIGINT or SIGTERM.

Options:
  --config FILE     configuration file (default: ./kiosque.config.json; optional with --out)
  --out DIR         output directory to serve (overrides the config)
  --host HOST       address to listen on (default: the config's "host", 127.0.0.1)
  --port N          port to listen on (default: the config's "port", 8080; 0 = any free port)
  --access-log      log every request, not only startup and publication changes
  -h, --help        show this help

Exit codes:
  0   stopped cleanly (SIGINT or SIGTERM)
  1   could not start (invalid configuration, the address cannot be listened on)
  64  usage error (unknown option, bad --port)
`;

export const run: Command = async (argv, io) => {
  const parsed = parseCommandArgs('serve', argv, {
    config: { type: 'string' },
    out: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    'access-log': { type: 'boolean', default: false },
  }, HELP, io);
  if ('exit' in parsed) return parsed.exit;
  const args = parsed.values;
  const port = parsePort(args.port);
  if (typeof port === 'object') return usageError(io, 'serve', port.error);
  const loaded = await loadConfig(args.config, io.cwd, args.out ? { out: args.out } : {});
  let config: { host: string; port: number; out: string };
  if (loaded.value) config = loaded.value;
  else if (!args.config && args.out && loaded.issues.every((i) => i.rule === 'config-unreadable')) {
    // Serving needs only a directory: `kiosque serve --out DIR` works where there is no config file.
    config = { host: '127.0.0.1', port: 8080, out: resolve(io.cwd, args.out) };
  } else {
    io.stderr.write(formatConfigIssues(loaded.issues));
    return EXIT.failed;
  }
  const host = args.host ?? config.host;
  const listenPort = port ?? config.port;

  const log = createLogger(io.stdout);
  const accessLog = args['access-log'];
  const onEvent = (e: ServeEvent): void => {
    if (e.type === 'request' && !accessLog) return;
    const { type, ...rest } = e;
    log({ event: type, ...rest, ...(type === 'listening' ? { out: config.out } : {}) });
  };

  let server;
  try {
    server = await startServer({ outDir: config.out, host, port: listenPort, log: onEvent });
  } catch (err) {
    io.stderr.write(`kiosque serve: cannot serve: ${describeListenError(err, host, listenPort)}\n`);
    return EXIT.failed;
  }

  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    else io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  log({ event: 'stopping' });
  await server.close();
  log({ event: 'stopped' });
  return EXIT.ok;
};

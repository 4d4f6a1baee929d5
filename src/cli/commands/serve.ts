/**
 * `kiosque serve`: serves the last publication in the out dir over HTTP (ETag/304,
 * pre-compressed gzip/br, WebSub Link headers) and swaps in new publications as the
 * manifest changes. One log line per event, like `start`.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { startServer, type ServeEvent } from '../../serve/server.js';
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
`;

export const run: Command = async (argv, io) => {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        config: { type: 'string' },
        out: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        'access-log': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    io.stderr.write(`kiosque serve: ${(err as Error).message}\n\n${HELP}`);
    return EXIT.partial;
  }
  if (args.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  let port: number | undefined;
  if (args.port !== undefined) {
    port = Number(args.port);
    if (!/^\d+$/.test(args.port) || port > 65_535) {
      io.stderr.write(`kiosque serve: --port must be a whole number from 0 to 65535 (got "${args.port}")\n`);
      return EXIT.partial;
    }
  }
  const loaded = await loadConfig(args.config, io.cwd, args.out ? { out: args.out } : {});
  let config: { host: string; port: number; out: string };
  if (loaded.value) config = loaded.value;
  else if (!args.config && args.out && loaded.issues.every((i) => i.rule === 'config-unreadable')) {
    // Serving needs only a directory: `kiosque serve --out DIR` works where there is no config file.
    config = { host: '127.0.0.1', port: 8080, out: resolve(io.cwd, args.out) };
  } else {
    for (const i of loaded.issues) io.stderr.write(`${i.file}${i.pointer ? `#${i.pointer}` : ''}: ${i.level}: ${i.message}\n`);
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
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'EADDRINUSE' ? `${host}:${listenPort} is already in use`
      : e.code === 'EACCES' ? `no permission to listen on ${host}:${listenPort}`
      : e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND' ? `cannot listen on ${host}: no such local address`
      : e.message;
    io.stderr.write(`kiosque serve: cannot serve: ${why}\n`);
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

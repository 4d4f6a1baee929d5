/** `kiosque validate FILE|URL...`: checks any RSS 2.0, Atom 1.0 or JSON Feed 1.1 document against its spec, and how a URL serves it. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import type { Issue } from '../../issue.js';
import { PROFILES, validateDocument, type DocumentFormat, type Profile, type ValidateOptions, type Validation } from '../../validate/validate.js';
import { MAX_BYTES } from '../../validate/parse.js';
import { kiosqueRules } from '../../validate/rules/kiosque.js';
import { findRule } from '../../validate/registry.js';
import { VERSION } from '../../version.js';
import { EXIT, type Command } from '../io.js';
import { argumentError, usageError } from '../args.js';
import { readInput } from '../read-input.js';
import { fetchFeed, isUrl } from '../fetch-feed.js';
import { countLevels, formatCounts, formatGithub, formatIssues, issueToJson, toSarif } from '../report.js';

export const HELP = `Usage: kiosque validate [options] FILE|URL...
       kiosque validate --profile apple-podcasts FILE|URL...

Checks feeds against RSS 2.0, Atom 1.0 or JSON Feed 1.1 (detected from the content, not the
file name). A URL (http or https) is fetched, its body validated as a file would be, and how it
is served checked too: Content-Type and charset, ETag/Last-Modified and 304s, compression,
redirects, Link headers, Cache-Control and the self link. Only the given URLs are requested
(redirects included, at most 5); links inside the feed are never followed.

Prints one line per problem:

  FILE:LINE:COL LEVEL RULE-ID message        (XML)
  FILE:/json/pointer LEVEL RULE-ID message   (JSON Feed)

then a summary per file. "kiosque explain RULE-ID" (or docs/rules.md) explains each rule.

Levels: error (the spec says MUST: readers may fail), warning (SHOULD), info (best practice).

Options:
  --format F        text (default), json, github (one workflow annotation per finding) or
                    sarif (SARIF 2.1.0, for code scanning)
  --json            same as --format json: one JSON object and nothing else
  --profile P       also check what one consumer requires: apple-podcasts (Apple
                    Podcasts' feed requirements: RSS 2.0, artwork, category, advisory,
                    and an enclosure and guid per episode; the APPLE-* rules)
  --timeout S       seconds allowed for each HTTP request (default 15)
  -q, --quiet       hide info-level findings (they are still counted in the summary)
  -h, --help        show this help

Exit codes:
  0  no errors in any file (warnings and info allowed)
  1  at least one file has errors
  2  a file could not be read or fetched, or is not a feed format kiosque knows
  64 usage error (unknown option, no file given)
  130, 143  interrupted by SIGINT or SIGTERM
`;

type Status = DocumentFormat | 'unfetchable';
type FileReport = { file: string; format: Status; reason?: string; issues: Issue[] };

const FORMAT_NAMES: Record<Status, string> = {
  rss: 'RSS 2.0',
  atom: 'Atom 1.0',
  json: 'JSON Feed',
  unsupported: 'unsupported format',
  unreadable: 'unreadable',
  unfetchable: 'could not fetch',
};
const FORMATS = ['text', 'json', 'github', 'sarif'] as const;
type OutputFormat = (typeof FORMATS)[number];

/** Above this size the checks run in a worker, so the main thread stays free to answer signals. */
const WORKER_BYTES = 1 << 20;

class Aborted extends Error {}

function abortPromise(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(new Aborted());
    else signal.addEventListener('abort', () => reject(new Aborted()), { once: true });
  });
}

/** validateDocument, in a worker for large inputs; rejects with Aborted when the signal fires. */
async function validateBytes(bytes: Uint8Array, file: string, signal: AbortSignal, options: ValidateOptions): Promise<Validation> {
  if (bytes.byteLength < WORKER_BYTES) return validateDocument(bytes, file, options);
  const worker = new Worker(new URL('../validate-worker.js', import.meta.url), { workerData: { bytes, file, options } });
  try {
    return await Promise.race([
      new Promise<Validation>((done, fail) => {
        worker.once('message', done);
        worker.once('error', fail);
      }),
      abortPromise(signal),
    ]);
  } finally {
    void worker.terminate();
  }
}

async function checkFile(file: string, cwd: string, signal: AbortSignal, options: ValidateOptions): Promise<FileReport> {
  const input = await readInput(resolve(cwd, file), MAX_BYTES, signal);
  if (!input.ok) {
    if (input.kind === 'aborted') throw new Aborted();
    const rule = input.kind === 'too-large' ? kiosqueRules.limit : kiosqueRules.io;
    return { file, format: 'unreadable', reason: input.message, issues: [{ rule: rule.id, level: rule.level, file, message: rule.message({ detail: input.message }) }] };
  }
  return { file, ...(await validateBytes(input.bytes, file, signal, options)) };
}

/** `ftp://…`, `file://…`: a URL kiosque does not fetch, said as such rather than as a missing file of that name. */
const OTHER_URL = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

function unsupportedUrl(url: string, scheme: string): FileReport {
  const rule = kiosqueRules.fetch;
  const reason = `${scheme.toLowerCase()}: URLs are not fetched; give an http(s) URL or a file path`;
  return { file: url, format: 'unfetchable', reason, issues: [{ rule: rule.id, level: rule.level, file: url, message: rule.message({ detail: reason }) }] };
}

/** `https://user:secret@host/` is shown as `https://***@host/`: reports end up in CI logs and code-scanning results. */
const redact = (text: string): string => text.replace(/\b(https?:\/\/)[^/\s@?#]*@/gi, '$1***@');

async function checkUrl(url: string, timeoutMs: number, signal: AbortSignal, options: ValidateOptions): Promise<FileReport> {
  const report = await fetchAndCheck(url, timeoutMs, signal, options);
  return {
    ...report, file: redact(report.file), ...(report.reason !== undefined ? { reason: redact(report.reason) } : {}),
    issues: report.issues.map((issue) => ({ ...issue, file: redact(issue.file), message: redact(issue.message) })),
  };
}

async function fetchAndCheck(url: string, timeoutMs: number, signal: AbortSignal, options: ValidateOptions): Promise<FileReport> {
  const fetched = await Promise.race([fetchFeed(url, { timeoutMs, maxBytes: MAX_BYTES, signal }), abortPromise(signal)]);
  if (!fetched.ok) {
    const rule = kiosqueRules.fetch;
    return { file: url, format: 'unfetchable', reason: fetched.message, issues: [{ rule: rule.id, level: rule.level, file: url, message: rule.message({ detail: fetched.message }) }] };
  }
  const body = await validateBytes(fetched.body, url, signal, { ...options, base: fetched.exchange.redirects.at(-1)?.to ?? url });
  return { file: url, format: body.format, ...(body.reason !== undefined ? { reason: body.reason } : {}), issues: [...fetched.issues, ...body.issues] };
}

export const run: Command = async (argv, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean', default: false },
        format: { type: 'string' },
        timeout: { type: 'string', default: '15' },
        profile: { type: 'string' },
        quiet: { type: 'boolean', short: 'q', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    return usageError(io, 'validate', argumentError(err, argv), HELP);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  const format = (values.format ?? (values.json ? 'json' : 'text')) as OutputFormat;
  if (!FORMATS.includes(format)) return usageError(io, 'validate', `--format must be one of ${FORMATS.join(', ')} (got "${format}")`, HELP);
  if (values.json && values.format !== undefined && values.format !== 'json') return usageError(io, 'validate', '--json and --format disagree', HELP);
  const timeout = Number(values.timeout);
  if (!/^\d+(\.\d+)?$/.test(values.timeout) || timeout <= 0) return usageError(io, 'validate', `--timeout must be a positive number of seconds (got "${values.timeout}")`, HELP);
  if (positionals.length === 0) return usageError(io, 'validate', 'no file given', HELP);
  if (values.profile !== undefined && !(PROFILES as readonly string[]).includes(values.profile)) return usageError(io, 'validate', `--profile must be one of ${PROFILES.join(', ')} (got "${values.profile}")`, HELP);
  const options: ValidateOptions = values.profile !== undefined ? { profile: values.profile as Profile } : {};

  const reports: FileReport[] = [];
  try {
    for (const target of positionals) {
      const other = isUrl(target) ? undefined : OTHER_URL.exec(target)?.[1];
      reports.push(isUrl(target) ? await checkUrl(target, timeout * 1000, io.signal, options) : other ? unsupportedUrl(target, other) : await checkFile(target, io.cwd, io.signal, options));
    }
  } catch (err) {
    if (!(err instanceof Aborted)) throw err;
    const signal = typeof io.signal.reason === 'string' ? io.signal.reason : 'SIGINT';
    io.stderr.write(`kiosque validate: interrupted by ${signal}; no verdict\n`);
    const exitCode = signal === 'SIGTERM' ? 143 : 130;
    // A script that asked for JSON parses stdout whatever happened.
    if (format === 'json') io.stdout.write(`${JSON.stringify({ error: 'interrupted', message: `interrupted by ${signal}; no verdict`, exitCode })}\n`);
    return exitCode;
  }

  const notValidated = reports.some((r) => r.format === 'unreadable' || r.format === 'unsupported' || r.format === 'unfetchable');
  const errors = reports.some((r) => r.issues.some((i) => i.level === 'error'));
  const code = notValidated ? EXIT.partial : errors ? EXIT.failed : EXIT.ok;
  const levels = values.quiet ? (['error', 'warning'] as const) : (['error', 'warning', 'info'] as const);
  const shown = (r: FileReport): Issue[] => r.issues.filter((i) => levels.includes(i.level as never));

  if (format === 'json') {
    const out = {
      ok: code === EXIT.ok,
      exitCode: code,
      files: reports.map((r) => ({
        file: r.file,
        format: r.format,
        ...(r.reason !== undefined ? { reason: r.reason } : {}),
        ...countLevels(r.issues),
        issues: shown(r).map(issueToJson),
      })),
    };
    io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return code;
  }
  if (format === 'github') {
    io.stdout.write(formatGithub(reports.flatMap(shown)));
    return code;
  }
  if (format === 'sarif') {
    const sarif = toSarif(reports.flatMap(shown), findRule, { name: 'kiosque', version: VERSION });
    io.stdout.write(`${JSON.stringify(sarif, null, 2)}\n`);
    return code;
  }

  for (const r of reports) io.stdout.write(formatIssues(r.issues, { levels }));
  if (reports.some((r) => shown(r).length > 0)) io.stdout.write('\n');
  for (const r of reports) {
    const counts = countLevels(r.issues);
    const verdict = r.format === 'unreadable' || r.format === 'unsupported' || r.format === 'unfetchable' ? 'not validated' : counts.errors > 0 ? 'invalid' : 'valid';
    io.stdout.write(`${r.file}: ${FORMAT_NAMES[r.format]}${r.reason ? ` (${r.reason})` : ''}, ${verdict}: ${formatCounts(counts)}\n`);
  }
  return code;
};

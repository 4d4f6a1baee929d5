/** `kiosque validate FILE...`: checks any RSS 2.0, Atom 1.0 or JSON Feed 1.1 file against its spec. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Issue } from '../../issue.js';
import { validateDocument, type DocumentFormat } from '../../validate/validate.js';
import { kiosqueRules } from '../../validate/rules/kiosque.js';
import { EXIT, type Command } from '../io.js';
import { countLevels, formatCounts, formatIssues, issueToJson } from '../report.js';

export const HELP = `Usage: kiosque validate [options] FILE...

Checks feed files against RSS 2.0, Atom 1.0 or JSON Feed 1.1 (detected from the content,
not the file name). Prints one line per problem:

  FILE:LINE:COL LEVEL RULE-ID message        (XML)
  FILE:/json/pointer LEVEL RULE-ID message   (JSON Feed)

then a summary per file. Rule ids are explained in docs/rules.md.

Levels: error (the spec says MUST: readers may fail), warning (SHOULD), info (best practice).

Options:
  --json            print one JSON object and nothing else
  -q, --quiet       hide info-level lines (they are still counted in the summary)
  -h, --help        show this help

Exit codes:
  0  no errors in any file (warnings and info allowed)
  1  at least one file has errors
  2  a file is unreadable or not a supported feed format
  64 usage error (unknown option, no file given)
`;

type FileReport = { file: string; format: DocumentFormat; reason?: string; issues: Issue[] };

const FORMAT_NAMES: Record<DocumentFormat, string> = {
  rss: 'RSS 2.0',
  atom: 'Atom 1.0',
  json: 'JSON Feed',
  unsupported: 'unsupported format',
  unreadable: 'unreadable',
};

async function check(file: string, cwd: string): Promise<FileReport> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(resolve(cwd, file));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    const io = kiosqueRules.io;
    return { file, format: 'unreadable', reason, issues: [{ rule: io.id, level: io.level, file, message: io.message({ detail: reason }) }] };
  }
  return { file, ...validateDocument(bytes, file) };
}

export const run: Command = async (argv, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean', default: false },
        quiet: { type: 'boolean', short: 'q', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    io.stderr.write(`kiosque validate: ${(err as Error).message}\n\n${HELP}`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  if (positionals.length === 0) {
    io.stderr.write(`kiosque validate: no file given\n\n${HELP}`);
    return EXIT.usage;
  }

  const reports: FileReport[] = [];
  for (const file of positionals) reports.push(await check(file, io.cwd));

  const unreadable = reports.some((r) => r.format === 'unreadable' || r.format === 'unsupported');
  const errors = reports.some((r) => r.issues.some((i) => i.level === 'error'));
  const code = unreadable ? EXIT.partial : errors ? EXIT.failed : EXIT.ok;

  if (values.json) {
    const out = {
      ok: code === EXIT.ok,
      exitCode: code,
      files: reports.map((r) => ({
        file: r.file,
        format: r.format,
        ...(r.reason !== undefined ? { reason: r.reason } : {}),
        ...countLevels(r.issues),
        issues: r.issues.map(issueToJson),
      })),
    };
    io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return code;
  }

  const levels = values.quiet ? (['error', 'warning'] as const) : (['error', 'warning', 'info'] as const);
  for (const r of reports) {
    io.stdout.write(formatIssues(r.issues, { levels }));
  }
  if (reports.some((r) => r.issues.some((i) => levels.includes(i.level as never)))) io.stdout.write('\n');
  for (const r of reports) {
    const counts = countLevels(r.issues);
    const verdict = r.format === 'unreadable' || r.format === 'unsupported' ? 'not validated' : counts.errors > 0 ? 'invalid' : 'valid';
    io.stdout.write(`${r.file}: ${FORMAT_NAMES[r.format]}${r.reason ? ` (${r.reason})` : ''}, ${verdict}: ${formatCounts(counts)}\n`);
  }
  return code;
};

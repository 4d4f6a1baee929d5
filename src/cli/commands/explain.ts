/** `kiosque explain RULE-ID`: prints one rule's registry entry, the same text as its docs/rules.md row. */
import { parseArgs } from 'node:util';
import { closeMatches, findRule, groupOf } from '../../validate/registry.js';
import { EXIT, type Command } from '../io.js';
import { usageError } from '../args.js';

export const HELP = `Usage: kiosque explain RULE-ID...

Prints what a rule checks, its level, why it matters, how to fix it and its source, for any id
kiosque reports (RSS-DT-001, ATOM-E-004, JF-ITEM-002, store-bad-yaml, KIOSQUE-LIMIT, …).
Ids are matched without regard to case. Every rule: docs/rules.md.

Options:
  -h, --help   show this help

Exit codes:
  0  every id was found
  2  an id is not a rule kiosque reports (close matches, or the ids holding that word, are
     suggested: "kiosque explain gone")
  64 usage error (unknown option, no id given)
`;

export const run: Command = async (argv, io) => {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h', default: false } }, strict: true, allowPositionals: true });
  } catch (err) {
    return usageError(io, 'explain', (err as Error).message, HELP);
  }
  if (parsed.values.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  if (parsed.positionals.length === 0) return usageError(io, 'explain', 'no rule id given', HELP);
  let code: number = EXIT.ok;
  const entries: string[] = [];
  for (const id of parsed.positionals) {
    const rule = findRule(id);
    if (!rule) {
      const close = closeMatches(id);
      io.stderr.write(`kiosque explain: unknown rule id "${id}"${close.length > 0 ? `; did you mean ${close.join(', ')}?` : ''}\n`);
      code = EXIT.partial;
      continue;
    }
    entries.push(
      [
        `${rule.id} (${rule.level}, ${groupOf(rule.id)?.title ?? 'kiosque'})`,
        `  checks:  ${rule.title}`,
        `  why:     ${rule.why}`,
        `  fix:     ${rule.fix}`,
        `  source:  ${rule.spec.replace(/^kiosque: /, '')}`,
        `  link:    ${rule.link}`,
      ].join('\n'),
    );
  }
  if (entries.length > 0) io.stdout.write(`${entries.join('\n\n')}\n`);
  return code;
};

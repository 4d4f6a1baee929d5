/**
 * Renders docs/rules.md from the rule arrays themselves, so the documentation cannot drift
 * from what the validator reports. Pure: returns the Markdown; tests/validate/docs.test.ts
 * compares it with the committed file and rewrites it when KIOSQUE_UPDATE_DOCS=1.
 */
import type { Rule } from './rule.js';
import { rssRules, rssRowsElsewhere } from './rules/rss.js';
import { atomRules } from './rules/atom.js';
import { jsonRules } from './rules/json.js';
import { extRules } from './rules/ext.js';

type AnyRule = Rule<never>;

const cell = (text: string | undefined): string => (text ?? '').replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ').trim();

function table(rules: readonly AnyRule[]): string {
  const rows = rules.map((r) => `| ${r.id} | ${r.level} | ${cell(r.title)} | ${cell(r.why)} | ${cell(r.fix)} | ${cell(r.spec)} |`);
  return ['| Id | Level | What it checks | Why it matters to readers | How to fix it | Source |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

/** Checks that compare documents rather than read one (src/validate/gate.ts). */
const GATE_ROWS: [string, string, string][] = [
  ['RSS-CH-009', 'warning', '`lastBuildDate` changed although the items are identical (compared with the last publication).'],
  ['RSS-IT-022', 'warning', 'An item guid changed for the same link, or a guid was reused for another item (compared with the last publication).'],
  ['ATOM-F-010', 'error', '`feed/id` changed since the last publication.'],
  ['ATOM-E-010', 'error', 'An entry id changed for the same link, or an id was reused for another entry (compared with the last publication).'],
  ['ATOM-E-013', 'info', '`feed/updated` moved although the entries are identical (compared with the last publication).'],
  ['JF-ITEM-004', 'warning', 'An item id changed for the same url, or an id was reused for another item (compared with the last publication).'],
  ['KIOSQUE-CROSS-001', 'error', 'The RSS, Atom and JSON outputs of one build carry the same items in the same order: ids, links, titles and publication instants.'],
];

const KIOSQUE_ROWS: [string, string, string][] = [
  ['KIOSQUE-LIMIT', 'error', 'The file is larger than 50 MiB, nests elements deeper than 1000 levels, has an element with more than 1000 attributes or more than 1,000,000 elements and attributes in all: it is not parsed.'],
  ['KIOSQUE-FORMAT', 'error', 'The file is not RSS 2.0, Atom 1.0 or JSON Feed 1.x (for example RSS 0.91, RSS 1.0 or Atom 0.3): it is not validated. Exit code 2.'],
  ['KIOSQUE-UNREADABLE', 'error', 'The file is not XML that an element tree can be built from, nor JSON. Exit code 2.'],
  ['KIOSQUE-IO', 'error', '`kiosque validate` could not read the file. Exit code 2.'],
  ['KIOSQUE-INTERNAL', 'error', 'A rule crashed: a bug in kiosque, reported instead of hiding the feed\'s other problems.'],
];

const simpleTable = (rows: [string, string, string][]): string =>
  ['| Id | Level | What it checks |', '|---|---|---|', ...rows.map(([id, level, what]) => `| ${id} | ${level} | ${cell(what)} |`)].join('\n');

export function renderRulesDoc(): string {
  const elsewhere = Object.entries(rssRowsElsewhere).map(([id, how]) => `| ${id} | ${cell(how)} |`);
  return `# Validation rules

<!-- Generated from the rule arrays by src/validate/docs.ts; do not edit by hand.
     Regenerate: KIOSQUE_UPDATE_DOCS=1 npx vitest run tests/validate/docs.test.ts -->

Every problem \`kiosque validate\` and \`kiosque build\` report carries one of these ids, printed as
\`FILE:LINE:COL LEVEL RULE-ID message\` (for JSON Feed, a JSON pointer replaces \`LINE:COL\`).

Levels: **error** is a MUST of the spec (the build refuses to publish; \`kiosque validate\` exits 1),
**warning** a SHOULD, **info** a best practice (reported, never blocking; \`--quiet\` hides it).

## RSS 2.0 (${rssRules.length} rules)

${table(rssRules as unknown as AnyRule[])}

Digest rows checked under another id, or not checkable from the document alone:

| Row | Where it is checked |
|---|---|
${elsewhere.join('\n')}

## Atom 1.0 (${atomRules.length} rules)

${table(atomRules as unknown as AnyRule[])}

## Extension modules, RSS 2.0 and Atom 1.0 (${extRules.length} rules)

Checked in both formats, on the direct children of the channel or feed and of each item or entry.

${table(extRules as unknown as AnyRule[])}

## JSON Feed 1.1 (${jsonRules.length} rules)

${table(jsonRules as unknown as AnyRule[])}

## Checks across documents (build gate)

These need more than one file: the three outputs of a build, or the last published files.

${simpleTable(GATE_ROWS)}

## kiosque's own ids

${simpleTable(KIOSQUE_ROWS)}

## Not checkable from the document

Rows of the digests that need to fetch linked resources are out of scope: RSS-CH-013 (image
format), RSS-IT-016 (enclosure type and length), ATOM-F-015, JF-TOP-013, JF-ATT-004, JF-ATT-008.
RSS-EXT-003 needs the URL the feed was fetched from; RSS-CH-011 the HTTP response headers.
`;
}

/**
 * Renders docs/rules.md from the rule registry, so the documentation cannot drift from what
 * kiosque reports. Pure: returns the Markdown; tests/validate/docs.test.ts compares it with the
 * committed file and rewrites it when KIOSQUE_UPDATE_DOCS=1.
 */
import type { RuleInfo } from './rule.js';
import { RULE_GROUPS } from './registry.js';
import { rssRowsElsewhere } from './rules/rss.js';
import { DIFFERENCES } from './differences.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ').trim();

/** A link as seen from docs/: URLs stay, repository paths become relative. */
export function docLink(link: string): string {
  if (/^[a-z]+:/.test(link)) return link;
  if (link.startsWith('docs/rules.md')) return link.slice('docs/rules.md'.length) || '#';
  return `../${link}`;
}

function table(rules: readonly RuleInfo[]): string {
  const rows = rules.map((r) => `| ${r.id} | ${r.level} | ${cell(r.title)} | ${cell(r.why)} | ${cell(r.fix)} | [${cell(r.spec.replace(/^kiosque: /, ''))}](${docLink(r.link)}) |`);
  return ['| Id | Level | What it checks | Why it matters | How to fix it | Source |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

export function renderRulesDoc(): string {
  const elsewhere = Object.entries(rssRowsElsewhere).map(([id, how]) => `| ${id} | ${cell(how)} |`);
  const sections = RULE_GROUPS.map((g) => {
    let text = `## ${g.title} (${g.rules.length} rule${g.rules.length === 1 ? '' : 's'})\n\n${g.intro}\n\n${table(g.rules)}\n`;
    if (g.key === 'rss') text += `\nDigest rows checked under another id, or not checkable from the document alone:\n\n| Row | Where it is checked |\n|---|---|\n${elsewhere.join('\n')}\n`;
    return text;
  });
  const differences = DIFFERENCES.map((d) => `- **${cell(d.topic)}** (${d.cases}). ${cell(d.kiosque)} ${cell(d.why)}`).join('\n');
  return `# Rules

<!-- Generated from the rule registry (src/validate/registry.ts) by src/validate/docs.ts; do not edit by hand.
     Regenerate: KIOSQUE_UPDATE_DOCS=1 npx vitest run tests/validate/docs.test.ts -->

Every problem \`kiosque validate\` and \`kiosque build\` report carries one of these ids, printed as
\`FILE:LINE:COL LEVEL RULE-ID message\` (for JSON Feed, a JSON pointer replaces \`LINE:COL\`).
\`kiosque explain RULE-ID\` prints one entry.

Levels: **error** is a MUST of the spec (the build refuses to publish; \`kiosque validate\` exits 1),
**warning** a SHOULD, **info** a best practice (reported, never blocking; \`--quiet\` hides it).

${sections.join('\n')}
## Not checkable from the document

Rows of the digests that need to fetch linked resources are out of scope: RSS-CH-013 (image
format), RSS-IT-016 (enclosure type and length), ATOM-F-015, JF-TOP-013, JF-ATT-004, JF-ATT-008.

## Where kiosque and the W3C Feed Validator differ

Measured with \`npm run bench:calibrate\` on the W3C Feed Validator's own test cases (see
BENCHMARKS.md). Where the two disagree, kiosque follows the spec; each case is listed here.

${differences}
`;
}

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderRulesDoc } from '../../src/validate/docs.js';
import { rssRules } from '../../src/validate/rules/rss.js';
import { repoRoot } from '../helpers.js';

const path = join(repoRoot, 'docs/rules.md');
const REGENERATE = 'KIOSQUE_UPDATE_DOCS=1 npx vitest run tests/validate/docs.test.ts';

describe('docs/rules.md', () => {
  it('is up to date with the rule arrays', () => {
    const fresh = renderRulesDoc();
    if (process.env['KIOSQUE_UPDATE_DOCS'] === '1') writeFileSync(path, fresh);
    let committed = '';
    try {
      committed = readFileSync(path, 'utf8');
    } catch {
      // reported by the assertion below
    }
    expect(committed === fresh, `docs/rules.md is stale; regenerate it with: ${REGENERATE}`).toBe(true);
  });

  it('documents every RSS rule with its level', () => {
    const doc = renderRulesDoc();
    for (const r of rssRules) expect(doc).toContain(`| ${r.id} | ${r.level} |`);
  });
});

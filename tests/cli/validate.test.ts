import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, tempDir } from '../helpers.js';

const exec = promisify(execFile);

async function kiosque(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [cliPath, 'validate', ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const VALID_RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>t</title>
<link>https://example.org/</link>
<description>d</description>
<language>en</language>
<atom:link rel="self" type="application/rss+xml" href="https://example.org/rss.xml"/>
<item><title>i</title><guid>https://example.org/i</guid><pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate></item>
</channel>
</rss>
`;

let dir = '';
let cleanup: () => Promise<void> = async () => {};

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('kiosque-validate-'));
  await writeFile(join(dir, 'good.xml'), VALID_RSS);
  await writeFile(join(dir, 'bad.xml'), VALID_RSS.replace('Mon, 01 Jan 2024 10:00:00 GMT', '2024-01-01T10:00:00Z'));
  await writeFile(join(dir, 'warn.xml'), VALID_RSS.replace('<guid>https://example.org/i</guid>', '').replace('<language>en</language>', ''));
  await writeFile(join(dir, 'old.xml'), '<rss version="0.91"><channel/></rss>');
  await writeFile(join(dir, 'feed.json'), JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 't', items: [{ content_text: 'x' }] }));
});
afterAll(() => cleanup());

describe('kiosque validate', () => {
  it('exits 0 and prints a summary for a valid feed', async () => {
    const r = await kiosque(['good.xml'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('good.xml: RSS 2.0, valid: 0 errors, 0 warnings');
  });

  it('exits 1 and prints FILE:LINE:COL LEVEL RULE-ID message for each error', async () => {
    const r = await kiosque(['bad.xml'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^bad\.xml:9:\d+ error RSS-DT-001 <item\/pubDate> "2024-01-01T10:00:00Z" is not an RFC 822 date-time/m);
    expect(r.stdout).toContain('bad.xml: RSS 2.0, invalid: 1 error');
  });

  it('exits 0 with warnings, and --quiet hides info lines but still counts them', async () => {
    const loud = await kiosque(['warn.xml'], dir);
    expect(loud.code).toBe(0);
    expect(loud.stdout).toMatch(/warn\.xml:\d+:\d+ warning RSS-IT-018/);
    expect(loud.stdout).toMatch(/ info RSS-/);
    const quiet = await kiosque(['--quiet', 'warn.xml'], dir);
    expect(quiet.stdout).not.toMatch(/ info RSS-/);
    expect(quiet.stdout).toMatch(/1 warning, [1-9]\d* info/);
  });

  it('uses the JSON pointer in place of LINE:COL for JSON Feed', async () => {
    const r = await kiosque(['feed.json'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^feed\.json:\/items\/0 error JF-ITEM-\d{3} /m);
  });

  it('exits 2 for an unsupported format or a missing file, and checks the other files anyway', async () => {
    const r = await kiosque(['old.xml', 'missing.xml', 'good.xml'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('old.xml: unsupported format (RSS 0.91');
    expect(r.stdout).toContain('missing.xml: unreadable (no such file)');
    expect(r.stdout).toContain('good.xml: RSS 2.0, valid');
  });

  it('prints one JSON object and nothing else with --json', async () => {
    const r = await kiosque(['--json', 'bad.xml', 'good.xml'], dir);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { ok: boolean; exitCode: number; files: { file: string; format: string; errors: number; issues: { rule: string; line: number }[] }[] };
    expect(out.ok).toBe(false);
    expect(out.exitCode).toBe(1);
    expect(out.files.map((f) => [f.file, f.format, f.errors])).toEqual([
      ['bad.xml', 'rss', 1],
      ['good.xml', 'rss', 0],
    ]);
    expect(out.files[0]?.issues.find((i) => i.rule === 'RSS-DT-001')?.line).toBe(9);
  });

  it('exits 64 on usage errors and 0 on --help', async () => {
    expect((await kiosque([], dir)).code).toBe(64);
    expect((await kiosque(['--bogus', 'good.xml'], dir)).code).toBe(64);
    const help = await kiosque(['--help'], dir);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: kiosque validate');
  });
});

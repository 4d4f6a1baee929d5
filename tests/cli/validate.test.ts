import { execFile } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
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

  it('gives JSON Feed issues their LINE:COL, which editors jump to, and the JSON pointer after the message', async () => {
    const r = await kiosque(['feed.json'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^feed\.json:\d+:\d+ error JF-ITEM-\d{3} .* \(at \/items\/0\)$/m);
  });

  it('says that an ftp: or file: URL is not fetched, rather than that no file has that name, and exits 2', async () => {
    const r = await kiosque(['ftp://news.example/feed.xml', 'good.xml'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('ftp://news.example/feed.xml error KIOSQUE-FETCH could not fetch: ftp: URLs are not fetched; give an http(s) URL or a file path');
    expect(r.stdout).not.toMatch(/no such file/);
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

describe('kiosque validate reads within bounds', () => {
  const noInternal = (stdout: string): void => expect(stdout).not.toContain('KIOSQUE-INTERNAL');

  it('stops reading /dev/zero at the size cap with a limit finding', async () => {
    const r = await kiosque(['/dev/zero'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/\/dev\/zero error KIOSQUE-LIMIT input is larger than \d+ bytes \(reading stopped there\)/);
    noInternal(r.stdout);
  });

  it('refuses a file over the cap from its size, without reading it', async () => {
    const { truncate } = await import('node:fs/promises');
    await writeFile(join(dir, 'huge.xml'), '');
    await truncate(join(dir, 'huge.xml'), 100 * 2 ** 30); // sparse: 100 GiB that would take minutes to read
    const r = await kiosque(['huge.xml'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`huge.xml error KIOSQUE-LIMIT file is ${100 * 2 ** 30} bytes`);
    noInternal(r.stdout);
  });

  it('stops at the cap on a FIFO fed forever, and reads a FIFO with no writer as empty', async () => {
    const { spawn, execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [join(dir, 'endless.fifo'), join(dir, 'idle.fifo')]);
    const writer = spawn(process.execPath, ['-e', `const fs=require('fs');const fd=fs.openSync(${JSON.stringify(join(dir, 'endless.fifo'))},'w');const b=Buffer.alloc(65536,0x20);try{for(;;)fs.writeSync(fd,b)}catch{}`], { stdio: 'ignore' });
    try {
      await new Promise((done) => setTimeout(done, 200));
      const fed = await kiosque(['endless.fifo'], dir);
      expect(fed.code).toBe(2);
      expect(fed.stdout).toContain('KIOSQUE-LIMIT input is larger than');
      const idle = await kiosque(['idle.fifo'], dir);
      expect(idle.code).toBe(2);
      expect(idle.stdout).toMatch(/idle\.fifo: unreadable/);
      noInternal(fed.stdout + idle.stdout);
    } finally {
      writer.kill('SIGKILL');
    }
  });
});

describe('kiosque validate stops on signals', () => {
  /** Whether the process has `file` open (Linux /proc): the CLI got past its start-up, signal handlers included. */
  async function hasOpen(pid: number, file: string): Promise<boolean> {
    const { readdir, readlink } = await import('node:fs/promises');
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) if ((await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')) === file) return true;
    return false;
  }

  /**
   * Whether the process has read `bytes` in all (Linux /proc/<pid>/io): the file is in memory and being checked.
   * Its open descriptor lives a few milliseconds on a fast machine, too short to poll for.
   */
  async function hasRead(pid: number, bytes: number): Promise<boolean> {
    const io = await readFile(`/proc/${pid}/io`, 'utf8').catch(() => '');
    return Number(/^rchar: (\d+)$/m.exec(io)?.[1] ?? 0) >= bytes;
  }

  /** Starts the CLI, sends `signal` once `ready` says so (or at once), `afterMs` later, and collects how it ended. */
  async function interrupt(args: string[], signal: NodeJS.Signals, afterMs: number, ready?: (pid: number) => Promise<boolean>): Promise<{ code: number | null; stderr: string; stdout: string }> {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [cliPath, 'validate', ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<number | null>((done) => child.on('close', done));
    if (ready) for (let i = 0; i < 400 && !(await ready(child.pid as number)); i++) await new Promise((done) => setTimeout(done, 25));
    setTimeout(() => child.kill(signal), afterMs);
    const code = await closed;
    return { code, stdout, stderr };
  }

  it('exits 143 with a message on SIGTERM while waiting on a pipe that never delivers', async () => {
    const { spawn, execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [join(dir, 'stuck.fifo')]);
    // A writer that opens the pipe and never writes: a reader would wait for ever.
    const writer = spawn(process.execPath, ['-e', `require('fs').openSync(${JSON.stringify(join(dir, 'stuck.fifo'))},'w');setInterval(()=>{},1000)`], { stdio: 'ignore' });
    try {
      await new Promise((done) => setTimeout(done, 300));
      const r = await interrupt(['stuck.fifo'], 'SIGTERM', 100, (pid) => hasOpen(pid, join(dir, 'stuck.fifo')));
      expect(r.code).toBe(143);
      expect(r.stderr).toBe('kiosque validate: interrupted by SIGTERM; no verdict\n');
      expect(r.stdout).toBe('');
    } finally {
      writer.kill('SIGKILL');
    }
  });

  it('exits 130 on the first Ctrl-C while a large feed is being checked', async () => {
    const item = '<item><title>t</title><link>https://example.org/a</link><guid>https://example.org/a</guid><category>c</category><category>d</category></item>\n';
    // ~24 MB, just under the node cap (a larger one stops at KIOSQUE-LIMIT first on a fast machine):
    // seconds of checking; the signal goes once the CLI has read it, past Node's start-up.
    await writeFile(join(dir, 'large.xml'), VALID_RSS.replace('</channel>', `${item.repeat(150_000)}</channel>`));
    const size = (await stat(join(dir, 'large.xml'))).size;
    const r = await interrupt(['large.xml'], 'SIGINT', 100, (pid) => hasRead(pid, size));
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('interrupted by SIGINT');
    // Asked for JSON, stdout still holds one object a script can parse.
    const json = await interrupt(['--json', 'large.xml'], 'SIGINT', 100, (pid) => hasRead(pid, size));
    expect(json.code).toBe(130);
    expect(JSON.parse(json.stdout)).toEqual({ error: 'interrupted', message: 'interrupted by SIGINT; no verdict', exitCode: 130 });
  });
});

describe('kiosque validate output for CI', () => {
  it('prints one GitHub Actions annotation per finding with --format github', async () => {
    const json = JSON.parse((await kiosque(['--json', 'warn.xml', 'bad.xml'], dir)).stdout) as { files: { issues: { rule: string; line?: number; level: string }[] }[] };
    const issues = json.files.flatMap((f) => f.issues);
    const r = await kiosque(['--format', 'github', 'warn.xml', 'bad.xml'], dir);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(issues.length);
    const parsed = lines.map((l) => /^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),title=([^:]+)::(.+)$/.exec(l));
    expect(parsed.every((m) => m !== null), lines.join('\n')).toBe(true);
    const levels = { error: 'error', warning: 'warning', info: 'notice' } as Record<string, string>;
    expect(parsed.map((m) => [m?.[1], m?.[5], Number(m?.[3])])).toEqual(issues.map((i) => [levels[i.level], i.rule, i.line]));
    expect(parsed.find((m) => m?.[5] === 'RSS-DT-001')?.[2]).toBe('bad.xml');
  });

  it('prints a SARIF 2.1.0 log with --format sarif, each result pointing at its rule', async () => {
    const r = await kiosque(['--format', 'sarif', 'bad.xml', 'feed.json'], dir);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout) as {
      version: string;
      $schema: string;
      runs: { tool: { driver: { name: string; version: string; rules: { id: string; shortDescription: { text: string }; helpUri?: string; defaultConfiguration: { level: string } }[] } }; results: { ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number; startColumn?: number } }; logicalLocations?: { fullyQualifiedName: string }[] }[] }[] }[];
    };
    // The properties the SARIF 2.1.0 schema requires, and the values it allows.
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe('kiosque');
    expect(run.tool.driver.version).toMatch(/^\d+\.\d+\.\d+/);
    for (const rule of run.tool.driver.rules) {
      expect(rule.id).toMatch(/^[A-Z]+-/);
      expect(rule.shortDescription.text.length).toBeGreaterThan(0);
      expect(['none', 'note', 'warning', 'error']).toContain(rule.defaultConfiguration.level);
      if (rule.helpUri !== undefined) expect(() => new URL(rule.helpUri as string)).not.toThrow();
    }
    expect(run.results.length).toBeGreaterThan(1);
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
      expect(['none', 'note', 'warning', 'error']).toContain(result.level);
      expect(result.message.text.length).toBeGreaterThan(0);
      const loc = result.locations[0]!;
      expect(['bad.xml', 'feed.json']).toContain(loc.physicalLocation.artifactLocation.uri);
      if (loc.physicalLocation.region) expect(loc.physicalLocation.region.startLine).toBeGreaterThanOrEqual(1);
    }
    const dt = run.results.find((x) => x.ruleId === 'RSS-DT-001');
    expect(dt?.locations[0]?.physicalLocation.region?.startLine).toBe(9);
    expect(run.results.find((x) => x.ruleId.startsWith('JF-'))?.locations[0]?.logicalLocations?.[0]?.fullyQualifiedName).toMatch(/^\//);
  });

  it('rejects an unknown --format as a usage error', async () => {
    expect((await kiosque(['--format', 'xml', 'good.xml'], dir)).code).toBe(64);
  });
});

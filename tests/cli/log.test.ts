import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/cli/log.js';

function sink(isTTY: boolean): { stream: Writable & { isTTY?: boolean }; text: () => string } {
  let text = '';
  const stream = new Writable({ write(chunk, _enc, done) { text += chunk.toString(); done(); } }) as Writable & { isTTY?: boolean };
  stream.isTTY = isTTY;
  return { stream, text: () => text };
}

const clock = () => new Date('2026-11-25T12:34:56.789Z');

describe('service logs', () => {
  it('write one JSON object per line when stdout is not a terminal', () => {
    const out = sink(false);
    const log = createLogger(out.stream, clock);
    log({ event: 'published', changed: ['rss'], durationMs: 12 });
    log({ event: 'run-failed', reason: 'validation errors' });
    const lines = out.text().trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { time: '2026-11-25T12:34:56.789Z', event: 'published', changed: ['rss'], durationMs: 12 },
      { time: '2026-11-25T12:34:56.789Z', event: 'run-failed', reason: 'validation errors' },
    ]);
  });

  it('write short readable lines for a person at a terminal', () => {
    const out = sink(true);
    createLogger(out.stream, clock)({ event: 'published', changed: ['rss', 'atom'], durationMs: 12 });
    expect(out.text()).toBe('12:34:56 published changed=["rss","atom"] durationMs=12\n');
  });
});

import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runPurge } from '../../src/publish/purge.js';

describe('the CDN purge hook', () => {
  it('names a failing endpoint with its query masked: the token it carries would land in cron mail and journald', async () => {
    const probe = createNetServer();
    const port = await new Promise<number>((done) => probe.listen(0, '127.0.0.1', () => done((probe.address() as AddressInfo).port)));
    await new Promise((done) => probe.close(done));
    for (const query of ['zone=news&token=PurgeTokS3cret&token=S3cond', 'PurgeTokS3cret']) {
      const issue = await runPurge({ url: `http://127.0.0.1:${port}/purge?${query}` }, { paths: ['/rss.xml'], urls: ['https://e.org/rss.xml'] });
      expect(issue).toMatchObject({ rule: 'publish-purge-failed', level: 'warning', file: `http://127.0.0.1:${port}/purge?***` });
      expect(JSON.stringify(issue)).not.toContain('S3c');
    }
  });
});

import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config.js';
import { parseS3Target, redactUrl } from '../src/scaling-config.js';

const base = { title: 'News', url: 'https://news.example' };
const resolve = (raw: unknown) => resolveConfig(raw, '/srv/site', 'kiosque.config.json');

describe('publish and coordination settings', () => {
  it('reads an S3 target with its defaults, and leaves the directory target when absent', () => {
    const { value, issues } = resolve({ ...base, publish: { target: 's3://feeds-bucket/news/fr/', endpoint: 'http://127.0.0.1:9000', pathStyle: true } });
    expect(issues).toEqual([]);
    expect(value?.publish).toEqual({
      bucket: 'feeds-bucket', prefix: 'news/fr/', endpoint: 'http://127.0.0.1:9000', pathStyle: true, encoding: 'plain', immutable: [], concurrency: 8,
    });
    expect(resolve(base).value?.publish).toBeUndefined();
  });

  it('reads a PostgreSQL coordination with a 30-second lease by default', () => {
    const { value, issues } = resolve({ ...base, coordination: { postgres: 'postgres://kiosque@db/kiosque' } });
    expect(issues).toEqual([]);
    expect(value?.coordination).toEqual({ postgres: 'postgres://kiosque@db/kiosque', leaseSeconds: 30 });
  });

  it.each([
    [{ publish: { target: 'https://feeds.example/' } }, '/publish/target', /s3:\/\/bucket\/prefix/],
    [{ publish: { target: 's3://Bad_Bucket/x' } }, '/publish/target', /not a valid bucket name/],
    [{ publish: { target: 's3://feeds/x', secretAccessKey: 'abc' } }, '/publish/secretAccessKey', /credentials never go in the configuration/],
    [{ publish: { target: 's3://feeds/x', endpoint: 'http://key:secret@minio:9000' } }, '/publish/endpoint', /without credentials/],
    [{ publish: { target: 's3://feeds/x', encoding: 'zstd' } }, '/publish/encoding', /"plain" or "precompressed"/],
    [{ publish: { target: 's3://feeds/x', purge: { url: 'ftp://cdn' } } }, '/publish/purge', /"url"|"command"/],
    [{ publish: { target: 's3://feeds/x', purge: { url: 'https://ops:pass@cdn.example/purge' } } }, '/publish/purge/url', /must not hold a user or password/],
    [{ coordination: { postgres: 'mysql://db/x' } }, '/coordination/postgres', /postgres:\/\/ URL/],
    [{ coordination: { postgres: 'postgres://db/x', leaseSeconds: 1 } }, '/coordination/leaseSeconds', /from 2 to 3600/],
  ])('rejects %j with an error at its key', (extra, pointer, message) => {
    const { value, issues } = resolve({ ...base, ...extra });
    expect(value).toBeUndefined();
    const issue = issues.find((i) => i.pointer === pointer);
    expect(issue?.level).toBe('error');
    expect(issue?.message).toMatch(message);
  });

  it('warns about unknown keys inside publish', () => {
    const { issues } = resolve({ ...base, publish: { target: 's3://feeds/x', bukket: 'y' } });
    expect(issues).toEqual([expect.objectContaining({ rule: 'config-unknown-key', level: 'warning', pointer: '/publish/bukket' })]);
  });
});

describe('parseS3Target and redactUrl', () => {
  it('normalises the prefix to end with one slash, or be empty', () => {
    expect(parseS3Target('s3://feeds')).toEqual({ bucket: 'feeds', prefix: '' });
    expect(parseS3Target('s3://feeds/a/b')).toEqual({ bucket: 'feeds', prefix: 'a/b/' });
    expect(parseS3Target('s3://feeds/a/../b')).toMatch(/must not hold/);
  });

  it('hides a password in a database URL', () => {
    expect(redactUrl('postgres://kiosque:hunter2@db:5432/kiosque')).toBe('postgres://kiosque:***@db:5432/kiosque');
  });

  it('hides a password given as a parameter of the URL too, which the driver reads as well', () => {
    expect(redactUrl('postgres://kiosque@db/kiosque?password=hunter2&sslmode=require')).toBe('postgres://kiosque@db/kiosque?password=***&sslmode=require');
    expect(redactUrl('postgresql://db/kiosque?user=k&PASSWORD=hunter2&sslpassword=s3cret')).not.toMatch(/hunter2|s3cret/);
  });
});

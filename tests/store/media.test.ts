import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMediaFiles, type MediaDirs } from '../../src/store/media.js';
import { tempDir } from '../helpers.js';
import { silentMp3, solidPng } from '../media-files.js';

describe('findMediaFiles', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let dirs: MediaDirs;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    await mkdir(join(dir, 'articles/2025/12/episode'), { recursive: true });
    await mkdir(join(dir, 'media'));
    await writeFile(join(dir, 'articles/2025/12/episode/audio.mp3'), silentMp3(1));
    await writeFile(join(dir, 'media/cover.png'), solidPng(1400, 1400));
    await writeFile(join(dir, 'media/wide.png'), solidPng(640, 360));
    await writeFile(join(dir, 'secret.mp3'), silentMp3(1));
    await symlink(join(dir, 'secret.mp3'), join(dir, 'media/escape.mp3'));
    dirs = { siteUrl: 'https://news.example/', storeDir: join(dir, 'articles'), mediaUrl: 'https://news.example/media/', mediaDir: join(dir, 'media') };
  });
  afterAll(() => cleanup());

  it('measures files in the store and in the media folder, and reads the pixel size of images', () => {
    const found = findMediaFiles(['https://news.example/2025/12/episode/audio.mp3', 'https://news.example/media/cover.png', 'https://news.example/media/wide.png'], dirs);
    expect(found.get('https://news.example/2025/12/episode/audio.mp3')).toEqual({ file: '2025/12/episode/audio.mp3', size: 4032 });
    expect(found.get('https://news.example/media/cover.png')).toMatchObject({ width: 1400, height: 1400 });
    expect(found.get('https://news.example/media/wide.png')).toMatchObject({ file: 'media:wide.png', width: 640, height: 360 });
  });

  it('finds nothing for remote URLs, missing files, folders and links leading out of the folder', () => {
    const found = findMediaFiles(['https://cdn.example/a.mp3', 'https://news.example/media/none.mp3', 'https://news.example/2025/12/episode', 'https://news.example/media/escape.mp3'], dirs);
    expect(found.size).toBe(0);
  });

  it('finds, for an address of the site\'s host outside its folders, the media file its path ends with, so the error can point to it', () => {
    const under = { ...dirs, siteUrl: 'https://news.example/site/', mediaUrl: 'https://news.example/site/media/' };
    const found = findMediaFiles(['https://news.example/media/cover.png', 'https://cdn.example/media/cover.png'], under);
    expect([...found.keys()]).toEqual(['https://news.example/site/media/cover.png']);
  });
});

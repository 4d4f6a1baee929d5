/**
 * The local media files articles and podcasts name: their size in bytes, and for images their
 * width and height (the `image-size` package reads them from the file's first bytes). Which URL
 * is which file is decided by model/media.ts; this module only looks at the disk, and never
 * follows a symbolic link out of the store or the media folder.
 */
import { closeSync, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { join, sep } from 'node:path';
import { imageSize } from 'image-size';
import type { Config } from '../config.js';
import { localRef, typeOfName, type MediaFile, type MediaRoots } from '../model/media.js';

/** Where the files behind `MediaRoots` are: the store, and the media folder when one is configured. */
export type MediaDirs = MediaRoots & { storeDir: string; mediaDir?: string };

export function mediaDirsOf(config: Pick<Config, 'url' | 'articles' | 'media'>): MediaDirs {
  return { siteUrl: config.url, storeDir: config.articles, ...(config.media ? { mediaUrl: config.media.url, mediaDir: config.media.dir } : {}) };
}

/** Enough for the header of any common image; a JPEG with a huge EXIF block is read further. */
const IMAGE_HEAD = 256 * 1024;
const IMAGE_MAX = 32 * 1024 * 1024;

function inside(root: string, path: string): boolean {
  try {
    const real = realpathSync(path);
    const base = realpathSync(root);
    return real.startsWith(base + sep);
  } catch {
    return false;
  }
}

function read(fd: number, bytes: number): Buffer {
  const buffer = Buffer.alloc(bytes);
  let done = 0;
  while (done < bytes) {
    const n = readSync(fd, buffer, done, bytes - done, done);
    if (n === 0) break;
    done += n;
  }
  return buffer.subarray(0, done);
}

/** Width, height and format (as image-size names it: `png`, `jpg`…) of an image file, or undefined when its format is not one image-size knows. */
function dimensions(fd: number, size: number): { width: number; height: number; format?: string } | undefined {
  for (const bytes of [Math.min(size, IMAGE_HEAD), Math.min(size, IMAGE_MAX)]) {
    try {
      const found = imageSize(read(fd, bytes));
      if (found.width && found.height) return { width: found.width, height: found.height, ...(found.type ? { format: found.type } : {}) };
    } catch {
      // Not enough of the file, or not an image: try the larger read once.
    }
    if (bytes === size) break;
  }
  return undefined;
}

/** One file, measured; undefined when the URL is remote or no such regular file is there. */
export function findMediaFile(url: string, dirs: MediaDirs): MediaFile | undefined {
  const ref = localRef(url, dirs);
  if (!ref) return undefined;
  const root = ref.root === 'media' ? dirs.mediaDir : dirs.storeDir;
  if (root === undefined) return undefined;
  const abs = join(root, ...ref.path.split('/'));
  if (!inside(root, abs)) return undefined;
  let fd: number;
  try {
    fd = openSync(abs, 'r');
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return undefined;
    const file: MediaFile = { file: ref.root === 'media' ? `media:${ref.path}` : ref.path, size: stat.size };
    if (typeOfName(ref.path)?.startsWith('image/')) Object.assign(file, dimensions(fd, stat.size));
    return file;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * The local files among `urls`, keyed by URL. For a URL of the site's host that names none (`/media/x.mp3` on a site
 * under `/site/`, whose media folder is served at `/site/media/`), the media file its path ends with is added under its
 * own address, so the error can say where that file is served.
 */
export function findMediaFiles(urls: readonly string[], dirs: MediaDirs): Map<string, MediaFile> {
  const found = new Map<string, MediaFile>();
  for (const url of urls) {
    const file = findMediaFile(url, dirs);
    if (file) found.set(url, file);
    else if (dirs.mediaUrl !== undefined && sameOrigin(url, dirs.siteUrl)) {
      const segments = new URL(url).pathname.split('/').filter(Boolean);
      for (let k = 1; k < segments.length; k++) {
        const candidate = new URL(segments.slice(k).join('/'), dirs.mediaUrl).href;
        const near = findMediaFile(candidate, dirs);
        if (near) {
          found.set(candidate, near);
          break;
        }
      }
    }
  }
  return found;
}

const sameOrigin = (a: string, b: string): boolean => {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
};

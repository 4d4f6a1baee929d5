/**
 * Finds the articles under the store root, in path order. Names starting with `.` or `_` are
 * skipped; symbolic links are followed only when they resolve inside the store, and each real
 * directory is walked once, so link loops end.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import type { Issue } from '../issue.js';
import { unreadable } from './files.js';

const ARTICLE = /\.(md|markdown|json)$/i;

/**
 * The store, or a folder of it, cannot be read: unlike a broken article, this stops the
 * publication (full-build.ts), since publishing without those articles would empty the feeds.
 */
export const FOLDER_UNREADABLE = 'store-folder-unreadable';

const folderUnreadable = (file: string, message: string): Issue => ({ rule: FOLDER_UNREADABLE, level: 'error', file, message });

function inside(root: string, real: string): boolean {
  return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
}

function statSafe(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

export type Walked = {
  /** Articles, sorted by path (store-relative, `/` separators). */
  files: string[];
  /** The other plain files (images, audio an article may reference), in walk order. */
  others: string[];
  issues: Issue[];
  realRoot?: string;
  /** Set when linked articles were sorted in after the walk: `files` is not in the order `onFiles` saw it. */
  reordered?: true;
};

/** Told each time the walk has appended articles to `files` (store paths under `prefix`). */
export type OnFiles = (prefix: string, files: readonly string[]) => void;

/** Articles under `root`, sorted by path (store-relative, `/` separators). */
export function walkStore(root: string, onFiles?: OnFiles): Walked {
  const issues: Issue[] = [];
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
    if (!statSync(realRoot).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { files: [], others: [], issues: [folderUnreadable('.', code === 'ENOENT' ? `the article store ${root} does not exist` : `cannot read the article store ${root} (${code ?? 'error'})`)] };
  }
  const files: string[] = [];
  const others: string[] = [];
  const seenDirs = new Set<string>([realRoot]);
  const walkedDirs = new Set<string>();
  const linkedFiles: { rel: string; real: string }[] = [];
  const prefix = realRoot.endsWith(sep) ? realRoot : realRoot + sep;
  let told = 0;
  const tell = (): void => {
    if (onFiles && files.length > told) onFiles(prefix, files);
    told = files.length;
  };
  const walk = (abs: string, rel: string, real: string): void => {
    let entries;
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // A name in another encoding is listed with U+FFFD, a name no folder has: its articles are rejected, not the store.
      if (code === 'ENOENT' && rel.includes('\uFFFD')) {
        issues.push(unreadable(rel, err));
        return;
      }
      // The store itself is named by its path: "." alone would not say which folder the operator must fix.
      issues.push(folderUnreadable(rel || '.', `cannot read ${rel ? 'the folder' : `the article store ${abs}`} (${code ?? 'error'})`));
      return;
    }
    walkedDirs.add(real);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const name = entry.name;
      if (name.startsWith('.') || name.startsWith('_')) {
        // Jekyll keeps every post there: a site copied as it is would build, silently, with none of them.
        if (name === '_posts' && entry.isDirectory()) {
          issues.push({ rule: 'store-folder-skipped', level: 'warning', file: rel ? `${rel}/${name}` : name, message: 'this folder is skipped, as is every name that starts with _ (Jekyll keeps its posts here): rename it (posts/) for its articles to be published' });
        }
        continue;
      }
      let isFile = entry.isFile();
      // The common case, a plain article file: no path but its store path is built.
      if (isFile && ARTICLE.test(name)) {
        files.push(rel ? `${rel}/${name}` : name);
        continue;
      }
      const childAbs = join(abs, name);
      const childRel = rel ? `${rel}/${name}` : name;
      if (isFile) {
        others.push(childRel);
        continue;
      }
      let childReal = join(real, name);
      let isDir = entry.isDirectory();
      const isLink = entry.isSymbolicLink();
      if (isLink) {
        try {
          childReal = realpathSync(childAbs);
        } catch (err) {
          const loop = (err as NodeJS.ErrnoException).code === 'ELOOP';
          issues.push({ rule: 'store-broken-link', level: 'warning', file: childRel, message: loop ? 'symbolic link that leads back to itself (a loop) is ignored' : 'symbolic link to nothing is ignored' });
          continue;
        }
        const target = statSafe(childReal);
        isDir = target?.isDirectory() ?? false;
        isFile = target?.isFile() ?? false;
        if (!inside(realRoot, childReal)) {
          if (isDir || ARTICLE.test(name)) {
            issues.push({ rule: 'store-link-outside', level: 'warning', file: childRel, message: 'symbolic link leading outside the store is not followed' });
          }
          continue;
        }
      }
      if (isDir) {
        if (seenDirs.has(childReal)) continue;
        seenDirs.add(childReal);
        tell();
        walk(childAbs, childRel, childReal);
      } else if (isLink && isFile && ARTICLE.test(name)) {
        linkedFiles.push({ rel: childRel, real: childReal });
      }
    }
  };
  walk(realRoot, '', realRoot);
  tell();
  // A link to an article already in the store would publish it twice under two ids.
  // Found as itself when its real directory was walked (a real path has no link left in it).
  const linkedReal = new Set<string>();
  for (const link of linkedFiles) {
    const name = basename(link.real);
    const walked = walkedDirs.has(dirname(link.real)) && !name.startsWith('.') && !name.startsWith('_') && ARTICLE.test(name);
    if (walked || linkedReal.has(link.real)) continue;
    linkedReal.add(link.real);
    files.push(link.rel);
  }
  if (linkedFiles.length === 0) return { files, others, issues, realRoot };
  files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { files, others, issues, realRoot, reordered: true };
}

/**
 * Items that left a feed since its last publication without being announced. An item may leave
 * a feed because newer ones pushed it out of the newest `limit`, because it was retracted (an
 * RFC 6721 tombstone tells Atom readers), or because the byte budget dropped it: those are
 * expected. Any other departure means an article vanished from the site while every reader
 * keeps its copy. Pure: bytes in, Issues out.
 */
import type { Issue } from '../issue.js';
import { FEED_FILES, feedFolderOf } from '../model/feed-set.js';
import type { Format } from '../model/types.js';
import { gateRules, movedItems, summarise, type ItemSummary } from './gate.js';
import { defineInfo, detailMessage } from './rule.js';

export const departureRule = defineInfo({
  id: 'KIOSQUE-GONE-001', level: 'warning', spec: 'kiosque: README.md#retractions',
  title: 'An item leaves a feed only when newer items push it out, or announced: retracted or dropped for the byte budget',
  message: detailMessage,
  why: 'Readers keep every item they fetched: an article deleted, drafted or renamed in the store disappears from the feed but stays in every reader, uncorrected.',
  fix: 'If the article was withdrawn, restore the file and mark it `retracted: { date, notice }` so Atom readers are told to drop it; if it vanished by mistake (deleted, drafted, rejected, its id changed), restore it.',
});

export const feedGoneRule = defineInfo({
  id: 'KIOSQUE-GONE-002', level: 'warning', spec: 'kiosque: docs/serving.md#a-feed-that-moved',
  title: 'A feed of the set stays published once it has subscribers',
  message: detailMessage,
  why: 'A feed no longer published answers 410 Gone, and readers unsubscribe from it for good: a tag or author renamed in the store, a feed removed from the configuration, a language or tag left with too few articles, loses every subscriber of its old address without a word to them.',
  fix: 'If a tag or author was renamed, keep the old name on its articles as well until its readers have moved, or have the web server answer 301 from the old address to the new one (docs/serving.md, "A feed that moved"). If the feed was meant to end, nothing to do.',
});

/**
 * The feeds (folders, `''` for the top) whose subscription documents a publication stopped
 * publishing, from the paths it made gone: archive pages and companion files are not feeds.
 */
export function goneFeeds(paths: readonly string[]): string[] {
  const folders = new Set<string>();
  for (const path of paths) {
    const folder = feedFolderOf(path);
    if (folder !== undefined) folders.add(folder);
  }
  return [...folders].sort();
}

export function feedGoneIssues(folders: readonly string[]): Issue[] {
  const feedFiles = Object.values(FEED_FILES);
  return folders.map((folder) => ({
    rule: feedGoneRule.id, level: feedGoneRule.level, spec: feedGoneRule.spec, file: `${folder}${feedFiles[0]}`,
    message: feedGoneRule.message({
      detail: `${folder === '' ? 'the main feed' : folder} is no longer published (no article falls in it any more, or the configuration dropped it): its ${feedFiles.slice(0, -1).join(', ')} and ${feedFiles[feedFiles.length - 1]} answer 410 Gone from now on under kiosque serve (404 from a static server or a bucket, which know nothing of it), and the readers subscribed to them unsubscribe`,
    }),
  }));
}

/** Newest first, equal dates by id: the order kiosque writes. */
function sortsBefore(a: ItemSummary, b: ItemSummary): boolean {
  if (a.published === undefined || b.published === undefined) return false;
  return a.published > b.published || (a.published === b.published && (a.id ?? '') < (b.id ?? ''));
}

/**
 * The items of `previous` missing from `next` that nothing explains: not in `announced`, not
 * still there under another id (at the same link, or with the same title and date: ATOM-E-010 and
 * its kin report those), and either newer than the oldest item kept, or gone from a feed that now
 * carries fewer items, and fewer than its `limit` (nothing pushed them out).
 */
export function unannouncedDepartures(
  format: Format, previous: Uint8Array, next: Uint8Array, file: string, announced: ReadonlySet<string>, limit = Infinity, beyond: ReadonlySet<string> = new Set(),
): Issue[] {
  const before = summarise(format, previous);
  const after = summarise(format, next);
  if (!before || !after) return [];
  const ids = new Set(after.items.map((i) => i.id));
  const links = new Set(after.items.map((i) => i.link));
  // Back under a new id: the gate's id rules report those (comparePrevious).
  const moved = new Set(movedItems(before, after, { limit, retracted: announced }).values());
  const gone = before.items.filter((i) => i.id !== undefined && !ids.has(i.id) && (i.link === undefined || !links.has(i.link)) && !moved.has(i));
  const announcedGone = gone.filter((i) => announced.has(i.id!)).length;
  const unexplained = gone.filter((i) => !announced.has(i.id!));
  if (unexplained.length === 0) return [];
  const last = after.items[after.items.length - 1];
  // A feed holding its `limit` lost its oldest to newer items, or to a lower limit: only an item newer than the oldest kept vanished.
  const shrank = after.items.length < limit && after.items.length < before.items.length - announcedGone;
  return unexplained
    .filter((item) => shrank || !last || sortsBefore(item, last))
    .map((item) => {
      // Still published, past the newest `limit`: its date moved back, which readers keep as it was.
      if (beyond.has(item.id!)) {
        const { redated } = gateRules;
        return {
          rule: redated.id, level: redated.level, file, spec: redated.spec,
          message: redated.message({
            detail: `"${item.title ?? item.id}" (${item.id}) has a new publication date, earlier than ${item.published === undefined ? 'the one it was published with' : new Date(item.published).toISOString()}, that moves it out of the feed's newest ${after.items.length} items; it is still published (on the archive pages, where there are), and readers keep their copy as first dated`,
          }),
        };
      }
      return {
        rule: departureRule.id, level: departureRule.level, file, spec: departureRule.spec,
        message: departureRule.message({
          detail: `"${item.title ?? item.id}" (${item.id}) was in the last publication and is gone, unannounced${shrank ? ' (the feed carries fewer items than before)' : ', though newer than the oldest item kept'}: mark a withdrawn article "retracted" rather than delete it`,
        }),
      };
    });
}

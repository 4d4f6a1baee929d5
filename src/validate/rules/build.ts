// kiosque's own build findings: the article store (README "Writing articles"), the configuration and publishing.
/**
 * These rules are checked where the data is read (src/store, src/model, src/config.ts,
 * src/publish), not by the document validators; they are defined here so every id kiosque can
 * report has one entry in the registry, docs/rules.md and `kiosque explain`. A new id is added
 * here, in one place, next to the code that reports it.
 */
import { defineInfo, detailMessage, type RuleInfo } from '../rule.js';

const detail = detailMessage;
const ARTICLES = 'kiosque: README.md#when-an-article-is-broken';
const WRITING = 'kiosque: README.md#writing-articles';
const CONFIG = 'kiosque: README.md#configuration-kiosqueconfigjson';
const MEDIA = 'kiosque: README.md#enclosures-and-podcasts';

const store = (id: string, level: RuleInfo['level'], title: string, why: string, fix: string, spec = ARTICLES): RuleInfo =>
  defineInfo({ id, level, spec, title, message: detail, why, fix });

const REJECTED = 'The article is not published; every other article still is.';

/** Store rules: a rejected article (error) or a field that is ignored (warning). */
export const storeRules: RuleInfo[] = [
  store('store-unreadable', 'error', 'Each article file can be read', REJECTED, 'Check the file\'s permissions.'),
  store('store-folder-unreadable', 'error', 'The article store and each of its folders can be read', 'A missing store or an unreadable folder is not a broken article: publishing without its articles would empty the feeds and rewrite their archive pages. Nothing is published; the previous publication stays.', 'Check the `articles` path (relative to the configuration file), that its disk is mounted, and the folders\' permissions.'),
  store('store-emptied', 'error', 'A store yields articles to publish while the last publication carried items', 'An empty store (a mount point with nothing mounted, a sync that failed) or one whose every article is rejected would empty every feed, make every tag feed answer 410 so its readers unsubscribe, and remove the archive pages. Nothing is published; the previous publication stays.', 'Check that the store\'s disk is mounted and its files are there; fix the articles the report rejects. To empty the feeds on purpose, run `kiosque build --allow-empty` once.', 'kiosque: README.md#kiosque-build-also-npm-run-feeds'),
  store('store-too-large', 'error', 'An article file is at most 5 MiB', `${REJECTED} Oversized files are usually not articles (media, exports).`, 'Move media out of the store and link to it; split huge articles.'),
  store('store-empty', 'error', 'An article file is not empty', REJECTED, 'Write the article, or delete the file (or name it with a leading `_` to keep it as a draft file).'),
  store('store-binary', 'error', 'An article file is text, with no NUL bytes', `${REJECTED} Binary files (images, office documents) are not articles.`, 'Keep only Markdown and JSON articles in the store; put media elsewhere.'),
  store('store-not-utf8', 'error', 'An article file is valid UTF-8', `${REJECTED} Other encodings would turn accents into mojibake.`, 'Save the file as UTF-8.'),
  store('store-missing-front-matter', 'error', 'A Markdown article starts with a YAML front matter block between `---` lines', `${REJECTED} Without it there is no title or date.`, 'Start the file with `---`, the title and date, and another `---`.', WRITING),
  store('store-bad-yaml', 'error', 'The front matter is valid YAML, closed by a `---` line', `${REJECTED}`, 'Fix the YAML at the line given (quote values containing `:` or `#`), and close the block with `---`.', WRITING),
  store('store-head-too-large', 'error', 'The front matter is at most 256 KB', `${REJECTED} Front matter that long is almost always a missing closing line or text that belongs in the body.`, 'Move long text (a summary, a transcript) into the body, and check the block closes with `---`.', WRITING),
  store('store-bad-json', 'error', 'A JSON article is one valid JSON object', REJECTED, 'Fix the JSON syntax at the line given; the file holds one object.', WRITING),
  store('store-missing-content', 'error', 'A JSON article has `content` (Markdown) or `content_html`', `${REJECTED} An article needs a body.`, 'Add `content` or `content_html`.', WRITING),
  store('store-missing-title', 'error', 'Every article has a `title`', `${REJECTED} Readers list items by title.`, 'Add `title: …` to the front matter.', WRITING),
  store('store-missing-date', 'error', 'Every article has a `date`', `${REJECTED} Readers order items by date, and embargoes need it.`, 'Add `date: 2020-02-28T17:30:00+01:00` to the front matter.', WRITING),
  store('store-invalid-date', 'error', '`date` and `updated` are real ISO 8601 dates', `${REJECTED} An impossible date (2020-02-30) cannot be placed in time.`, 'Write an existing date, e.g. `2020-02-28T17:30:00+01:00`.', WRITING),
  store('store-date-skipped', 'warning', 'A `date` or `updated` without an offset names a time the time zone did not skip', 'A wall-clock time inside the hour clocks jump over in spring (2026-03-29T02:30 in Europe/Paris) never happened: it is read later on the clock (03:30), which may not be what the editor meant.', 'Write the time you meant, or give its offset (`+01:00`).', WRITING),
  store('store-updated-before-date', 'warning', '`updated` is not earlier than `date`', 'An update before the publication is a typo; the date is used instead.', 'Fix `updated`, or remove it.', WRITING),
  store('store-updated-in-future', 'warning', '`updated` is not later than the build time', 'An update cannot have happened yet: a typo (2027 for 2026) would date the feed in the future and keep the item above newer ones in readers. The date is used until that time comes.', 'Fix `updated`, or remove it.', WRITING),
  store('store-bad-field-type', 'error', 'Every front-matter field has the type the README gives it', `${REJECTED} A list where a string is expected (or the reverse) cannot be published faithfully.`, 'Write the field as the README table says (e.g. `tags` a list, `title` a string).', WRITING),
  store('store-unknown-key', 'warning', 'Every front-matter key is one kiosque knows', 'An unknown key is ignored; it is often a typo (`tilte`).', 'Fix the key name, or remove it.', WRITING),
  store('store-tags-one-string', 'warning', '`tags` holding several tags is a list, not one string with commas', 'A single string is one tag: `tags: Économie, Politique` makes one tag, and one tag feed, named "Économie, Politique".', 'Write a list: `tags: [Économie, Politique]`. A tag that really holds a comma can be written as a one-item list.', WRITING),
  store('store-published-twice', 'warning', 'One article is published from one file: no two of the newest share a title and a publication date', 'A copied file (`budget copy.md`, a sync tool\'s conflicted copy) has an id of its own, so readers list the article twice.', 'Delete the copy; if it is another article, give it its own title or date.', WRITING),
  store('store-duplicate-id', 'error', 'Every article id is used by one file only', `${REJECTED} Two items with one id would merge in readers.`, 'Give one of the two files another `id` (or remove the explicit id to use the path).', WRITING),
  store('store-author-and-authors', 'warning', 'An article sets `author` or `authors`, not both', '`authors` wins, so the `author` value is silently lost.', 'Keep one of the two fields.', WRITING),
  store('store-bad-image', 'warning', '`image` is an http(s) URL or a path on the site', 'An unusable image reference is ignored; the item has no lead image.', 'Write an absolute https URL or a path relative to the article.', WRITING),
  store('store-image-missing', 'warning', 'A lead image written as a path, or under the media folder\'s address, is a file there', 'Readers show a broken image at the top of the item; the article is published with it as written.', 'Check the name the message quotes (a typo such as `.pgn`), or put the file beside the article or in the media folder.', MEDIA),
  store('store-bad-enclosure', 'error', 'Every enclosure has a usable URL, a MIME type and a known length; a duration is seconds or H:MM:SS', `${REJECTED} A podcast app stops a download at the announced length, so a guessed or zero length breaks the episode.`, 'Fix the field the message names (`enclosures[1].length`): put the file in the store or the media folder, or write its size in bytes.', MEDIA),
  store('store-duplicate-key', 'warning', 'A JSON article sets each key once', 'JSON keeps the last value of a key written twice, without a word: an edit that added a second `title` instead of changing the first publishes whichever comes last. (YAML refuses the same slip: `store-bad-yaml`.)', 'Delete one of the two, keeping the value you mean.', WRITING),
  store('store-content-and-html', 'warning', 'A JSON article sets `content` or `content_html`, not both', '`content` (Markdown) wins, so the `content_html` is silently lost.', 'Keep one of the two fields.', WRITING),
  store('store-enclosures-and-media', 'warning', 'An article sets `enclosures` or `media`, not both', '`enclosures` wins, so the `media` list is silently lost.', 'Keep one of the two fields.', MEDIA),
  store('store-bad-author', 'warning', 'An author\'s `email` is a bare address and `url` an http(s) URL or a path on the site', 'Atom refuses any other email (RFC 4287 §3.2.3), so the value is dropped rather than failing every feed; the author keeps the name.', 'Write `email: name@news.example` (no display name, no `mailto:`) and `url: https://…`.', WRITING),
  store('store-bad-lang', 'warning', '`lang` is a language tag such as `fr` or `en-GB`', 'An invalid tag is ignored; the item gets the site language.', 'Write a BCP 47 tag (`en`, `fr-CA`).', WRITING),
  store('store-kept-last-good', 'warning', 'An article that an edit broke keeps its place in the archive pages', 'The article is rejected, as any broken one is, but its head as last read correctly (title, date, link) stays on its archive page: dropped, it would move one entry into every later full page, which clients keep for a year as immutable. It is out of the subscription feeds until the file is fixed.', 'Fix the file at the error reported with it; the page takes the corrected head at the next build.', 'kiosque: README.md#archives-rfc-5005'),
  store('store-bad-episode-type', 'warning', '`episodeType` is `full`, `trailer` or `bonus`', 'Apple knows these three; another value is ignored, and the episode is a full one.', 'Write `episodeType: trailer` (or `bonus`, or leave it out for a full episode).', MEDIA),
  store('store-broken-link', 'warning', 'Symbolic links in the store lead somewhere', 'A link to nothing is ignored.', 'Remove the link or restore its target.'),
  store('store-link-outside', 'warning', 'Symbolic links in the store stay inside it', 'Links leading outside the store are never followed, so nothing can be published from elsewhere on the disk.', 'Copy the file into the store instead of linking to it.'),
  store('store-too-complex', 'error', 'An article body renders within the time limit', `${REJECTED} A pathological body (deeply nested lists or emphasis) would stall every build.`, 'Simplify the Markdown of the article named.'),
  store('store-render-failed', 'error', 'An article body renders to HTML', REJECTED, 'Simplify the Markdown of the article named, and report the file if it looks ordinary.'),
  store('store-retraction-unannounced', 'warning', 'A retraction without a date of its own is recent enough to be announced', 'Its period counts from the article\'s `updated` (or `date`); when that is long past, no tombstone tells Atom readers to drop their copy.', 'Write the day it was withdrawn: `retracted: { date: 2026-11-20T09:00:00+01:00, notice: "…" }`.', 'kiosque: README.md#retractions'),
  store('store-cache-unwritable', 'warning', 'The store cache can be written', 'Nothing is lost, but the next build reads every article again and is slower.', 'Make the output directory writable, or free disk space.'),
];

export const configRules: RuleInfo[] = [
  defineInfo({ id: 'config-unreadable', level: 'error', spec: CONFIG, title: 'The configuration file exists and can be read', message: detail,
    why: 'Nothing runs without a configuration: the site URL and title are required.', fix: 'Create kiosque.config.json in the working directory, or pass `--config FILE`.' }),
  defineInfo({ id: 'config-invalid', level: 'error', spec: CONFIG, title: 'The configuration is a JSON object whose every key holds a valid value', message: detail,
    why: 'A bad value (a cron expression, a time zone, a URL) would break builds later; nothing runs until it is fixed.', fix: 'Fix the key named by the JSON pointer, as the README table describes.' }),
  defineInfo({ id: 'config-unknown-key', level: 'warning', spec: CONFIG, title: 'Every configuration key is one kiosque knows', message: detail,
    why: 'An unknown key is ignored; it is often a typo that leaves the default in force.', fix: 'Fix the key name, or remove it.' }),
];

const FEED_SET = 'kiosque: README.md#the-feed-set';

/** Feed-set planning: which feeds a store and the `feeds` configuration give. */
export const feedSetRules: RuleInfo[] = [
  defineInfo({ id: 'feed-slug-collision', level: 'warning', spec: FEED_SET, title: 'Two tags, languages or authors do not share a folder name', message: detail,
    why: 'Both still get a feed: the first keeps the folder, the other gets the name plus a short stable hash, which is hard to guess.', fix: 'Spell the two values apart (the message names a file using each), or merge them into one.' }),
  defineInfo({ id: 'feed-path-collision', level: 'warning', spec: FEED_SET, title: 'A feed expanded per value does not land in the folder of another feed', message: detail,
    why: 'The later feed is left out, so its readers get nothing new.', fix: 'Give the expansion a path template of its own (`tags/{slug}/`), or move the declared feed.' }),
  defineInfo({ id: 'feed-kept-while-rejected', level: 'warning', spec: FEED_SET, title: 'Every feed of the last publication has an article while articles are rejected', message: detail,
    why: 'Its articles may be among those rejected (a file caught half-written by a sync): publishing without it would answer 410 Gone, and its readers would unsubscribe for good. Its last publication stays instead, until the store builds without rejections.', fix: 'Fix the rejected articles the report lists. If the feed was meant to end, it goes at the first build without rejections.' }),
  defineInfo({ id: 'feed-moved-published', level: 'warning', spec: 'kiosque: docs/serving.md#a-feed-that-moved', title: 'A folder listed in `moved` is no feed of the set any more', message: detail,
    why: 'The feed is published there again (its tag is back), so it is served and its redirect is not: readers who followed the redirect stay at the new address, the others get the old feed.', fix: 'Remove the folder from `moved`, or the tag from the articles that brought it back.' }),
  defineInfo({ id: 'feed-empty', level: 'warning', spec: 'kiosque: README.md#the-feed-set', title: 'A declared feed selects at least one article', message: detail,
    why: 'A feed whose `select` matches nothing (a folder or tag misspelt) is published with no item, and its readers see nothing arrive.', fix: 'Check the feed\'s `select` against the store: the folder, tags, language or author it names.' }),
  defineInfo({ id: 'feed-moved-unknown', level: 'warning', spec: 'kiosque: docs/serving.md#a-feed-that-moved', title: 'A feed folder listed in `moved` was published', message: detail,
    why: 'A misspelt old folder redirects an address no reader has, while the feed that really moved answers 410 and its readers unsubscribe.', fix: 'Write the old folder as the last publication had it, as on disk (`tags/île-de-france/`; the percent-encoded form of an address is read too).' }),
  defineInfo({ id: 'feed-moved-nowhere', level: 'warning', spec: 'kiosque: docs/serving.md#a-feed-that-moved', title: 'A feed folder listed in `moved` leads to a feed of the set', message: detail,
    why: 'Readers follow the 301 to an address that answers 404, and may drop the subscription.', fix: 'Write the folder the feed now has (the report lists every feed), such as `tags/transports/`.' }),
  defineInfo({ id: 'feed-budget-trimmed', level: 'warning', spec: 'kiosque: README.md#byte-budgets', title: 'Every feed document fits its byte budget as it is', message: detail,
    why: 'The document was trimmed to fit: its oldest entries carry their summary instead of their full content, or are left out of the subscription feed (the archives keep them). Pollers that cap a fetch get a whole document.', fix: 'Nothing, if that is what you want; otherwise raise `maxBytes` for the feed (or site-wide), or lower its `limit`.' }),
  defineInfo({ id: 'feed-article-summarised', level: 'warning', spec: 'kiosque: README.md#byte-budgets', title: 'An article\'s full content fits its feeds\' byte budget on its own', message: detail,
    why: 'A document holding that article alone, with its full content, would exceed the budget: the feed carries its summary instead (or a link to it, without a summary), however new it is, so subscribers still get it.', fix: 'Shorten the article or move embedded media out of its body, or raise `maxBytes` for the feed.' }),
  defineInfo({ id: 'feed-article-over-budget', level: 'error', spec: 'kiosque: README.md#byte-budgets', title: 'An article fits its feeds\' byte budget on its own', message: detail,
    why: 'A document holding that article alone would exceed the budget even with its summary instead of its content, so no trimming can fit it: it is left out of that feed; every other article is still published.', fix: 'Shorten its title and summary, or raise `maxBytes` for the feed.' }),
  defineInfo({ id: 'feed-complete-over-budget', level: 'warning', spec: 'kiosque: README.md#byte-budgets', title: 'A feed declared complete carries every article within its byte budget', message: detail,
    why: 'fh:complete tells readers to drop every entry the document does not carry (RFC 5005 §2). Trimmed to fit its budget, the feed would make them delete articles that still exist, so it is published without fh:complete: readers keep what they have, and new articles still arrive.', fix: 'Raise `maxBytes` for the feed, or give it archive pages (`"archive": { "pageSize": 100 }`) instead of `complete`.' }),
  defineInfo({ id: 'feed-complete-rejected', level: 'warning', spec: 'RFC 5005 §2; kiosque: README.md#archives-rfc-5005', title: 'A feed declared complete carries every article it selects: none is rejected', message: detail,
    why: 'fh:complete tells readers to drop every entry the document does not carry (RFC 5005 §2): an episode rejected for a moved audio file would be deleted from every subscriber\'s app. The feed is published without fh:complete until the article is fixed.', fix: 'Fix the rejected article the message names (its own error says how); the feed is complete again at the next build.' }),
  defineInfo({ id: 'feed-podcast-no-enclosure', level: 'warning', spec: 'kiosque: README.md#enclosures-and-podcasts', title: 'Every article a podcast feed selects has an enclosure', message: detail,
    why: 'Apple Podcasts lists no episode without its media file, so the article is left out of the podcast feed (it stays in the others).', fix: 'Give the article its audio under `enclosures`, or narrow the podcast feed\'s `select` so it does not take the article.' }),
  defineInfo({ id: 'feed-podcast-empty', level: 'warning', spec: 'kiosque: README.md#podcasts', title: 'A podcast feed has at least one episode', message: detail,
    why: 'Apple Podcasts lists no show without an episode, and refuses one submitted empty: a podcast whose `select` matches nothing (a misspelled tag) is published with no item.', fix: 'Check the podcast feed\'s `select` (the tag or folder it names), and that its articles have enclosures.' }),
  defineInfo({ id: 'feed-podcast-unplayable', level: 'warning', spec: 'kiosque: README.md#podcasts', title: 'The first enclosure of every episode is a format Apple Podcasts plays', message: detail,
    why: 'Apple lists no episode in another format (WAV, OGG, Opus): published, it would fail Apple\'s requirements (APPLE-IT-002) and stop the whole publication. It is left out of the podcast feed instead, and stays in the others.', fix: 'Encode the episode as MP3 or M4A (MP4, M4V or MOV for video) and point `enclosures` at that file.' }),
  defineInfo({ id: 'feed-podcast-unnumbered', level: 'warning', spec: 'kiosque: README.md#podcasts', title: 'In a serial podcast, every full episode has an `episode` number', message: detail,
    why: 'Apple presents a serial show in episode order and refuses an unnumbered full episode (APPLE-IT-005): it is left out of the podcast feed instead, and stays in the others.', fix: 'Number it (`episode: 4`), or mark a trailer or a bonus as such (`episodeType: trailer`).' }),
];

export const publishRules: RuleInfo[] = [
  defineInfo({ id: 'publish-failed', level: 'error', spec: 'kiosque: README.md#kiosque-build-also-npm-run-feeds', title: 'The output directory can be written', message: detail,
    why: 'Nothing new is published; the previous publication stays in place, whole.', fix: 'Check the permissions and free space of the output directory, and anything in the way of the feed files.' }),
  defineInfo({ id: 'publish-fenced', level: 'error', spec: 'kiosque: docs/scaling.md', title: 'A run publishes only while its lease token is at least the published one', message: detail,
    why: 'An instance paused past its lease (GC, VM freeze, network partition) must never overwrite what a newer holder published; its run is refused and the newer publication stays.', fix: 'Nothing to do: the current holder publishes. If it repeats, give the lease more time (`coordination.leaseSeconds`) than a run can stall.' }),
  defineInfo({ id: 'publish-pings-unrecorded', level: 'warning', spec: 'kiosque: README.md#websub', title: 'The WebSub pings a publication owes are recorded beside its manifest', message: detail,
    why: 'The publication goes ahead, but if the run then stops before its pings (a crash, a hub down), the hubs hear of the change only when a later run changes something again; their subscribers still poll.', fix: 'Check that `.kiosque/` in the output directory (or the bucket\'s prefix) can be written.' }),
  defineInfo({ id: 'publish-s3-failed', level: 'error', spec: 'kiosque: docs/scaling.md', title: 'Every object of a publication reaches the bucket', message: detail,
    why: 'The remote manifest is written last, so it still names the last complete publication; the next run uploads what is missing.', fix: 'Check the endpoint, the bucket, the credentials of the AWS chain and the IAM permissions the S3 error code points to (docs/scaling.md).' }),
  defineInfo({ id: 'publish-s3-delete-failed', level: 'warning', spec: 'kiosque: docs/scaling.md', title: 'Objects no longer published are deleted from the bucket', message: detail,
    why: 'The new publication is live; a leftover object is only served to someone who asks for its URL, and the next run retries the deletion.', fix: 'Grant `s3:DeleteObject` on the prefix (docs/scaling.md, IAM).' }),
  defineInfo({ id: 'publish-purge-failed', level: 'warning', spec: 'kiosque: docs/scaling.md', title: 'The CDN purge hook succeeds after a publication', message: detail,
    why: 'The bucket has the new files, but the CDN may serve the previous copies until their max-age runs out.', fix: 'Check the purge URL or command in `publish.purge` (it gets the changed paths), and its credentials.' }),
  defineInfo({ id: 'publish-bad-path', level: 'error', spec: 'kiosque: docs/serving.md', title: 'Every published path is a plain relative path, published once, never both a file and a folder', message: detail,
    why: 'A path that climbs out of out/, repeats, or is a file and a folder at once cannot be served; nothing is published and the previous publication stays.', fix: 'Give each feed of the set its own folder (the `path` of its specification) and keep names free of `..` and leading dots.' }),
  defineInfo({ id: 'publish-previous-unreadable', level: 'warning', spec: 'kiosque: docs/serving.md', title: 'The live publication\'s manifest can be read when the next is published', message: detail,
    why: 'Without it the new publication cannot tell unchanged files from new ones, nor which feeds were published before: every file gets a new Last-Modified (pollers sending If-Modified-Since download everything once), and a feed dropped meanwhile answers 404 instead of 410.', fix: 'Find what damaged `.kiosque/current` or the generation\'s `.manifest.json` (a disk error, a hand edit, a partial copy of out/); this publication has replaced it, so nothing else is needed.' }),
  defineInfo({ id: 'publish-cleanup', level: 'warning', spec: 'kiosque: docs/serving.md', title: 'After a publication, vanished names and old generations are removed', message: detail,
    why: 'The new publication is live and whole; only tidying failed, so old files take disk space until the next run retries.', fix: 'Check the permissions and free space of the output directory; the next build retries on its own.' }),
];

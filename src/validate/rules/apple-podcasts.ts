// Apple Podcasts feed requirements ("A Podcaster's Guide to RSS" and "Podcast RSS feed requirements", Apple Podcasts for Creators), checked by `kiosque validate --profile apple-podcasts`.
/**
 * A profile: rules on top of RSS 2.0 for one consumer. What Apple requires (a show it refuses
 * without) is an error, what it recommends a warning. Apple's page is the source of every rule;
 * the category list is model/podcast.ts's. Only the document is read: artwork size is checked
 * where the file is at hand (the build, for local artwork), and here from its name.
 */
import { typeOfName, type MediaFile } from '../../model/media.js';
import { APPLE_CATEGORIES, APPLE_MEDIA_TYPES, appleCategory } from '../../model/podcast.js';
import { defineInfo, defineRule, type Finding, type Rule } from '../rule.js';
import { NS, attr, children, descendants, type XmlDoc, type XmlElement } from '../xml.js';

const GUIDE = 'https://help.apple.com/itc/podcasts_connect/#/itcb54353390';
const REQUIREMENTS = 'https://podcasters.apple.com/support/823-podcast-requirements';
const CATEGORIES = 'https://podcasters.apple.com/support/1691-apple-podcasts-categories';

type Params = Record<string, string | number>;
const at = (el: XmlElement, params: Params = {}): Finding => ({ line: el.line, column: el.column, params });
const s = (p: Params, key: string): string => String(p[key] ?? '');

const channel = (doc: XmlDoc): XmlElement | undefined => (doc.root.local === 'rss' ? children(doc.root, 'channel', doc.root.ns)[0] : undefined);
const items = (doc: XmlDoc): XmlElement[] => {
  const ch = channel(doc);
  return ch ? children(ch, 'item', doc.root.ns) : [];
};
const core = (doc: XmlDoc, el: XmlElement, local: string): XmlElement[] => children(el, local, doc.root.ns);
const itunes = (el: XmlElement, local: string): XmlElement[] => children(el, local, NS.itunes);

/** Artwork limits: square, 1400 to 3000 pixels a side, JPEG or PNG. */
export const ARTWORK = { min: 1400, max: 3000 } as const;
/** The longest show or episode description Apple takes, in bytes (A Podcaster's Guide to RSS, <description>). */
const APPLE_DESCRIPTION_BYTES = 4000;

/** What is wrong with artwork kiosque can read (APPLE-CH-002 at build time), from its name and pixel size. */
export function artworkProblem(file: MediaFile): string | undefined {
  const type = typeOfName(file.file);
  if (type !== 'image/jpeg' && type !== 'image/png') return `${file.file} is not a JPEG or PNG file`;
  // Servers label the file by its name: JPEG bytes served as image/png are refused by Apple and broken in some apps.
  const holds = file.format === 'jpg' ? 'image/jpeg' : file.format === 'png' ? 'image/png' : file.format;
  if (holds !== undefined && holds !== type) return `${file.file} is named as ${type === 'image/png' ? 'PNG' : 'JPEG'} but holds ${file.format === 'jpg' ? 'JPEG' : file.format!.toUpperCase()} data: give it the extension of its format`;
  if (file.width === undefined || file.height === undefined) return `${file.file} has a pixel size kiosque cannot read`;
  if (file.width !== file.height || file.width < ARTWORK.min || file.width > ARTWORK.max) {
    return `${file.file} is ${file.width} × ${file.height} pixels: Apple wants a square of ${ARTWORK.min} to ${ARTWORK.max} pixels a side`;
  }
  return undefined;
}

/** Reported outside the document rules: the profile given a feed that is not RSS. */
export const appleFormatRule = defineInfo({
  id: 'APPLE-DOC-001',
  level: 'error',
  spec: 'Apple Podcasts: Podcast RSS feed requirements',
  link: REQUIREMENTS,
  title: 'A podcast feed is RSS 2.0',
  message: (p) => `Apple Podcasts reads RSS 2.0 feeds only; this is ${s(p, 'format')}`,
  why: 'Apple refuses Atom and JSON Feed documents: the show cannot be submitted.',
  fix: 'Give Apple the RSS version of the feed (kiosque writes rss.xml beside atom.xml and feed.json).',
});

export const appleRules: Rule<XmlDoc>[] = [
  defineRule<XmlDoc>({
    id: 'APPLE-CH-001',
    level: 'error',
    spec: 'Apple Podcasts: A Podcaster\'s Guide to RSS, required channel tags',
    link: GUIDE,
    title: 'The channel has `<itunes:image href="…"/>`, the show\'s artwork',
    message: () => '<channel> has no <itunes:image href="…"/>: Apple requires the show artwork',
    check: function* (doc) {
      const ch = channel(doc);
      if (ch && !itunes(ch, 'image').some((el) => (attr(el, 'href') ?? '').trim() !== '')) yield at(ch);
    },
    why: 'Apple refuses a show without artwork; apps show it everywhere the show appears.',
    fix: 'Add `<itunes:image href="https://…/cover.jpg"/>` (JPEG or PNG, 1400 to 3000 pixels square).',
  }),
  defineRule<XmlDoc>({
    id: 'APPLE-CH-002',
    level: 'error',
    spec: 'Apple Podcasts: A Podcaster\'s Guide to RSS, <itunes:image>',
    link: GUIDE,
    title: 'The show artwork is a square JPEG or PNG of 1400 to 3000 pixels a side (its name ends in .jpg, .jpeg or .png)',
    message: (p) => `show artwork ${s(p, 'reason')}`,
    check: function* (doc) {
      const ch = channel(doc);
      for (const el of ch ? itunes(ch, 'image') : []) {
        const href = (attr(el, 'href') ?? '').trim();
        let path = href;
        try {
          path = new URL(href).pathname;
        } catch {
          // The URL itself is RSS-EXT-010's business.
        }
        if (href !== '' && !/\.(jpe?g|png)$/i.test(path)) yield at(el, { reason: `"${href}" must name a .jpg, .jpeg or .png file: Apple takes JPEG or PNG artwork with a matching extension` });
      }
    },
    why: 'Apple refuses artwork of another format or size, and the show is not listed until it is fixed.',
    fix: 'Export the artwork as a square JPEG or PNG, 3000 × 3000 pixels, RGB, with a .jpg or .png name.',
  }),
  defineRule<XmlDoc>({
    id: 'APPLE-CH-003',
    level: 'error',
    spec: 'Apple Podcasts: Apple Podcasts categories',
    link: CATEGORIES,
    title: 'The channel has `<itunes:category>` from Apple\'s list, a subcategory inside its own category',
    message: (p) => s(p, 'detail'),
    check: function* (doc) {
      const ch = channel(doc);
      if (!ch) return;
      const top = itunes(ch, 'category');
      if (top.length === 0) yield at(ch, { detail: '<channel> has no <itunes:category>: Apple requires one from its list' });
      for (const el of top) {
        const text = attr(el, 'text') ?? '';
        if (!Object.hasOwn(APPLE_CATEGORIES, text)) {
          yield at(el, { detail: `<itunes:category text="${text}"> is not an Apple Podcasts category${appleCategory(text) ? ` (Apple spells it "${appleCategory(text)!.text}")` : ''}` });
          continue;
        }
        for (const sub of itunes(el, 'category')) {
          const name = attr(sub, 'text') ?? '';
          if (!APPLE_CATEGORIES[text]!.includes(name)) yield at(sub, { detail: `"${name}" is not a subcategory of "${text}" in Apple's list` });
        }
      }
    },
    why: 'Apple refuses a show whose category is missing or not one of its own, spelled exactly.',
    fix: 'Use a category and subcategory from Apple\'s list: `<itunes:category text="News"><itunes:category text="Daily News"/></itunes:category>`.',
  }),
  defineRule<XmlDoc>({
    id: 'APPLE-CH-004',
    level: 'error',
    spec: 'Apple Podcasts: A Podcaster\'s Guide to RSS, required channel tags',
    link: GUIDE,
    title: 'The channel has `<itunes:explicit>` true or false',
    message: () => '<channel> has no <itunes:explicit>: say true or false',
    check: function* (doc) {
      const ch = channel(doc);
      if (ch && itunes(ch, 'explicit').length === 0) yield at(ch);
    },
    why: 'Apple requires the parental advisory of every show; without it the show is refused.',
    fix: 'Add `<itunes:explicit>false</itunes:explicit>` (or true).',
  }),
  defineRule<XmlDoc>({
    id: 'APPLE-CH-005',
    level: 'error',
    spec: 'Apple Podcasts: A Podcaster\'s Guide to RSS, required channel tags',
    link: GUIDE,
    title: 'The channel has `<language>`',
    message: () => '<channel> has no <language>: Apple requires the language spoken in the show',
    check: function* (doc) {
      const ch = channel(doc);
      if (ch && core(doc, ch, 'language').length === 0) yield at(ch);
    },
    why: 'Apple lists shows by language; a show without one is refused.',
    fix: 'Add `<language>fr</language>` with the language spoken.',
  }),
  defineRule<XmlDoc>({
    id: 'APPLE-CH-006',
    level: 'warning',
    spec: 'Apple Podcasts: A Podcaster\'s Guide to RSS, recommended channel tags',
    link: GUIDE,
    title: 'The channel has `<itunes:author>`',
    message: () => '<channel> has no <itunes:author>: Apple shows the group or people behind the show under its title',
    check: function* (doc) {
      const ch = channel(doc);
      if (ch && itunes(ch, 'author').length === 0) yield at(ch);
    },
    why: 'Listeners see who makes the show, and search finds it by that name.',
    fix: 'Add `<itunes:author>The newsroom</itunes:author>`.',
  }),
  defineRule<XmlDoc>({
    id: 'APPLE-CH-007',
    level: 'error',
    spec: 'Apple Podcasts: A Podcaster\'s Guide to RSS, namespace declarations',
    link: GUIDE,
    title: 'The iTunes namespace is declared exactly as `http://www.itunes.com/dtds/podcast-1.0.dtd`',
    message: (p) => `<${s(p, 'element')}> is in "${s(p, 'ns')}", not the iTunes namespace http://www.itunes.com/dtds/podcast-1.0.dtd (namespaces are case-sensitive)`,
    check: function* (doc) {
      const wanted = NS.itunes.toLowerCase();
      for (const el of descendants(doc.root)) {
        if (el.ns !== NS.itunes && (el.prefix === 'itunes' || el.ns.toLowerCase() === wanted)) {
          yield at(el, { element: el.name, ns: el.ns || '(none)' });
          return;
        }
      }
    },
    why: 'Apple reads no iTunes tag in another namespace: the show then lacks its artwork, category and advisory.',
    fix: 'Declare `xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"` on `<rss>`, in this exact case.',
  }),
  defineRule<XmlDoc>({
    id: 'APPLE-CH-008',
    level: 'error',
    spec: 'Apple Podcasts: A Podcaster\'s Guide to RSS, channel and episode tags',
    link: GUIDE,
    title: 'The channel and each episode give each single-valued iTunes tag once',
    message: (p) => `<${s(p, 'parent')}> has more than one <itunes:${s(p, 'element')}>${s(p, 'values') ? ` (${s(p, 'values')})` : ''}: Apple reads one value`,
    check: function* (doc) {
      const ch = channel(doc);
      const once = (parent: XmlElement, locals: readonly string[]): Finding[] => locals.flatMap((local) => {
        const els = itunes(parent, local);
        if (els.length < 2) return [];
        const values = [...new Set(els.map((el) => el.text.trim() || (attr(el, 'href') ?? '').trim()))];
        return [at(els[1]!, { parent: parent.name, element: local, values: values.length > 1 ? values.join(' and ') : '' })];
      });
      if (!ch) return;
      yield* once(ch, ['explicit', 'type', 'author', 'image', 'title', 'complete', 'block', 'new-feed-url']);
      for (const item of items(doc)) yield* once(item, ['explicit', 'episode', 'season', 'episodeType', 'duration', 'title', 'image', 'block']);
    },
    why: 'Two advisories (true and false), two types or two episode numbers contradict each other: which one Apple keeps is not said, and the show may be listed with the wrong one.',
    fix: 'Keep one of each, with the value you mean.',
  }),
  defineRule<XmlDoc>({
    id: 'APPLE-CH-009',
    level: 'warning',
    spec: 'Apple Podcasts: A Podcaster\'s Guide to RSS, <description>',
    link: GUIDE,
    title: 'The show\'s and each episode\'s description is at most 4,000 bytes',
    message: (p) => `<${s(p, 'element')}> of the ${s(p, 'whose')} is ${s(p, 'bytes')} bytes: Apple allows 4000 and cuts the rest`,
    check: function* (doc) {
      const ch = channel(doc);
      if (!ch) return;
      const tooLong = function* (parent: XmlElement, whose: string): Generator<Finding> {
        for (const el of [...core(doc, parent, 'description'), ...itunes(parent, 'summary')]) {
          const bytes = Buffer.byteLength(el.text.trim(), 'utf8');
          if (bytes > APPLE_DESCRIPTION_BYTES) yield at(el, { element: el.name, whose, bytes });
        }
      };
      yield* tooLong(ch, 'show');
      for (const item of items(doc)) yield* tooLong(item, 'episode');
    },
    why: 'Podcasts Connect flags a longer description and Apple Podcasts shows it cut off, often mid-sentence.',
    fix: 'Shorten the description (kiosque: the feed\'s `description`, or the episode\'s `summary`); full show notes go in the article\'s body, which readers see as content:encoded.',
  }),
  defineRule<XmlDoc>({
    id: 'APPLE-IT-001',
    level: 'error',
    spec: 'Apple Podcasts: A Podcaster\'s Guide to RSS, required episode tags',
    link: GUIDE,
    title: 'Every episode has `<enclosure url length type/>`',
    message: (p) => `<item> ${s(p, 'reason')}`,
    check: function* (doc) {
      for (const item of items(doc)) {
        const enclosure = core(doc, item, 'enclosure')[0];
        if (!enclosure) yield at(item, { reason: 'has no <enclosure>: Apple does not list an episode without its media file' });
        else {
          const missing = ['url', 'length', 'type'].filter((a) => (attr(enclosure, a) ?? '').trim() === '');
          if (missing.length > 0) yield at(enclosure, { reason: `has an <enclosure> without ${missing.join(', ')}` });
        }
      }
    },
    why: 'An episode without a complete enclosure cannot be downloaded or played, and Apple skips it.',
    fix: 'Give each episode `<enclosure url="https://…/ep.mp3" length="BYTES" type="audio/mpeg"/>`.',
  }),
  defineRule<XmlDoc>({
    id: 'APPLE-IT-002',
    level: 'error',
    spec: 'Apple Podcasts: Podcast RSS feed requirements, supported media formats',
    link: REQUIREMENTS,
    title: 'The enclosure is a format Apple plays: M4A, MP3, MOV, MP4, M4V or PDF',
    message: (p) => `<enclosure> type "${s(p, 'type')}" is not one Apple Podcasts plays (${APPLE_MEDIA_TYPES.join(', ')})`,
    check: function* (doc) {
      for (const item of items(doc)) {
        const enclosure = core(doc, item, 'enclosure')[0];
        const type = enclosure ? (attr(enclosure, 'type') ?? '').trim() : '';
        if (enclosure && type !== '' && !APPLE_MEDIA_TYPES.includes(type.split(';')[0]!.trim().toLowerCase())) yield at(enclosure, { type });
      }
    },
    why: 'Episodes in other formats (WAV, OGG, WMA) do not play in Apple Podcasts and are not listed.',
    fix: 'Encode the episode as MP3 or M4A (audio), MP4, M4V or MOV (video), and give the matching type.',
  }),
  defineRule<XmlDoc>({
    id: 'APPLE-IT-007',
    level: 'error',
    spec: 'Apple Podcasts: A Podcaster\'s Guide to RSS, required episode tags',
    link: GUIDE,
    title: 'Every episode has a `<title>`',
    message: () => '<item> has no <title>, which Apple requires of every episode (RSS alone would accept a description instead)',
    check: function* (doc) {
      for (const item of items(doc)) if (core(doc, item, 'title').every((t) => t.text.trim() === '')) yield at(item);
    },
    why: 'Apple lists an episode by its title; a feed with an untitled episode does not pass Podcasts Connect validation.',
    fix: 'Give each episode a `<title>` (kiosque: every article has one).',
  }),
  defineRule<XmlDoc>({
    id: 'APPLE-IT-003',
    level: 'warning',
    spec: 'Apple Podcasts: A Podcaster\'s Guide to RSS, recommended episode tags',
    link: GUIDE,
    title: 'Every episode has a `<guid>`',
    message: () => '<item> has no <guid>: Apple then tells episodes apart by their enclosure URL, which must never change',
    check: function* (doc) {
      for (const item of items(doc)) if (core(doc, item, 'guid').length === 0) yield at(item);
    },
    why: 'Without a guid Apple falls back on the enclosure URL: moving the file to another host or name makes every episode new again, and listeners get duplicates.',
    fix: 'Give each episode a permanent `<guid isPermaLink="false">…</guid>` that never changes.',
  }),
  defineRule<XmlDoc>({
    id: 'APPLE-IT-004',
    level: 'warning',
    spec: 'Apple Podcasts: A Podcaster\'s Guide to RSS, recommended episode tags',
    link: GUIDE,
    title: 'Every audio or video episode has `<itunes:duration>`',
    message: () => '<item> has no <itunes:duration>: apps show the length before the download',
    check: function* (doc) {
      for (const item of items(doc)) {
        const type = attr(core(doc, item, 'enclosure')[0] ?? item, 'type') ?? '';
        if (/^(audio|video)\//i.test(type.trim()) && itunes(item, 'duration').length === 0) yield at(item);
      }
    },
    why: 'Listeners choose episodes by length; apps otherwise show nothing until the file is fetched.',
    fix: 'Add `<itunes:duration>SECONDS</itunes:duration>` (kiosque: `duration` on the enclosure).',
  }),
  defineRule<XmlDoc>({
    id: 'APPLE-IT-005',
    level: 'error',
    spec: 'Apple Podcasts: A Podcaster\'s Guide to RSS, <itunes:type> and <itunes:episode>',
    link: GUIDE,
    title: 'In a serial show, every episode but a trailer or a bonus has `<itunes:episode>`',
    message: () => '<item> has no <itunes:episode>, which a serial show (<itunes:type>serial</itunes:type>) requires',
    check: function* (doc) {
      const ch = channel(doc);
      if (!ch || !itunes(ch, 'type').some((t) => t.text.trim() === 'serial')) return;
      for (const item of items(doc)) {
        // A trailer or a bonus has no number of its own: Apple's guide describes one without as a show (or season) trailer or bonus.
        const type = itunes(item, 'episodeType')[0]?.text.trim();
        if (type === 'trailer' || type === 'bonus') continue;
        if (itunes(item, 'episode').length === 0) yield at(item);
      }
    },
    why: 'Apple presents a serial show in episode order; an unnumbered episode has no place in it.',
    fix: 'Number every episode (kiosque: `episode: 3` in the front matter), or make the show episodic.',
  }),
  defineRule<XmlDoc>({
    id: 'APPLE-IT-006',
    level: 'warning',
    spec: 'Apple Podcasts: A Podcaster\'s Guide to RSS, <enclosure>',
    link: GUIDE,
    title: 'No two episodes share an enclosure URL',
    message: (p) => `<enclosure> ${s(p, 'url')} is also the media of an earlier episode`,
    check: function* (doc) {
      const seen = new Set<string>();
      for (const item of items(doc)) {
        const enclosure = core(doc, item, 'enclosure')[0];
        const url = enclosure ? (attr(enclosure, 'url') ?? '').trim() : '';
        if (url === '') continue;
        if (seen.has(url)) yield at(enclosure!, { url });
        seen.add(url);
      }
    },
    why: 'Apple ignores an episode whose media file it already knows from another episode.',
    fix: 'Give each episode its own media file (a new URL for a new episode, even a re-run).',
  }),
];

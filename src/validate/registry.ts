/**
 * The rule registry: every id kiosque can report, each defined once (rule.ts), grouped by where
 * it applies. docs/rules.md, `kiosque explain` and the completeness tests read this list; a new
 * rule is added to its group's array and nowhere else.
 */
import type { RuleInfo } from './rule.js';
import { rssRules } from './rules/rss.js';
import { atomRules } from './rules/atom.js';
import { extRules } from './rules/ext.js';
import { tombstoneRules } from './rules/tombstones.js';
import { rfc5005Rules } from './rules/rfc5005.js';
import { jsonRules } from './rules/json.js';
import { kiosqueRules } from './rules/kiosque.js';
import { configRules, feedSetRules, publishRules, storeRules } from './rules/build.js';
import { gateRules } from './gate.js';
import { departureRule, feedGoneRule } from './departures.js';
import { chainRules } from './archive-chain.js';
import { httpRules } from './rules/http.js';
import { appleFormatRule, appleRules } from './rules/apple-podcasts.js';

export type RuleGroup = {
  key: 'rss' | 'atom' | 'ext' | 'tombstones' | 'rfc5005' | 'json' | 'http' | 'apple' | 'gate' | 'kiosque' | 'store' | 'feeds' | 'config' | 'publish';
  title: string;
  /** One paragraph for docs/rules.md: where and when these rules are checked. */
  intro: string;
  rules: readonly RuleInfo[];
};

export const RULE_GROUPS: readonly RuleGroup[] = [
  { key: 'rss', title: 'RSS 2.0', intro: 'Checked by `kiosque validate` and before every publication, on each RSS 2.0 document.', rules: rssRules },
  { key: 'atom', title: 'Atom 1.0', intro: 'Checked by `kiosque validate` and before every publication, on each Atom 1.0 feed or entry document.', rules: atomRules },
  { key: 'ext', title: 'Extension modules, RSS 2.0 and Atom 1.0', intro: 'Checked in both formats, on the direct children of the channel or feed and of each item or entry.', rules: extRules },
  { key: 'tombstones', title: 'Tombstones (RFC 6721), Atom 1.0', intro: 'Checked by `kiosque validate` and before every publication, on each `at:deleted-entry` (namespace `http://purl.org/atompub/tombstones/1.0`) of an Atom or RSS document.', rules: tombstoneRules },
  { key: 'rfc5005', title: 'Archived feeds (RFC 5005), RSS 2.0 and Atom 1.0', intro: 'Checked by `kiosque validate` and before every publication, on the feed-level markup of one document: fh:archive, fh:complete and the current, prev-archive and next-archive links. The chain across pages is a build-gate check (ARCHIVE-CHAIN-*).', rules: rfc5005Rules },
  { key: 'json', title: 'JSON Feed 1.1', intro: 'Checked by `kiosque validate` and before every publication, on each JSON Feed document (1.0 feeds are read as 1.x).', rules: jsonRules },
  { key: 'http', title: 'HTTP serving (`kiosque validate URL`)', intro: 'Checked when `kiosque validate` is given an http or https URL, on the response it gets and the request repeated with each of its validators alone, besides the document rules of its format.', rules: httpRules },
  { key: 'apple', title: 'Apple Podcasts profile (`kiosque validate --profile apple-podcasts`)', intro: "Checked with `--profile apple-podcasts`, besides the RSS 2.0 rules, and before every publication on the RSS of each feed the configuration declares a podcast. What Apple Podcasts requires of a show is an error (Apple refuses the show or the episode), what it recommends a warning. Artwork dimensions are checked by `kiosque build` when the artwork is a local file (same id).", rules: [appleFormatRule, ...appleRules] },
  { key: 'gate', title: 'Checks across documents (build gate)', intro: 'These need more than one file: the three outputs of a build, the last published files, or a feed\'s RFC 5005 archive chain. `kiosque build` runs them before publishing.', rules: [...Object.values(gateRules), departureRule, feedGoneRule, ...Object.values(chainRules)] },
  { key: 'kiosque', title: "kiosque's own ids", intro: 'What `kiosque validate` reports about an input it cannot or will not validate. Exit code 2 for all but KIOSQUE-LIMIT and KIOSQUE-INTERNAL.', rules: Object.values(kiosqueRules) },
  { key: 'store', title: 'Article store (`kiosque build`)', intro: 'Reported per article while the store is read. An error rejects that article only (it is listed with file, line and reason; every other article is still published); a warning means a field was ignored. The one exception is a store or folder that cannot be read: nothing is published.', rules: storeRules },
  { key: 'feeds', title: 'Feed set (`kiosque build`)', intro: 'Reported while the feeds of the set are planned from the store and the `feeds` configuration; the feeds concerned are still published, or left out as the message says.', rules: feedSetRules },
  { key: 'config', title: 'Configuration', intro: 'Checked before anything runs; an error stops the command.', rules: configRules },
  { key: 'publish', title: 'Publishing', intro: 'Reported when the output cannot be written; the previous publication stays in place.', rules: publishRules },
];

/** Every registered rule, in document order of docs/rules.md. */
export const RULES: readonly RuleInfo[] = RULE_GROUPS.flatMap((g) => g.rules);

const BY_ID = new Map(RULES.map((r) => [r.id.toLowerCase(), r]));

/** The rule with this id (ids are matched case-insensitively, as users type them). */
export function findRule(id: string): RuleInfo | undefined {
  return BY_ID.get(id.trim().toLowerCase());
}

export function groupOf(id: string): RuleGroup | undefined {
  return RULE_GROUPS.find((g) => g.rules.some((r) => r.id === id));
}

/** Registered ids closest to a mistyped one (edit distance, then shared prefix), best first. */
export function closeMatches(id: string, max = 3): string[] {
  const wanted = id.trim().toUpperCase();
  // A misspelt id suggests the nearest ones; a word of an id (`gone`, `moved`), the ids holding it.
  const holding = wanted.length >= 3 ? RULES.filter((r) => r.id.toUpperCase().includes(wanted)).map((r) => r.id).sort() : [];
  const near = RULES.map((r) => ({ id: r.id, d: distance(wanted, r.id.toUpperCase()) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(wanted.length / 3)))
    .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
    .map((x) => x.id);
  return [...new Set([...near, ...holding])].slice(0, max);
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length] as number;
}

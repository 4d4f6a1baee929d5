// HTTP serving of a feed: RFC 9110 (semantics), RFC 9111 (caching), RFC 7303 (XML media types), RFC 8288 (Link), the kiosque polling digest.
/**
 * Pure: the rules read an `HttpExchange` (what `kiosque validate URL` saw on the wire, recorded
 * by src/cli/fetch-feed.ts) and the facts of the document it carried. Nothing here fetches.
 */
import { defineRule, type Finding, type Params, type Rule } from '../rule.js';
import { parseXml } from '../parse.js';
import { detectJson, detectXml, looksLikeJson } from '../detect.js';
import { NS, attr, children, type XmlElement } from '../xml.js';
import { decodeJsonBytes } from '../json/parse.js';
import { parseHttpDate } from '../../values/http-date.js';
import { resolveUnderBases, UNKNOWN_DOCUMENT_URL } from '../../values/uri.js';

export type HttpHeaders = Record<string, string | undefined>;

export type HttpExchange = {
  /** The URL as given by the user. */
  requested: string;
  /** Each redirect followed, in order. */
  redirects: { from: string; status: number; to: string }[];
  /** The URL the body came from (after redirects). */
  url: string;
  status: number;
  /** Response headers, names lowercased; repeated headers joined with ", ". */
  headers: HttpHeaders;
  /** Size of the body as decoded (after Content-Encoding). */
  bodyBytes: number;
  /** Whether the request offered gzip and br. */
  askedCompression: boolean;
  /** The responses to the same request repeated with If-None-Match, then If-Modified-Since, each alone, for the validators the first carried. */
  conditional?: { status: number; sent: string[]; headers: HttpHeaders }[];
  /** For a compressed response with a strong ETag: the same request asking for no compression. */
  identity?: { status: number; headers: HttpHeaders };
  /** The body, decoded as Content-Encoding says, is still gzip: compressed twice. */
  compressedTwice?: boolean;
};

const isStrong = (etag: string | undefined): etag is string => etag !== undefined && etag.startsWith('"');

/** What the rules need to know of the document: its format, encoding and own links. */
export type DocumentFacts = {
  format: 'rss' | 'atom' | 'json' | 'other';
  /** Lowercase encoding the document uses (BOM, XML declaration, or UTF-8 by default). */
  encoding: string;
  /** Every byte is ASCII: any ASCII-compatible charset reads the same characters. */
  ascii: boolean;
  self: string[];
  hubs: string[];
  /** An RFC 5005 archive document (`fh:archive` in its head): meant never to change, so cached long. JSON Feed has no such marker. */
  archive: boolean;
};

export type HttpDoc = { exchange: HttpExchange; facts: DocumentFacts };

const isAscii = (body: Uint8Array): boolean => body.every((b) => b < 0x80);

/** Reads format, encoding and self/hub links from the body. */
export function documentFacts(body: Uint8Array): DocumentFacts {
  if (looksLikeJson(body)) {
    const { encoding } = decodeJsonBytes(body);
    const facts: DocumentFacts = { format: detectJson(body).format === 'json' ? 'json' : 'other', encoding: encoding.toLowerCase(), ascii: isAscii(body), self: [], hubs: [], archive: false };
    try {
      const feed = JSON.parse(decodeJsonBytes(body).text) as { feed_url?: unknown; hubs?: unknown };
      if (typeof feed.feed_url === 'string') facts.self.push(feed.feed_url);
      if (Array.isArray(feed.hubs)) for (const h of feed.hubs as { url?: unknown }[]) if (typeof h?.url === 'string') facts.hubs.push(h.url);
    } catch {
      // The body's own rules report broken JSON.
    }
    return facts;
  }
  const { doc } = parseXml(body, '');
  if (!doc) return { format: 'other', encoding: 'utf-8', ascii: isAscii(body), self: [], hubs: [], archive: false };
  const detected = detectXml(doc).format;
  const format = detected === 'rss' || detected === 'atom' ? detected : 'other';
  const bom = body[0] === 0xfe || body[0] === 0xff ? 'utf-16' : undefined;
  const encoding = (bom ?? doc.declaration?.encoding ?? 'utf-8').toLowerCase();
  const owner: XmlElement | undefined = format === 'rss' ? children(doc.root, 'channel', doc.root.ns)[0] : doc.root;
  const links = owner ? children(owner, 'link', NS.atom) : [];
  const rel = (l: XmlElement): string => (attr(l, 'rel') ?? 'alternate').trim();
  return {
    format,
    encoding,
    ascii: isAscii(body),
    self: links.filter((l) => rel(l) === 'self').map((l) => withBase((attr(l, 'href') ?? '').trim(), [attr(doc.root, 'base', NS.xml), owner === doc.root ? undefined : attr(owner!, 'base', NS.xml), attr(l, 'base', NS.xml)])),
    hubs: links.filter((l) => rel(l) === 'hub').map((l) => (attr(l, 'href') ?? '').trim()),
    archive: owner !== undefined && children(owner, 'archive', NS.fh).length > 0,
  };
}

// ---------------------------------------------------------------------------------------------

const TYPES: Record<DocumentFacts['format'], { best: string; generic: string[] }> = {
  rss: { best: 'application/rss+xml', generic: ['application/xml', 'text/xml'] },
  atom: { best: 'application/atom+xml', generic: ['application/xml', 'text/xml'] },
  json: { best: 'application/feed+json', generic: ['application/json'] },
  other: { best: '', generic: [] },
};

const mediaType = (value: string | undefined): string => (value ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
function charsetOf(value: string | undefined): string | undefined {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(value ?? '');
  return m ? (m[1] as string).toLowerCase() : undefined;
}
/** A charset known to the WHATWG Encoding Standard whose bytes below 0x80 are ASCII. */
function keepsAscii(charset: string): boolean {
  try {
    return /^(utf-8|windows-\d+|iso-8859-\d+|koi8-[ru]|macintosh|x-mac-cyrillic|ibm866|gbk|gb18030|big5|euc-jp|euc-kr|shift_jis)$/.test(new TextDecoder(charset).encoding);
  } catch {
    return false;
  }
}

/** utf8 = utf-8, latin1 = iso-8859-1 …: labels compared as the WHATWG decoder names them. */
function sameEncoding(a: string, b: string): boolean {
  const canon = (x: string): string => {
    try {
      return new TextDecoder(x).encoding;
    } catch {
      return x;
    }
  };
  return canon(a) === canon(b) || (canon(a).startsWith('utf-16') && canon(b).startsWith('utf-16'));
}

/** RFC 8288 Link header: targets by relation. */
export function linkTargets(header: string | undefined, relation: string): string[] {
  const out: string[] = [];
  for (const m of (header ?? '').matchAll(/<([^>]*)>\s*((?:;\s*[^;,]+)*)/g)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(m[2] ?? '');
    const rels = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (rels.includes(relation)) out.push((m[1] as string).trim());
  }
  return out;
}

/** `href` under the xml:base in scope when that base is absolute; otherwise as written, for the rules to resolve against the URL the document came from. */
function withBase(href: string, bases: readonly (string | undefined)[]): string {
  const resolved = resolveUnderBases(href, bases);
  return resolved === undefined || resolved.startsWith(UNKNOWN_DOCUMENT_URL) ? href : resolved;
}

const resolveAgainst = (href: string, url: string): string => resolveUnderBases(href, [], url) ?? href;

/** URLs compared as a reader would: scheme and host case, default ports and an empty path do not count. */
/** One resource: the fragment is never sent (RFC 9110 §4.2.4) and credentials are not part of its address. */
export function sameUrl(a: string, b: string): boolean {
  const bare = (text: string): string => {
    const url = new URL(text);
    url.hash = '';
    url.username = '';
    url.password = '';
    return url.href;
  };
  try {
    return bare(a) === bare(b);
  } catch {
    return a === b;
  }
}

/**
 * Where readers keep polling: the requested URL, moved along each permanent redirect (301, 308)
 * until the first temporary one, after which clients ought to keep the URI they had (RFC 9110
 * §15.4.3, §15.4.8).
 */
export function subscribedUrl(exchange: HttpExchange): string {
  let url = exchange.requested;
  for (const r of exchange.redirects) {
    if (r.status !== 301 && r.status !== 308) break;
    url = r.to;
  }
  return url;
}

/** Cache-Control directives by lowercase name, values unquoted; `undefined` for a directive without one. */
export function cacheDirectives(value: string): Map<string, string | undefined> {
  const directives = new Map<string, string | undefined>();
  for (const part of value.split(',')) {
    const m = /^\s*([^=\s]+)\s*(?:=\s*(.*?))?\s*$/.exec(part);
    if (!m) continue;
    const name = m[1]!.toLowerCase();
    if (!directives.has(name)) directives.set(name, m[2]?.replace(/^"(.*)"$/, '$1'));
  }
  return directives;
}

/** RFC 9111 §1.2.2: delta-seconds are digits only. */
const DELTA_SECONDS = /^\d+$/;

const s = (p: Params, key: string): string => String(p[key] ?? '');
const at = (params: Params = {}): Finding => ({ params });

export const httpRules: Rule<HttpDoc>[] = [
  defineRule<HttpDoc>({
    id: 'HTTP-TYPE-001',
    level: 'warning',
    spec: 'RFC 9110 §8.3; RFC 7303 §3; kiosque polling digest',
    title: 'Content-Type names the format of the document (or at least XML for RSS and Atom, JSON for JSON Feed)',
    message: (p) => `Content-Type is ${s(p, 'type') || 'missing'}, but the document is ${s(p, 'format')}: send ${s(p, 'best')}`,
    check: function* ({ exchange, facts }) {
      if (facts.format === 'other') return;
      const type = mediaType(exchange.headers['content-type']);
      const { best, generic } = TYPES[facts.format];
      if (type !== best && !generic.includes(type)) yield at({ type, format: facts.format === 'json' ? 'a JSON Feed' : facts.format === 'rss' ? 'RSS' : 'Atom', best });
    },
    why: 'Readers and browsers decide how to handle the response from its type: text/html is shown as a page, octet-stream downloaded, and some readers refuse both.',
    fix: 'Serve rss.xml as application/rss+xml, atom.xml as application/atom+xml and feed.json as application/feed+json.',
  }),
  defineRule<HttpDoc>({
    id: 'HTTP-TYPE-002',
    level: 'info',
    spec: 'RFC 4287 §7; RSS Profile §4; JSON Feed 1.1',
    title: 'Content-Type is the format\'s own media type rather than a generic XML or JSON one',
    message: (p) => `Content-Type ${s(p, 'type')} is generic: ${s(p, 'best')} lets readers and browsers recognise the feed`,
    check: function* ({ exchange, facts }) {
      if (facts.format === 'other') return;
      const type = mediaType(exchange.headers['content-type']);
      const { best, generic } = TYPES[facts.format];
      if (generic.includes(type)) yield at({ type, best });
    },
    why: 'A specific type lets browsers hand the feed to a reader and lets readers skip sniffing.',
    fix: 'Map the feed files to their own types in the server configuration.',
  }),
  defineRule<HttpDoc>({
    id: 'HTTP-TYPE-003',
    level: 'error',
    spec: 'RFC 7303 §3.2, §8.1; RFC 8259 §8.1',
    title: 'A charset in Content-Type agrees with the document\'s own encoding',
    message: (p) => `Content-Type says charset=${s(p, 'charset')} but the document is ${s(p, 'encoding')}`,
    check: function* ({ exchange, facts }) {
      if (facts.format === 'other') return;
      const charset = charsetOf(exchange.headers['content-type']);
      // A document of ASCII bytes only reads the same in any charset that keeps ASCII (us-ascii, iso-8859-1, windows-1252...).
      if (charset === undefined || sameEncoding(charset, facts.encoding) || (facts.ascii && keepsAscii(charset))) return;
      yield at({ charset, encoding: facts.encoding.toUpperCase() });
    },
    why: 'The HTTP charset overrides the XML declaration (RFC 7303): readers decode with the wrong table and every accent becomes mojibake.',
    fix: 'Send the charset the file is written in (charset=utf-8 for kiosque\'s feeds), or no charset parameter at all for XML.',
  }),
  defineRule<HttpDoc>({
    id: 'HTTP-CACHE-001',
    level: 'warning',
    spec: 'RFC 9110 §8.8; kiosque polling digest',
    title: 'The response carries an ETag or a Last-Modified',
    message: () => 'no ETag and no Last-Modified: every poll downloads the whole feed again',
    check: function* ({ exchange }) {
      if (exchange.headers['etag'] === undefined && exchange.headers['last-modified'] === undefined) yield at();
    },
    why: 'Without a validator readers cannot ask "has it changed?", so each poll costs the full feed for both sides.',
    fix: 'Let the server send ETag (and Last-Modified) for the feed files; static servers do by default.',
  }),
  defineRule<HttpDoc>({
    id: 'HTTP-CACHE-002',
    level: 'warning',
    spec: 'RFC 9110 §13.1, §15.4.5',
    title: 'A request sent back with the ETag or Last-Modified gets 304 Not Modified',
    message: (p) => `the same request with ${s(p, 'sent')} got ${s(p, 'status')}, not 304: readers sending it download the unchanged feed every time`,
    check: function* ({ exchange }) {
      for (const c of exchange.conditional ?? []) if (c.status !== 304) yield at({ sent: c.sent.join(' and '), status: c.status });
    },
    why: 'Readers send the validators back on every poll; without a 304 they download the unchanged feed each time.',
    fix: 'Answer If-None-Match / If-Modified-Since with 304 when the feed has not changed (check that a proxy or compression step does not drop the ETag).',
  }),
  defineRule<HttpDoc>({
    id: 'HTTP-CACHE-004',
    level: 'error',
    spec: 'RFC 9110 §15.4.5',
    title: 'A 304 carries the ETag, Cache-Control, Expires, Vary and Content-Location the 200 carries',
    message: (p) => `the 304 to ${s(p, 'sent')} lacks ${s(p, 'missing')}, which the 200 sends`,
    check: function* ({ exchange }) {
      for (const c of exchange.conditional ?? []) {
        if (c.status !== 304) continue;
        const missing = ['etag', 'cache-control', 'expires', 'vary', 'content-location'].filter((h) => exchange.headers[h] !== undefined && c.headers[h] === undefined);
        if (missing.length > 0) yield at({ sent: c.sent.join(' and '), missing: missing.join(', ') });
      }
    },
    why: 'RFC 9110 §15.4.5 has a 304 carry the ETag, Cache-Control, Expires, Content-Location, Date and Vary a 200 would. A cache keeps the fields a 304 leaves out (RFC 9111 §4.3.4), but a cache or reader that goes by the 304 alone (some take a 304 without a validator as the end of conditional requests, or key variants on its Vary) fetches the whole feed again or stores the wrong variant.',
    fix: 'Send the same ETag, Cache-Control and Vary on 304 as on 200 (a proxy or CDN rule that sets them only on 200 is the usual cause).',
  }),
  defineRule<HttpDoc>({
    id: 'HTTP-CACHE-005',
    level: 'error',
    spec: 'RFC 9110 §8.8.3',
    title: 'The ETag is an entity-tag: `"…"` or `W/"…"`, no spaces, quotes or controls inside',
    message: (p) => `ETag ${s(p, 'value')} is not an entity-tag (${s(p, 'reason')}): readers may send it back mangled or not at all`,
    check: function* ({ exchange }) {
      const value = exchange.headers['etag'];
      if (value === undefined) return;
      // etagc: "!" and #x23-7E, and obs-text (#x80-FF).
      if (/^(?:W\/)?"[\x21\x23-\x7e\x80-\xff]*"$/.test(value)) return;
      const reason = !/^(?:W\/)?".*"$/.test(value) ? 'it must be in double quotes, W/ before them for a weak one' : 'a space, a quote or a control character inside the quotes';
      yield at({ value: `\`${value}\``, reason });
    },
    why: 'Readers store the ETag and send it back in If-None-Match; one that is not an entity-tag is dropped or fails to match, and every poll downloads the feed.',
    fix: 'Quote the tag (`"v42"`) and keep spaces and quotes out of it.',
  }),
  defineRule<HttpDoc>({
    id: 'HTTP-CACHE-007',
    level: 'error',
    spec: 'RFC 9110 §15.4.5, §13.1.2',
    title: 'A 304 carries the ETag of the representation it says is unchanged',
    message: (p) => `the 304 to ${s(p, 'sent')} carries ETag ${s(p, 'got')}, the 200 ${s(p, 'etag')}`,
    check: function* ({ exchange }) {
      const etag = exchange.headers['etag'];
      if (etag === undefined) return;
      for (const c of exchange.conditional ?? []) {
        const got = c.headers['etag'];
        // Weak comparison (RFC 9110 §8.8.3.2), as If-None-Match uses: nginx tags a body it compresses W/ on 200 only.
        if (c.status === 304 && got !== undefined && got.replace(/^W\//, '') !== etag.replace(/^W\//, '')) yield at({ sent: c.sent.join(' and '), got, etag });
      }
    },
    why: 'Readers store the validator the 304 gives them and send it back next time: a tag from another representation makes the next poll download the feed again, or answer 304 for a version the reader never had.',
    fix: 'Answer 304 with the very ETag of the stored response (a CDN that computes tags on its own copies, or a proxy re-compressing, is the usual cause).',
  }),
  defineRule<HttpDoc>({
    id: 'HTTP-CACHE-008',
    level: 'warning',
    spec: 'RFC 9111 §1.2.2, §5.2.2.1, §5.2.1.1',
    title: 'max-age and s-maxage are whole numbers of seconds, not quoted strings',
    message: (p) => `Cache-Control \`${s(p, 'value')}\` ${s(p, 'problem')}: many caches then ignore it and take the response as stale, or cache it for a time of their own`,
    check: function* ({ exchange }) {
      const value = exchange.headers['cache-control'];
      if (value === undefined) return;
      const quoted = /(?:^|[\s,])(max-age|s-maxage)\s*=\s*"/i.exec(value);
      if (quoted) {
        yield at({ value, problem: `quotes ${quoted[1]!.toLowerCase()}` });
        return;
      }
      for (const [name, given] of cacheDirectives(value)) {
        if ((name === 'max-age' || name === 's-maxage') && (given === undefined || !DELTA_SECONDS.test(given))) yield at({ value, problem: `gives ${name} ${given === undefined ? 'no value' : `"${given}"`}, not a number of seconds` });
      }
    },
    why: 'RFC 9111 asks senders for the token form of delta-seconds (`max-age=900`); recipients need not accept the quoted one, and a negative or non-numeric value means nothing to them, so the feed is refetched on every poll or cached for a default time.',
    fix: 'Write `max-age=900`: digits only, without quotes.',
  }),
  defineRule<HttpDoc>({
    id: 'HTTP-CACHE-009',
    level: 'warning',
    spec: 'RFC 9110 §6.6.1, §5.6.7, §8.8.2',
    title: 'The response has a Date, and Date and Last-Modified are HTTP dates',
    message: (p) => s(p, 'problem'),
    check: function* ({ exchange }) {
      const date = exchange.headers['date'];
      if (date === undefined) yield at({ problem: 'no Date header: caches cannot tell how old their copy is, and readers cannot check Last-Modified against the server\'s clock' });
      for (const [name, value] of [['Date', date], ['Last-Modified', exchange.headers['last-modified']]] as const) {
        if (value !== undefined && parseHttpDate(value) === undefined) yield at({ problem: `${name} "${value}" is not an HTTP date such as "Sun, 06 Nov 1994 08:49:37 GMT": readers sending it back as If-Modified-Since may get no 304` });
      }
    },
    why: 'An origin server with a clock must send Date (RFC 9110 §6.6.1); dates in another form are not parsed the same way by every cache and reader.',
    fix: 'Let the server send its own Date, and Last-Modified in the form RFC 9110 gives (static servers do).',
  }),
  defineRule<HttpDoc>({
    id: 'HTTP-CACHE-010',
    level: 'error',
    spec: 'RFC 9110 §8.8.3, §8.8.3.3',
    title: 'A strong ETag names one body: the compressed and the uncompressed response have different tags',
    message: (p) => `the ${s(p, 'coding')} response and the uncompressed one share the strong ETag ${s(p, 'etag')}`,
    check: function* ({ exchange }) {
      const etag = exchange.headers['etag'];
      const coding = (exchange.headers['content-encoding'] ?? 'identity').toLowerCase();
      const other = exchange.identity;
      if (!isStrong(etag) || coding === 'identity' || !other || other.status !== 200) return;
      const otherCoding = (other.headers['content-encoding'] ?? 'identity').toLowerCase();
      if (otherCoding !== coding && other.headers['etag'] === etag) yield at({ coding, etag });
    },
    why: 'A cache that stored one and revalidates with its tag gets 304 for the other: a reader that cannot decode gzip may be handed gzip, and range requests splice bytes of two bodies.',
    fix: 'Give each coding its own tag (kiosque serve adds `-gz`/`-br`), or make the tag weak (`W/"…"`), as nginx does when it compresses on the fly.',
  }),
  defineRule<HttpDoc>({
    id: 'HTTP-ENC-003',
    level: 'error',
    spec: 'RFC 9110 §8.4, §8.4.1',
    title: 'The body is compressed once, as Content-Encoding says',
    message: () => 'the body, decoded as its Content-Encoding says, is still gzip: it was compressed twice (a server compressing a file that is already .gz, or two proxies each compressing)',
    check: function* ({ exchange }) {
      if (exchange.compressedTwice) yield at();
    },
    why: 'Readers decode once and get binary, not a feed: to them the feed is broken.',
    fix: 'Compress in one place: serve the .gz files as they are with Content-Encoding gzip and no further compression, or compress on the fly, not both.',
  }),
  defineRule<HttpDoc>({
    id: 'HTTP-CACHE-006',
    level: 'error',
    spec: 'RFC 9110 §8.8.2.1',
    title: 'Last-Modified is not later than the response\'s Date',
    message: (p) => `Last-Modified ${s(p, 'lastModified')} is later than the response's Date ${s(p, 'date')}`,
    check: function* ({ exchange }) {
      const lastModified = exchange.headers['last-modified'];
      const date = exchange.headers['date'];
      if (lastModified === undefined || date === undefined) return;
      const [lm, d] = [Date.parse(lastModified), Date.parse(date)];
      if (Number.isFinite(lm) && Number.isFinite(d) && lm > d) yield at({ lastModified, date });
    },
    why: 'A reader sends the date back as If-Modified-Since; a date in the future keeps it from ever matching the feed\'s real changes, so it downloads the feed on every poll, or misses a change.',
    fix: 'Check the clock of the machine that writes the files (an mtime in the future is the usual cause), and set Last-Modified from the time the feed changed.',
  }),
  defineRule<HttpDoc>({
    id: 'HTTP-CACHE-003',
    level: 'warning',
    spec: 'RFC 9111 §5.2.2; RFC 5005 §4; kiosque polling digest',
    title: 'Cache-Control suits polling: no `no-store`, max-age and s-maxage of at most one day (longer for an RFC 5005 archive document), and under a minute only with a validator to revalidate with',
    message: (p) => `Cache-Control "${s(p, 'value')}" ${s(p, 'reason')}`,
    check: function* ({ exchange, facts }) {
      const value = exchange.headers['cache-control'];
      if (value === undefined) return;
      const directives = cacheDirectives(value);
      const seconds = (name: string): number | undefined => {
        const given = directives.get(name);
        return given !== undefined && DELTA_SECONDS.test(given) ? Number(given) : undefined;
      };
      // Each audience's lifetime, whatever the order: readers' own caches read max-age, shared caches s-maxage first (RFC 9111 §5.2.2.10).
      const lifetimes = [seconds('max-age'), seconds('s-maxage')].filter((n): n is number => n !== undefined);
      const longest = lifetimes.length > 0 ? Math.max(...lifetimes) : undefined;
      const shortest = lifetimes.length > 0 ? Math.min(...lifetimes) : undefined;
      if (directives.has('no-store')) yield at({ value, reason: 'forbids caches to keep the feed: shared caches and readers must fetch it in full every time' });
      // An archive document (fh:archive) is meant never to change: a long lifetime is what it should get (polling digest POLL-CC-007).
      else if (longest !== undefined && longest > 86_400 && !facts.archive) yield at({ value, reason: `lets caches serve a copy up to ${Math.round(longest / 3600)} hours old: readers see new items late` });
      else if (shortest !== undefined && shortest < 60 && !directives.has('no-cache') && !(exchange.headers['etag'] || exchange.headers['last-modified'])) yield at({ value, reason: 'expires at once and the response has no validator to revalidate with' });
    },
    why: 'Pollers and shared caches follow Cache-Control: no-store defeats them, a max-age of days hides new items. JSON Feed cannot say a document is an archive page, so a long max-age on one is reported too.',
    fix: 'Send `Cache-Control: max-age=N` with N the polling interval in seconds (kiosque uses the ttl), together with an ETag; a long max-age only for archive documents.',
  }),
  defineRule<HttpDoc>({
    id: 'HTTP-ENC-001',
    level: 'warning',
    spec: 'RFC 9110 §8.4, §12.5.3',
    title: 'A feed over 1 KB is compressed when the request offers gzip or br',
    message: (p) => `the request offered gzip and br, but the ${s(p, 'bytes')}-byte body came uncompressed`,
    check: function* ({ exchange }) {
      const coding = (exchange.headers['content-encoding'] ?? 'identity').toLowerCase();
      if (exchange.askedCompression && exchange.bodyBytes > 1024 && (coding === 'identity' || coding === '')) yield at({ bytes: exchange.bodyBytes });
    },
    why: 'Feeds are text and shrink 3 to 5 times; pollers fetch them all day.',
    fix: 'Enable gzip (and br) for the feed types, or serve the pre-compressed .gz/.br files kiosque writes.',
  }),
  defineRule<HttpDoc>({
    id: 'HTTP-ENC-002',
    level: 'warning',
    spec: 'RFC 9110 §12.5.5; RFC 9111 §4.1',
    title: 'A compressed response says `Vary: Accept-Encoding`',
    message: (p) => `the body is ${s(p, 'coding')}-encoded but Vary does not name Accept-Encoding`,
    check: function* ({ exchange }) {
      const coding = (exchange.headers['content-encoding'] ?? 'identity').toLowerCase();
      const vary = (exchange.headers['vary'] ?? '').toLowerCase();
      if (coding !== 'identity' && coding !== '' && !/accept-encoding|\*/.test(vary)) yield at({ coding });
    },
    why: 'Without it a shared cache may hand the compressed copy to a reader that cannot decode it.',
    fix: 'Add `Vary: Accept-Encoding` to compressed (and compressible) responses.',
  }),
  defineRule<HttpDoc>({
    id: 'HTTP-REDIR-001',
    level: 'warning',
    spec: 'RFC 9110 §15.4; kiosque polling digest',
    title: 'A moved feed redirects permanently (301 or 308), not temporarily (302, 303, 307)',
    message: (p) => `${s(p, 'from')} answers ${s(p, 'status')} (temporary) to ${s(p, 'to')}: readers keep polling the old URL`,
    check: function* ({ exchange }) {
      for (const r of exchange.redirects) if (r.status !== 301 && r.status !== 308) yield at({ from: r.from, status: r.status, to: r.to });
    },
    why: 'Readers update a subscription only on a permanent redirect; a temporary one costs an extra request on every poll, forever.',
    fix: 'Use 301 (or 308) for a feed that has moved for good.',
  }),
  defineRule<HttpDoc>({
    id: 'HTTP-LINK-001',
    level: 'warning',
    spec: 'RFC 8288 §3; W3C WebSub §4',
    title: '`Link` headers with rel=self and rel=hub agree with the document\'s own self and hub links',
    message: (p) => `Link header rel=${s(p, 'rel')} ${s(p, 'detail')}`,
    check: function* ({ exchange, facts }) {
      const header = exchange.headers['link'];
      if (header === undefined) return;
      const selfs = linkTargets(header, 'self');
      // A relative target is resolved against the URL fetched (RFC 8288 §3.1, RFC 3986 §5).
      for (const written of selfs) {
        const target = resolveAgainst(written, exchange.url);
        const shown = target === written ? `<${written}>` : `<${written}> (${target})`;
        if (facts.self.length > 0 && !facts.self.some((u) => sameUrl(resolveAgainst(u, exchange.url), target))) yield at({ rel: 'self', detail: `${shown} differs from the document's self link ${facts.self[0] as string}` });
      }
      const hubs = linkTargets(header, 'hub');
      if (hubs.length === 0 || facts.hubs.length === 0) return;
      const hubTargets = hubs.map((h) => resolveAgainst(h, exchange.url));
      for (const h of hubTargets) if (!facts.hubs.some((u) => sameUrl(u, h))) yield at({ rel: 'hub', detail: `<${h}> is not among the document's hubs` });
      for (const h of facts.hubs) if (!hubTargets.some((u) => sameUrl(u, h))) yield at({ rel: 'hub', detail: `headers do not list the document's hub ${h}` });
    },
    why: 'WebSub subscribers take the topic and hubs from the headers when present; disagreeing values subscribe them to the wrong place.',
    fix: 'Send the same self URL and hub list in the headers as in the document.',
  }),
  defineRule<HttpDoc>({
    id: 'HTTP-SELF-001',
    level: 'warning',
    spec: 'RFC 4287 §4.2.7.2; RSS Profile §5.1.1; JSON Feed 1.1 (feed_url)',
    title: 'The document\'s self link (or feed_url) is the URL it was fetched from, after redirects (permanent ones only, or all of them)',
    message: (p) => `the document says it lives at ${s(p, 'self')} but was served from ${s(p, 'url')}`,
    check: function* ({ exchange, facts }) {
      // A relative self link is resolved against the URL the document came from, as readers do. Behind a temporary
      // redirect, the URL readers keep polling is as right as the one that answered.
      const subscribed = subscribedUrl(exchange);
      if (facts.self.length === 0 || facts.self.some((u) => sameUrl(resolveAgainst(u, exchange.url), exchange.url) || sameUrl(resolveAgainst(u, exchange.url), subscribed))) return;
      yield at({ self: facts.self[0] as string, url: exchange.url });
    },
    why: 'Readers and WebSub hubs subscribe to the self URL: a wrong one moves subscribers elsewhere or splits them over two URLs.',
    fix: 'Set the feed base URL (kiosque: `feedBaseUrl`) to where the files are really served.',
  }),
];

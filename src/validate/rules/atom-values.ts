// Value syntaxes Atom 1.0 (RFC 4287) relies on: RFC 3339 dates, RFC 3987 IRIs, RFC 4151 tag URIs, MIME types, language tags, RFC 2822 addr-spec.
// Kept beside the Atom rules because Atom narrows several of them (uppercase T/Z, seconds required).

export type DateProblem = { rule: 'ATOM-C-020' | 'ATOM-C-021' | 'ATOM-C-022'; reason: string };

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|([+-])(\d{2}):(\d{2}))$/;

const daysIn = (year: number, month: number): number =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

/** Checks an (already trimmed) RFC 3339 `date-time` as Atom §3.3 restricts it; undefined when valid. */
export function checkAtomDate(value: string): DateProblem | undefined {
  const m = DATE_TIME.exec(value);
  if (!m) {
    // RFC 3339 tolerates `t`, `z` and a space separator; Atom does not.
    if (DATE_TIME.test(value.replace(/^(\d{4}-\d{2}-\d{2})[t ]/, '$1T').replace(/z$/, 'Z'))) {
      return { rule: 'ATOM-C-021', reason: 'the separator must be an uppercase T and the UTC designator an uppercase Z' };
    }
    return { rule: 'ATOM-C-020', reason: 'expected YYYY-MM-DDTHH:MM:SS, optional fraction, then Z or ±HH:MM' };
  }
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12) return { rule: 'ATOM-C-022', reason: `month ${m[2]} is out of range` };
  if (day < 1 || day > daysIn(year, month)) return { rule: 'ATOM-C-022', reason: `day ${m[3]} does not exist in ${m[1]}-${m[2]}` };
  if (hour > 23) return { rule: 'ATOM-C-022', reason: `hour ${m[4]} is out of range` };
  if (minute > 59) return { rule: 'ATOM-C-022', reason: `minute ${m[5]} is out of range` };
  // 60 is a leap second, only possible in the last minute of an hour.
  if (second > 60 || (second === 60 && minute !== 59)) return { rule: 'ATOM-C-022', reason: `second ${m[6]} is out of range` };
  if (m[10] !== undefined && Number(m[10]) > 23) return { rule: 'ATOM-C-022', reason: `offset hour ${m[10]} is out of range` };
  if (m[11] !== undefined && Number(m[11]) > 59) return { rule: 'ATOM-C-022', reason: `offset minute ${m[11]} is out of range` };
  return undefined;
}

/** Milliseconds since the epoch for a valid Atom date (leap seconds folded into the next second). */
export function atomDateMillis(value: string): number | undefined {
  if (checkAtomDate(value)) return undefined;
  const t = Date.parse(value.replace(/:60(?=[.Z+-])/, ':59'));
  return Number.isNaN(t) ? undefined : t;
}

export const hasWhitespace = (value: string): boolean => /\s/.test(value);

// Characters no IRI may contain anywhere (RFC 3987 §2.2: outside iunreserved, reserved, pct-encoded, iprivate).
const IRI_FORBIDDEN = /[\u0000-\u0020\u007F-\u009F"<>\\^`{|}\uFFFE\uFFFF]/u;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

export type ParsedIri = { scheme?: string; authority?: string; host?: string; port?: string; path: string; query?: string; fragment?: string };

/** Parses an IRI reference (RFC 3987 §2.2 `IRI-reference`); undefined when the syntax is wrong. */
export function parseIriReference(value: string): ParsedIri | undefined {
  if (IRI_FORBIDDEN.test(value)) return undefined;
  if (/%(?![0-9A-Fa-f]{2})/.test(value)) return undefined;
  let rest = value;
  const out: ParsedIri = { path: '' };
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    out.fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
    if (out.fragment.includes('#')) return undefined;
  }
  const q = rest.indexOf('?');
  if (q >= 0) {
    out.query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  const scheme = SCHEME.exec(rest);
  if (scheme) {
    out.scheme = scheme[1];
    rest = rest.slice(scheme[0].length);
  } else {
    // A relative reference cannot have a colon in its first segment (RFC 3986 §4.2).
    const first = rest.split('/')[0] ?? '';
    if (first.includes(':')) return undefined;
  }
  if (rest.startsWith('//')) {
    const end = rest.indexOf('/', 2);
    const authority = end < 0 ? rest.slice(2) : rest.slice(2, end);
    rest = end < 0 ? '' : rest.slice(end);
    out.authority = authority;
    const at = authority.lastIndexOf('@');
    const userinfo = at >= 0 ? authority.slice(0, at) : '';
    const hostport = at >= 0 ? authority.slice(at + 1) : authority;
    if (/[[\]@]/.test(userinfo)) return undefined;
    let host: string;
    let port: string | undefined;
    if (hostport.startsWith('[')) {
      const close = hostport.indexOf(']');
      if (close < 0) return undefined;
      host = hostport.slice(0, close + 1);
      if (!/^\[(?:[0-9A-Fa-f:.]+|v[0-9A-Fa-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+)\]$/.test(host)) return undefined;
      const after = hostport.slice(close + 1);
      if (after !== '' && !after.startsWith(':')) return undefined;
      if (after) port = after.slice(1);
    } else {
      const colon = hostport.lastIndexOf(':');
      host = colon >= 0 ? hostport.slice(0, colon) : hostport;
      if (colon >= 0) port = hostport.slice(colon + 1);
      if (/[[\]:]/.test(host)) return undefined;
    }
    if (port !== undefined && !/^\d*$/.test(port)) return undefined;
    out.host = host;
    if (port !== undefined) out.port = port;
  }
  if (/[[\]]/.test(rest) || /[[\]]/.test(out.query ?? '') || /[[\]]/.test(out.fragment ?? '')) return undefined;
  out.path = rest;
  return out;
}

// Schemes whose URIs need a host (RFC 9110 §4.2: "http" URIs with an empty host are invalid).
const NEEDS_HOST = new Set(['http', 'https', 'ftp']);

/** An IRI reference (relative allowed). */
export function isIriReference(value: string): boolean {
  const p = parseIriReference(value);
  if (!p) return false;
  if (p.scheme && NEEDS_HOST.has(p.scheme.toLowerCase()) && !p.host) return false;
  return true;
}

/** Why `value` is not an absolute IRI fit for `atom:id`, or undefined when it is one. */
export function absoluteIriProblem(value: string): string | undefined {
  if (value === '') return 'it is empty';
  const p = parseIriReference(value);
  if (!p) return 'it is not IRI syntax';
  if (!p.scheme) return 'it is relative (an IRI needs a scheme such as tag:, urn: or https:)';
  if (NEEDS_HOST.has(p.scheme.toLowerCase()) && !p.host) return `a ${p.scheme}: IRI needs a host`;
  const scheme = p.scheme.toLowerCase();
  if (scheme === 'tag' && !isTagUri(value)) return 'it is not a valid tag: URI (RFC 4151: tag:authority,date:specific)';
  if (scheme === 'urn' && !/^urn:[A-Za-z0-9][A-Za-z0-9-]{0,30}[A-Za-z0-9]:\S+$/i.test(value)) return 'it is not a valid urn: (RFC 8141: urn:NID:NSS)';
  return undefined;
}

// RFC 4151 §2.1.
const DNS_COMP = "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?";
const DNS_NAME = `${DNS_COMP}(?:\\.${DNS_COMP})*`;
const TAG = new RegExp(
  `^tag:(?:${DNS_NAME}|[A-Za-z0-9\\-._~!$&'()*+,;=%]+@${DNS_NAME}),\\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\\d|3[01]))?)?:[^#]*(?:#.*)?$`,
  'u',
);
export const isTagUri = (value: string): boolean => TAG.test(value);

const DEFAULT_PORT: Record<string, string> = { http: '80', https: '443', ftp: '21' };
const UNRESERVED_PCT = /%(?:4[1-9A-Fa-f]|5[0-9Aa]|6[1-9A-Fa-f]|7[0-9Aa]|3[0-9]|2[Dd]|2[Ee]|5[Ff]|7[Ee])/;

/** Reasons an IRI is not in the normalized form RFC 4287 §4.2.6 asks ids to be written in. */
export function normalizationProblems(value: string): string[] {
  const p = parseIriReference(value);
  if (!p?.scheme) return [];
  const problems: string[] = [];
  if (p.scheme !== p.scheme.toLowerCase()) problems.push('the scheme is not lowercase');
  if (p.host && p.host !== p.host.toLowerCase()) problems.push('the host is not lowercase');
  const scheme = p.scheme.toLowerCase();
  if (p.port !== undefined && (p.port === '' || p.port === DEFAULT_PORT[scheme])) problems.push('it names the default port');
  if (p.authority !== undefined && p.path === '' && (scheme === 'http' || scheme === 'https')) problems.push('the path is empty (write /)');
  if (p.authority !== undefined && /(^|\/)\.{1,2}(\/|$)/.test(p.path)) problems.push('the path has . or .. segments');
  if (/%[0-9A-F]?[a-f]/.test(value)) problems.push('percent-encoding uses lowercase hex');
  if (UNRESERVED_PCT.test(value)) problems.push('it percent-encodes characters that need no encoding');
  if (value.normalize('NFC') !== value) problems.push('it is not NFC');
  return problems;
}

// RFC 4646 syntax, as the Atom schema's atomLanguageTag pattern has it.
export const isLanguageTag = (value: string): boolean => /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/.test(value);

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MIME = new RegExp(`^${TOKEN}/${TOKEN}(?:\\s*;\\s*${TOKEN}=(?:${TOKEN}|"(?:[^"\\\\]|\\\\.)*"))*\\s*$`);
/** RFC 2045 `type/subtype` with optional parameters. */
export const isMimeType = (value: string): boolean => MIME.test(value);

export const mimeEssence = (value: string): string => (value.split(';')[0] ?? '').trim().toLowerCase();
export const isXmlMime = (value: string): boolean => {
  const t = mimeEssence(value);
  return t.endsWith('/xml') || t.endsWith('+xml') || t === 'application/xml-external-parsed-entity' || t === 'application/xml-dtd';
};
export const isTextMime = (value: string): boolean => mimeEssence(value).startsWith('text/');
export const isCompositeMime = (value: string): boolean => /^(multipart|message)\//.test(mimeEssence(value));

// RFC 6532 lets internationalized addresses use UTF-8 in atext.
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\u0080-\\uFFFF-]+";
const DOT_ATOM = `${ATEXT}(?:\\.${ATEXT})*`;
const ADDR_SPEC = new RegExp(`^(?:${DOT_ATOM}|"(?:[^"\\\\\\r\\n]|\\\\.)*")@(?:${DOT_ATOM}|\\[[^\\[\\]\\\\]*\\])$`, 'u');
/** RFC 2822 §3.4.1 addr-spec: no display name, no angle brackets, no `mailto:`. */
export const isAddrSpec = (value: string): boolean => ADDR_SPEC.test(value);

/** Base64 as RFC 4287 §4.1.3.3 allows it: whitespace around and between lines, `=` padding only at the end. */
export function isBase64(value: string): boolean {
  const compact = value.replace(/\s+/g, '');
  return compact.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(compact);
}

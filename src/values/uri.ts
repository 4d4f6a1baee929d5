/**
 * URIs and IRIs (RFC 3986, RFC 3987): absolute URLs as RSS requires them, IRI references as Atom
 * allows them, the schemes registered with IANA, tag: URIs (RFC 4151) and the normalized form
 * RFC 4287 asks ids to be written in. Syntax only: nothing here resolves or fetches anything.
 */

/**
 * IANA URI schemes (permanent and widely used provisional ones). An unknown scheme is usually
 * a typo (`htp:`) or a relative path with a colon in it (`Chapter 3: x`).
 */
const SCHEMES = new Set(
  (
    'aaa aaas about acap acct cap cid coap coaps crid data dav dict dns example file ftp geo go gopher h323 http https iax icap im imap info ipp ipps iris ' +
    'jabber ldap mailto mid msrp msrps mtqp mupdate news nfs ni nih nntp opaquelocktoken pkcs11 pop pres reload rtsp rtsps rtspu service session shttp sieve sip sips sms snmp ' +
    'soap.beep soap.beeps stun stuns tag tel telnet tftp thismessage tip tn3270 turn turns tv urn vemmi vnc ws wss xcon xcon-userid xmlrpc.beep xmlrpc.beeps xmpp z39.50r z39.50s ' +
    'afp aim apt attachment bitcoin blob callto chrome chrome-extension content dtn dvb ed2k facetime fax feed feedready finger fish git gtalk irc irc6 ircs itms itms-apps itpc jar ' +
    'lastfm magnet maps market message mms mvn notes pcast podcast proxy psyc rsync secondlife sftp skype smb smtp spotify ssh steam svn teamspeak things udp unreal ventrilo ' +
    'view-source webcal wtai wyciwyg xfire xri ymsgr'
  ).split(' '),
);

/** Whether a scheme (without the colon) is registered with IANA (permanent, or provisional and widely used). */
export const isRegisteredScheme = (scheme: string): boolean => SCHEMES.has(scheme.toLowerCase());

export type UrlCheck =
  | { ok: true; scheme: string; notes: ('whitespace' | 'not-http')[] }
  | { ok: false; problem: 'empty' | 'relative' | 'syntax' | 'non-ascii' | 'scheme'; message: string };

/** Characters RFC 3986 never allows literally in a URI (besides non-ASCII, handled separately). */
const FORBIDDEN = /[\s"<>\\^`{|}]/;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
/** What any of the three checks on "%", control and non-ASCII characters looks for: most URLs have none. */
// eslint-disable-next-line no-control-regex
const ODD = /[%\x00-\x1F\x7F-\uFFFF]/;
const PLAIN_HOST = /^[A-Za-z0-9.-]+$/;

/**
 * An absolute URI (RFC 3986 §4.3) with a known scheme. `allowIri` accepts non-ASCII characters
 * (Atom and JSON Feed carry IRIs; RSS requires them converted to URIs first).
 */
export function checkAbsoluteUrl(raw: string, options: { allowIri?: boolean } = {}): UrlCheck {
  const notes: ('whitespace' | 'not-http')[] = [];
  const value = raw.trim();
  if (value !== raw) notes.push('whitespace');
  if (value === '') return { ok: false, problem: 'empty', message: 'is empty' };
  const m = SCHEME.exec(value);
  if (!m) return { ok: false, problem: 'relative', message: `"${value}" is not an absolute URL (no scheme such as https:)` };
  const scheme = (m[1] as string).toLowerCase();
  if (!SCHEMES.has(scheme)) return { ok: false, problem: 'scheme', message: `"${scheme}:" is not a registered URL scheme` };
  const bad = FORBIDDEN.exec(value);
  if (bad) return { ok: false, problem: 'syntax', message: `"${value}" contains ${bad[0] === ' ' ? 'a space' : /\s/.test(bad[0]) ? 'whitespace' : `"${bad[0]}"`}, which must be percent-encoded` };
  if (ODD.test(value)) {
    if (/%(?![0-9A-Fa-f]{2})/.test(value)) return { ok: false, problem: 'syntax', message: `"${value}" has a "%" that does not start a percent-encoded byte` };
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x1F\x7F]/.test(value)) return { ok: false, problem: 'syntax', message: `"${value}" contains a control character` };
    if (!options.allowIri && /[^\x00-\x7F]/.test(value)) {
      return { ok: false, problem: 'non-ascii', message: `"${value}" contains non-ASCII characters: percent-encode them as UTF-8 (IDNA for the host)` };
    }
  }
  if (scheme === 'http' || scheme === 'https') {
    const host = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(value)?.[1];
    // A host of letters, digits, dots and hyphens has no user, no port and no IPv6 literal to look at.
    if (host !== undefined && PLAIN_HOST.test(host)) return { ok: true, scheme, notes };
    const hostname = host?.replace(/^[^@]*@/, '').replace(/:\d*$/, '');
    if (!hostname) return { ok: false, problem: 'syntax', message: `"${value}" has no host (expected ${scheme}://host/…)` };
    if (host !== undefined && /:(?!\d*$)/.test(host.replace(/^[^@]*@/, '').replace(/^\[[^\]]*\]/, ''))) {
      return { ok: false, problem: 'syntax', message: `"${value}" has an invalid port` };
    }
  } else {
    notes.push('not-http');
  }
  return { ok: true, scheme, notes };
}

/** True for a URI reference that has no scheme (a relative reference). */
export function isRelativeReference(value: string): boolean {
  return !SCHEME.test(value.trim());
}

// Characters no IRI may contain anywhere (RFC 3987 §2.2: outside iunreserved, reserved, pct-encoded, iprivate).
const IRI_FORBIDDEN = /[\u0000-\u0020\u007F-\u009F"<>\\^`{|}\uFFFE\uFFFF]/u;

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

/** How a URL string reads: `https`, `http`, another scheme, or not absolute at all. */
export function urlKind(value: string): 'https' | 'http' | 'other-scheme' | 'relative' | 'invalid' {
  if (value.trim() === '') return 'invalid';
  if (!/^[a-z][a-z0-9+.-]*:/i.test(value)) return 'relative';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'invalid';
  }
  if (url.protocol === 'https:' || url.protocol === 'http:') {
    // `https:example.com` parses leniently; a real absolute web URL has `//host`.
    if (!/^https?:\/\/[^/]/i.test(value)) return 'invalid';
    return url.protocol === 'https:' ? 'https' : 'http';
  }
  return 'other-scheme';
}


/** Stands for the address of a document read from a file: relative references resolved against it still compare. */
export const UNKNOWN_DOCUMENT_URL = 'http://document.invalid/';

/**
 * `href` as a reader resolves it: against each xml:base in scope, outermost first (document,
 * feed, element), then the document's own URL; undefined when it is no URL.
 */
export function resolveUnderBases(href: string, bases: readonly (string | undefined)[], documentUrl = UNKNOWN_DOCUMENT_URL): string | undefined {
  try {
    let base = documentUrl;
    for (const b of bases) if (b !== undefined) base = new URL(b.trim(), base).href;
    return new URL(href, base).href;
  } catch {
    return undefined;
  }
}

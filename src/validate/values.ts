/**
 * Value checkers shared by the RSS, Atom and JSON Feed rules: URLs/IRIs (RFC 3986/3987),
 * e-mail addresses, MIME types (RFC 2045/6838) and language tags (RFC 5646, ISO 639).
 * Syntax only: nothing here fetches anything.
 */

export type UrlCheck =
  | { ok: true; scheme: string; notes: ('whitespace' | 'not-http')[] }
  | { ok: false; problem: 'empty' | 'relative' | 'syntax' | 'non-ascii' | 'scheme'; message: string };

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

/** Characters RFC 3986 never allows literally in a URI (besides non-ASCII, handled separately). */
const FORBIDDEN = /[\s"<>\\^`{|}]/;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

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
  if (/%(?![0-9A-Fa-f]{2})/.test(value)) return { ok: false, problem: 'syntax', message: `"${value}" has a "%" that does not start a percent-encoded byte` };
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1F\x7F]/.test(value)) return { ok: false, problem: 'syntax', message: `"${value}" contains a control character` };
  if (!options.allowIri && /[^\x00-\x7F]/.test(value)) {
    return { ok: false, problem: 'non-ascii', message: `"${value}" contains non-ASCII characters: percent-encode them as UTF-8 (IDNA for the host)` };
  }
  if (scheme === 'http' || scheme === 'https') {
    const host = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(value)?.[1];
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

const EMAIL = /[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?/;
const EMAIL_EXACT = new RegExp(`^${EMAIL.source}$`);

/** An RSS contact (`managingEditor`, `webMaster`, `author`) must contain an e-mail address. */
export function containsEmail(value: string): boolean {
  if (EMAIL.test(value)) return true;
  // RFC 2368 mailto: URLs carry the address percent-encoded (`mailto:user%40example.org`).
  try {
    return /^\s*mailto:/i.test(value) && EMAIL.test(decodeURIComponent(value));
  } catch {
    return false;
  }
}

export function isEmail(value: string): boolean {
  return EMAIL_EXACT.test(value);
}

/** The RSS Profile's recommended contact form: `user@host.tld (Real Name)`. */
export function isCanonicalContact(value: string): boolean {
  return new RegExp(`^${EMAIL.source} \\([^()]+\\)$`).test(value.trim());
}

const TOKEN = "[A-Za-z0-9!#$%&'*+.^_`|~-]+";
const MIME = new RegExp(`^${TOKEN}/${TOKEN}(?:\\s*;\\s*${TOKEN}=(?:${TOKEN}|"(?:[^"\\\\]|\\\\.)*"))*$`);

/** `type/subtype` with optional `; name=value` parameters (RFC 2045 §5.1). */
export function isMimeType(value: string): boolean {
  return MIME.test(value.trim());
}

/** ISO 639-1 two-letter codes (plus deprecated ones still seen in feeds: iw, in, ji, jw, mo, sh). */
const ISO639_1 = new Set(
  (
    'aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ' +
    'ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my ' +
    'na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ' +
    'ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu iw in ji jw mo sh'
  ).split(' '),
);

/** RFC 5646 `langtag` (syntax), plus private-use `x-…` and grandfathered `i-…` tags. */
const BCP47 =
  /^(?:(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?(?:-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*(?:-[0-9A-WYZa-wyz](?:-[A-Za-z0-9]{2,8})+)*(?:-x(?:-[A-Za-z0-9]{1,8})+)?|x(?:-[A-Za-z0-9]{1,8})+|i-[A-Za-z]{2,8})$/;

/** A BCP 47 language tag (syntax only), as used by `xml:lang`, Atom `hreflang` and JSON Feed `language`. */
export function isLanguageTag(value: string): boolean {
  return BCP47.test(value);
}

/**
 * RSS `language`: an RSS/Netscape code (`en-us`) or a W3C code whose primary subtag is ISO 639
 * (two letters from the list, or three letters for ISO 639-2/3).
 */
export function isRssLanguage(raw: string): boolean {
  const value = raw.trim();
  if (!isLanguageTag(value)) return false;
  const primary = (value.split('-')[0] as string).toLowerCase();
  if (primary === 'x' || primary === 'i') return true;
  if (primary.length === 2) return ISO639_1.has(primary);
  return primary.length === 3;
}

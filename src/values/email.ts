/** E-mail addresses: RFC 5322 §3.4.1 addr-spec (with RFC 6532 UTF-8), and the RSS contact forms built on it. */

// RFC 6532 lets internationalized addresses use UTF-8 in atext.
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\u0080-\\uFFFF-]+";
const DOT_ATOM = `${ATEXT}(?:\\.${ATEXT})*`;
const ADDR_SPEC = new RegExp(`^(?:${DOT_ATOM}|"(?:[^"\\\\\\r\\n]|\\\\.)*")@(?:${DOT_ATOM}|\\[[^\\[\\]\\\\]*\\])$`, 'u');
/** RFC 2822 §3.4.1 addr-spec: no display name, no angle brackets, no `mailto:`. */
export const isAddrSpec = (value: string): boolean => ADDR_SPEC.test(value);

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


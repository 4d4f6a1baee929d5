/** Media types (RFC 2045 §5.1, RFC 6838 §4.2): `type/subtype` with optional parameters. Syntax only. */

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MIME = new RegExp(`^${TOKEN}/${TOKEN}(?:\\s*;\\s*${TOKEN}=(?:${TOKEN}|"(?:[^"\\\\]|\\\\.)*"))*$`);

/** `type/subtype` with optional `; name=value` parameters, nothing around it (trim first where a format allows whitespace). */
export const isMimeType = (value: string): boolean => MIME.test(value);

/** `text/html` of `Text/HTML; charset=UTF-8`. */
export const mimeEssence = (value: string): string => (value.split(';')[0] ?? '').trim().toLowerCase();
export const isXmlMime = (value: string): boolean => {
  const t = mimeEssence(value);
  return t.endsWith('/xml') || t.endsWith('+xml') || t === 'application/xml-external-parsed-entity' || t === 'application/xml-dtd';
};
export const isTextMime = (value: string): boolean => mimeEssence(value).startsWith('text/');
export const isCompositeMime = (value: string): boolean => /^(multipart|message)\//.test(mimeEssence(value));

/**
 * Where kiosque's verdict differs from the W3C Feed Validator's on purpose, because a spec says
 * otherwise. docs/rules.md lists them; bench/calibrate.ts counts the corpus cases they explain.
 */
export type Difference = {
  topic: string;
  /** Which corpus cases it concerns (folder or file names), for the calibration report. */
  cases: string;
  /** What kiosque does. */
  kiosque: string;
  /** The spec text that decides it. */
  why: string;
};

export const DIFFERENCES: readonly Difference[] = [
  {
    topic: 'Elements outside the XHTML namespace in type="xhtml" content',
    cases: 'atom/3.1.1.3/missing_xhtml_ns.xml, atom/3.1.1.3/misplaced_element.xml',
    kiosque: 'A warning (ATOM-C-006) for elements in no namespace, the Atom namespace or a vocabulary XHTML does not embed (SVG and MathML it does), where the W3C validator reports an error (MissingNamespace, UndefinedElement).',
    why: 'RFC 4287 §3.1.1.3 requires one XHTML div (a MUST, ATOM-C-005) but says only that its content SHOULD be suitable for handling as XHTML.',
  },
  {
    topic: 'Entries sharing one id',
    cases: 'atom/4.1.1/duplicate-entries-all.xml',
    kiosque: 'A warning (ATOM-E-011) when entries share an id and an updated value, where the W3C validator reports an error (DuplicateIds) once every entry shares it.',
    why: 'RFC 4287 §4.1.1 allows several entries with one id (they are revisions of one entry); only that their updated values SHOULD differ.',
  },
  {
    topic: 'Whitespace around an id',
    cases: 'atom/4.2.6/id-whitespace.xml',
    kiosque: 'An error (ATOM-DOC-008), where the W3C validator warns (NonCanonicalURI).',
    why: 'RFC 4287 §4.2.6: the content of atom:id MUST be an IRI, and RFC 3987 has no whitespace in an IRI; readers compare ids character by character, so " http://example.org/ " and "http://example.org/" are two ids.',
  },
  {
    topic: 'Guids that differ as strings but name the same URL',
    cases: 'rss/must/guid_duplicate_value_2.xml, guid_duplicate_value_3.xml, guid_duplicate_value_4.xml, guid_duplicate_value_5.xml, guid_duplicate_value_6.xml, guid_duplicate_value_7.xml, guid_duplicate_value_8.xml',
    kiosque: 'No finding for two guids that differ only in host case, an explicit or empty default port, a missing "/" path, percent-encoding or Unicode normalization ("http://example.com/" and "http://Example.com:80/"), where the W3C validator reports DuplicateValue after comparing them as HTTP URLs (RFC 2616 §3.2.3).',
    why: 'RSS 2.0 `<guid>`: "a string that uniquely identifies the item". Readers key items by that string, character for character, so two such guids are two items to them; identical strings are an error (RSS-DOC-017).',
  },
  {
    topic: 'A zero Atom link length',
    cases: 'atom/4.2.7.6/link-length-not-positive.xml',
    kiosque: 'No finding for `length="0"`, where the W3C validator reports InvalidPositiveInteger; kiosque only warns when an enclosure link has no length at all (ATOM-C-043).',
    why: 'RFC 4287 §4.2.7.6: the length is "an advisory length of the linked content in octets", and its schema (`attribute length { text }`) sets no range; 0 is a valid octet count, used by publishers that cannot know the size.',
  },
  {
    topic: 'A DOCTYPE naming another RSS version',
    cases: 'rss/must/doctype_wrong_version.xml',
    kiosque: 'Info (RSS-DOC-014) for any DOCTYPE, where the W3C validator reports InvalidDoctype when the Netscape RSS 0.91 DTD heads a version="2.0" document.',
    why: 'RSS 2.0 defines no DTD and never mentions DOCTYPE; XML 1.0 §5.1 lets non-validating parsers, which feed readers are, skip the external DTD, so it does not change how the feed reads.',
  },
  {
    topic: 'Out-of-line or Base64 content without a summary',
    cases: 'atom/4.1.2/content-base64-no-summary.xml, atom/4.1.2/content-src-no-summary.xml',
    kiosque: 'An error (ATOM-E-008, ATOM-E-009), where the W3C validator warns (MissingTextualContent).',
    why: 'RFC 4287 §4.1.2: atom:entry elements MUST contain an atom:summary element when the entry contains an atom:content that has a "src" attribute, or content encoded in Base64; a reader has no text to show without it.',
  },
  {
    topic: 'A link relation that is neither a name nor an IRI',
    cases: 'atom/4.2.7.2/link-rel-relative.xml',
    kiosque: 'An error (ATOM-C-041) for rel="/foo", where the W3C validator only warns (UnregisteredAtomLinkRel); an unregistered simple name such as rel="service.post" is info in kiosque (ATOM-C-046) and a warning there, so both accept it.',
    why: 'RFC 4287 §4.2.7.2: the value of rel MUST match either the isegment-nz-nc or the IRI production of RFC 3987; "/foo" has a slash, so it is not a name, and no scheme, so it is not an IRI.',
  },
  {
    topic: 'skipHours hour 24',
    cases: 'rss/must/skipHours_24_hours.xml',
    kiosque: 'An error (RSS-CH-019) for `<hour>24</hour>`, which the W3C validator accepts (its case lists hours 1 to 24 as valid); the number of hours, 24 at most, is judged alike.',
    why: 'RSS 2.0 `<skipHours>`: "contains up to 24 <hour> sub-elements whose value is a number between 0 and 23, representing a time in GMT"; midnight is 0.',
  },
];

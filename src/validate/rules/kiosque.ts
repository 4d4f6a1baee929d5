// kiosque's own findings about a document it cannot or will not validate (no external spec: docs/rules.md says why).
import { defineInfo, detailMessage } from '../rule.js';

const detail = detailMessage;

/** Ids the validator reports about the input itself rather than a format's rules. */
export const kiosqueRules = {
  limit: defineInfo({
    id: 'KIOSQUE-LIMIT', level: 'error', spec: 'kiosque: docs/rules.md',
    title: 'The document is within kiosque\'s limits: 50 MiB, 1000 levels of nesting, 1000 attributes on an element, 1,000,000 elements and attributes in all',
    message: detail,
    why: 'Bounds keep a hostile or runaway file from exhausting memory; no real feed comes near them.',
    fix: 'Publish fewer items per document (page older ones with RFC 5005 or next_url), or flatten the markup.',
  }),
  format: defineInfo({
    id: 'KIOSQUE-FORMAT', level: 'error', spec: 'kiosque: docs/rules.md',
    title: 'The document is RSS 2.0, Atom 1.0 or JSON Feed 1.x (RSS 0.9x, RSS 1.0, Atom 0.3 and other XML or JSON are not validated; exit code 2)',
    message: (p) => `not a supported feed format: ${detail(p)}`,
    why: 'Rules of one format say nothing useful about another; reporting them would drown the real answer.',
    fix: 'Validate an RSS 2.0, Atom 1.0 or JSON Feed file, or convert the feed to one of them.',
  }),
  unreadable: defineInfo({
    id: 'KIOSQUE-UNREADABLE', level: 'error', spec: 'kiosque: docs/rules.md',
    title: 'The document is XML from which an element tree can be built, or JSON (exit code 2)',
    message: detail,
    why: 'Without an element tree no feed rule can run: readers fail on the same file.',
    fix: 'Fix the syntax error at the position given, or check that the file is a feed at all.',
  }),
  io: defineInfo({
    id: 'KIOSQUE-IO', level: 'error', spec: 'kiosque: README.md#kiosque-validate-file',
    title: '`kiosque validate` can read the file (exit code 2)',
    message: (p) => `cannot read the file: ${detail(p)}`,
    why: 'A file that cannot be read cannot be validated.',
    fix: 'Check the path and the permissions.',
  }),
  fetch: defineInfo({
    id: 'KIOSQUE-FETCH', level: 'error', spec: 'kiosque: README.md#kiosque-validate-file',
    title: '`kiosque validate URL` can fetch the feed: the host resolves and connects, and answers 2xx within the time and size limits after at most 5 redirects (exit code 2)',
    message: (p) => `could not fetch: ${detail(p)}`,
    why: 'Readers that cannot fetch the feed show nothing, whatever the document says.',
    fix: 'Check the URL, the server and its TLS certificate; the message names the step that failed.',
  }),
  internal: defineInfo({
    id: 'KIOSQUE-INTERNAL', level: 'error', spec: 'kiosque: docs/rules.md',
    title: 'No rule crashes: a crash is a bug in kiosque, reported instead of hiding the document\'s other problems',
    message: (p) => `rule ${String(p['rule'] ?? '')} failed: ${detail(p)}`,
    why: 'The other findings are still right; only the crashed rule\'s verdict is missing.',
    fix: 'Report the bug with the file that triggers it.',
  }),
};

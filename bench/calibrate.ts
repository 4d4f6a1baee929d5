/**
 * Calibration against the W3C Feed Validator's own test cases (`npm run bench:calibrate -- DIR`).
 * The corpus is not part of the repository: copy its `testcases/` folders (or some of them) into
 * bench/.corpus/ (ignored by git), or pass another folder. Each case names what the W3C validator
 * reports in an `Expect:` comment: message classes (`MissingElement{parent:feed,element:author}`),
 * classes that must not appear (`!EightDaysAWeek`), `Valid…` success events, or `!Error`.
 *
 * Cases are judged class by class, since many are partial feeds testing one element: each W3C
 * class maps to the kiosque rules that decide the same thing (CLASSES below). A case is invalid
 * when it expects a W3C error class; kiosque catches it when a mapped rule reports an error. Every
 * other case is valid; kiosque accepts it when no mapped rule reports an error (and, for `!Error`,
 * nothing at all does). Prints caught-invalid and accepted-valid rates per folder and the misses;
 * misses that docs/rules.md explains (DIFFERENCES) are counted apart.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateDocument } from '../src/validate/validate.js';
import { DIFFERENCES } from '../src/validate/differences.js';
import type { Issue } from '../src/issue.js';

/** A class's level is the W3C validator's own (its logging.py: Error, Warning, Info, or a success event), not the case's description, which is sometimes older. */
type W3cLevel = 'error' | 'warning' | 'valid';
/** A W3C message class: its level there, and the kiosque rules deciding the same question. */
type Mapping = { level: W3cLevel; rules: string[]; mention?: string };

const ATOM_IDS = ['ATOM-F-009', 'ATOM-E-001'];
const ATOM_DATES = ['ATOM-C-020', 'ATOM-C-021', 'ATOM-C-022', 'ATOM-F-012', 'ATOM-E-014'];
const ATOM_CONTENT = ['ATOM-C-030', 'ATOM-C-031', 'ATOM-C-033', 'ATOM-C-034'];
const ATOM_TEXT = ['ATOM-C-001', 'ATOM-C-002', 'ATOM-C-003', 'ATOM-C-005'];
const ATOM_ONCE = ['ATOM-F-001', 'ATOM-F-002', 'ATOM-F-003', 'ATOM-F-005', 'ATOM-E-001', 'ATOM-E-002', 'ATOM-E-003', 'ATOM-E-005'];
const ATOM_REQUIRED = ['ATOM-F-001', 'ATOM-F-002', 'ATOM-F-003', 'ATOM-E-001', 'ATOM-E-002', 'ATOM-E-003'];
const RSS_CHANNEL_REQUIRED = ['RSS-CH-001', 'RSS-CH-002', 'RSS-CH-003'];
/** Atom elements and attributes holding an IRI, by W3C element (or attribute) name. */
const ATOM_IRI: Record<string, string[]> = {
  uri: ['ATOM-C-011'],
  icon: ['ATOM-F-014'],
  logo: ['ATOM-F-014'],
  generator: ['ATOM-F-016'],
  link: ['ATOM-C-040'],
  content: ['ATOM-C-031'],
  category: ['ATOM-C-050'],
  scheme: ['ATOM-C-050'],
  'xml:base': ['ATOM-DOC-010'],
};
/** RSS elements holding a URL (RSS-DT-010 checks every one). */
const RSS_URL = ['RSS-DT-010', 'RSS-DT-011'];

/** Parameters narrow a class to the element it is about (`MissingElement{element:author}` vs `{element:title}`). */
function mapClass(name: string, params: Record<string, string>, format: string): Mapping | undefined {
  const el = params['element'] ?? '';
  const parent = params['parent'] ?? '';
  const attr = params['attr'] ?? '';
  switch (name) {
    case 'MissingElement':
      // One rule covers every child of image and textInput: its message names the missing one.
      if (parent === 'image') return { level: 'error', rules: ['RSS-CH-012'], mention: `<${el}>` };
      if (parent === 'textInput') return { level: 'error', rules: ['RSS-CH-016'], mention: `<${el}>` };
      if (el === 'name') return { level: 'error', rules: ['ATOM-C-010'] };
      if (el === 'channel') return { level: 'error', rules: ['RSS-DOC-013'] };
      if (el === 'author') return { level: 'error', rules: ['ATOM-F-004', 'ATOM-E-004'] };
      if (parent === 'skipDays') return { level: 'error', rules: ['RSS-CH-020'] };
      if (parent === 'skipHours') return { level: 'error', rules: ['RSS-CH-019'] };
      if (parent === 'source') return { level: 'warning', rules: ['ATOM-E-019'] };
      return { level: 'error', rules: [...ATOM_REQUIRED, ...RSS_CHANNEL_REQUIRED] };
    case 'ItemMustContainTitleOrDescription':
      return { level: 'error', rules: ['RSS-IT-001'] };
    case 'MissingTitle':
    case 'MissingLink':
    case 'MissingDescription':
      return mapClass('MissingElement', params, format);
    case 'MissingGuid':
      return { level: 'warning', rules: ['RSS-IT-018'] };
    case 'MissingItemTitle':
    case 'MissingItemLink':
      return { level: 'warning', rules: ['RSS-IT-001'] };
    case 'DuplicateElement':
      if (parent === 'rss') return { level: 'error', rules: ['RSS-DOC-013'] };
      if (parent === 'channel') return { level: 'error', rules: [...RSS_CHANNEL_REQUIRED, 'RSS-CH-004'] };
      if (parent === 'item') return { level: 'error', rules: ['RSS-IT-002'] };
      if (parent === 'image') return { level: 'error', rules: ['RSS-CH-012'], mention: `<${el}>` };
      if (parent === 'textInput') return { level: 'error', rules: ['RSS-CH-016'], mention: `<${el}>` };
      if (el === 'name') return { level: 'error', rules: ['ATOM-C-010'] };
      if (el === 'uri') return { level: 'error', rules: ['ATOM-C-011'] };
      if (el === 'email') return { level: 'error', rules: ['ATOM-C-012'] };
      return { level: 'error', rules: ATOM_ONCE };
    case 'UndefinedElement':
      if (parent === 'content') return { level: 'error', rules: ATOM_CONTENT };
      if (parent === 'generator') return { level: 'error', rules: ['ATOM-F-016'] };
      if (['title', 'subtitle', 'summary', 'rights'].includes(parent)) return { level: 'error', rules: ATOM_TEXT };
      return { level: 'error', rules: ['ATOM-DOC-011', 'RSS-DOC-011'] };
    case 'UnexpectedText':
      return { level: 'error', rules: ['RSS-DOC-011', 'RSS-DT-030', 'ATOM-DOC-011'] };
    case 'MissingAttribute':
      if (el === 'category') return { level: 'error', rules: ['ATOM-C-050'] };
      if (el === 'link') return { level: 'error', rules: ['ATOM-C-040'] };
      if (el === 'cloud') return { level: 'error', rules: ['RSS-CH-018'] };
      if (el === 'enclosure') return { level: 'error', rules: ['RSS-IT-011'] };
      if (el === 'source') return { level: 'error', rules: ['RSS-IT-027'] };
      if (el === 'rss') return { level: 'error', rules: ['RSS-DOC-012'] };
      return undefined;
    case 'MissingTypeAttr':
      return { level: 'warning', rules: ['ATOM-C-032'] };
    case 'InvalidMIMEType':
      return { level: 'error', rules: ['ATOM-C-030', 'ATOM-C-031', 'ATOM-C-042', 'RSS-IT-015'] };
    case 'NotBase64':
      return { level: 'error', rules: ['ATOM-C-034'] };
    case 'NotInline':
      return { level: 'warning', rules: ['ATOM-C-007'] };
    case 'NotHtml':
      return { level: 'warning', rules: ['ATOM-C-003', 'ATOM-C-004'] };
    case 'DuplicateEntries':
      return { level: 'warning', rules: ['ATOM-E-011'] };
    case 'DuplicateIds':
      return { level: 'error', rules: ['ATOM-E-011', 'ATOM-DOC-012'] };
    case 'DuplicateUpdated':
      return { level: 'warning', rules: ['ATOM-E-012'] };
    case 'MissingSelf':
      return { level: 'warning', rules: ['ATOM-F-006'] };
    case 'DuplicateAtomLink':
      return { level: 'error', rules: ['ATOM-F-007', 'ATOM-E-007'] };
    case 'MissingTextualContent':
      return { level: 'warning', rules: ['ATOM-E-008', 'ATOM-E-009'] };
    case 'MissingSummary':
      return { level: 'error', rules: ['ATOM-E-008', 'ATOM-E-009'] };
    case 'MissingContentOrAlternate':
      return { level: 'error', rules: ['ATOM-E-006'] };
    case 'InvalidAtomLinkRel':
      return { level: 'error', rules: ['ATOM-C-041'] };
    case 'UnregisteredAtomLinkRel':
      return { level: 'warning', rules: ['ATOM-C-041', 'ATOM-C-046'] };
    case 'MissingNamespace':
      if (el === 'feed' || el === 'entry') return { level: 'error', rules: ['ATOM-DOC-005'] };
      return { level: 'error', rules: ['ATOM-C-006'] };
    case 'SAXError':
      return { level: 'error', rules: ['ATOM-DOC-001', 'RSS-DOC-001'] };
    case 'ContainsUndeclaredHTML':
      return { level: 'warning', rules: ['RSS-DT-031', 'ATOM-C-002'] };
    case 'InvalidTextType':
      return { level: 'error', rules: ['ATOM-C-001'] };
    case 'SelfNotAtom':
      return { level: 'warning', rules: ['ATOM-C-045'] };
    case 'AvoidNamespacePrefix':
      return { level: 'warning', rules: ['ATOM-DOC-006'] };
    case 'MissingXhtmlDiv':
      return { level: 'error', rules: ['ATOM-C-005', 'ATOM-C-033'] };
    case 'InvalidLink':
    case 'InvalidIRI':
    case 'InvalidURI':
    case 'InvalidURIAttribute':
    case 'InvalidURLAttribute': {
      if (format === 'rss') return { level: 'error', rules: el === 'enclosure' ? ['RSS-IT-012'] : RSS_URL };
      if (el === 'id') return { level: 'error', rules: ATOM_IDS };
      return { level: 'error', rules: ATOM_IRI[el] ?? ATOM_IRI[attr] ?? [...ATOM_IDS, 'ATOM-C-040'] };
    }
    case 'AmbiguousReference':
    case 'SameDocumentReference':
      return { level: 'warning', rules: ['ATOM-C-040', 'ATOM-DOC-010'] };
    case 'UnexpectedWhitespace':
      return { level: 'error', rules: ['ATOM-DOC-008'] };
    case 'InvalidAddrSpec':
    case 'InvalidContact':
      return { level: 'error', rules: ['ATOM-C-012', 'RSS-DT-020'] };
    case 'ValidContact':
      return { level: 'valid', rules: ['ATOM-C-012', 'RSS-DT-020'] };
    case 'EmailFormat':
    case 'MissingRealName':
    case 'UseDCPublisher':
    case 'UseDCCreator':
      return { level: 'warning', rules: ['RSS-DT-020', 'RSS-DT-021'] };
    case 'UnknownHost':
      return { level: 'warning', rules: ['ATOM-C-012'] };
    case 'InvalidRFC2822Date':
      return { level: 'error', rules: ['RSS-DT-001', 'RSS-DT-002'] };
    case 'DiscouragedRFC822Date':
    case 'ProblematicalRFC822Date':
      return { level: 'warning', rules: ['RSS-DT-001', 'RSS-DT-002'] };
    case 'SchemeNotIANARegistered':
      return { level: 'warning', rules: [...RSS_URL, ...ATOM_IDS, 'ATOM-C-040'] };
    case 'ValidRFC2822Date':
      return { level: 'valid', rules: ['RSS-DT-001', 'RSS-DT-002'] };
    case 'InvalidRFC3339Date':
    case 'InvalidISO8601Date':
    case 'InvalidW3CDTFDate':
      return { level: 'error', rules: ATOM_DATES };
    case 'ImplausibleDate':
      return { level: 'warning', rules: [...ATOM_DATES, 'RSS-DT-001', 'RSS-DT-002', 'RSS-DT-006'] };
    case 'ValidW3CDTFDate':
    case 'ValidRFC3339Date':
      return { level: 'valid', rules: ATOM_DATES };
    case 'InvalidLanguage':
      return { level: 'error', rules: ['ATOM-DOC-010', 'ATOM-C-042', 'RSS-DT-040', 'EXT-DC-002'] };
    case 'ValidLanguage':
      return { level: 'valid', rules: ['RSS-DT-040', 'EXT-DC-002'] };
    case 'InvalidNamespace':
      return { level: 'error', rules: ['ATOM-DOC-005', 'KIOSQUE-FORMAT'] };
    case 'MisplacedMetadata':
      return { level: 'error', rules: ['ATOM-DOC-009'] };
    case 'InvalidFullLink':
      if (el === 'scheme') return { level: 'error', rules: ['ATOM-C-050'] };
      return { level: 'error', rules: ATOM_IDS };
    case 'InvalidTAG':
      return { level: 'error', rules: ATOM_IDS };
    case 'NonCanonicalURI':
      return { level: 'warning', rules: ['ATOM-F-011', 'ATOM-DOC-008', 'RSS-IT-020'] };
    case 'InvalidDay':
      return { level: 'error', rules: ['RSS-CH-020'] };
    case 'EightDaysAWeek':
      return { level: 'error', rules: ['RSS-CH-020'], mention: '<day> elements' };
    case 'ValidDay':
      return { level: 'valid', rules: ['RSS-CH-020'] };
    case 'InvalidHour':
      return { level: 'error', rules: ['RSS-CH-019'] };
    case 'NotEnoughHoursInTheDay':
      // RSS-CH-019 also judges each hour's value; this class is about their number only.
      return { level: 'error', rules: ['RSS-CH-019'], mention: '<hour> elements' };
    case 'ValidHour':
      return { level: 'valid', rules: ['RSS-CH-019'] };
    case 'DuplicateValue':
      return { level: 'error', rules: ['RSS-DOC-017'] };
    case 'UnexpectedAttribute':
      return { level: 'error', rules: ['RSS-DOC-011', 'ATOM-DOC-011'] };
    case 'DuplicateSemantics':
    case 'DuplicateItemSemantics':
      return { level: 'warning', rules: ['RSS-DT-022', 'RSS-EXT-006'] };
    case 'InvalidBooleanAttribute':
      return { level: 'error', rules: ['RSS-IT-019'] };
    case 'ValidBooleanAttribute':
      return { level: 'valid', rules: ['RSS-IT-019'] };
    case 'InvalidPermalink':
    case 'InvalidHttpGUID':
      return { level: 'error', rules: ['RSS-IT-020', 'RSS-IT-021'] };
    case 'ValidHttpGUID':
      return { level: 'valid', rules: ['RSS-IT-020'] };
    case 'NotBlank':
      if (parent === 'category') return { level: 'warning', rules: ['ATOM-C-050'] };
      return { level: 'warning', rules: ['RSS-CH-005', 'RSS-IT-004', 'RSS-CH-021', 'ATOM-E-016'] };
    case 'NotSufficientlyUnique':
      return { level: 'warning', rules: ['RSS-IT-023'] };
    case 'ValidURI':
      return { level: 'valid', rules: ['RSS-DT-010', 'RSS-DT-011', 'RSS-CH-024'] };
    case 'CharacterData':
    case 'ContainsHTML':
      return { level: 'warning', rules: ['RSS-DT-031', 'RSS-DT-030'] };
    case 'ContainsScript':
    case 'ContainsMeta':
    case 'ContainsEmbed':
    case 'ContainsObject':
      return { level: 'warning', rules: ['RSS-IT-007', 'ATOM-C-036'] };
    case 'RecommendedWidth':
    case 'RecommendedHeight':
      return { level: 'warning', rules: ['RSS-CH-014'] };
    case 'MissingDCLanguage':
      return { level: 'warning', rules: ['RSS-CH-025'] };
    case 'InvalidDoctype':
      return { level: 'error', rules: ['RSS-DOC-014'] };
    case 'ImageLinkDoesntMatch':
    case 'ImageTitleDoesntMatch':
      return { level: 'warning', rules: ['RSS-CH-015'] };
    case 'InvalidWidth':
    case 'InvalidHeight':
      return { level: 'error', rules: ['RSS-CH-014'] };
    case 'ValidWidth':
    case 'ValidHeight':
      return { level: 'valid', rules: ['RSS-CH-014'] };
    case 'InvalidIntegerAttribute':
      if (el === 'cloud') return { level: 'error', rules: ['RSS-CH-018'] };
      if (el === 'enclosure') return { level: 'error', rules: ['RSS-IT-013'] };
      return undefined;
    case 'InvalidInteger':
      if (el === 'ttl') return { level: 'error', rules: ['RSS-CH-010'] };
      return undefined;
    case 'InvalidPositiveInteger':
      // No kiosque rule judges link/@length values: see DIFFERENCES.
      if (el === 'link') return { level: 'error', rules: [] };
      return undefined;
    case 'ValidCloud':
      return { level: 'valid', rules: ['RSS-CH-018'] };
    default:
      return undefined;
  }
}

type Expectation = { negated: boolean; name: string; params: Record<string, string> };

/** `A{k:v,k:v}, !B, !Error`: commas inside braces belong to the class. */
export function parseExpect(text: string): Expectation[] | undefined {
  const m = /Expect:\s*([^\n]*)/.exec(text);
  if (!m) return undefined;
  const out: Expectation[] = [];
  for (const token of (m[1] as string).replace(/-->.*$/, '').match(/!?[A-Za-z][A-Za-z0-9]*(?:\{[^}]*\})?/g) ?? []) {
    const t = /^(!?)([A-Za-z][A-Za-z0-9]*)(?:\{([^}]*)\})?$/.exec(token) as RegExpExecArray;
    const params: Record<string, string> = {};
    for (const pair of (t[3] ?? '').split(',')) {
      const i = pair.indexOf(':');
      if (i > 0) params[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
    }
    out.push({ negated: t[1] === '!', name: t[2] as string, params });
  }
  return out;
}

type Verdict = { file: string; folder: string; format: string; kind: 'invalid' | 'valid'; ok: boolean; why: string; explained?: string };

function judge(file: string, folder: string, expectations: Expectation[], format: string, issues: Issue[]): Verdict {
  const errors = issues.filter((i) => i.level === 'error');
  const map = (e: Expectation): Mapping | undefined => mapClass(e.name, e.params, format);
  const matching = (m: Mapping): Issue[] => errors.filter((i) => m.rules.includes(i.rule) && (m.mention === undefined || i.message.includes(m.mention)));
  const unmapped = expectations.filter((e) => e.name !== 'Error' && !map(e));
  const positiveErrors = expectations.filter((e) => !e.negated && map(e)?.level === 'error');
  const shown = (list: Issue[]): string => list.map((i) => i.rule).join(' ') || 'nothing';
  if (unmapped.length > 0) return { file, folder, format, kind: 'valid', ok: false, why: `unmapped W3C class ${unmapped.map((e) => e.name).join(', ')}` };
  if (positiveErrors.length > 0) {
    const missed = positiveErrors.filter((e) => matching(map(e) as Mapping).length === 0);
    return { file, folder, format, kind: 'invalid', ok: missed.length === 0, why: missed.length === 0 ? '' : `expected ${missed.map((e) => e.name).join(', ')}; kiosque errors: ${shown(errors)}` };
  }
  const problems: string[] = [];
  for (const e of expectations) {
    if (e.name === 'Error') {
      if (e.negated && errors.length > 0) problems.push(`expected no error; kiosque errors: ${shown(errors)}`);
      continue;
    }
    const m = map(e) as Mapping;
    // A warning-level class and a success event both say: not an error.
    const fired = matching(m);
    if (fired.length > 0) problems.push(`${e.negated ? '!' : ''}${e.name} is ${m.level === 'valid' ? 'a success' : e.negated ? 'expected absent' : 'a warning'} there; kiosque reports ${shown(fired)} as errors`);
  }
  return { file, folder, format, kind: 'valid', ok: problems.length === 0, why: problems.join('; ') };
}

function listCases(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listCases(path) : name.endsWith('.xml') ? [path] : [];
  });
}

const pct = (n: number, d: number): string => (d === 0 ? '   -  ' : `${((100 * n) / d).toFixed(1).padStart(5)}%`);

function main(): void {
  const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
  const dir = resolve(process.argv[2] ?? join(root, 'bench/.corpus/testcases'));
  const verdicts: Verdict[] = [];
  for (const file of listCases(dir)) {
    const bytes = readFileSync(file);
    const expectations = parseExpect(new TextDecoder('latin1').decode(bytes));
    if (!expectations || expectations.length === 0) continue;
    const rel = relative(dir, file);
    const folder = rel.split('/').slice(0, -1).join('/');
    const result = validateDocument(bytes, rel);
    const v = judge(rel, folder, expectations, result.format, result.issues);
    if (!v.ok) {
      const known = DIFFERENCES.find((d) => d.cases.split(/,\s*/).some((c) => rel.endsWith(c)));
      if (known) v.explained = known.topic;
    }
    verdicts.push(v);
  }
  const groups = new Map<string, Verdict[]>();
  for (const v of verdicts) {
    const top = v.folder.split('/')[0] as string;
    for (const key of [top, v.folder]) groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  const rate = (list: Verdict[]): string => {
    const [inv, val] = [list.filter((v) => v.kind === 'invalid'), list.filter((v) => v.kind === 'valid')];
    const [invOk, valOk] = [inv.filter((v) => v.ok).length, val.filter((v) => v.ok).length];
    return `${String(invOk).padStart(3)}/${String(inv.length).padEnd(3)} ${pct(invOk, inv.length)}   ${String(valOk).padStart(3)}/${String(val.length).padEnd(3)} ${pct(valOk, val.length)}`;
  };
  const agreed = (list: Verdict[]): Verdict[] => list.filter((v) => v.ok || !v.explained);
  process.stdout.write(`corpus: ${dir}\n${verdicts.length} cases\n\n${'folder'.padEnd(26)} invalid caught    valid accepted   (explained by docs/rules.md)\n`);
  for (const [key, list] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const explained = list.filter((v) => !v.ok && v.explained).length;
    process.stdout.write(`${key.includes('/') ? '  ' : ''}${key.padEnd(26)} ${rate(list)}   ${explained ? `(${explained})` : ''}\n`);
  }
  // By the format kiosque detected: the rss/ and rss20/ folders are both RSS 2.0.
  const formats = [...new Set(verdicts.map((v) => v.format))].sort();
  process.stdout.write(`\n${'format'.padEnd(26)} invalid caught    valid accepted\n`);
  for (const f of formats) process.stdout.write(`${f.padEnd(26)} ${rate(verdicts.filter((v) => v.format === f))}\n`);
  process.stdout.write('\nwhere the specs agree with the W3C validator (documented differences left out):\n');
  for (const f of formats) process.stdout.write(`${f.padEnd(26)} ${rate(agreed(verdicts.filter((v) => v.format === f)))}\n`);
  const misses = verdicts.filter((v) => !v.ok);
  process.stdout.write(`\nmisses (${misses.length}):\n`);
  for (const v of misses) process.stdout.write(`  ${v.kind.padEnd(7)} ${v.file}: ${v.why}${v.explained ? `  [documented: ${v.explained}]` : ''}\n`);
}

main();

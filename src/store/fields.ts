/**
 * Article text to top-level fields with their lines: a JSON article is one object, a Markdown
 * article has a `---` fenced YAML head (store/frontmatter.ts). The type checks come after
 * (store/schema.ts).
 */
import type { Issue, Result } from '../issue.js';
import { parseJson } from '../validate/json/parse.js';
import { LineIndex } from '../values/lines.js';
import { jsonSyntaxError } from '../validate/json/parse.js';
import { parseFrontMatter, splitFrontMatter, type Fields, type YamlValue } from './frontmatter.js';

function jsonValue(value: unknown): YamlValue {
  if (Array.isArray(value)) return value.map(jsonValue) as YamlValue;
  if (value !== null && typeof value === 'object') {
    const map = new Map<string, YamlValue>();
    for (const key of Object.keys(value)) map.set(key, jsonValue((value as Record<string, unknown>)[key]));
    return map;
  }
  // Numbers and booleans travel as they are so the schema can refuse or accept them by type.
  return value as YamlValue;
}

/** Top-level keys of a JSON article, with the line each first appears on. */
export function parseJsonArticle(file: string, text: string): Result<{ fields: Fields } | undefined> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const located = jsonSyntaxError(text);
    const message = located?.message ?? (err as Error).message.split(/[\r\n]/)[0];
    return { value: undefined, issues: [{ rule: 'store-bad-json', level: 'error', file, ...(located ? { line: located.line, column: located.column } : {}), message: `not valid JSON: ${message}` }] };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { value: undefined, issues: [{ rule: 'store-bad-json', level: 'error', file, line: 1, message: 'a JSON article must be one object' }] };
  }
  const fields: Fields = new Map();
  // One index of line starts for all keys (the text holds the whole body).
  const lines = new LineIndex(text);
  let repeated = false;
  for (const key of Object.keys(data)) {
    const quoted = JSON.stringify(key);
    const index = text.indexOf(quoted);
    repeated ||= index !== -1 && text.indexOf(quoted, index + quoted.length) !== -1;
    fields.set(key, { value: jsonValue((data as Record<string, unknown>)[key]), line: index === -1 ? 1 : lines.at(index).line });
  }
  return { value: { fields }, issues: repeated ? duplicateKeys(file, text, lines) : [] };
}

/**
 * A key written twice at the top level: JSON.parse keeps the last without a word, where the same
 * slip in YAML is refused. Only read again, with positions, when a key's text occurs twice.
 */
function duplicateKeys(file: string, text: string, lines: LineIndex): Issue[] {
  return parseJson(text).duplicates
    .filter((d) => d.pointer.lastIndexOf('/') === 0)
    .map((d) => ({ rule: 'store-duplicate-key', level: 'warning' as const, file, line: lines.at(d.offset).line, message: `"${d.key}" is also set on line ${lines.at(d.firstOffset).line}: the last value is used` }));
}

/** The fields of a Markdown head and where its body starts, from the whole text of the file (or all of its head). */
export function parseMarkdownHead(file: string, text: string): Result<{ fields: Fields; bodyStart: number } | undefined> {
  const split = splitFrontMatter(text);
  if (!split.ok) {
    return {
      value: undefined,
      issues: [split.reason === 'none'
        ? { rule: 'store-missing-front-matter', level: 'error', file, line: 1, message: /^\uFEFF?\+\+\+[ \t]*\r?$/m.test(text.slice(0, text.indexOf('\n') + 1 || text.length))
          ? 'its front matter is TOML, between "+++" lines (Hugo\'s), and kiosque reads YAML: write it between "---" lines (title: "…", date: …)'
          : 'no front matter: start the file with a line "---", the title and date, and another "---" (a file beside the articles that is no article: start its name with _)' }
        : { rule: 'store-bad-yaml', level: 'error', file, line: 1, message: 'the front matter is never closed by a "---" line' }],
    };
  }
  const parsed = parseFrontMatter(split.yaml, split.yamlLine);
  if (!parsed.ok) {
    // `title: [Mise à jour] Le budget adopté`: brackets or braces open a list or map, and the words after them break it.
    const at = split.yaml.split('\n')[parsed.line - split.yamlLine] ?? '';
    const opened = /^(title|summary):[ \t]+([[{])/.exec(at);
    const hint = opened ? ` (a value that starts with ${opened[2]} is a YAML ${opened[2] === '[' ? 'list' : 'map'}: put the whole ${opened[1]} in quotes, ${opened[1]}: "${opened[2] === '[' ? '[…] …' : '{…} …'}")` : '';
    return { value: undefined, issues: [{ rule: 'store-bad-yaml', level: 'error', file, line: parsed.line, ...(parsed.column ? { column: parsed.column } : {}), message: `front matter is not valid YAML: ${parsed.message}${hint}` }] };
  }
  return { value: { fields: parsed.fields, bodyStart: split.bodyStart }, issues: commentCuts(file, split.yaml, split.yamlLine) };
}

/** `title: Top #1 du classement`: a plain value (not quoted, not a block) that YAML may continue on indented lines. */
const PLAIN_START = /^(title|summary):[ \t]+([^'"\s#[{|>&*!%@`].*)$/;

/**
 * Warnings for the title or summary a comment cut short, on its first line or on a line it
 * was wrapped onto: what is published, and how to keep the rest. A ` #` ends a plain value
 * (YAML 1.2 §6.6), and so does a line of only a comment.
 */
function commentCuts(file: string, yaml: string, firstLine: number): Issue[] {
  if (!yaml.includes('#')) return [];
  const issues: Issue[] = [];
  const lines = yaml.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = PLAIN_START.exec(lines[i]!.replace(/\r$/, ''));
    if (!start) continue;
    const kept: string[] = [];
    for (let k = i; k < lines.length; k++) {
      const text = k === i ? start[2]! : lines[k]!.replace(/\r$/, '');
      // Only lines indented under the key continue its value.
      if (k > i && !/^[ \t]+\S/.test(text)) break;
      const part = text.trim();
      const hash = part.startsWith('#') ? 0 : part.search(/[ \t]#/);
      if (hash < 0) {
        kept.push(part);
        continue;
      }
      kept.push(part.slice(0, hash).trim());
      const comment = part.slice(hash).replace(/^[ \t]*#/, '');
      issues.push({ rule: 'store-yaml-comment', level: 'warning', file, line: firstLine + k, message: `"${start[1]}" is published as "${kept.filter(Boolean).join(' ')}": YAML reads " #${comment.slice(0, 30)}" as a comment; to keep it, put the whole value in quotes` });
      break;
    }
  }
  return issues;
}

import { existsSync, readFileSync } from 'node:fs';

// src/version.ts runs from source under tests and from dist/src/ when built: find package.json either way.
const candidates = [new URL('../package.json', import.meta.url), new URL('../../package.json', import.meta.url)];
const pkg = candidates.find((url) => existsSync(url));

/** From package.json, so the generator string and --version never drift from the release. */
export const VERSION: string = pkg ? (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version : '0.0.0';

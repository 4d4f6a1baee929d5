import { describe, expect, it } from 'vitest';
import { countLevels, formatCounts, formatGithub, formatIssue, formatIssues, issueToJson } from '../../src/cli/report.js';
import type { Issue } from '../../src/issue.js';

const xml: Issue = { rule: 'RSS-DT-001', level: 'error', file: 'out/rss.xml', line: 12, column: 5, message: 'bad date' };
const json: Issue = { rule: 'JF-ITEM-002', level: 'warning', file: 'feed.json', pointer: '/items/0/id', message: 'id\nmissing' };
const info: Issue = { rule: 'RSS-EXT-001', level: 'info', file: 'rss.xml', message: 'no self link' };

describe('issue report', () => {
  it('formats FILE:LINE:COL LEVEL RULE-ID message, a JSON pointer for JSON, one line each', () => {
    expect(formatIssue(xml)).toBe('out/rss.xml:12:5 error RSS-DT-001 bad date');
    expect(formatIssue(json)).toBe('feed.json:/items/0/id warning JF-ITEM-002 id missing');
    expect(formatIssue(info)).toBe('rss.xml info RSS-EXT-001 no self link');
  });

  it('leads a JSON issue with its line and column when known, so that editors jump to it, and ends it with the pointer', () => {
    expect(formatIssue({ ...json, line: 3, column: 68 })).toBe('feed.json:3:68 warning JF-ITEM-002 id missing (at /items/0/id)');
    const deep = formatIssue({ ...json, line: 1, column: 1001, pointer: '/0'.repeat(1000) });
    expect(deep).toBe(`feed.json:1:1001 warning JF-ITEM-002 id missing (at ${'/0'.repeat(30)}…${'/0'.repeat(20)})`);
  });

  it('filters by level and counts all levels', () => {
    expect(formatIssues([xml, info], { levels: ['error', 'warning'] })).toBe('out/rss.xml:12:5 error RSS-DT-001 bad date\n');
    expect(formatCounts(countLevels([xml, json, info]))).toBe('1 error, 1 warning, 1 info');
  });

  it('has a JSON form with the location fields', () => {
    expect(issueToJson(json)).toEqual({ file: 'feed.json', pointer: '/items/0/id', level: 'warning', rule: 'JF-ITEM-002', message: 'id\nmissing' });
  });
});

describe('formatGithub', () => {
  it('escapes workflow-command syntax in properties and messages', () => {
    const line = formatGithub([{ rule: 'RSS-DT-001', level: 'info', file: 'a,b:c.xml', line: 3, column: 7, message: '50% off\nnow' }]);
    expect(line).toBe('::notice file=a%2Cb%3Ac.xml,line=3,col=7,title=RSS-DT-001::RSS-DT-001 50%25 off%0Anow\n');
  });
});

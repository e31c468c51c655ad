// KEEL_SCRIPT files that do not load: the error names the file and where it went wrong, never the
// file's bytes (a script may hold keys or private data; V8's JSON.parse quotes the text it refuses).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScript } from '../../src/providers/scripted.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-script-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const SECRET = 'sk-SECRET-4242';

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

function messageOf(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the script loaded');
}

describe('loadScript on a file that is not JSON', () => {
  it.each<[string, string, string]>([
    ['text', `${SECRET} is not json`, 'Unexpected token'],
    ['a bare word in an object', `{"key": ${SECRET}}`, 'Unexpected token'],
    ['a word after the last member', `{"responses": [[{"text": "${SECRET}"}]], oops}`, 'Expected double-quoted property name at line 1, column 47'],
    ['a cut file on its third line', `{\n  "responses": [[{"text": "${SECRET}"}]]\n`, "Expected ',' or '}' after property value at line 3, column 1"],
    ['a control character in a string', `{"responses": "${SECRET}\u0001"}`, 'Bad control character in string literal at line 1, column 30'],
    ['a string never closed', `{"responses": "${SECRET}`, 'Unterminated string at line 1, column 30'],
    ['text after the value', `{"responses": []} ${SECRET}`, 'Unexpected non-whitespace character after JSON at line 1, column 19'],
    ['a long file, refused near its end', `{"keys": ["${SECRET}-${'x'.repeat(40)}", tru]}`, 'Unexpected token'],
  ])('%s: names the file and the problem, not the contents', (_name, text, problem) => {
    const file = write('script.json', text);
    const message = messageOf(() => loadScript(file));
    expect(message).not.toContain('SECRET');
    expect(message).toBe(`script ${file} is not valid JSON: ${problem}`);
  });

  it('says a file that is JSON of the wrong shape is one, naming the file only', () => {
    const file = write('shape.json', JSON.stringify({ keys: [SECRET] }));
    expect(messageOf(() => loadScript(file))).toBe(`script ${file}: expected {"responses": [[step, …], …]}`);
  });
});

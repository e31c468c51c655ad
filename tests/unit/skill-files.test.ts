// SKILL.md files as Codex and Claude Code write them: the front matter's small YAML (plain, quoted
// and block scalars, `metadata:`), and each way a file fails, reported with its path, never thrown.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFrontMatter } from '../../src/skills/front-matter.js';
import { readSkillFile } from '../../src/skills/skill-file.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function skillFile(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-skill-'));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, 'SKILL.md'), text);
  return path.join(dir, 'SKILL.md');
}

describe('SKILL.md front matter', () => {
  it('reads plain, quoted, literal and folded scalars, a nested map and comments; the body follows', () => {
    const text = [
      '---',
      '# a comment',
      'name: deploy # trailing comment',
      'description: "Deploys the \\"web\\" app"',
      "title: 'it''s'",
      'notes: |',
      '  line one',
      '  line two',
      'summary: >-',
      '  folded',
      '  text',
      'metadata:',
      '  short-description: Deploy',
      '  owner: ops',
      'allowed-tools: [Read, Bash]',
      '---',
      '# Body',
    ].join('\n');
    expect(parseFrontMatter(text)).toEqual({
      ok: true,
      fields: {
        name: 'deploy',
        description: 'Deploys the "web" app',
        title: "it's",
        notes: 'line one\nline two',
        summary: 'folded text',
        metadata: { 'short-description': 'Deploy', owner: 'ops' },
        'allowed-tools': '[Read, Bash]',
      },
      body: '# Body',
    });
  });

  it('reads `- item` lists (Claude Code\'s allowed-tools) and keeps deeper nesting as raw text', () => {
    const text = ['---', 'name: lint', 'allowed-tools:', '  - Read', '  - "Bash(npm test)"', 'metadata:', '  owner:', '    team: web', '  tags:', '    - a', '---', ''].join('\n');
    expect(parseFrontMatter(text)).toEqual({
      ok: true,
      fields: { name: 'lint', 'allowed-tools': ['Read', 'Bash(npm test)'], metadata: { owner: 'team: web', tags: ['a'] } },
      body: '',
    });
  });

  it('refuses a file without front matter, an unclosed one, a line that is not `key: value`, a duplicate key', () => {
    expect(parseFrontMatter('# Just markdown')).toEqual({ ok: false, message: 'missing YAML front matter delimited by ---' });
    expect(parseFrontMatter('---\nname: a\n')).toEqual({ ok: false, message: 'the YAML front matter is not closed by a line ---' });
    expect(parseFrontMatter('---\nname: a\n- item\n---\n')).toEqual({ ok: false, message: 'invalid YAML: expected `key: value` at line 3' });
    expect(parseFrontMatter('---\nname: a\nname: b\n---\n')).toEqual({ ok: false, message: 'invalid YAML: duplicate key `name` at line 3' });
    expect(parseFrontMatter('---\ndescription: "open\n---\n')).toEqual({ ok: false, message: 'invalid YAML: unterminated double-quoted string at line 2' });
  });
});

describe('a SKILL.md read as a skill', () => {
  it('name, description on one line, the legacy short description, the path and the scope', async () => {
    const file = skillFile('---\nname: sql-style\ndescription: >\n  Formats SQL.\n  Use for queries.\nmetadata:\n  short-description: SQL style\n---\nbody\n');
    expect(await readSkillFile(file, 'repo')).toEqual({
      ok: true,
      skill: { name: 'sql-style', description: 'Formats SQL. Use for queries.', shortDescription: 'SQL style', path: file, scope: 'repo' },
    });
  });

  it('each failure is an error naming the file', async () => {
    const cases: Array<[string, string]> = [
      ['no front matter', 'missing YAML front matter delimited by ---'],
      ['---\ndescription: d\n---\n', 'missing field `name`'],
      ['---\nname: n\n---\n', 'missing field `description`'],
      [`---\nname: ${'n'.repeat(65)}\ndescription: d\n---\n`, 'invalid name: longer than 64 characters'],
      [`---\nname: n\ndescription: ${'d'.repeat(1025)}\n---\n`, 'invalid description: longer than 1024 characters'],
    ];
    for (const [text, message] of cases) {
      const file = skillFile(text);
      expect(await readSkillFile(file, 'user')).toEqual({ ok: false, error: { path: file, message } });
    }
    const missing = path.join(os.tmpdir(), 'keel-no-such-skill', 'SKILL.md');
    expect(await readSkillFile(missing, 'user')).toEqual({ ok: false, error: { path: missing, message: expect.stringMatching(/^cannot read SKILL\.md: ENOENT/) } });
  });
});

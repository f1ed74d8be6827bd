import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/cli/exit-codes.js';
import { loadConfig } from '../../src/config/load.js';
import { parseConfig } from '../../src/config/parse.js';
import { UsageError } from '../../src/errors.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'imglint-config-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Creates `files` (path → content; a path ending in `/` is a directory) under a fresh directory; returns it. */
async function tree(name: string, files: Record<string, string>): Promise<string> {
  const base = join(root, name);
  for (const [path, content] of Object.entries(files)) {
    const full = join(base, path);
    if (path.endsWith('/')) {
      await mkdir(full, { recursive: true });
    } else {
      await mkdir(join(full, '..'), { recursive: true });
      await writeFile(full, content);
    }
  }
  return base;
}

/** The UsageError `run` throws. */
async function usageError(run: () => unknown): Promise<UsageError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect(exitCodeFor(error)).toBe(2);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('loadConfig: discovery', () => {
  it('finds .imglint.yaml in the working directory', async () => {
    const base = await tree('in-cwd', { '.git/': '', '.imglint.yaml': 'failOn: warning\n' });
    const loaded = await loadConfig({ cwd: base });
    expect(loaded).toEqual({ path: join(base, '.imglint.yaml'), displayPath: '.imglint.yaml', config: { failOn: 'warning' } });
  });

  it('finds it in a parent, and names it relative to the working directory', async () => {
    const base = await tree('in-parent', { '.git/': '', '.imglint.yaml': 'region: eu-west-1\n', 'infra/prod/': '' });
    const loaded = await loadConfig({ cwd: join(base, 'infra', 'prod') });
    expect(loaded?.path).toBe(join(base, '.imglint.yaml'));
    expect(loaded?.displayPath).toBe(join('..', '..', '.imglint.yaml'));
    expect(loaded?.config).toEqual({ region: 'eu-west-1' });
  });

  it('the nearest file wins', async () => {
    const base = await tree('nearest', { '.git/': '', '.imglint.yaml': 'region: eu-west-1\n', 'sub/.imglint.yml': 'region: us-west-2\n' });
    expect((await loadConfig({ cwd: join(base, 'sub') }))?.config).toEqual({ region: 'us-west-2' });
  });

  it('reads .imglint.yml and .imglint.json', async () => {
    const yml = await tree('yml', { '.git/': '', '.imglint.yml': 'provider: rackspace\n' });
    expect((await loadConfig({ cwd: yml }))?.config).toEqual({ provider: 'rackspace' });
    const json = await tree('json', { '.git/': '', '.imglint.json': '{\n\t"provider": "openstack",\n\t"rules": {"min-ram": "warning"}\n}\n' });
    expect((await loadConfig({ cwd: json }))?.config).toEqual({ provider: 'openstack', rules: { 'min-ram': 'warning' } });
  });

  it('stops at the repository root (a directory with .git, also a .git file)', async () => {
    const dir = await tree('outside', { '.imglint.yaml': 'failOn: never\n', 'repo/.git/': '', 'repo/src/': '', 'worktree/.git': 'gitdir: ../x\n' });
    expect(await loadConfig({ cwd: join(dir, 'repo', 'src') })).toBeUndefined();
    expect(await loadConfig({ cwd: join(dir, 'repo') })).toBeUndefined();
    expect(await loadConfig({ cwd: join(dir, 'worktree') })).toBeUndefined();
  });

  it('reads the file at the repository root itself', async () => {
    const dir = await tree('at-root', { '.imglint.yaml': 'failOn: info\n', '.git/': '', 'a/b/c/': '' });
    expect((await loadConfig({ cwd: join(dir, 'a', 'b', 'c') }))?.config).toEqual({ failOn: 'info' });
  });

  it('returns undefined when there is none', async () => {
    const dir = await tree('none', { '.git/': '', 'sub/': '' });
    expect(await loadConfig({ cwd: join(dir, 'sub') })).toBeUndefined();
  });

  it('refuses two config files in one directory', async () => {
    const dir = await tree('two', { '.git/': '', '.imglint.yaml': '', '.imglint.json': '{}' });
    const error = await usageError(() => loadConfig({ cwd: dir }));
    expect(error.message).toBe(`${dir}: .imglint.yaml and .imglint.json are both config files; imglint reads only one`);
  });

  it('a directory named .imglint.yaml is a usage error, not silently skipped', async () => {
    const dir = await tree('config-dir', { '.git/': '', '.imglint.yaml/': '' });
    const error = await usageError(() => loadConfig({ cwd: dir }));
    expect(error.message).toBe('.imglint.yaml: is a directory, not a file');
  });

  it('an empty file is an empty configuration', async () => {
    const dir = await tree('empty', { '.git/': '', '.imglint.yaml': '# nothing yet\n' });
    expect((await loadConfig({ cwd: dir }))?.config).toEqual({});
  });
});

describe('loadConfig: --config', () => {
  it('reads the file given, relative to cwd, without discovery', async () => {
    const dir = await tree('explicit', { '.git/': '', '.imglint.yaml': 'failOn: never\n', 'ci/strict.yaml': 'failOn: warning\n' });
    const loaded = await loadConfig({ cwd: dir, explicitPath: 'ci/strict.yaml' });
    expect(loaded).toEqual({ path: join(dir, 'ci', 'strict.yaml'), displayPath: 'ci/strict.yaml', config: { failOn: 'warning' } });
  });

  it('a missing file is a usage error', async () => {
    const error = await usageError(() => loadConfig({ cwd: root, explicitPath: 'nope.yaml' }));
    expect(error.message).toBe('--config nope.yaml: no such file');
  });

  it('a directory is a usage error', async () => {
    const dir = await tree('explicit-dir', { 'conf/': '' });
    const error = await usageError(() => loadConfig({ cwd: dir, explicitPath: 'conf' }));
    expect(error.message).toBe('--config conf: is a directory, not a file');
  });

  it("--config '' is a usage error that says so, not 'is a directory'", async () => {
    const error = await usageError(() => loadConfig({ cwd: root, explicitPath: '' }));
    expect(error.message).toBe('--config needs a file path, and got an empty string');
  });

  it('a FIFO is refused at once instead of blocking the run', async () => {
    const dir = await tree('explicit-fifo', { 'x/': '' });
    execFileSync('mkfifo', [join(dir, 'config.yaml')]);
    const error = await usageError(() => loadConfig({ cwd: dir, explicitPath: 'config.yaml' }));
    expect(error.message).toBe('--config config.yaml: not a regular file');
  });

  it('a file over 1 MiB is refused before it is parsed', async () => {
    const dir = await tree('explicit-big', { 'big.yaml': `# ${'x'.repeat(1024 * 1024)}\n` });
    const error = await usageError(() => loadConfig({ cwd: dir, explicitPath: 'big.yaml' }));
    expect(error.message).toMatch(/^--config big\.yaml: \d+ bytes; a configuration file may be at most 1 MiB$/);
  });

  it('loads the example in examples/config', async () => {
    const example = fileURLToPath(new URL('../../examples/config/.imglint.yaml', import.meta.url));
    const loaded = await loadConfig({ cwd: root, explicitPath: example });
    expect(loaded?.config).toEqual({
      provider: 'aws',
      region: 'us-east-1',
      failOn: 'error',
      maxWarnings: 10,
      onUnverifiable: 'error',
      rules: { 'previous-generation': 'off', 'nvme-support': 'error' },
      ignore: [
        { rule: 'virtualization-type', image: 'ami-0e972d2890378139a', type: 't2.*', reason: 'legacy fleet, moving to HVM (OPS-1234)', expires: '2027-01-31', line: 31 },
        { rule: '*', target: 'aws_instance.legacy*', file: 'plans/*.json', reason: 'decommissioned in Q1; see OPS-1300', line: 37 },
      ],
    });
  });
});

describe('validation errors name the file, the line and the key', () => {
  it('through loadConfig, with the discovered file name', async () => {
    const dir = await tree('invalid', { '.git/': '', '.imglint.yaml': 'rules:\n  previous-generaton: off\n', 'sub/': '' });
    const error = await usageError(() => loadConfig({ cwd: join(dir, 'sub') }));
    expect(error.message).toBe(`${join('..', '.imglint.yaml')}:2: rules.previous-generaton: unknown rule id (did you mean previous-generation?)`);
    expect(error.hint).toMatch(/docs\/configuration\.md/);
  });

  const yaml = (lines: string[]) => `${lines.join('\n')}\n`;
  const messageOf = async (text: string, name = '.imglint.yaml') => (await usageError(() => parseConfig(text, name))).message;

  it.each([
    [
      'an unknown rule id in rules, with a suggestion',
      ['provider: aws', 'region: us-east-1', 'failOn: error', 'rules:', '  previous-generaton: off'],
      '.imglint.yaml:5: rules.previous-generaton: unknown rule id (did you mean previous-generation?)',
    ],
    ['an unknown rule id without a close match', ['rules:', '  no-such-thing: off'], '.imglint.yaml:2: rules.no-such-thing: unknown rule id (`imglint rules` lists them)'],
    ['an unknown rule id in an ignore', ['ignore:', '  - rule: nvme', '    reason: r'], '.imglint.yaml:2: ignore[0].rule: unknown rule id (did you mean nvme-support?)'],
    [
      'a missing reason (on the entry\'s line)',
      ['ignore:', '  - rule: boot-mode', '    reason: ok', '  - rule: virtualization-type', '    image: ami-1'],
      '.imglint.yaml:4: ignore[1].reason: required',
    ],
    ['an empty reason', ['ignore:', '  - rule: boot-mode', '    reason: "  "'], '.imglint.yaml:3: ignore[0].reason: must not be empty'],
    ['a missing rule', ['ignore:', '  - image: ami-1', '    reason: r'], '.imglint.yaml:2: ignore[0].rule: required'],
    [
      'a date that does not exist',
      ['ignore:', '  - rule: boot-mode', '    reason: r', '    expires: 2027-02-30'],
      '.imglint.yaml:4: ignore[0].expires: expected a date, YYYY-MM-DD or ISO 8601 with a time zone (got "2027-02-30")',
    ],
    [
      'a date and time without a zone',
      ['ignore:', '  - rule: boot-mode', '    reason: r', '    expires: 2027-01-31T10:00'],
      '.imglint.yaml:4: ignore[0].expires: expected a date, YYYY-MM-DD or ISO 8601 with a time zone (got "2027-01-31T10:00")',
    ],
    [
      'a bad severity, with a suggestion',
      ['rules:', '  min-ram: warn'],
      '.imglint.yaml:2: rules.min-ram: "warn" is not one of off|error|warning|info (did you mean warning?)',
    ],
    ['a bad failOn', ['failOn: critical'], '.imglint.yaml:1: failOn: "critical" is not one of error|warning|info|never'],
    ['a bad provider', ['provider: gcp'], '.imglint.yaml:1: provider: "gcp" is not one of aws|rackspace|openstack'],
    ['a negative maxWarnings', ['maxWarnings: -1'], '.imglint.yaml:1: maxWarnings: must be 0 or more (got -1)'],
    ['a string maxWarnings', ['maxWarnings: "10"'], '.imglint.yaml:1: maxWarnings: expected a number (got "10")'],
    ['an unknown top-level key, with a suggestion', ['region: us-east-1', 'failon: error'], '.imglint.yaml:2: failon: unknown key (did you mean failOn?)'],
    [
      'an unknown top-level key without a close match',
      ['colour: always'],
      '.imglint.yaml:1: colour: unknown key (expected one of provider, region, failOn, maxWarnings, onUnverifiable, rules, ignore, plans, cloudformation)',
    ],
    ['an unknown key in an ignore', ['ignore:', '  - rule: boot-mode', '    reason: r', '    typ: t2.*'], '.imglint.yaml:4: ignore[0].typ: unknown key (did you mean type?)'],
    ['ignore as a mapping', ['ignore:', '  rule: boot-mode'], '.imglint.yaml:1: ignore: expected a list (got a mapping)'],
    ['an empty ignore', ['ignore:'], '.imglint.yaml:1: ignore: expected a list (got an empty value)'],
    ['a list at the top', ['- failOn: error'], '.imglint.yaml:1: (top level): expected a mapping (got a list)'],
    [
      "'*' with no glob",
      ['ignore:', '  - rule: "*"', '    reason: everything'],
      ".imglint.yaml:2: ignore[0].rule: '*' needs at least one of image, type, target or file (to fail on nothing, set failOn: never)",
    ],
    ['a YAML syntax error', ['failOn: error', 'rules:', '  min-ram: [warning', 'region: x'], '.imglint.yaml:4: YAML syntax error: '],
    ['a duplicate key', ['failOn: error', 'region: a', 'failOn: never'], '.imglint.yaml:3: failOn: duplicate key (Map keys must be unique)'],
    [
      'an unquoted glob that starts with *',
      ['ignore:', '  - rule: boot-mode', '    type: *.micro', '    reason: r'],
      '.imglint.yaml:3: *.micro reads as a YAML alias with no anchor (quote values that start with *: "*.micro")',
    ],
    ['an unquoted *', ['ignore:', '  - rule: *', '    type: t2.micro'], '.imglint.yaml:2: YAML syntax error: Alias cannot be an empty string'],
  ])('%s', async (_, lines, expected) => {
    expect(await messageOf(yaml(lines))).toContain(expected);
  });

  it('in JSON too', async () => {
    const json = '{\n  "failOn": "error",\n  "ignore": [\n    {"rule": "boot-mode"}\n  ]\n}\n';
    expect(await messageOf(json, '.imglint.json')).toBe('.imglint.json:4: ignore[0].reason: required');
    expect(await messageOf('{\n  "failOn": "error"\n  "region": "x"\n}\n', '.imglint.json')).toMatch(/^\.imglint\.json:3: YAML syntax error: /);
  });

  it('refuses a file whose aliases expand without bound', async () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]'];
    lines.push('c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]');
    expect(await messageOf(yaml(lines))).toMatch(/^\.imglint\.yaml: Excessive alias count/);
  });

  it('reads 400 KB of aliases in linear time: refused for their number, quickly', async () => {
    const lines = ['a0: &a0 [x]', ...Array.from({ length: 20_000 }, (_, i) => `a${i + 1}: &a${i + 1} [*a${i}]`)];
    expect(yaml(lines).length).toBeGreaterThan(400_000);
    expect(await messageOf(yaml(lines))).toBe('.imglint.yaml: 20000 YAML aliases; a configuration file may have at most 100');
  });

  it('says a deeply nested file is nested too deeply, not "Maximum call stack size exceeded"', async () => {
    const message = await messageOf(`rules: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`);
    expect(message).toBe('.imglint.yaml:1: nested too deeply for a configuration file');
  });

  it('finds a duplicate key among thousands without comparing every pair', async () => {
    const lines = ['ignore:', ...Array.from({ length: 5_000 }, (_, i) => `  - {rule: architecture, image: ami-${i}, reason: r}`), 'failOn: error', 'failOn: never'];
    expect(await messageOf(yaml(lines))).toBe('.imglint.yaml:5003: failOn: duplicate key (Map keys must be unique)');
  });

  it('lists the first three problems in line order, then counts the rest', async () => {
    const text = yaml(['failon: error', 'rules:', '  min-ram: warn', '  nope: off', 'maxWarnings: -1', 'colour: always']);
    expect(await messageOf(text)).toBe(
      '.imglint.yaml:1: failon: unknown key (did you mean failOn?); ' +
        '.imglint.yaml:3: rules.min-ram: "warn" is not one of off|error|warning|info (did you mean warning?); ' +
        '.imglint.yaml:4: rules.nope: unknown rule id (`imglint rules` lists them); and 2 more problems',
    );
  });
});

describe('parseConfig: values', () => {
  it('keeps YAML 1.2 scalars as written: off and dates stay strings', () => {
    const config = parseConfig('rules:\n  previous-generation: off\nignore:\n  - rule: boot-mode\n    reason: r\n    expires: 2027-01-31\n', 'x');
    expect(config).toEqual({ rules: { 'previous-generation': 'off' }, ignore: [{ rule: 'boot-mode', reason: 'r', expires: '2027-01-31', line: 4 }] });
  });

  it('accepts a byte-order mark, CRLF line ends and anchors', () => {
    const text = '\uFEFFregion: &r us-east-1\r\nignore:\r\n  - rule: boot-mode\r\n    reason: *r\r\n';
    expect(parseConfig(text, 'x')).toEqual({ region: 'us-east-1', ignore: [{ rule: 'boot-mode', reason: 'us-east-1', line: 3 }] });
  });
});

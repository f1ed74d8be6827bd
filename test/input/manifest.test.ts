/** imglint.yaml (YAML or JSON) → targets; every mistake is an InputError naming the file, the line and the key. */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { parseManifest, readManifest } from '../../src/input/manifest/manifest.js';
import type { TargetRequest } from '../../src/model/target.js';
import { inputError } from '../support/errors.js';
import { useTempDir } from '../support/temp-dir.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('examples/manifest/imglint.yaml', () => {
  it('reads every target, with image files resolved against the manifest directory', async () => {
    const file = 'examples/manifest/imglint.yaml';
    const cwd = process.cwd();
    process.chdir(repoRoot);
    let targets: TargetRequest[];
    try {
      targets = await readManifest(file);
    } finally {
      process.chdir(cwd);
    }
    const at = (line: number, address: string) => ({ file, line, address });
    expect(targets).toEqual<TargetRequest[]>([
      { provider: 'aws', region: 'us-east-1', imageFile: 'examples/aws/ami-0e972d2890378139a.json', type: 't2.micro', source: at(5, 'legacy-batch') },
      { provider: 'aws', region: 'us-east-1', imageFile: 'examples/aws/ami-0006118602dfc1c09.json', type: 't3.micro', source: at(11, 'api') },
      { provider: 'aws', region: 'us-east-1', imageFile: 'examples/aws/ami-04fc404d256fd34a2.json', type: 'm6g.large', source: at(17, 'graviton-workers') },
      {
        provider: 'rackspace',
        region: 'IAD',
        imageFile: 'examples/rackspace/ubuntu-14.04-pv.json',
        type: 'general1-1',
        launch: { diskConfig: 'AUTO' },
        source: at(24, 'rs-web'),
      },
      {
        provider: 'rackspace',
        region: 'IAD',
        imageFile: 'examples/rackspace/centos-7-pvhvm.json',
        type: 'compute1-4',
        launch: { bootFromVolume: true, volumeSizeGiB: 50 },
        source: at(31, 'rs-db'),
      },
      {
        provider: 'rackspace',
        region: 'IAD',
        imageFile: 'examples/rackspace/centos-7-pvhvm.json',
        type: 'general1-1',
        launch: { diskConfig: 'AUTO' },
        source: at(39, 'rs-app'),
      },
      { provider: 'rackspace', region: 'IAD', imageFile: 'examples/rackspace/windows-server-2012.json', type: 'general1-1', source: at(46, 'rs-windows') },
    ]);
    // The example runs as written: every image file it names exists.
    for (const target of targets) expect(existsSync(path.join(repoRoot, target.imageFile!)), target.imageFile).toBe(true);
  });
});

describe('parseManifest', () => {
  it('reads a bare list, with each entry starting line', () => {
    const text = '# checked in CI\n- provider: aws\n  image: ami-1\n  type: t3.micro\n-\n  provider: openstack\n  image: CentOS 7\n  flavor: m1.small\n';
    expect(parseManifest(text, 'm.yaml').targets).toEqual([
      { provider: 'aws', image: 'ami-1', type: 't3.micro', source: { file: 'm.yaml', line: 2 } },
      { provider: 'openstack', image: 'CentOS 7', type: 'm1.small', source: { file: 'm.yaml', line: 6 } },
    ]);
  });

  it('reads JSON, as an object or a bare list', () => {
    const object = '{\n  "targets": [\n    {"provider": "aws", "image": "ami-1", "type": "t3.micro", "name": "a"},\n    {"provider": "rackspace", "imageFile": "img.json", "flavor": "general1-1"}\n  ]\n}\n';
    expect(parseManifest(object, 'ci/imglint.json').targets).toEqual([
      { provider: 'aws', image: 'ami-1', type: 't3.micro', source: { file: 'ci/imglint.json', line: 3, address: 'a' } },
      { provider: 'rackspace', imageFile: 'ci/img.json', type: 'general1-1', source: { file: 'ci/imglint.json', line: 4 } },
    ]);
    expect(parseManifest('[{"provider": "aws", "image": "ami-1", "type": "t3.micro"}]', 'l.json').targets).toHaveLength(1);
    const error = inputError(() => parseManifest('{"targets": [\n  {"provider": "aws", "image": "ami-1",\n   "type": 5}]}', 'x.json'));
    expect(error.message).toBe('x.json:3: targets[0].type: expected string (got 5)');
  });

  it('resolves a relative imageFile against the manifest directory and keeps an absolute one', () => {
    const text = 'targets:\n  - {provider: aws, imageFile: ../images/ami.json, type: t3.micro}\n  - {provider: aws, imageFile: /srv/ami.json, type: t3.micro}\n';
    expect(parseManifest(text, 'deploy/imglint.yaml').targets.map((t) => t.imageFile)).toEqual(['images/ami.json', '/srv/ami.json']);
    expect(parseManifest(text, '/repo/deploy/imglint.yaml').targets.map((t) => t.imageFile)).toEqual(['/repo/images/ami.json', '/srv/ami.json']);
    expect(parseManifest(text, 'imglint.yaml').targets.map((t) => t.imageFile)).toEqual(['../images/ami.json', '/srv/ami.json']);
  });

  it('leaves x- keys alone (a place for anchors) and ignores a byte-order mark', () => {
    const text = '\uFEFFx-types:\n  small: &small t3.micro\ntargets:\n  - {provider: aws, image: ami-1, type: *small}\n';
    expect(parseManifest(text, 'imglint.yaml').targets).toEqual([{ provider: 'aws', image: 'ami-1', type: 't3.micro', source: { file: 'imglint.yaml', line: 4 } }]);
  });
});

describe('parseManifest errors name the file, the line and the key', () => {
  it('an unknown provider', () => {
    const text = [
      'targets:',
      '  - provider: aws',
      '    image: ami-1',
      '    type: t3.micro',
      '  - {provider: aws, image: ami-2, type: t3.small}',
      '  - image: img-1',
      '    provider: azure',
      '    type: Standard_B1s',
    ].join('\n');
    const error = inputError(() => parseManifest(text, 'imglint.yaml'));
    expect(error.code).toBe('InvalidManifest');
    expect(error.kind).toBe('input');
    expect(error.message).toBe('imglint.yaml:7: targets[2].provider: expected one of aws|rackspace|openstack (got "azure")');
    expect(error.hint).toContain('examples/manifest/README.md');
  });

  it.each([
    ['a misspelt key', '- provider: aws\n  imagefile: a.json\n  type: t3.micro\n', 'm.yaml:1: [0]: needs image or imageFile; m.yaml:2: [0].imagefile: unknown key (did you mean imageFile?)'],
    ['an unknown key', '- provider: aws\n  image: ami-1\n  type: t3.micro\n  color: blue\n', 'm.yaml:4: [0].color: unknown key (expected one of name|provider|region|image|imageFile|type|flavor|flavorFile|diskConfig|bootFromVolume|volumeSize|admin)'],
    ['no type', '- name: web\n  provider: aws\n  image: ami-1\n', 'm.yaml:1: [0]: needs type (or flavor)'],
    ['image and imageFile', '- provider: aws\n  image: ami-1\n  imageFile: a.json\n  type: t3.micro\n', 'm.yaml:3: [0].imageFile: give image or imageFile, not both'],
    ['type and flavor', '- provider: rackspace\n  image: x\n  type: a\n  flavor: b\n', 'm.yaml:4: [0].flavor: give type or flavor, not both'],
    ['an empty value', '- provider: aws\n  image: ""\n  type: t3.micro\n', 'm.yaml:2: [0].image: must not be empty (got "")'],
    ['a bad diskConfig', '- {provider: rackspace, image: x, type: y,\n   diskConfig: auto}\n', 'm.yaml:2: [0].diskConfig: expected one of AUTO|MANUAL (got "auto")'],
    ['a Nova option on AWS', '- provider: aws\n  image: ami-1\n  type: t3.micro\n  bootFromVolume: true\n', 'm.yaml:4: [0].bootFromVolume: applies to rackspace and openstack only'],
    ['volumeSize without bootFromVolume', '- provider: openstack\n  image: x\n  type: y\n  volumeSize: 20\n', 'm.yaml:4: [0].volumeSize: needs bootFromVolume: true'],
    ['a volumeSize of 0', '- {provider: openstack, image: x, type: y, bootFromVolume: true,\n   volumeSize: 0}\n', 'm.yaml:2: [0].volumeSize: must be more than 0 (GiB) (got 0)'],
    ['a misspelt top-level key', 'target:\n  - provider: aws\n', 'm.yaml:1: target: unknown key (did you mean targets?)'],
    ['another top-level key', 'rules:\n  min-ram: off\ntargets:\n  - {provider: aws, image: a, type: b}\n', 'm.yaml:1: rules: unknown key (expected one of targets|plans|cloudformation|x-...)'],
    ['nothing to check', 'x-note: nothing yet\n', 'm.yaml:1: (root): needs targets, plans or cloudformation'],
    ['an empty list', 'targets: []\n', 'm.yaml:1: targets: expected at least 1 item(s)'],
    ['a scalar document', 'imglint\n', 'm.yaml:1: (root): expected object (got "imglint")'],
  ])('%s', (_, text, message) => {
    const error = inputError(() => parseManifest(text, 'm.yaml'));
    expect(error.code).toBe('InvalidManifest');
    expect(error.message).toBe(message);
  });

  it('spells out the first three problems in line order and counts the rest', () => {
    const text = 'targets:\n  - {}\n  - provider: gcp\n    image: a\n    type: b\n  - provider: aws\n    image: a\n    type: b\n    zone: a\n    os: linux\n  - provider: azure\n';
    expect(inputError(() => parseManifest(text, 'm.yaml')).message).toBe(
      'm.yaml:2: targets[0].provider: missing (expected one of aws|rackspace|openstack); ' +
        'm.yaml:3: targets[1].provider: expected one of aws|rackspace|openstack (got "gcp"); ' +
        'm.yaml:9: targets[2].zone: unknown key (expected one of name|provider|region|image|imageFile|type|flavor|flavorFile|diskConfig|bootFromVolume|volumeSize|admin); ' +
        'and 2 more problems',
    );
  });

  it('an empty file', () => {
    for (const text of ['', '# nothing yet\n']) {
      expect(inputError(() => parseManifest(text, 'm.yaml')).message).toBe('m.yaml: empty manifest: expected `targets:`, `plans:` or `cloudformation:` and a list');
    }
  });

  it('YAML that does not parse is MalformedManifest, with line and column', () => {
    const error = inputError(() => parseManifest('targets:\n  - provider: aws\n    image: [ami-1\n', 'm.yaml'));
    expect(error.code).toBe('MalformedManifest');
    expect(error.message).toMatch(/^m\.yaml:\d+:\d+: not valid YAML: \S.*$/);
    expect(error.message).not.toContain('\n');
    const duplicate = inputError(() => parseManifest('- provider: aws\n  provider: rackspace\n', 'm.yaml'));
    expect(duplicate.message).toBe('m.yaml:2:3: not valid YAML: Map keys must be unique');
  });

  it('refuses alias expansion bombs', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefg'[i]}`).join(', ')}]`), 'targets: []'].join('\n');
    const error = inputError(() => parseManifest(bomb, 'm.yaml'));
    expect(error.code).toBe('MalformedManifest');
    expect(error.message).toMatch(/^m\.yaml:\d+: aliases expand to more than 100000 nodes/);
  });
});

describe('readManifest', () => {
  const dir = useTempDir('imglint-manifest-');

  it('resolves image files against the directory of the manifest, not the working directory', async () => {
    const file = path.join(dir(), 'imglint.yaml');
    await writeFile(file, 'targets:\n  - provider: aws\n    imageFile: images/ami.json\n    type: t3.micro\n');
    const [target] = await readManifest(file);
    expect(target!.imageFile).toBe(path.join(dir(), 'images', 'ami.json'));
    expect(target!.source).toEqual({ file, line: 2 });
  });

  it('a missing file is UnreadableManifest', async () => {
    const error = await readManifest(path.join(dir(), 'nope.yaml')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ code: 'UnreadableManifest', message: `${path.join(dir(), 'nope.yaml')}: cannot read the manifest (ENOENT)` });
  });
});

describe('plans and templates named by a manifest', () => {
  it('parses plans: and cloudformation: with their paths relative to the manifest', () => {
    const text = [
      'plans:',
      '  - plan: ../plans/prod.json',
      '    sourceDir: ../terraform',
      '  - plan: /srv/plan.json',
      'cloudformation:',
      '  - template: stacks/app.yaml',
      '    region: eu-west-1',
      '    parameters: {Environment: prod}',
    ].join('\n');
    expect(parseManifest(text, 'deploy/imglint.yaml')).toEqual({
      targets: [],
      plans: [{ plan: 'plans/prod.json', sourceDir: 'terraform' }, { plan: '/srv/plan.json' }],
      templates: [{ template: 'deploy/stacks/app.yaml', region: 'eu-west-1', parameters: { Environment: 'prod' } }],
    });
  });

  it.each([
    ['a misspelt plan key', 'plans:\n  - plna: p.json\n', 'm.yaml:2: plans[0].plan: missing (expected string); m.yaml:2: plans[0].plna: unknown key (did you mean plan?)'],
    ['a template without a path', 'cloudformation:\n  - region: us-east-1\n', 'm.yaml:2: cloudformation[0].template: missing (expected string)'],
    ['a template key that is not one', 'cloudformation:\n  - template: t.yaml\n    parameter: {A: b}\n', 'm.yaml:3: cloudformation[0].parameter: unknown key (did you mean parameters?)'],
    ['a number as a parameter value', 'cloudformation:\n  - template: t.yaml\n    parameters:\n      Count: 2\n', 'm.yaml:4: cloudformation[0].parameters.Count: expected string (got 2)'],
    ['plan: for plans:', 'plan:\n  - plan: p.json\n', 'm.yaml:1: plan: unknown key (did you mean plans?)'],
    ['an empty list of plans', 'plans: []\n', 'm.yaml:1: plans: expected at least 1 item(s)'],
  ])('%s', (_, text, message) => {
    const error = inputError(() => parseManifest(text, 'm.yaml'));
    expect(error.code).toBe('InvalidManifest');
    expect(error.message).toBe(message);
  });

  it('readManifest reads examples/manifest/deployment.yaml: its targets, then the plan and the template, at their own lines', async () => {
    const file = 'examples/manifest/deployment.yaml';
    const cwd = process.cwd();
    process.chdir(repoRoot);
    let targets: TargetRequest[];
    let dev: TargetRequest[];
    try {
      targets = await readManifest(file);
      dev = await readManifest(file, { parameters: { Environment: 'dev' } });
    } finally {
      process.chdir(cwd);
    }
    const where = (target: TargetRequest) => `${target.source?.file}:${target.source?.line} ${target.source?.address}`;
    expect(targets[0]).toMatchObject({ provider: 'rackspace', type: 'general1-1', source: { file, line: 15, address: 'rs-app' } });
    const files = targets.map((target) => target.source?.file);
    // Every launch of the plan (examples/terraform/README.md: 12) points at main.tf, of the template at template.yaml.
    expect(files.filter((name) => name === 'examples/terraform/every-launch/main.tf')).toHaveLength(12);
    expect(targets.filter((target) => target.source?.file === 'examples/cloudformation/template.yaml').map(where)).toEqual([
      'examples/cloudformation/template.yaml:45 WebGroup',
      'examples/cloudformation/template.yaml:45 WebGroup',
      'examples/cloudformation/template.yaml:45 WebGroup',
      'examples/cloudformation/template.yaml:64 FlexGroup',
      'examples/cloudformation/template.yaml:86 LegacyGroup',
      'examples/cloudformation/template.yaml:94 BatchFleet',
      'examples/cloudformation/template.yaml:94 BatchFleet',
      'examples/cloudformation/template.yaml:108 Bastion',
      'examples/cloudformation/template.yaml:114 Tools',
    ]);
    expect(files.slice(1, 12).every((name) => name === 'examples/terraform/every-launch/main.tf')).toBe(true);
    // The entry's region is AWS::Region (the mapping's AMI); its parameters, then --parameter, decide the types.
    const web = (from: TargetRequest[]) => from.find((target) => target.source?.address === 'WebGroup')!;
    expect(web(targets)).toMatchObject({ region: 'us-east-1', image: 'ami-0006118602dfc1c09', type: 'c5.large' });
    expect(web(dev).type).toBe('t3.small');
  });
});

import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Report } from '../../src/model/index.js';
import { hasStackTrace, runCliAsync, type CliRun } from '../cli/run-cli.js';
import type { OpenStackEndpoint } from './openstack-endpoint.js';

/**
 * The built CLI against a local Rackspace-compatible endpoint (`./openstack-endpoint.ts`: real Identity v2.0, Nova and
 * Glance captures on 127.0.0.1), configured the way a user would: `OS_AUTH_URL=<endpoint>/v2.0` with `RAX_USERNAME` /
 * `RAX_API_KEY` (or `OS_USERNAME` / `OS_PASSWORD` / `OS_PROJECT_NAME` for `--provider openstack`).
 */

const title = 'imglint check against a local Rackspace endpoint (OS_AUTH_URL)';

const ONMETAL_FILE = 'examples/rackspace/onmetal-ubuntu-14.04.json';
const ONMETAL_ID = 'fb508530-2500-4a30-a947-038491df2bb5';
const UNKNOWN_ID = '0e0e0e0e-0000-4000-8000-000000000404';
const TOKENS_PATH = '/v2.0/tokens';

/** Whatever OpenStack / Rackspace settings the machine has are blanked (empty values count as unset). */
const BLANK: Record<string, string> = Object.fromEntries(
  [
    'OS_AUTH_URL', 'OS_CLOUD', 'OS_CLIENT_CONFIG_FILE', 'OS_USERNAME', 'OS_PASSWORD', 'OS_PROJECT_NAME', 'OS_PROJECT_ID',
    'OS_TENANT_NAME', 'OS_TENANT_ID', 'OS_USER_DOMAIN_NAME', 'OS_USER_DOMAIN_ID', 'OS_PROJECT_DOMAIN_NAME', 'OS_PROJECT_DOMAIN_ID',
    'OS_REGION_NAME', 'OS_INTERFACE', 'OS_ENDPOINT_TYPE', 'OS_IDENTITY_API_VERSION', 'OS_APPLICATION_CREDENTIAL_ID',
    'OS_APPLICATION_CREDENTIAL_SECRET', 'RAX_USERNAME', 'RAX_API_KEY', 'RAX_REGION',
  ].map((name) => [name, '']),
);

let endpoint: OpenStackEndpoint;
let fx: typeof import('./openstack-endpoint.js');

const raxEnv = (overrides: Record<string, string> = {}) => ({
  ...BLANK,
  OS_AUTH_URL: endpoint.authUrl,
  RAX_USERNAME: fx.USERNAME,
  RAX_API_KEY: fx.API_KEY,
  ...overrides,
});

/** The first file named `name` under `dir`, at any depth. */
function findFile(dir: string, name: string): string | undefined {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name === name) return path.join(entry.parentPath, entry.name);
  }
  return undefined;
}

/** Requests after authentication: everything but token requests. */
const serviceCalls = () => endpoint.log.filter((request) => request.path !== TOKENS_PATH);
const tokenCalls = () => endpoint.log.filter((request) => request.path === TOKENS_PATH);
const flavorsPath = '/iad/servers/v2/929418/flavors/detail';
const imagePath = (id: string) => `/iad/images/v2/images/${id}`;

async function rackspace(args: readonly string[], env: Record<string, string> = raxEnv()): Promise<CliRun> {
  return runCliAsync(['check', '--provider', 'rackspace', '--region', 'IAD', ...args], env);
}

/** One image x one flavor, JSON report: the rule IDs (sorted) and the findings by rule. */
async function checkJson(args: readonly string[], env?: Record<string, string>, provider: 'rackspace' | 'openstack' = 'rackspace') {
  const run =
    provider === 'rackspace'
      ? await rackspace([...args, '--format', 'json'], env)
      : await runCliAsync(['check', '--provider', 'openstack', ...args, '--format', 'json'], env);
  expect(run.stderr).toBe('');
  const report = Report.parse(JSON.parse(run.stdout));
  expect(report.results).toHaveLength(1);
  const result = report.results[0]!;
  const finding = (ruleId: string) => {
    const found = result.findings.find((candidate) => candidate.ruleId === ruleId);
    expect(found, `finding ${ruleId}`).toBeDefined();
    return found!;
  };
  return { run, report, result, rules: result.findings.map((f) => f.ruleId).sort(), finding };
}

describe(title, () => {
  beforeAll(async () => {
    fx = await import('./openstack-endpoint.js');
    endpoint = await fx.startOpenStackEndpoint();
  });
  afterAll(() => endpoint?.close());
  beforeEach(() => endpoint.reset());

  // No test here reads the request log or sets a switch: they run concurrently.
  describe.concurrent('Rackspace rules on live flavors and images', () => {
    const BFV_40 = ['--boot-from-volume', '--volume-size', '40'];
    it.each([
      ['compute1-8', BFV_40, 'compute1'],
      ['memory1-15', BFV_40, 'memory1'],
      ['io1-15', [], 'io1'],
    ])('a PV image on %s: flavor-class and virtualization-type, exit 1', async (flavor, extra, flavorClass) => {
      const { run, rules, finding } = await checkJson(['--image', fx.IMAGES.ubuntuPv, '--flavor', flavor, ...extra]);
      expect(rules).toEqual(['flavor-class', 'virtualization-type']);
      for (const ruleId of rules) {
        expect(finding(ruleId).providerError).toMatchObject({ code: '400', message: 'Image cannot be built with provided flavor' });
      }
      expect(finding('flavor-class').message).toBe(
        `Image ${fx.IMAGES.ubuntuPv} has flavor_classes "*,!io1,!memory1,!compute1,!onmetal", which excludes class ${flavorClass}; flavor ${flavor} is class ${flavorClass}`,
      );
      expect(finding('virtualization-type').message).toContain('is PV (vm_mode xen)');
      expect(run.status).toBe(1);
    });

    it('the same PV image passes on general1-1, even with --disk-config AUTO (auto_disk_config True)', async () => {
      const { run, result } = await checkJson(['--image', fx.IMAGES.ubuntuPv, '--flavor', 'general1-1', '--disk-config', 'AUTO']);
      expect(result).toMatchObject({ verdict: 'pass', findings: [] });
      expect(run.status).toBe(0);
    });

    it('a PVHVM image with auto_disk_config disabled: AUTO fails auto-disk-config, MANUAL passes', async () => {
      const id = fx.IMAGES.centos7;
      const auto = await checkJson(['--image', id, '--flavor', 'general1-1', '--disk-config', 'AUTO']);
      expect(auto.rules).toEqual(['auto-disk-config']);
      expect(auto.finding('auto-disk-config').providerError).toEqual({ code: '400', message: `Requested image ${id} has automatic disk resize disabled.` });
      expect(auto.result.target.launch).toEqual({ diskConfig: 'AUTO' });
      expect(auto.run.status).toBe(1);

      const manual = await checkJson(['--image', id, '--flavor', 'general1-1', '--disk-config', 'MANUAL']);
      expect(manual.result).toMatchObject({ verdict: 'pass', findings: [] });
      expect(manual.run.status).toBe(0);
    });

    it('compute1-4 (disk 0): an image boot fails zero-disk-flavor (403); a 40 GiB boot volume passes', async () => {
      const image = await checkJson(['--image', fx.IMAGES.centos7, '--flavor', 'compute1-4']);
      expect(image.rules).toEqual(['zero-disk-flavor']);
      expect(image.finding('zero-disk-flavor').providerError).toEqual({ code: '403', message: 'Only volume-backed servers are allowed for flavors with zero disk.' });
      expect(image.run.status).toBe(1);

      const volume = await checkJson(['--image', fx.IMAGES.centos7, '--flavor', 'compute1-4', ...BFV_40]);
      expect(volume.result).toMatchObject({ verdict: 'pass', findings: [] });
      expect(volume.run.status).toBe(0);
    });

    it('a min_disk 40 Windows image on a 30 GiB boot volume (memory1-15) fails volume-size', async () => {
      const { run, rules, finding } = await checkJson(['--image', fx.IMAGES.windows2012, '--flavor', 'memory1-15', '--boot-from-volume', '--volume-size', '30']);
      expect(rules).toEqual(['volume-size']);
      expect(finding('volume-size').providerError).toEqual({
        code: '400',
        message: 'Volume is smaller than the minimum size specified in image metadata. Volume size is 32212254720 bytes, minimum size is 42949672960 bytes.',
      });
      expect(run.status).toBe(1);
    });

    it('RAM and disk minimums: Windows on general1-1 (20 GiB) fails min-disk; SharePoint (min_ram 8192) on general1-4 fails min-ram', async () => {
      const disk = await checkJson(['--image', fx.IMAGES.windows2012, '--flavor', 'general1-1']);
      expect(disk.rules).toEqual(['min-disk']);
      expect(disk.finding('min-disk').providerError).toEqual({
        code: '400',
        message: "Flavor's disk is smaller than the minimum size specified in image metadata. Flavor disk is 21474836480 bytes, minimum size is 42949672960 bytes.",
      });
      expect(disk.finding('min-disk').alternatives?.[0]).toBe('general1-2');
      expect(disk.run.status).toBe(1);

      const ram = await checkJson(['--image', fx.IMAGES.sharePoint, '--flavor', 'general1-4']);
      expect(ram.rules).toEqual(['min-ram']);
      expect(ram.finding('min-ram').providerError).toEqual({ code: '400', message: "Flavor's memory is too small for requested image." });
      expect(ram.finding('min-ram').message).toBe(`Image ${fx.IMAGES.sharePoint} needs 8192 MiB of RAM (min_ram); flavor general1-4 has 4096 MiB`);
      expect(ram.run.status).toBe(1);
    });

    it('a queued image fails image-state', async () => {
      const id = fx.VARIANTS.queued;
      const { run, rules, finding } = await checkJson(['--image', id, '--flavor', 'general1-1']);
      expect(rules).toEqual(['image-state']);
      expect(finding('image-state').providerError).toEqual({ code: '400', message: `Image ${id} is not active.` });
      expect(run.status).toBe(1);
    });

    it('the 2021 Debian 10 image (*,!onmetal,!onmetal2) passes on general1-1 and fails on onmetal-io1', async () => {
      const general = await checkJson(['--image', fx.IMAGES.debian10, '--flavor', 'general1-1']);
      expect(general.result).toMatchObject({ verdict: 'pass', imageName: 'Debian 10 (Buster) (PVHVM)' });
      expect(general.run.status).toBe(0);
      const metal = await checkJson(['--image', fx.IMAGES.debian10, '--flavor', 'onmetal-io1']);
      expect(metal.rules).toEqual(['flavor-class']);
      expect(metal.run.status).toBe(1);
    });
  });

  describe('image lookup', () => {
    it('OnMetal: the OnMetal image (--image-file) on general1-1, and a PVHVM image on onmetal-compute1, fail flavor-class', async () => {
      const metal = await checkJson(['--image-file', ONMETAL_FILE, '--flavor', 'general1-1']);
      expect(metal.rules).toEqual(['flavor-class']);
      expect(metal.finding('flavor-class').message).toContain('has flavor_classes "onmetal", which does not list class general1');
      expect(metal.finding('flavor-class').alternatives).toEqual(['onmetal-compute1', 'onmetal-io1', 'onmetal-memory1']);
      expect(metal.run.status).toBe(1);
      // The image came from the file: Nova's flavor list is the only call.
      expect(serviceCalls().map((request) => request.path)).toEqual([flavorsPath]);

      const pvhvm = await checkJson(['--image', fx.IMAGES.centos7, '--flavor', 'onmetal-compute1']);
      expect(pvhvm.rules).toEqual(['flavor-class']);
      expect(pvhvm.finding('flavor-class').message).toContain('has flavor_classes "*,!onmetal", which excludes class onmetal');
      expect(pvhvm.run.status).toBe(1);
    });

    it('an image by name resolves to its ID with one Glance ?name= call (region matched without case)', async () => {
      const { run, result } = await checkJson(['--image', 'CentOS 7 (PVHVM)', '--flavor', 'general1-1', '--region', 'iad']);
      expect(result.target).toMatchObject({ image: fx.IMAGES.centos7, region: 'IAD', type: 'general1-1' });
      expect(result.imageName).toBe('CentOS 7 (PVHVM)');
      expect(run.status).toBe(0);
      const glance = serviceCalls().filter((request) => request.path.startsWith('/iad/images/'));
      expect(glance).toHaveLength(1);
      const query = new URL(glance[0]!.path, 'http://x').searchParams;
      expect(query.get('name')).toBe('CentOS 7 (PVHVM)');
    });

    it("matrix --flavor --owner self: the project's own images (any visibility) against one flavor, in one Glance listing", async () => {
      // A snapshot of the tenant's shared with another project: Glance's default visibility since Pike is `shared`.
      const snapshot = endpoint.images.get(fx.IMAGES.snapshot)!;
      const sharedId = '474a827e-e28e-4764-9852-00000000a0f1';
      endpoint.images.set(sharedId, { ...snapshot, id: sharedId, name: `${snapshot.name as string} [imglint test: shared]`, visibility: 'shared', self: `/v2/images/${sharedId}` });
      const run = await runCliAsync(['matrix', '--provider', 'rackspace', '--region', 'IAD', '--flavor', 'io1-15', '--owner', 'self', '--format', 'json'], raxEnv());
      expect(run.stderr).toBe('');
      const document = JSON.parse(run.stdout) as { kind: string; summary: { images: number }; compatible: { image: string }[]; incompatible: { image: string; blockedBy: string[] }[] };
      expect(document.kind).toBe('type-matrix');
      const ownIds = [...endpoint.images.values()].filter((image) => image.owner === fx.TENANT).map((image) => image.id);
      expect(ownIds).toContain(sharedId);
      const listed = [...document.compatible, ...document.incompatible].map((entry) => entry.image);
      expect(listed.sort()).toEqual([...ownIds].sort());
      expect(document.summary.images).toBe(ownIds.length);
      // The snapshot of the PV image takes its base's flavor_classes: io1 is refused.
      expect(document.incompatible.find((entry) => entry.image === fx.VARIANTS.snapshotOfPv)?.blockedBy).toContain('flavor-class');
      // One listing, by the tenant id of the token (access.token.tenant.id of the 2016 capture), without a visibility.
      const listings = serviceCalls().filter((request) => request.path.includes('/v2/images?'));
      expect(listings.map((request) => Object.fromEntries(new URL(request.path, 'http://x').searchParams))).toEqual([{ owner: fx.TENANT }]);
    });

    it('a name two images share exits 2 listing both IDs', async () => {
      // The Cloud Images docs' own CentOS 7 (PVHVM) example, a different image under the same name.
      const docsExample = fx.readRackspaceJson('images/glance_v2_image_centos7_pvhvm_2015.json');
      endpoint.images.set(docsExample.id as string, docsExample);
      const run = await rackspace(['--image', 'CentOS 7 (PVHVM)', '--flavor', 'general1-1']);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(`2 images in IAD are named "CentOS 7 (PVHVM)": ${fx.IMAGES.centos7}, ${docsExample.id as string}`);
      expect(hasStackTrace(run.stderr)).toBe(false);
    });

    it("follows Glance's next link when more images share a name than one page holds (limit 25)", async () => {
      const debian = endpoint.images.get(fx.IMAGES.debian10)!;
      const clones = Array.from({ length: 25 }, (_, n) => `cc45237e-27d1-4592-aa0a-${String(n).padStart(12, '0')}`);
      for (const id of clones) endpoint.images.set(id, { ...debian, id, self: `/v2/images/${id}` });
      const run = await rackspace(['--image', 'Debian 10 (Buster) (PVHVM)', '--flavor', 'general1-1']);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('26 images in IAD are named "Debian 10 (Buster) (PVHVM)"');
      const pages = serviceCalls().filter((request) => request.path.startsWith('/iad/images/'));
      expect(pages.map((request) => new URL(request.path, 'http://x').searchParams.get('marker'))).toEqual([null, clones.at(-2)]);
    });

    it('an unknown image ID, and an unknown name, exit 2 naming them', async () => {
      const byId = await rackspace(['--image', UNKNOWN_ID, '--flavor', 'general1-1']);
      expect(byId.status).toBe(2);
      expect(byId.stderr).toContain(`image ${UNKNOWN_ID} not found in IAD`);
      expect(endpoint.log.find((request) => request.path === imagePath(UNKNOWN_ID))?.status).toBe(404);
      expect(hasStackTrace(byId.stderr)).toBe(false);

      const byName = await rackspace(['--image', 'CentOS 9 (PVHVM)', '--flavor', 'general1-1']);
      expect(byName.status).toBe(2);
      expect(byName.stderr).toContain('image CentOS 9 (PVHVM) not found in IAD');
    });

    it('an unknown flavor exits 2 naming it, with the close matches', async () => {
      const run = await rackspace(['--image', fx.IMAGES.centos7, '--flavor', 'general1-3']);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('flavor general1-3 not found in IAD');
      expect(run.stderr).toMatch(/hint: .*general1-2/);
      expect(hasStackTrace(run.stderr)).toBe(false);
    });

    it('a snapshot without flavor_classes takes its base image\'s: one extra Glance call', async () => {
      const id = fx.VARIANTS.snapshotOfPv;
      const { run, rules, finding } = await checkJson(['--image', id, '--flavor', 'io1-15']);
      // The snapshot runs its PV base image's kernel: vm_mode comes from the base too.
      expect(rules).toEqual(['flavor-class', 'virtualization-type']);
      expect(finding('flavor-class').message).toBe(
        `Image ${id} has flavor_classes "*,!io1,!memory1,!compute1,!onmetal" (from its base image ${fx.IMAGES.ubuntuPv}), which excludes class io1; flavor io1-15 is class io1`,
      );
      expect(run.status).toBe(1);
      expect(serviceCalls().map((request) => request.path).sort()).toEqual([flavorsPath, imagePath(fx.IMAGES.ubuntuPv), imagePath(id)].sort());
    });

    it('a snapshot whose base image is gone (404) falls back to the inferred classes', async () => {
      const id = fx.IMAGES.snapshot;
      const io = await checkJson(['--image', id, '--flavor', 'io1-15']);
      expect(io.result.verdict).toBe('pass');
      expect(io.run.status).toBe(0);
      expect(endpoint.log.find((request) => request.path === imagePath('7b8abc3f-5fd2-4d02-9e9a-16d43fc7128e'))?.status).toBe(404);

      const metal = await checkJson(['--image', id, '--flavor', 'onmetal-compute1']);
      expect(metal.rules).toEqual(['flavor-class']);
      expect(metal.finding('flavor-class').message).toContain('(verdict inferred)');
      expect(metal.run.status).toBe(1);
    });
  });

  describe('request budget', () => {
    it('one pair with a base image: one token request, then exactly 2 calls (flavors + image), all with X-Auth-Token', async () => {
      await checkJson(['--image', fx.IMAGES.ubuntuPv, '--flavor', 'io1-15']);
      expect(tokenCalls()).toEqual([{ method: 'POST', path: TOKENS_PATH, token: false, status: 200, credentials: 'apiKey' }]);
      expect(serviceCalls().map((request) => `${request.method} ${request.path} ${request.token} ${request.status}`).sort()).toEqual(
        [`GET ${flavorsPath} true 200`, `GET ${imagePath(fx.IMAGES.ubuntuPv)} true 200`].sort(),
      );
      expect(endpoint.log.some((request) => request.path.includes('/v1.0/'))).toBe(false);
    });

    it('2 images x 3 flavors: still one flavor list, one call per image', async () => {
      const run = await rackspace(
        ['--image', fx.IMAGES.ubuntuPv, '--image', fx.IMAGES.centos7, '--flavor', 'general1-1', '--flavor', 'io1-15', '--flavor', 'compute1-4', '--format', 'json'],
      );
      expect(Report.parse(JSON.parse(run.stdout)).results).toHaveLength(6);
      expect(tokenCalls()).toHaveLength(1);
      expect(serviceCalls()).toHaveLength(3);
      expect(serviceCalls().filter((request) => request.path === flavorsPath)).toHaveLength(1);
    });

    it('follows Nova\'s flavors_links paging when the flavor list is capped', async () => {
      endpoint.pageFlavors(10);
      const { run, result } = await checkJson(['--image', fx.IMAGES.centos7, '--flavor', 'performance2-90']);
      expect(result.target.type).toBe('performance2-90');
      expect(run.status).toBe(0);
      const pages = serviceCalls().filter((request) => request.path.startsWith(flavorsPath));
      expect(pages.map((request) => new URL(request.path, 'http://x').searchParams.get('marker'))).toEqual([null, 'compute1-4', 'io1-60', 'performance1-1']);
    });
  });

  describe('identity, catalog and transport failures', () => {
    it('a wrong API key exits 3 naming the token URL, without a stack trace or the key', async () => {
      const wrongKey = '0123456789abcdef0123456789abcdef';
      const run = await rackspace(['--image', fx.IMAGES.centos7, '--flavor', 'general1-1'], raxEnv({ RAX_API_KEY: wrongKey }));
      expect(run.status).toBe(3);
      expect(run.stderr).toContain(`imglint: authentication failed (401) at ${endpoint.url}/v2.0/tokens\n`);
      expect(run.stderr).toContain('Username or api key is invalid.');
      expect(hasStackTrace(run.stderr)).toBe(false);
      expect(`${run.stdout}${run.stderr}`).not.toContain(wrongKey);
      expect(endpoint.log).toEqual([{ method: 'POST', path: TOKENS_PATH, token: false, status: 401, credentials: 'apiKey' }]);

      const debug = await rackspace(['--image', fx.IMAGES.centos7, '--flavor', 'general1-1', '--debug'], raxEnv({ RAX_API_KEY: wrongKey }));
      expect(debug.status).toBe(3);
      expect(hasStackTrace(debug.stderr)).toBe(true);
      expect(`${debug.stdout}${debug.stderr}`).not.toContain(wrongKey);
    });

    it('a region the catalog has no compute endpoint for exits 2 listing the regions it has', async () => {
      const run = await rackspace(['--image', fx.IMAGES.centos7, '--flavor', 'general1-1', '--region', 'ORD']);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('region ORD is not in the service catalog for compute (cloudServersOpenStack); it has DFW, HKG, IAD, SYD');
      expect(hasStackTrace(run.stderr)).toBe(false);
      expect(serviceCalls()).toEqual([]);
    });

    it('a 503 with Retry-After: 0 is retried, and the check succeeds', async () => {
      endpoint.failNext(1, { match: /\/flavors\/detail/ });
      endpoint.failNext(1, { match: /^\/v2\.0\/tokens/ });
      const { run, result } = await checkJson(['--image', fx.IMAGES.centos7, '--flavor', 'general1-1']);
      expect(result.verdict).toBe('pass');
      expect(run.status).toBe(0);
      expect(tokenCalls().map((request) => request.status)).toEqual([503, 200]);
      expect(serviceCalls().filter((request) => request.path === flavorsPath).map((request) => request.status)).toEqual([503, 200]);
    });

    it('a 503 that does not end exits 3 after the retries, quickly', async () => {
      endpoint.failNext(100, { match: /\/images\// });
      const started = Date.now();
      const run = await rackspace(['--image', fx.IMAGES.centos7, '--flavor', 'general1-1']);
      expect(run.status).toBe(3);
      expect(run.stderr).toContain(`service error (503) at ${endpoint.url}${imagePath(fx.IMAGES.centos7)} after 4 attempts`);
      expect(hasStackTrace(run.stderr)).toBe(false);
      expect(serviceCalls().filter((request) => request.path === imagePath(fx.IMAGES.centos7))).toHaveLength(4);
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it('a 429 with Retry-After: 0 is retried like a 503', async () => {
      endpoint.failNext(1, { status: 429, match: /\/flavors\/detail/ });
      const { run } = await checkJson(['--image', fx.IMAGES.centos7, '--flavor', 'general1-1']);
      expect(run.status).toBe(0);
      expect(serviceCalls().filter((request) => request.path === flavorsPath).map((request) => request.status)).toEqual([429, 200]);
    });

    // Rackspace rate-limits with 413 overLimit + Retry-After (Cloud Servers docs, general-api-info/limits).
    it("a 413 overLimit with Retry-After: 0 (Rackspace's rate limiting) is retried", async () => {
      endpoint.failNext(1, { status: 413, match: /\/flavors\/detail/ });
      const run = await rackspace(['--image', fx.IMAGES.centos7, '--flavor', 'general1-1']);
      expect(serviceCalls().filter((request) => request.path === flavorsPath).map((request) => request.status)).toEqual([413, 200]);
      expect(run.status).toBe(0);
    });

    it('a malformed JSON body exits 3 naming the endpoint, without a stack trace', async () => {
      endpoint.malformNext(1, /\/flavors\/detail/);
      const run = await rackspace(['--image', fx.IMAGES.centos7, '--flavor', 'general1-1']);
      expect(run.status).toBe(3);
      expect(run.stderr).toContain(`the response from ${endpoint.url}${flavorsPath} is not JSON`);
      expect(hasStackTrace(run.stderr)).toBe(false);
    });

    it('a token revoked mid-check: the 401 triggers one new authentication and the call is repeated', async () => {
      endpoint.revokeTokensAt(/\/images\//);
      const { run, result } = await checkJson(['--image', fx.IMAGES.centos7, '--flavor', 'general1-1']);
      expect(result.verdict).toBe('pass');
      expect(run.status).toBe(0);
      expect(tokenCalls()).toHaveLength(2);
      expect(endpoint.log.filter((request) => request.path === imagePath(fx.IMAGES.centos7)).map((request) => request.status)).toEqual([401, 200]);
      expect(`${run.stdout}${run.stderr}`).not.toContain(endpoint.tokenId());
    });
  });

  describe('--provider openstack: generic Nova semantics, password authentication on Identity v2.0', () => {
    const osEnv = (overrides: Record<string, string> = {}) => ({
      ...BLANK,
      OS_AUTH_URL: endpoint.authUrl,
      OS_USERNAME: fx.USERNAME,
      OS_PASSWORD: fx.PASSWORD,
      OS_PROJECT_NAME: fx.TENANT,
      OS_REGION_NAME: 'IAD',
      ...overrides,
    });

    it('authenticates with passwordCredentials and checks a pair', async () => {
      const { run, report, result } = await checkJson(['--image', fx.IMAGES.centos7, '--flavor', 'general1-1'], osEnv(), 'openstack');
      expect(result.target).toMatchObject({ provider: 'openstack', region: 'IAD', image: fx.IMAGES.centos7 });
      expect(report.catalogs).toEqual([expect.objectContaining({ kind: 'live', description: 'Nova API (IAD)' })]);
      expect(run.status).toBe(0);
      expect(tokenCalls().map((request) => request.credentials)).toEqual(['password']);
      expect(serviceCalls()).toHaveLength(2);
    });

    it('has no flavor_classes rule: a PV image on io1-15 passes, as upstream Nova accepts it', async () => {
      const { run, result } = await checkJson(['--image', fx.IMAGES.ubuntuPv, '--flavor', 'io1-15'], osEnv(), 'openstack');
      expect(result).toMatchObject({ verdict: 'pass', findings: [] });
      expect(run.status).toBe(0);
    });

    it("rejects the OnMetal image's vm_mode metal as Nova does: image-metadata", async () => {
      const { run, rules, finding } = await checkJson(['--image-file', ONMETAL_FILE, '--flavor', 'onmetal-compute1'], osEnv(), 'openstack');
      expect(rules).toEqual(['image-metadata']);
      expect(finding('image-metadata').providerError).toEqual({ code: '400', message: "Invalid image metadata. Error: Virtual machine mode 'metal' is not valid" });
      expect(finding('image-metadata').message).toContain(ONMETAL_ID);
      expect(run.status).toBe(1);
    });

    it('a flavor of --flavor-file is known without asking Nova, and never cached; others are still looked up', async () => {
      const cacheDir = mkdtempSync(path.join(tmpdir(), 'imglint-flavor-file-cache-'));
      const show = 'test/fixtures/openstack/openstack_flavor_show_osc6.json';
      const env = osEnv({ IMGLINT_CACHE_DIR: cacheDir });
      // Booted from a volume (the flavor's disk is 1 GiB): a pass, so no fix hint lists Nova's flavors.
      const bfv = ['--boot-from-volume', '--volume-size', '40'];
      const { run, result, report } = await checkJson(['--image', fx.IMAGES.centos7, '--flavor-file', show, ...bfv], env, 'openstack');
      expect(result.target).toMatchObject({ provider: 'openstack', region: 'IAD', type: '6' });
      expect(run.status).toBe(0);
      expect(serviceCalls().map((request) => request.path)).toEqual([imagePath(fx.IMAGES.centos7)]);
      expect(report.catalogs).toContainEqual({ kind: 'file', description: `flavor file ${show}` });

      endpoint.reset();
      const both = await runCliAsync(['check', '--provider', 'openstack', '--image', fx.IMAGES.centos7, '--flavor-file', show, '--flavor', 'm1.tiny.specs', '--flavor', 'general1-1', ...bfv, '--format', 'json'], env);
      expect(Report.parse(JSON.parse(both.stdout)).results.map((entry) => entry.target.type)).toEqual(['m1.tiny.specs', 'general1-1']);
      expect(serviceCalls().map((request) => request.path).sort()).toEqual([flavorsPath, imagePath(fx.IMAGES.centos7)].sort());
      const cached = JSON.parse(readFileSync(findFile(cacheDir, 'flavors.json')!, 'utf8')) as { data: { types: Record<string, unknown> } };
      expect(Object.keys(cached.data.types)).toEqual(['general1-1']);
    });

    it('a wrong password exits 3 without printing it', async () => {
      const wrong = 'not-the-password-1234';
      const run = await runCliAsync(['check', '--provider', 'openstack', '--image', fx.IMAGES.centos7, '--flavor', 'general1-1'], osEnv({ OS_PASSWORD: wrong }));
      expect(run.status).toBe(3);
      expect(run.stderr).toContain(`authentication failed (401) at ${endpoint.url}/v2.0/tokens`);
      expect(run.stderr).toContain('Unable to authenticate user with credentials provided.');
      expect(`${run.stdout}${run.stderr}`).not.toContain(wrong);
      expect(hasStackTrace(run.stderr)).toBe(false);
    });
  });
});

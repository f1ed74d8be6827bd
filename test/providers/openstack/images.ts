import type { OpenStackImageFacts } from '../../../src/model/index.js';

/**
 * The facts of examples/rackspace/centos-7-pvhvm.json (a Glance v2 image, PVHVM CentOS 7), read for `rackspace`:
 * what every shape of that image (Glance, `openstack image show`, Nova) must normalize to.
 */
export const CENTOS_FACTS: OpenStackImageFacts = {
  provider: 'rackspace',
  id: 'f8ae535e-67c0-41a5-bf55-b06d0ee40cc2',
  name: 'CentOS 7 (PVHVM)',
  region: undefined,
  state: 'active',
  vmMode: 'hvm',
  minRamMiB: 512,
  minDiskGiB: 20,
  sizeBytes: 786851587,
  flavorClasses: '*,!onmetal',
  flavorClassesFrom: 'image',
  autoDiskConfig: 'disabled',
  imageType: 'base',
  baseImageRef: undefined,
  osType: 'linux',
  configDrive: undefined,
  cinderEncryptionKeyId: undefined,
};

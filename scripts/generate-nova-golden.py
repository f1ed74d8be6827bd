#!/usr/bin/python3
"""Golden verdicts of OpenStack Nova on image x flavor pairs, for imglint's differential tests.

    npm run generate:nova-golden          # = /usr/bin/python3 scripts/generate-nova-golden.py

Needs Debian's ``python3-nova`` (bookworm: 2:26.2.2-1~deb12u5, Nova 26.2.2 "Zed"): ``apt-get install python3-nova``.
Writes ``test/fixtures/nova-golden/pairs.json.gz`` (``--out`` to change). The output is deterministic: the pairs
come from fixed value lists and a seeded generator, and gzip carries no timestamp.

For each pair, the image (a Glance v2 image: the template below plus the pair's properties) goes through Nova's own
``nova.image.glance._translate_from_glance`` with glanceclient's image schema, and the flavor becomes an
``objects.Flavor``. The API-time checks ``POST /servers`` makes on an image x flavor pair then run in Nova's order
(``nova/compute/api.py`` ``API._create_instance``), without ``OS-DCF:diskConfig``, as a non-admin, for a boot from
the image onto the flavor's local disk or, for pairs with a ``launch`` (``bootFromVolume``, ``volumeSizeGiB``), for a
boot from a new volume created from the image (``openstack server create --image ... --boot-from-volume N``: no
``imageRef``, a ``block_device_mapping_v2`` from the image to a volume of N GiB; Nova then reads the image through
the mapping, with no image ID):

  1. ``_validate_and_build_base_options``: ``_get_image_meta_obj`` (``ImageMeta.from_dict``),
     ``hardware.numa_get_constraints``, ``hardware.get_pci_numa_policy_constraint`` and
     ``pci_request.get_pci_requests_from_flavor``;
  2. ``_update_ephemeral_encryption_bdms``;
  3. ``_checks_for_create_and_rebuild`` with ``validate_numa=False``: ``_detect_nonbootable_image_from_properties``,
     ``_validate_flavor_image`` (status, then ``_validate_flavor_image_nostatus``: config drive, ``min_ram``, disk
     sizes or the boot volume's size, then ``_validate_flavor_image_numa_pci``: memory encryption, PMU, serial ports, realtime mask, CPU
     topology, VIF multiqueue).

They run as the body of ``compute.api.API.create`` inside the real ``ServersController.create`` and
``wsgi.Resource``, so an exception becomes exactly the HTTP status and fault body the API answers. Only
``API.create``, ``flavors.get_flavor_by_flavor_id`` and ``API.parse_availability_zone`` are stubbed; policy is
Nova's default. Each refused pair records the exception class, the HTTP status, the fault body's message and the
chain of Nova functions the exception came through (outermost first), so the tests can tell which check raised it.

The script also records how ``nova.virt.hardware.parse_cpu_spec`` parses a set of CPU specs (the resulting set, in
CPython's iteration order, or the error): Nova's messages print CPUs in that order.
"""
import argparse
import gzip
import io
import json
import logging
import os
import random
import sys
import traceback
import warnings
from unittest import mock

warnings.simplefilter('ignore')
logging.disable(logging.CRITICAL)

import oslo_messaging  # noqa: E402
import webob  # noqa: E402

import nova.conf  # noqa: E402

CONF = nova.conf.CONF
CONF([], project='nova', default_config_files=[])

from nova import rpc  # noqa: E402

rpc.TRANSPORT = oslo_messaging.get_rpc_transport(CONF, url='fake://')
rpc.NOTIFICATION_TRANSPORT = oslo_messaging.get_notification_transport(CONF, url='fake://')
rpc.NOTIFIER = oslo_messaging.Notifier(rpc.NOTIFICATION_TRANSPORT, driver='noop')
rpc.LEGACY_NOTIFIER = rpc.NOTIFIER

from nova import objects  # noqa: E402

objects.register_all()

from glanceclient.v2 import image_schema  # noqa: E402
from nova import context as nova_context  # noqa: E402
from nova import version as nova_version  # noqa: E402
from nova.api.openstack import wsgi as os_wsgi  # noqa: E402
from nova.api.openstack.compute import servers  # noqa: E402
from nova.compute import api as compute_api  # noqa: E402
from nova.compute import flavors as compute_flavors  # noqa: E402
from nova.image import glance  # noqa: E402
from nova.pci import request as pci_request  # noqa: E402
from nova.virt import hardware  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(REPO, 'test', 'fixtures', 'nova-golden', 'pairs.json.gz')

#: The image every pair starts from (a Glance v2 image); a pair adds properties and may override these fields.
IMAGE_TEMPLATE = {
    'id': 'f8ae535e-67c0-41a5-bf55-b06d0ee40cc2',
    'name': 'CentOS 7 (PVHVM)',
    'status': 'active',
    'visibility': 'public',
    'container_format': 'bare',
    'disk_format': 'qcow2',
    'min_ram': 0,
    'min_disk': 0,
    'size': 1073741824,
}
#: The flavor every pair starts from (Nova API fields); a pair overrides vcpus, ram, name and extra specs.
FLAVOR_TEMPLATE = {'id': '42', 'name': 'm1.golden', 'vcpus': 4, 'ram': 4096, 'disk': 20}

#: Nova's functions on the path; a refused pair records those its exception passed through.
TRACED_FILES = ('nova/virt/hardware.py', 'nova/objects/image_meta.py', 'nova/compute/api.py')
TRACED_SKIP = {'nova_checks', 'wrapper', 'inner'}


class GlanceImage(dict):
    """What glanceclient hands Nova: a dict of the image's fields, with the schema it was validated against."""

    schema = image_schema._BASE_SCHEMA


def nova_image(pair):
    raw = dict(IMAGE_TEMPLATE)
    raw.update(pair['image'].get('fields', {}))
    raw.update(pair['image'].get('properties', {}))
    return glance._translate_from_glance(GlanceImage(raw))


def nova_flavor(pair):
    flavor = dict(FLAVOR_TEMPLATE)
    flavor.update(pair['flavor'])
    return objects.Flavor(
        id=1, flavorid=flavor['id'], name=flavor['name'], memory_mb=flavor['ram'], vcpus=flavor['vcpus'],
        root_gb=flavor['disk'], ephemeral_gb=0, swap=0, disabled=False, is_public=True,
        extra_specs=dict(flavor.get('extra_specs', {})))


class RootDevice:
    """The root block device: the flavor's disk, or a new volume of `volume_size` GiB (all Nova reads of it)."""

    def __init__(self, is_volume, volume_size=None):
        self.is_volume = is_volume
        self.volume_size = volume_size


API = compute_api.API()


def nova_checks(image, flavor, image_href, root):
    """`API._create_instance`'s checks of the pair, in its order (see the module docstring).

    `image_href` is what the controller passed on: the image ID, or '' for a boot from volume, where Nova reads the
    image through the block device mapping (`block_device.get_bdm_image_metadata`) and has no image ID.
    """
    image_id = image['id'] if image_href else None
    context = nova_context.RequestContext(user_id='u', project_id='p', roles=['member', 'reader'])
    if flavor['disabled']:
        raise nova.exception.FlavorNotFound(flavor_id=flavor['id'])
    image_meta = compute_api._get_image_meta_obj(image)
    hardware.numa_get_constraints(flavor, image_meta)
    affinity = hardware.get_pci_numa_policy_constraint(flavor, image_meta)
    pci_request.get_pci_requests_from_flavor(flavor, affinity_policy=affinity)
    API._update_ephemeral_encryption_bdms(flavor, image, [])
    API._detect_nonbootable_image_from_properties(image_id, image)
    API._validate_flavor_image(context, image_id, image, flavor, root, validate_numa=False)


def raised_through(error):
    names = []
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename.endswith(TRACED_FILES) and frame.name not in TRACED_SKIP:
            names.append(frame.name)
    return names


CONTROLLER = os_wsgi.Resource(servers.ServersController())


def verdict(pair):
    image = nova_image(pair)
    flavor = nova_flavor(pair)
    launch = pair.get('launch', {})
    seen = {}

    def create(_context, _flavor, image_href, *_args, **_kwargs):
        root = RootDevice(True, launch.get('volumeSizeGiB')) if launch.get('bootFromVolume') else RootDevice(False)
        try:
            nova_checks(image, flavor, image_href, root)
        except Exception as error:  # noqa: BLE001 - every exception is Nova's answer
            seen['exception'] = type(error).__name__
            seen['through'] = raised_through(error)
            raise
        return [], None

    server = {'name': 'golden', 'flavorRef': FLAVOR_TEMPLATE['id']}
    if launch.get('bootFromVolume'):
        server['block_device_mapping_v2'] = [{
            'boot_index': 0, 'uuid': IMAGE_TEMPLATE['id'], 'source_type': 'image', 'destination_type': 'volume',
            'volume_size': launch['volumeSizeGiB'], 'delete_on_termination': True}]
    else:
        server['imageRef'] = IMAGE_TEMPLATE['id']
    body = {'server': server}
    request = webob.Request.blank(
        '/v2.1/servers', method='POST', body=json.dumps(body).encode(),
        headers={'Content-Type': 'application/json', 'Accept': 'application/json'})
    request.environ['nova.context'] = nova_context.RequestContext(
        user_id='u', project_id='p', roles=['member', 'reader'])
    request.environ['wsgiorg.routing_args'] = (None, {'action': 'create'})
    with mock.patch.object(compute_api.API, 'create', side_effect=create), \
            mock.patch.object(compute_flavors, 'get_flavor_by_flavor_id', return_value=flavor), \
            mock.patch.object(compute_api.API, 'parse_availability_zone', return_value=(None, None, None)):
        response = request.get_response(CONTROLLER)
    if 'exception' not in seen:
        # The stubbed create returns no instance, so the view fails after the checks passed: Nova accepted.
        return {'status': 202}
    fault = json.loads(response.body)
    (message,) = [value['message'] for value in fault.values()]
    return {'status': response.status_int, 'exception': seen['exception'], 'message': message,
            'through': seen['through']}


# --- the pairs -----------------------------------------------------------------------------------------------------

def pair(family, properties=None, extra_specs=None, vcpus=4, ram=4096, name=None, image_fields=None, launch=None):
    image = {'properties': {k: v for k, v in (properties or {}).items() if v is not None}}
    if image_fields:
        image['fields'] = image_fields
    flavor = {'vcpus': vcpus, 'ram': ram, 'extra_specs': {k: v for k, v in (extra_specs or {}).items() if v is not None}}
    if name is not None:
        flavor['name'] = name
    item = {'family': family, 'image': image, 'flavor': flavor}
    if launch:
        item['launch'] = launch
    return item


def product(*lists):
    if not lists:
        yield ()
        return
    for head in lists[0]:
        for tail in product(*lists[1:]):
            yield (head,) + tail


BOOLS_FLAVOR = [None, 'true', 'false', 'yes', '0', 'bogus', '']
BOOLS_IMAGE = [None, 'true', 'False', '1', 'no', 'bogus']


def cpu_policy_pairs():
    policies = [None, 'dedicated', 'shared', 'mixed', '', 'DEDICATED', 'bogus']
    threads = [None, 'prefer', 'isolate', 'require', '', 'bogus']
    # Invalid image values fail in ImageMeta.from_dict already (the image-metadata family covers them).
    for fp, ip, ft, it in product(policies, [None, 'dedicated', 'shared', 'mixed'], threads,
                                  [None, 'prefer', 'isolate', 'require']):
        yield pair('cpu-policy', {'hw_cpu_policy': ip, 'hw_cpu_thread_policy': it},
                   {'hw:cpu_policy': fp, 'hw:cpu_thread_policy': ft})
    # Explicit resource requests and the hyperthreading trait, which stand in for the policies.
    resources = [None, ('resources:VCPU', '4'), ('resources:PCPU', '4'), ('resources:PCPU', '5'),
                 ('resources1:PCPU', '2'), ('resources:PCPU', 'x'), ('resources:VCPU', 'x')]
    for res, res2, fp, ip, emu, ft in product(resources, [None, ('resources2:PCPU', '2'), ('resources:VCPU', '1')],
                                              [None, 'dedicated', 'shared'], [None, 'dedicated'],
                                              [None, 'isolate', 'share'], [None, 'require']):
        specs = {'hw:cpu_policy': fp, 'hw:emulator_threads_policy': emu, 'hw:cpu_thread_policy': ft}
        for item in (res, res2):
            if item:
                specs[item[0]] = item[1]
        yield pair('cpu-resources', {'hw_cpu_policy': ip}, specs)
    for trait, image_trait, ft, it, fp in product(
            [None, 'required', 'forbidden', 'bogus'], [None, 'required', 'forbidden'], [None, 'isolate'],
            [None, 'require'], [None, 'dedicated']):
        specs = {'hw:cpu_policy': fp, 'hw:cpu_thread_policy': ft}
        if trait:
            specs['trait:HW_CPU_HYPERTHREADING'] = trait
        yield pair('cpu-thread-trait', {'trait:HW_CPU_HYPERTHREADING': image_trait, 'hw_cpu_thread_policy': it}, specs)


def realtime_pairs():
    realtime = [None, 'yes', 'no', 'True', 'bogus']
    masks = [None, '^0', '^0-1', '0', '0-3', '^0-3', '^5', '5', '1-0', 'x', '', ' ^1 ', '0-1,^0-1', '^0,^1,^2,^3']
    image_masks = [None, '^1', '0-4', '^0-3', 'y']
    for rt, mask, image_mask, policy, emu in product(realtime, masks, image_masks, [None, 'dedicated', 'mixed'],
                                                     [None, 'isolate', 'bogus']):
        if rt is None and mask is not None and image_mask is not None:
            continue
        yield pair('realtime', {'hw_cpu_realtime_mask': image_mask},
                   {'hw:cpu_realtime': rt, 'hw:cpu_realtime_mask': mask, 'hw:cpu_policy': policy,
                    'hw:emulator_threads_policy': emu})
    emulators = [None, 'share', 'isolate', '', 'ISOLATE', 'bogus']
    dedicated = [None, '0', '^0', '0-3', '0-2', '4', '^0-3', '^0,^1,^2,^3', 'x', '', '1-', '0-1,5']
    for emu, mask, policy, rt in product(emulators, dedicated, [None, 'dedicated', 'shared', 'mixed'],
                                         [None, 'yes']):
        specs = {'hw:emulator_threads_policy': emu, 'hw:cpu_dedicated_mask': mask, 'hw:cpu_policy': policy,
                 'hw:cpu_realtime': rt}
        if rt:
            specs['hw:cpu_realtime_mask'] = '^0'
        yield pair('dedicated-mask', {}, specs)


NUMA_LAYOUTS = {
    # name: (cpu specs, mem sizes) for 4 vCPUs / 4096 MiB
    'none': ([], []),
    'ok2': (['0-1', '2-3'], ['2048', '2048']),
    'ok1': (['0-3'], ['4096']),
    'uneven': (['0', '1-3'], ['1024', '3072']),
    'cpus-only': (['0-1', '2-3'], []),
    'mem-only': ([], ['2048', '2048']),
    'short': (['0-1'], ['2048']),
    'out-of-range': (['0-1', '2-4'], ['2048', '2048']),
    'far-out': (['0-1', '9,10,2-3'], ['2048', '2048']),
    'duplicate': (['0-2', '2-3'], ['2048', '2048']),
    'unassigned': (['0', '2'], ['2048', '2048']),
    'mem-low': (['0-1', '2-3'], ['1024', '2048']),
    'mem-high': (['0-1', '2-3'], ['4096', '2048']),
    'mem-bad': (['0-1', '2-3'], ['2048', '2G']),
    'cpu-bad': (['0-1', 'x'], ['2048', '2048']),
    'cpu-bad-range': (['0-1', '3-2'], ['2048', '2048']),
    'excluded': (['0-3,^2,^3', '2-3'], ['2048', '2048']),
    'gap': (['0-1', '', '2-3'], ['2048', '0', '2048']),
}


def numa_keys(layout, prefix, separator):
    cpus, mems = NUMA_LAYOUTS[layout]
    keys = {}
    for index, spec in enumerate(cpus):
        keys['%s%snuma_cpus.%d' % (prefix, separator, index)] = spec
    for index, size in enumerate(mems):
        keys['%s%snuma_mem.%d' % (prefix, separator, index)] = size
    return keys


def numa_pairs():
    flavor_nodes = [None, '1', '2', '3', '4', '0', '-1', 'x', '', '2.0', ' 2', '128', '129', '02']
    image_nodes = [None, '1', '2', '0', 'x', ' 3']
    for fn, inn in product(flavor_nodes, image_nodes):
        for vcpus, ram in ((4, 4096), (3, 4096), (4, 3000), (1, 512)):
            yield pair('numa-nodes', {'hw_numa_nodes': inn}, {'hw:numa_nodes': fn}, vcpus=vcpus, ram=ram)
    layouts = list(NUMA_LAYOUTS)
    for layout, nodes, side, policy in product(layouts, [None, '1', '2', '3'], ['flavor', 'image'],
                                               [None, 'dedicated']):
        if side == 'flavor':
            specs = dict(numa_keys(layout, 'hw', ':'), **{'hw:numa_nodes': nodes, 'hw:cpu_policy': policy})
            yield pair('numa-layout', {}, specs)
        else:
            props = dict(numa_keys(layout, 'hw', '_'), hw_numa_nodes=nodes)
            yield pair('numa-layout', props, {'hw:cpu_policy': policy})
    for flavor_layout, image_layout, nodes in product(['none', 'ok2', 'cpus-only', 'mem-only'],
                                                      ['none', 'ok2', 'cpus-only', 'mem-only'], [None, '2']):
        yield pair('numa-both', numa_keys(image_layout, 'hw', '_'),
                   dict(numa_keys(flavor_layout, 'hw', ':'), **{'hw:numa_nodes': nodes}))


def page_size_pairs():
    flavor = [None, 'small', 'large', 'any', '2048', '2MB', '1GB', '4KB', '2048KB', '1.5MB', '2Mb', 'x', '',
              'Large', '0', '-2048', '2 MB', '1GiB']
    image = [None, 'small', 'large', 'any', '2048', '1GB', 'x', '', '2MB ']
    for fl, im in product(flavor, image):
        yield pair('mem-page-size', {'hw_mem_page_size': im}, {'hw:mem_page_size': fl})
    for fl, im, flock, ilock in product([None, 'large', 'x'], [None, 'small'], BOOLS_FLAVOR, BOOLS_IMAGE):
        yield pair('locked-memory', {'hw_mem_page_size': im, 'hw_locked_memory': ilock},
                   {'hw:mem_page_size': fl, 'hw:locked_memory': flock})


def pci_pairs():
    values = [None, 'required', 'legacy', 'preferred', 'socket', 'bogus', '', 'REQUIRED']
    for fl, im in product(values, values):
        yield pair('pci-numa-affinity', {'hw_pci_numa_affinity_policy': im}, {'hw:pci_numa_affinity_policy': fl})


def ephemeral_pairs():
    for fl, im, ff, imf in product(BOOLS_FLAVOR, BOOLS_IMAGE, [None, 'plain', 'luks', 'luksv2', 'bogus', ''],
                                   [None, 'luks', 'plain', 'bogus']):
        yield pair('ephemeral-encryption', {'hw_ephemeral_encryption': im, 'hw_ephemeral_encryption_format': imf},
                   {'hw:ephemeral_encryption': fl, 'hw:ephemeral_encryption_format': ff})


def mem_encryption_pairs():
    for fl, im, firmware, machine in product(BOOLS_FLAVOR, BOOLS_IMAGE, [None, 'uefi', 'bios'],
                                             [None, 'q35', 'pc-q35-6.2', 'pc', 'Q35', '']):
        yield pair('mem-encryption', {'hw_mem_encryption': im, 'hw_firmware_type': firmware,
                                      'hw_machine_type': machine}, {'hw:mem_encryption': fl})
    # Names and IDs are printed into the messages as they are.
    for fl, im, name, image_name in product(['true', 'false'], ['false', 'true'], ['m1.été "quoted"', ''],
                                            [None, '', "it's 日本"]):
        fields = None if image_name is None else {'name': image_name}
        yield pair('mem-encryption', {'hw_mem_encryption': im}, {'hw:mem_encryption': fl}, name=name,
                   image_fields=fields)


def pmu_pairs():
    for fl, im, vcpus in product(BOOLS_FLAVOR, BOOLS_IMAGE, [1, 4]):
        yield pair('pmu', {'hw_pmu': im}, {'hw:pmu': fl}, vcpus=vcpus)
    for fl, im, vcpus in product(BOOLS_FLAVOR, BOOLS_IMAGE, [1, 2, 4]):
        yield pair('vif-multiqueue', {'hw_vif_multiqueue_enabled': im}, {'hw:vif_multiqueue_enabled': fl},
                   vcpus=vcpus)


def serial_pairs():
    for fl, im in product([None, '0', '1', '4', 'x', '', '-1', ' 2', '4.0', '+3', '1_0'],
                          [None, '0', '2', '4', '5', 'x', '-3', '10']):
        yield pair('serial-ports', {'hw_serial_port_count': im}, {'hw:serial_port_count': fl})


TOPOLOGY_KEYS = ['cpu_sockets', 'cpu_cores', 'cpu_threads', 'cpu_max_sockets', 'cpu_max_cores', 'cpu_max_threads']


def topology_pairs(rng):
    flavor_values = [None, '1', '2', '4', '8', '0', 'x', ' 2', '-1', '65536', '99999999999999999999']
    image_values = [None, '1', '2', '4', '8', '0', '16', '-2', '65537']
    # Every limit against every limit, one dimension at a time.
    for dim in ('sockets', 'cores', 'threads'):
        for fmax, imax, fpref, ipref in product(flavor_values, image_values, [None, '2'], [None, '1', '4', '9']):
            yield pair('cpu-topology',
                       {'hw_cpu_max_%s' % dim: imax, 'hw_cpu_%s' % dim: ipref},
                       {'hw:cpu_max_%s' % dim: fmax, 'hw:cpu_%s' % dim: fpref})
    # Random full topologies.
    valid_flavor = [v for v in flavor_values if v not in ('x',)]
    for _ in range(1500):
        props = {'hw_' + key: rng.choice(image_values + [None] * 6) for key in TOPOLOGY_KEYS}
        specs = {'hw:' + key: rng.choice(valid_flavor + [None] * 6) for key in TOPOLOGY_KEYS}
        yield pair('cpu-topology-random', props, specs, vcpus=rng.choice([1, 2, 4, 8]))


#: ImageMetaProps fields and values for `ImageMeta.from_dict`: valid spellings and invalid ones.
IMAGE_META_VALUES = {
    'hw_architecture': ['x86_64', 'AMD64', 'i386', 'aarch64', 'arm64', 'x64', ''],
    'architecture': ['x86_64', 'x64'],
    'hw_emulation_architecture': ['aarch64', 'bogus'],
    'hw_cdrom_bus': ['sata', 'ide', 'nvme', 'SATA'],
    'hw_disk_bus': ['virtio', 'scsi', 'lxc', 'sata ', 'floppy'],
    'hw_floppy_bus': ['fdc', 'bogus'],
    'hw_rescue_bus': ['usb', 'bogus'],
    'hw_rescue_device': ['cdrom', 'disk', 'bogus'],
    'hw_firmware_type': ['uefi', 'bios', 'UEFI'],
    'hw_input_bus': ['usb', 'virtio', 'ps2'],
    'hw_pointer_model': ['usbtablet', 'ps2mouse'],
    'hw_rng_model': ['virtio', 'random'],
    'hw_scsi_model': ['virtio-scsi', 'lsilogic', 'bogus'],
    'hw_video_model': ['virtio', 'qxl', 'vga', 'bogus', 'VGA'],
    'hw_vif_model': ['virtio', 'e1000', 'bogus'],
    'hw_viommu_model': ['auto', 'intel', 'bogus'],
    'hw_vm_mode': ['hvm', 'HVM', 'xen', 'pv', 'hv', 'baremetal', 'metal', 'exe'],
    'vm_mode': ['hvm', 'metal'],
    'hw_watchdog_action': ['reset', 'none', 'disabled', 'bogus'],
    'hw_tpm_model': ['tpm-tis', 'tpm-crb', 'bogus'],
    'hw_tpm_version': ['1.2', '2.0', '3.0'],
    'hw_ephemeral_encryption_format': ['luks', 'bogus'],
    'img_hv_type': ['kvm', 'KVM', 'xapi', 'qemu', 'bogus'],
    'hypervisor_type': ['xen', 'bogus'],
    'img_hv_requested_version': ['>=6.0', '>= 6.0, < 7', '6.0', '>=x'],
    'hypervisor_version_requires': ['>=6.2', 'bogus'],
    'img_config_drive': ['optional', 'mandatory', 'sometimes', 'Mandatory'],
    'img_signature_hash_method': ['SHA-256', 'SHA-512', 'MD5'],
    'img_signature_key_type': ['RSA-PSS', 'DSA', 'ECC_SECT571K1', 'bogus'],
    'os_secure_boot': ['required', 'disabled', 'optional', 'bogus'],
    'os_type': ['linux', 'windows', 'Linux', 'bsd'],
    'hw_cpu_cores': ['2', ' 2 ', '+2', '2.0', 'two', '', '1_0', '\u0663', '0x2', '99999999999999999999'],
    'hw_cpu_sockets': ['1', 'x'],
    'hw_cpu_threads': ['1', '1e2'],
    'hw_cpu_max_sockets': ['2', '-'],
    'hw_cpu_max_cores': ['2', '2,'],
    'hw_cpu_max_threads': ['1', 'None'],
    'hw_device_id': ['1', 'x'],
    'hw_numa_nodes': ['2', 'two'],
    'hw_serial_port_count': ['2', '2 ports'],
    'hw_video_ram': ['64', '64MB'],
    'img_compression_level': ['6', 'high'],
    'vmware_image_version': ['1', 'one'],
    'img_version': ['1', 'v1'],
    'xenapi_device_id': ['2', 'b'],
    'hw_numa_mem.0': ['4096', '4G'],
    'hw_numa_cpus.0': ['0-3', '0-x', 'x'],
    'hw_cpu_policy': ['dedicated', 'Dedicated', 'pinned'],
    'hw_cpu_thread_policy': ['prefer', 'avoid'],
    'hw_pci_numa_affinity_policy': ['legacy', 'strict'],
    'hw_pmu': ['true', 'maybe'],
    'hw_mem_encryption': ['no'],
    'hw_boot_menu': ['yes', 'sure'],
    'img_block_device_mapping': ['[]'],
    'img_mappings': ['[]'],
    'img_signature_certificate_uuid': ['not-a-uuid'],
    'traits_required': ['HW_CPU_X86_AVX2'],
    'vmware_adaptertype': ['ide', 'lsiLogic', 'bogus'],
}


def image_meta_pairs(rng):
    for key, values in IMAGE_META_VALUES.items():
        for value in values:
            yield pair('image-metadata', {key: value})
    # Several invalid values: Nova reports the first in its own field order.
    keys = [k for k in IMAGE_META_VALUES if k not in ('img_block_device_mapping', 'img_mappings')]
    for _ in range(400):
        chosen = rng.sample(keys, rng.randint(2, 4))
        yield pair('image-metadata-order', {key: rng.choice(IMAGE_META_VALUES[key]) for key in chosen})


#: Every property/extra spec of the families above, to combine at random (ordering between checks).
RANDOM_IMAGE = {
    'hw_cpu_policy': ['dedicated', 'shared', 'mixed'],
    'hw_cpu_thread_policy': ['prefer', 'isolate', 'require'],
    'hw_numa_nodes': ['1', '2', '3', '0'],
    'hw_mem_page_size': ['small', 'large', '2048', 'x'],
    'hw_pci_numa_affinity_policy': ['required'],
    'hw_mem_encryption': ['true', 'false'],
    'hw_firmware_type': ['uefi', 'bios'],
    'hw_machine_type': ['q35', 'pc'],
    'hw_pmu': ['true', 'false'],
    'hw_serial_port_count': ['2', '8'],
    'hw_cpu_sockets': ['2', '8'],
    'hw_cpu_max_cores': ['1', '4'],
    'hw_vif_multiqueue_enabled': ['true', 'false'],
    'hw_cpu_realtime_mask': ['^0', '0-3'],
    'hw_locked_memory': ['true'],
    'hw_ephemeral_encryption': ['true', 'false'],
    'hw_video_model': ['virtio'],
    'hw_numa_cpus.0': ['0-1'],
    'hw_numa_mem.0': ['2048'],
}
RANDOM_FLAVOR = {
    'hw:cpu_policy': ['dedicated', 'shared', 'mixed', 'bogus'],
    'hw:cpu_thread_policy': ['prefer', 'isolate', 'require'],
    'hw:cpu_realtime': ['yes'],
    'hw:cpu_realtime_mask': ['^0', '0'],
    'hw:cpu_dedicated_mask': ['0', '^0'],
    'hw:emulator_threads_policy': ['share', 'isolate'],
    'hw:numa_nodes': ['1', '2', 'x'],
    'hw:numa_cpus.0': ['0-1'],
    'hw:numa_mem.0': ['2048'],
    'hw:mem_page_size': ['small', 'large', 'any', 'x'],
    'hw:locked_memory': ['true', 'false'],
    'hw:pci_numa_affinity_policy': ['preferred', 'bogus'],
    'hw:mem_encryption': ['true', 'false'],
    'hw:pmu': ['true', 'false'],
    'hw:serial_port_count': ['4', 'x'],
    'hw:cpu_max_sockets': ['1', '4', 'x'],
    'hw:cpu_threads': ['2'],
    'hw:vif_multiqueue_enabled': ['true', 'false'],
    'hw:ephemeral_encryption': ['true', 'false'],
    'hw:ephemeral_encryption_format': ['luks', 'bogus'],
    'resources:PCPU': ['4'],
    'trait:HW_CPU_HYPERTHREADING': ['required'],
    'hw:boot_menu': ['yes', 'bogus'],
    'hw:watchdog_action': ['reset', 'bogus'],
    'hw_video:ram_max_mb': ['64', 'x'],
}
#: Glance fields that the checks before and after the hw_* ones read (status, min_ram, size, min_disk).
RANDOM_FIELDS = [None, None, None, {'status': 'queued'}, {'min_ram': 8192}, {'size': 32212254720}, {'min_disk': 40},
                 {'status': 'deactivated', 'min_ram': 8192}]


def random_pairs(rng, count):
    for _ in range(count):
        props = {k: rng.choice(v) for k, v in RANDOM_IMAGE.items() if rng.random() < 0.2}
        specs = {k: rng.choice(v) for k, v in RANDOM_FLAVOR.items() if rng.random() < 0.2}
        fields = rng.choice(RANDOM_FIELDS)
        yield pair('random', props, specs, vcpus=rng.choice([1, 2, 4, 8]), ram=rng.choice([2048, 4096]),
                   image_fields=fields)


def realistic_pairs(rng, count):
    """Valid settings of telco and HPC flavors and images, combined at random: most of these Nova accepts."""
    for _ in range(count):
        vcpus = rng.choice([2, 4, 8, 16])
        ram = vcpus * rng.choice([1024, 2048, 4096])
        specs, props = {}, {}
        policy = rng.choice([None, None, 'dedicated', 'shared', 'mixed'])
        if policy:
            specs['hw:cpu_policy'] = policy
        if policy == 'dedicated':
            specs['hw:cpu_thread_policy'] = rng.choice(['prefer', 'isolate', 'require', 'prefer'])
            if rng.random() < 0.3:
                specs['hw:cpu_realtime'] = 'yes'
                specs['hw:cpu_realtime_mask'] = rng.choice(['^0', '^0-1', '1-%d' % (vcpus - 1)])
            if rng.random() < 0.3:
                specs['hw:emulator_threads_policy'] = rng.choice(['share', 'isolate'])
        if policy == 'mixed':
            specs['hw:cpu_dedicated_mask'] = rng.choice(['^0', '0', '1-%d' % (vcpus - 1), '^0-1'])
        if policy is None and rng.random() < 0.3:
            props['hw_cpu_policy'] = rng.choice(['dedicated', 'shared'])
        nodes = rng.choice([None, None, 1, 2])
        if nodes:
            (specs if rng.random() < 0.7 else props)['hw:numa_nodes' if rng.random() < 0.7 else 'hw_numa_nodes'] = str(nodes)
        page = rng.choice([None, None, 'large', 'small', 'any', '2048', '1GB'])
        if page:
            specs['hw:mem_page_size'] = page
            if page in ('large', 'any') and rng.random() < 0.4:
                props['hw_mem_page_size'] = rng.choice(['2048', 'small', '1048576', 'large'])
            if rng.random() < 0.2:
                specs['hw:locked_memory'] = 'true'
        if rng.random() < 0.2:
            specs['hw:pci_numa_affinity_policy'] = rng.choice(['required', 'preferred', 'legacy', 'socket'])
        if rng.random() < 0.15:
            specs['hw:mem_encryption'] = 'true'
            props['hw_firmware_type'] = rng.choice(['uefi', 'uefi', 'bios'])
            props['hw_machine_type'] = rng.choice(['q35', 'pc-q35-7.0', 'q35'])
        for key in ('pmu', 'vif_multiqueue_enabled'):
            if rng.random() < 0.15:
                specs['hw:' + key] = rng.choice(['true', 'false'])
            if rng.random() < 0.15:
                props['hw_' + key] = rng.choice(['true', 'false', 'yes'])
        if rng.random() < 0.2:
            specs['hw:serial_port_count'] = str(rng.choice([1, 2, 4]))
        if rng.random() < 0.2:
            props['hw_serial_port_count'] = str(rng.choice([1, 2, 4]))
        if rng.random() < 0.3:
            sockets = rng.choice([1, 2])
            specs['hw:cpu_max_sockets'] = str(sockets)
            if rng.random() < 0.5:
                props['hw_cpu_sockets'] = str(rng.choice([1, 2]))
        if rng.random() < 0.2:
            props['hw_cpu_max_threads'] = str(rng.choice([1, 2]))
            props['hw_cpu_threads'] = str(rng.choice([1, 2]))
        for key in ('hw:boot_menu', 'hw:watchdog_action', 'hw_video:ram_max_mb', 'hw_rng:allowed'):
            if rng.random() < 0.1:
                specs[key] = rng.choice(['yes', 'reset', '64', 'True'])
        if rng.random() < 0.2:
            props['hw_video_model'] = rng.choice(['virtio', 'qxl'])
            props['hw_video_ram'] = rng.choice(['16', '64'])
        if rng.random() < 0.2:
            props['hw_disk_bus'] = rng.choice(['virtio', 'scsi'])
            props['hw_scsi_model'] = 'virtio-scsi'
        yield pair('realistic', props, specs, vcpus=vcpus, ram=ram)


def encrypted_image_pairs():
    """Images uploaded from encrypted Cinder volumes, booted from the image and from a volume (with the checks before
    and after `_detect_nonbootable_image_from_properties`, for the order): Nova tests the property's truthiness."""
    keys = [None, {'cinder_encryption_key_id': 'd4b6b3a6-2f4e-4d0a-9c7e-1f2a3b4c5d6e',
                   'cinder_encryption_key_deletion_policy': 'on_image_deletion'},
            {'cinder_encryption_key_id': ''}, {'cinder_encryption_key_id': ' '}, {'cinder_encryption_key_id': '0'},
            {'cinder_encryption_key_deletion_policy': 'do_not_delete'}]
    launches = [None, {'bootFromVolume': True, 'volumeSizeGiB': 10}, {'bootFromVolume': True, 'volumeSizeGiB': 40}]
    fields = [None, {'status': 'queued'}, {'min_ram': 8192}, {'size': 32212254720}, {'min_disk': 30},
              {'status': 'deactivated', 'min_disk': 30}]
    # Checks Nova makes before (image metadata, NUMA constraints, ephemeral encryption) and after (PMU, topology).
    others = [({}, {}), ({'hw_cpu_policy': 'pinned'}, {}), ({'hw_cpu_policy': 'dedicated'}, {'hw:cpu_policy': 'shared'}),
              ({'hw_ephemeral_encryption': 'true'}, {'hw:ephemeral_encryption': 'false'}),
              ({'hw_pmu': 'true'}, {'hw:pmu': 'false'}), ({'hw_cpu_sockets': '8'}, {})]
    for key, launch, image_fields, (props, specs) in product(keys, launches, fields, others):
        yield pair('encrypted-image', dict(props, **(key or {})), specs, image_fields=image_fields, launch=launch)


def all_pairs():
    rng = random.Random(20260611)
    families = [cpu_policy_pairs(), realtime_pairs(), numa_pairs(), page_size_pairs(), pci_pairs(),
                ephemeral_pairs(), mem_encryption_pairs(), pmu_pairs(), serial_pairs(), topology_pairs(rng),
                image_meta_pairs(rng), random_pairs(rng, 2000), realistic_pairs(rng, 2000), encrypted_image_pairs()]
    seen = set()
    for family in families:
        for item in family:
            key = json.dumps([item['image'], item['flavor']] + ([item['launch']] if 'launch' in item else []),
                             sort_keys=True)
            if key not in seen:
                seen.add(key)
                yield item


CPU_SPECS = ['0', '0-3', '0-3,^2', '5,9,10', '9,5', '0,8', '8,0', '^0', '0-1,^0-1', '1-0', 'x', '0-x', '', ' , ',
             '2-3,0-1', '100,4,7', '0-7,^3-4', '12,4,20,28,36', '0-2,^1,17,1', '3--1', '+1-+3', ' 7 ', '1_0',
             '0-15,^0,^8', '64,0,32,96', '^x', '0-3,^9']


def cpu_spec_cases(rng):
    specs = list(CPU_SPECS)
    for _ in range(300):
        parts = []
        for _ in range(rng.randint(1, 5)):
            kind = rng.random()
            start = rng.randint(0, 70)
            if kind < 0.4:
                parts.append(str(start))
            elif kind < 0.75:
                parts.append('%d-%d' % (start, start + rng.randint(0, 20)))
            else:
                parts.append('^%d' % start)
        specs.append(','.join(parts))
    for spec in dict.fromkeys(specs):
        try:
            cpus = list(hardware.parse_cpu_spec(spec))
        except Exception as error:  # noqa: BLE001
            yield {'spec': spec, 'error': '%s: %s' % (type(error).__name__, error)}
            continue
        # The same spec as an image property: ImageMetaProps' Set(Integer()) field rebuilds the set.
        image_cpus = list(objects.ImageMetaProps.from_dict({'hw_numa_cpus.0': spec}).hw_numa_cpus[0])
        yield {'spec': spec, 'cpus': cpus, 'imageCpus': image_cpus}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out', default=DEFAULT_OUT)
    args = parser.parse_args()

    pairs = []
    for item in all_pairs():
        item['nova'] = verdict(item)
        pairs.append(item)
    document = {
        'nova': nova_version.version_string_with_package(),
        'python': sys.version.split()[0],
        'imageTemplate': IMAGE_TEMPLATE,
        'flavorTemplate': FLAVOR_TEMPLATE,
        'pairs': pairs,
        'cpuSpecs': list(cpu_spec_cases(random.Random(7))),
    }
    text = json.dumps(document, ensure_ascii=False, separators=(',', ':'))
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode='wb', mtime=0, compresslevel=9) as stream:
        stream.write(text.encode('utf-8'))
    with open(args.out, 'wb') as out:
        out.write(buffer.getvalue())
    statuses = {}
    for item in pairs:
        key = item['nova'].get('exception', 'accepted')
        statuses[key] = statuses.get(key, 0) + 1
    print('%d pairs -> %s' % (len(pairs), os.path.relpath(args.out, REPO)))
    for key, count in sorted(statuses.items(), key=lambda kv: -kv[1]):
        print('  %6d  %s' % (count, key))


if __name__ == '__main__':
    main()

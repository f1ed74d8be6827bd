/** Pieces of Terraform plans in the exact shape `terraform show -json` writes, for the input tests. */

/**
 * A `resource_changes` entry for `address` (`module.app[0].aws_instance.web["a"]`): its module address, type, name
 * and index taken from the address, the `after` values and `after_unknown` given.
 */
export function resourceChange(address: string, after: Record<string, unknown>, afterUnknown: Record<string, unknown> = {}, actions = ['create']) {
  const match = /^(?:(.*)\.)?([a-z0-9_]+)\.([a-z0-9_-]+)(\[.*\])?$/.exec(address)!;
  const index = match[4] ? (JSON.parse(match[4].slice(1, -1)) as unknown) : undefined;
  return {
    address,
    ...(match[1] && { module_address: match[1] }),
    mode: 'managed',
    type: match[2],
    name: match[3],
    ...(index !== undefined && { index }),
    provider_name: `registry.terraform.io/${match[2]!.startsWith('openstack_') ? 'terraform-provider-openstack/openstack' : 'hashicorp/aws'}`,
    change: { actions, before: null, after, after_unknown: afterUnknown, before_sensitive: false, after_sensitive: {} },
  };
}

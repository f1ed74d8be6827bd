import type { InstanceRequirements } from '../../model/index.js';
import { blocks, count, flag, instanceRequirements, text, texts, type Node } from './attributes.js';
import { at, isUnknown, type Instance, type PlanIndex } from './plan-index.js';
import type { RegionOf } from './regions.js';

/**
 * References between resources of one plan: a launch template (or launch configuration) that an instance, group,
 * fleet or node group names by ID or name. The plan gives the reference either as a value (the template exists:
 * its `id` is known) or, for a template created by this plan, only in `configuration` (`expressions` with
 * `references`, such as `["aws_launch_template.app.id", "aws_launch_template.app"]`).
 */

/** What a launch template contributes to a launch, as far as the plan knows it. */
export interface TemplateLaunch {
  /** `aws_launch_template.app`, for reasons. */
  address: string;
  image?: string;
  /** Why the image is not known, when it is not. */
  imageUnknown?: string;
  type?: string;
  requirements?: InstanceRequirements;
  zones?: string[];
}

/** A resolved reference, or why it cannot be followed. */
export type Resolved = { template: TemplateLaunch; instance: Instance } | { reason: string };

/** Where, in a consumer's values, a reference block sits and what its keys are called. */
export interface ReferenceSpec {
  /** The block, from the consumer's values (`launch_template[0]`). */
  block: Node | undefined;
  /** Its path in values and expressions (`['launch_template', 0]`). */
  path: readonly (string | number)[];
  idKey: string;
  nameKey: string;
}

export class References {
  /** Instances by resource address and by type, indexed when a reference is first followed: most plans follow none. */
  private indexed: { byResource: Map<string, Instance[]>; byType: Map<string, Instance[]> } | undefined;
  /** Addresses of templates and launch configurations that some resource of the plan launches from. */
  readonly used = new Set<string>();

  constructor(
    private readonly index: PlanIndex,
    private readonly regionOf: RegionOf,
  ) {}

  private instances(): { byResource: Map<string, Instance[]>; byType: Map<string, Instance[]> } {
    if (this.indexed === undefined) {
      this.indexed = { byResource: new Map(), byType: new Map() };
      for (const instance of this.index.instances) {
        const base = `${instance.moduleAddress ? `${instance.moduleAddress}.` : ''}${instance.type}.${instance.name}`;
        push(this.indexed.byResource, base, instance);
        push(this.indexed.byType, instance.type, instance);
      }
    }
    return this.indexed;
  }

  /** The launch template a consumer's reference block names, with the version it asks for applied. */
  launchTemplate(consumer: Instance, spec: ReferenceSpec): Resolved {
    const found = this.find(consumer, spec, 'aws_launch_template');
    if ('reason' in found) return found;
    const stale = staleVersion(found.instance, this.version(consumer, spec));
    if (stale) return { reason: stale };
    return { template: readTemplate(found.instance), instance: found.instance };
  }

  /** The launch configuration an Auto Scaling group names (`launch_configuration = aws_launch_configuration.x.name`). */
  launchConfiguration(consumer: Instance): { instance: Instance } | { reason: string } {
    return this.find(consumer, { block: consumer.values, path: [], idKey: 'launch_configuration', nameKey: 'launch_configuration' }, 'aws_launch_configuration');
  }

  /**
   * The template or launch configuration a reference names, marked as used, in the consumer's region. By the ID or
   * name in the consumer's values when one matches; else by the reference in `configuration`: with a literal key
   * (`aws_launch_template.app[0].id`, `...app["a"]`) that instance, without one the resource's only instance. A
   * resource of several instances picked by an expression (`app[count.index]`, `app[each.key]`) is not followed:
   * the plan records the references of the expression, not the expression, and `app[count.index % 2]` has the same
   * references as `app[count.index]`, so no key alignment is certain.
   */
  private find(consumer: Instance, spec: ReferenceSpec, type: string): { instance: Instance } | { reason: string } {
    const found = this.named(consumer, spec, type);
    for (const instance of 'instance' in found ? [found.instance] : (found.candidates ?? [])) this.used.add(instance.address);
    if (!('instance' in found)) return found;
    const elsewhere = this.otherRegion(consumer, found.instance);
    return elsewhere === undefined ? found : { reason: elsewhere };
  }

  private named(consumer: Instance, spec: ReferenceSpec, type: string): { instance: Instance } | { reason: string; candidates?: Instance[] } {
    const what = type === 'aws_launch_template' ? 'launch template' : 'launch configuration';
    const id = text(spec.block, spec.idKey);
    const name = text(spec.block, spec.nameKey);
    const candidates = this.instances().byType.get(type) ?? [];
    if (id !== undefined || name !== undefined) {
      const match = candidates.filter((instance) =>
        type === 'aws_launch_configuration' ? instance.values.name === name : (id !== undefined && instance.values.id === id) || (name !== undefined && instance.values.name === name),
      );
      // The same name may stand in several regions (the AWS provider 6 lets each resource set its own).
      const here = match.length > 1 ? match.filter((instance) => this.otherRegion(consumer, instance) === undefined) : match;
      if (here.length === 1) return { instance: here[0]! };
    }
    const expressions = this.index.configResource(consumer)?.expressions;
    const refs = [spec.idKey, spec.nameKey].flatMap((key) => references(at(expressions, [...spec.path, key])));
    const pattern = new RegExp(`^(${type}\\.[A-Za-z0-9_-]+)(\\[(?:\\d+|"(?:[^"\\\\]|\\\\.)*")\\])?`);
    const named = refs.flatMap((ref) => {
      const match = pattern.exec(ref);
      return match ? [{ resource: match[1]!, key: match[2] }] : [];
    });
    if (named.length > 0) {
      const resource = named[0]!.resource;
      const key = named.find((ref) => ref.resource === resource && ref.key !== undefined)?.key;
      const base = `${consumer.moduleAddress ? `${consumer.moduleAddress}.` : ''}${resource}`;
      if (key !== undefined) {
        const instance = this.index.byAddress.get(`${base}${key}`);
        return instance?.type === type ? { instance } : { reason: `its ${what} ${base}${key} is not in the plan` };
      }
      const instances = this.instances().byResource.get(base) ?? [];
      if (instances.length === 1) return { instance: instances[0]! };
      if (instances.length === 0) return { reason: `its ${what} ${base} is not in the plan` };
      const by = refs.filter((ref) => !ref.startsWith(resource)).map((ref) => `\`${ref}\``);
      return {
        reason: `its ${what} is one of the ${instances.length} instances of ${base} (${instances.map((instance) => instance.key).join(', ')}), picked by an expression${by.length > 0 ? ` of ${by.join(', ')}` : ''} that the plan does not record: index it with a literal key, or give the ${what}'s name`,
        candidates: instances,
      };
    }
    if (id !== undefined || name !== undefined) {
      return { reason: `its ${what} ${id ?? name} is not managed by this plan, so its values are not known` };
    }
    if (refs.length > 0) return { reason: `its ${what} comes from ${refs.map((ref) => `\`${ref}\``).join(', ')}, which the plan does not resolve` };
    return { reason: `its ${what} is known only after apply` };
  }

  /**
   * Why the consumer cannot launch from `found`, when the two are not in the same region: a launch template or
   * configuration belongs to one region, and a launch in another looks its ID or name up there (with the AWS
   * provider 6 each resource may set its own `region`; before, each may use another provider configuration).
   */
  private otherRegion(consumer: Instance, found: Instance): string | undefined {
    const theirs = this.regionOf(found, 'aws');
    const ours = this.regionOf(consumer, 'aws');
    if ('unknown' in ours) return undefined;
    if ('unknown' in theirs) return `the region of ${found.address} is not known (${theirs.unknown}), so whether ${consumer.address} can launch from it is not known`;
    if ('value' in ours && 'value' in theirs) {
      return ours.value === theirs.value
        ? undefined
        : `${found.address} is in ${theirs.value} and ${consumer.address} launches in ${ours.value}: a launch finds its ${found.type === 'aws_launch_template' ? 'launch template' : 'launch configuration'} by ID or name in its own region, not in ${theirs.value}`;
    }
    if (!('value' in ours) && !('value' in theirs)) return undefined;
    const region = 'value' in ours ? ours.value : (theirs as { value: string }).value;
    const whose = 'value' in ours ? found.address : consumer.address;
    return `${whose} is in the provider's default region and the other in ${region}: whether that is the same region is not known (pass --region)`;
  }

  /** `$Latest`, `$Default`, or a version number, as the consumer asks (`$Default` when it does not say). */
  private version(consumer: Instance, spec: ReferenceSpec): string {
    const value = text(spec.block, 'version') ?? count(spec.block, 'version')?.toString();
    if (value !== undefined) return value;
    const refs = references(at(this.index.configResource(consumer)?.expressions, [...spec.path, 'version']));
    if (refs.some((ref) => ref.endsWith('.latest_version'))) return '$Latest';
    if (refs.some((ref) => ref.endsWith('.default_version'))) return '$Default';
    return '$Default';
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function references(expression: unknown): string[] {
  const refs = (expression as { references?: unknown } | null)?.references;
  return Array.isArray(refs) ? refs.filter((ref): ref is string => typeof ref === 'string') : [];
}

/**
 * Why the template's planned values are not those of the version asked for, if they are not. The plan holds one
 * set of values: the template's latest version after apply. A template created by the plan has one version, both
 * default and latest; an updated one gets a new latest version, which is the default only with
 * `update_default_version`.
 */
function staleVersion(template: Instance, version: string): string | undefined {
  if (template.actions === 'create') return undefined;
  const latest = count(template.values, 'latest_version');
  const defaultVersion = count(template.values, 'default_version');
  const unchanged = template.actions === 'no-op' || template.actions === '';
  if (version === '$Latest') return undefined;
  if (version === '$Default') {
    if (flag(template.values, 'update_default_version') === true) return undefined;
    if (unchanged && latest !== undefined && latest === defaultVersion) return undefined;
    return `it launches the default version${defaultVersion !== undefined ? ` (${defaultVersion})` : ''} of ${template.address}, but the plan holds the values of its latest version only (set update_default_version, or use version = "$Latest")`;
  }
  if (unchanged && latest !== undefined && String(latest) === version) return undefined;
  return `it launches version ${version} of ${template.address}, whose values are not in the plan`;
}

/** What a launch template's planned values say about a launch. */
export function readTemplate(template: Instance): TemplateLaunch {
  const values = template.values;
  const image = text(values, 'image_id');
  const placement = blocks(values, 'placement')[0];
  const zone = text(placement, 'availability_zone', ['placement', 0]);
  const [requirements] = blocks(values, 'instance_requirements');
  return {
    address: template.address,
    ...(image !== undefined && { image }),
    ...(image === undefined && {
      imageUnknown: isUnknown(template, ['image_id']) ? `the image_id of ${template.address} is known only after apply` : `${template.address} sets no image_id`,
    }),
    ...(text(values, 'instance_type') !== undefined && { type: text(values, 'instance_type') }),
    ...(requirements !== undefined && { requirements: instanceRequirements(requirements) }),
    ...(zone !== undefined && { zones: [zone] }),
  };
}

/** Zones a resource pins its launches to. */
export function zonesOf(values: Node, key: string): string[] | undefined {
  const zones = key === 'availability_zones' ? texts(values, key) : [text(values, key)].filter((zone): zone is string => zone !== undefined);
  return zones.length > 0 ? zones : undefined;
}

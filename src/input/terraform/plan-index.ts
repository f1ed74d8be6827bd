import type { ConfigModule, ConfigResource, ModuleCall, Plan, PlannedModule, PlannedResource, Values } from './plan-format.js';

/**
 * A plan, indexed for the readers: every managed resource instance that will exist after apply with its values,
 * and the configuration of every resource and module call, by module path.
 */

/** One managed resource instance, with everything the plan knows about it. */
export interface Instance {
  /** `module.app[0].aws_instance.web["a"]`. */
  address: string;
  /** `module.app[0]`; `''` in the root module. */
  moduleAddress: string;
  type: string;
  /** The resource name (`web` in `aws_instance.web`). */
  name: string;
  /** `[0]`, `["a"]`, or `''`: the instance key part of the address. */
  key: string;
  /** Planned attribute values; an attribute Terraform does not know yet is absent or null. */
  values: Values;
  /** `change.before`: the values of the object as it exists, when it does (an update, a no-op). */
  before?: Values;
  /** `change.after_unknown`: `true` where a value is known only after apply; undefined from `planned_values`. */
  afterUnknown: unknown;
  /** `change.actions` joined (`create`, `no-op`, `delete,create`); `''` for instances found only in `planned_values`. */
  actions: string;
  /** Which section the instance was found in, for its line. */
  section: 'resource_changes' | 'planned_values';
}

export interface PlanIndex {
  /** Instances that will exist after apply (not deleted, not deposed), in plan order: `resource_changes` first. */
  instances: Instance[];
  byAddress: Map<string, Instance>;
  /** The configuration of a resource: `<module path without keys>|<type>.<name>`. */
  configResource(instance: Pick<Instance, 'moduleAddress' | 'type' | 'name'>): ConfigResource | undefined;
  /** The call of a module, by module path without keys (`module.a.module.b`). */
  moduleCall(modulePath: string): ModuleCall | undefined;
}

export function indexPlan(plan: Plan): PlanIndex {
  const planned = new Map<string, { resource: PlannedResource; moduleAddress: string }>();
  indexPlanned(plan.planned_values?.root_module, '', planned);
  const instances: Instance[] = [];
  const seen = new Set<string>();
  for (const change of plan.resource_changes ?? []) {
    seen.add(change.address);
    if (change.mode !== 'managed' || change.deposed !== undefined) continue;
    const actions = change.change.actions.length === 1 ? change.change.actions[0]! : change.change.actions.join(',');
    if (actions === 'delete' || actions === 'forget') continue;
    instances.push({
      address: change.address,
      moduleAddress: change.module_address ?? '',
      type: change.type,
      name: change.name,
      key: instanceKey(change.address),
      values: valuesOf(planned.get(change.address)?.resource.values, change.change.after),
      ...(change.change.before && { before: change.change.before }),
      afterUnknown: change.change.after_unknown,
      actions,
      section: 'resource_changes',
    });
  }
  for (const [address, { resource, moduleAddress }] of planned) {
    if (seen.has(address) || resource.mode !== 'managed') continue;
    instances.push({
      address,
      moduleAddress,
      type: resource.type,
      name: resource.name,
      key: instanceKey(address),
      values: resource.values ?? {},
      afterUnknown: undefined,
      actions: '',
      section: 'planned_values',
    });
  }
  const resources = new Map<string, ConfigResource>();
  const calls = new Map<string, ModuleCall>();
  indexConfig(plan.configuration?.root_module, '', resources, calls);
  const byAddress = new Map<string, Instance>();
  for (const instance of instances) byAddress.set(instance.address, instance);
  return {
    instances,
    byAddress,
    configResource: ({ moduleAddress, type, name }) => resources.get(`${withoutInstanceKeys(moduleAddress)}|${type}.${name}`),
    moduleCall: (modulePath) => calls.get(modulePath),
  };
}

/** The planned values of an instance with its change's `after` over them; `after` itself when there are none (no copy per resource). */
function valuesOf(planned: Values | undefined, after: Values | null | undefined): Values {
  if (planned === undefined) return after ?? {};
  return { ...planned, ...after };
}

function indexPlanned(module: PlannedModule | undefined, moduleAddress: string, into: Map<string, { resource: PlannedResource; moduleAddress: string }>): void {
  for (const resource of module?.resources ?? []) into.set(resource.address, { resource, moduleAddress });
  for (const child of module?.child_modules ?? []) indexPlanned(child, child.address ?? moduleAddress, into);
}

function indexConfig(module: ConfigModule | undefined, modulePath: string, resources: Map<string, ConfigResource>, calls: Map<string, ModuleCall>): void {
  for (const resource of module?.resources ?? []) resources.set(`${modulePath}|${resource.address}`, resource);
  for (const [name, call] of Object.entries(module?.module_calls ?? {})) {
    const path = modulePath ? `${modulePath}.module.${name}` : `module.${name}`;
    calls.set(path, call);
    indexConfig(call.module, path, resources, calls);
  }
}

const INSTANCE_KEYS = /\[(?:\d+|"(?:[^"\\]|\\.)*")\]/g;

/** `module.a["x"].module.b[0]` → `module.a.module.b`: the module's path in the configuration. */
export function withoutInstanceKeys(moduleAddress: string): string {
  // Readers ask several times per resource, mostly of addresses without keys (the root module's is ''): a global
  // replace costs even when nothing matches.
  return moduleAddress.includes('[') ? moduleAddress.replace(INSTANCE_KEYS, '') : moduleAddress;
}

/** `aws_instance.web[0]` → `[0]`; `aws_instance.web` → `''`. */
function instanceKey(address: string): string {
  if (!address.endsWith(']')) return '';
  // A `count` index, the common key, without the pattern (which tries every position of the address).
  const open = address.lastIndexOf('[');
  if (open >= 0 && /^\[\d+\]$/.test(address.slice(open))) return address.slice(open);
  return /(\[(?:\d+|"(?:[^"\\]|\\.)*")\])$/.exec(address)?.[1] ?? '';
}

/** `module.a.module.b` → `module.a`; `module.a` → `''`. */
export function parentModule(modulePath: string): string {
  const at = modulePath.lastIndexOf('.module.');
  return at < 0 ? '' : modulePath.slice(0, at);
}

/** True when the plan says `path` of the instance is known only after apply (or leaves it out, as it does then). */
export function isUnknown(instance: Pick<Instance, 'afterUnknown' | 'values'>, path: readonly (string | number)[]): boolean {
  let node = instance.afterUnknown;
  for (const segment of path) {
    if (node === true || typeof node !== 'object' || node === null) break;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node === true || (typeof path[0] === 'string' && !Object.hasOwn(instance.values, path[0]));
}

/** The value at `path` of a nested map/list structure (values, expressions, `after_unknown`). */
export function at(root: unknown, path: readonly (string | number)[]): unknown {
  let node = root;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

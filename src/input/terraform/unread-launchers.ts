import { at, type Instance } from './plan-index.js';

/**
 * Resource kinds of the AWS provider that launch EC2 instances whose images and types imglint does not read: each
 * resource gives one unverifiable target with the reason, never nothing. Kinds that launch no instance
 * (`aws_ec2_capacity_reservation` and `aws_ec2_host` reserve capacity; `aws_ecs_capacity_provider` scales an Auto
 * Scaling group that is read on its own) are not here, nor are services whose machines are not EC2 instance types
 * (SageMaker `ml.*`, AppStream `stream.*`, Lightsail bundles).
 *
 * An entry may say when a resource of its kind launches instances (`when`; default: always) and why its launches
 * are not read (`why`; default: imglint does not read the kind).
 */
interface Unread {
  when?: (instance: Instance) => boolean;
  why?: string;
}

const UNREAD: ReadonlyMap<string, Unread> = new Map<string, Unread>([
  // EMR picks the release's AMI unless `custom_ami_id`, on the instance groups' or fleets' types.
  ['aws_emr_cluster', {}],
  ['aws_emr_instance_group', {}],
  ['aws_emr_instance_fleet', {}],
  // `MANAGED` EC2 and SPOT environments launch ECS- or EKS-optimized AMIs (or `ec2_configuration` overrides) on
  // types Batch picks from `instance_type` (`optimal`, families); Fargate ones and `UNMANAGED` ones launch none.
  ['aws_batch_compute_environment', { when: ({ values }) => lower(values.type) !== 'unmanaged' && !lower(first(values.compute_resources)?.type).startsWith('fargate') }],
  ['aws_opsworks_instance', {}],
  ['aws_elastic_beanstalk_environment', {}],
  ['aws_gamelift_fleet', {}],
  ['aws_gamelift_game_server_group', {}],
  // The build and test instances of the infrastructure configuration's types, from the recipe's parent image.
  ['aws_imagebuilder_image', {}],
  ['aws_imagebuilder_image_pipeline', {}],
  // EKS Auto Mode: "EKS Auto Mode will create and delete EC2 Managed Instances in your AWS account", of types its
  // node pools pick, from AMIs EKS chooses (`compute_config.enabled`).
  [
    'aws_eks_cluster',
    {
      when: ({ values, afterUnknown }) => first(values.compute_config)?.enabled === true || at(afterUnknown, ['compute_config', 0, 'enabled']) === true,
      why: 'EKS Auto Mode launches EC2 instances of the types its node pools pick, from AMIs EKS chooses at run time (compute_config.enabled): no image or type is in the plan',
    },
  ],
]);

function first(value: unknown): Record<string, unknown> | undefined {
  const [block] = Array.isArray(value) ? value : [];
  return typeof block === 'object' && block !== null && !Array.isArray(block) ? (block as Record<string, unknown>) : undefined;
}

function lower(value: unknown): string {
  return typeof value === 'string' ? value.toLowerCase() : '';
}

/** Why `instance` is unverifiable, when it is of a kind that launches EC2 instances imglint does not read; else undefined. */
export function unreadLauncher(instance: Instance): string | undefined {
  const unread = UNREAD.get(instance.type);
  if (unread === undefined || !(unread.when?.(instance) ?? true)) return undefined;
  return unread.why ?? `${instance.type} launches EC2 instances, which imglint does not read: check its image and types by hand`;
}

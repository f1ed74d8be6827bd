import { closeMatches } from '../../catalog/close-matches.js';
import { InputError } from '../../errors.js';
import { Unknown } from './intrinsics.js';

/**
 * A template's parameters as `Ref` sees them: the value given (`--parameter`, `.imglint.yaml`) over the
 * `Default`, checked as CloudFormation checks it when it creates the stack
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html).
 */

/** Values for one template: `own` must be declared by it; `shared` (given for every template) apply where declared. */
export interface GivenParameters {
  /** Values meant for this template (`--parameter template.yaml:KEY=VALUE`, `.imglint.yaml`): a key it does not declare is an error. */
  own: Readonly<Record<string, string>>;
  /** Values given for every template of the run (`--parameter KEY=VALUE`): ignored by a template that does not declare them. */
  shared: Readonly<Record<string, string>>;
}

/** What {@link parameterValues} found. */
export interface ParameterValues {
  /** By name; an SSM-typed parameter holds `resolve:ssm:<name>`, a list type a list, one CloudFormation reads at deploy an {@link Unknown}. */
  values: Map<string, unknown>;
  /** Declared parameters without a value. */
  unset: Set<string>;
}

const SSM_PARAMETER = /^AWS::SSM::Parameter::Value<(.+)>$/;
const AMI_ID = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/**
 * The value of every declared parameter.
 *
 * Types: `CommaDelimitedList` and `List<...>` split at commas; `AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>`
 * and `AWS::SSM::Parameter::Value<String>` hold the SSM parameter's name, as `resolve:ssm:<name>` (read live by
 * the caller) unless the value given is an AMI ID (then it is taken as the parameter's resolved value); other SSM
 * types (lists) are known only at deploy.
 *
 * @param declared - the template's `Parameters` section.
 * @param where - `path` and the line of a parameter, for messages.
 * @throws InputError `UnknownCloudFormationParameter` for a key of `given.own` the template does not declare;
 *   `InvalidCloudFormationParameter` for a value CloudFormation refuses: not one of the parameter's `AllowedValues`,
 *   or not a number for a `Number` parameter (given, or its `Default`).
 */
export function parameterValues(
  declared: Readonly<Record<string, unknown>>,
  given: GivenParameters,
  where: { path: string; lineOf: (name: string) => number },
): ParameterValues {
  const names = Object.keys(declared);
  for (const key of Object.keys(given.own)) {
    if (Object.hasOwn(declared, key)) continue;
    const [close] = closeMatches(key, names.map((name) => [name, []] as const), 1);
    throw new InputError('UnknownCloudFormationParameter', `${where.path}: --parameter ${key}: the template declares no such parameter${close ? ` (did you mean ${close}?)` : ''}`, {
      hint: `its parameters: ${names.join(', ') || 'none'}`,
    });
  }
  const values = new Map<string, unknown>();
  const unset = new Set<string>();
  for (const [name, declaration] of Object.entries(declared)) {
    const spec = (typeof declaration === 'object' && declaration !== null ? declaration : {}) as Record<string, unknown>;
    const givenValue = given.own[name] ?? given.shared[name];
    const raw = givenValue ?? spec.Default;
    if (raw === undefined || raw === null) {
      unset.add(name);
      continue;
    }
    const type = String(spec.Type ?? 'String');
    const text = String(raw);
    const origin = givenValue !== undefined ? `${where.path}: --parameter ${name}=${text}` : `${where.path}:${where.lineOf(name)}: Parameters.${name}: its Default ${text}`;
    checkValue(name, type, text, spec, origin);
    values.set(name, valueOf(name, type, text));
  }
  return { values, unset };
}

/** Refuses what CloudFormation refuses at stack creation ("Parameter 'X' must be one of AllowedValues"). */
function checkValue(name: string, type: string, text: string, spec: Record<string, unknown>, origin: string): void {
  const items = isList(type) ? text.split(',').map((item) => item.trim()) : [text];
  if (Array.isArray(spec.AllowedValues)) {
    const allowed = spec.AllowedValues.map(String);
    const refused = items.find((item) => !allowed.includes(item));
    if (refused !== undefined) {
      throw new InputError('InvalidCloudFormationParameter', `${origin}: ${JSON.stringify(refused)} is not one of the AllowedValues of parameter ${name} (${allowed.join(', ')}), so CloudFormation refuses the stack`, {
        hint: `give one of ${allowed.join(', ')}`,
      });
    }
  }
  if (type === 'Number' || type === 'List<Number>') {
    const refused = items.find((item) => item === '' || !Number.isFinite(Number(item)));
    if (refused !== undefined) {
      throw new InputError('InvalidCloudFormationParameter', `${origin}: ${JSON.stringify(refused)} is not a number, which parameter ${name} (${type}) must be, so CloudFormation refuses the stack`, {
        hint: 'give a number, such as 2 or 0.5',
      });
    }
  }
}

function isList(type: string): boolean {
  return type === 'CommaDelimitedList' || type.startsWith('List<');
}

function valueOf(name: string, type: string, text: string): unknown {
  const ssm = SSM_PARAMETER.exec(type)?.[1];
  if (ssm === 'AWS::EC2::Image::Id' || ssm === 'String') return AMI_ID.test(text) ? text : `resolve:ssm:${text}`;
  if (ssm !== undefined) return new Unknown(`parameter ${name} is the SSM parameter ${text} (${ssm}), which CloudFormation reads at deploy`);
  if (isList(type)) return text.split(',').map((item) => item.trim());
  return text;
}

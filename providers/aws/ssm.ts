import type { SSMClient } from '@aws-sdk/client-ssm';
import { ProviderApiError } from '../../src/errors.js';

/**
 * SSM Parameter Store, for images given as parameters (`resolve:ssm:/aws/service/ami-amazon-linux-latest/...`,
 * CloudFormation's `{{resolve:ssm:...}}` and `AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>` parameters).
 * The SDK is loaded on first use only, from the bundle `ssm-sdk.ts` becomes (like the EC2 client, see
 * `ec2-client.ts`): the offline path never loads it. Endpoint and credentials come from the SDK's own chain
 * (`AWS_ENDPOINT_URL_SSM`, `AWS_ENDPOINT_URL`, `AWS_PROFILE`, ...).
 */

/** The SDK exports imglint uses (type only: nothing is loaded by naming it). */
type SsmSdk = typeof import('./ssm-sdk.js');

/** `GetParameters` takes at most 10 names a call (`ParameterNameList`, max 10). */
export const SSM_NAMES_PER_CALL = 10;

let sdk: Promise<SsmSdk> | undefined;

function loadSsmSdk(): Promise<SsmSdk> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return (sdk ??= import('./ssm-sdk.js'));
}

/** A parameter's value when it names an AMI, or why it gives none. */
export type SsmAnswer = { value: string } | { reason: string };

/**
 * Reads every parameter of `names` in `region`: one `GetParameters` call per 10 names.
 *
 * @param names - parameter names, optionally with a `:version` or `:label` selector, as `resolve:ssm:` takes them.
 * @param region - the region to ask; undefined: the SDK's (`AWS_REGION`, profile).
 * @param client - an `SSMClient` to use instead of creating one.
 * @returns by name: the value when it is an AMI ID; a reason when the parameter does not exist (or the
 *   credentials cannot see it: SSM does not tell them apart) or holds something else.
 * @throws ProviderApiError `SsmRequestFailed` when SSM cannot be asked (credentials, network, throttling after
 *   retries).
 */
export async function resolveSsmParameters(names: readonly string[], region: string | undefined, client?: Pick<SSMClient, 'send'>): Promise<Map<string, SsmAnswer>> {
  const { SSMClient, GetParametersCommand } = await loadSsmSdk();
  const ssm = client ?? new SSMClient({ ...(region && { region }), requestHandler: { requestTimeout: 10_000, connectionTimeout: 5_000, throwOnRequestTimeout: true } });
  const answers = new Map<string, SsmAnswer>();
  const unique = [...new Set(names)];
  for (let start = 0; start < unique.length; start += SSM_NAMES_PER_CALL) {
    const chunk = unique.slice(start, start + SSM_NAMES_PER_CALL);
    let output;
    try {
      output = await ssm.send(new GetParametersCommand({ Names: chunk }));
    } catch (error) {
      const code = (error as { name?: string }).name ?? 'Error';
      throw new ProviderApiError('SsmRequestFailed', `SSM GetParameters${region ? ` in ${region}` : ''} failed: ${code}: ${(error as Error).message}`.slice(0, 500), {
        hint: 'check the credentials (ssm:GetParameters), the region and the network, or pass --offline',
        cause: error,
      });
    }
    for (const parameter of output.Parameters ?? []) {
      const asked = chunk.find((name) => name === parameter.Name || name === parameter.Selector || name === `${parameter.Name}${parameter.Selector ?? ''}`) ?? parameter.Name;
      if (asked === undefined) continue;
      const value = parameter.Value ?? '';
      answers.set(asked, /^ami-[0-9a-f]{8,17}$/.test(value) ? { value } : { reason: `the SSM parameter ${asked} holds ${JSON.stringify(value.slice(0, 80))}, not an AMI ID` });
    }
    for (const name of chunk) {
      if (!answers.has(name)) answers.set(name, { reason: `the SSM parameter ${name} does not exist in ${region ?? 'the default region'}, or the credentials cannot read it` });
    }
  }
  return answers;
}

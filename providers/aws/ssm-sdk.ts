/**
 * The parts of `@aws-sdk/client-ssm` imglint uses, imported only dynamically (`ssm.ts`' `loadSsmSdk`) and bundled by
 * the build from the SDK's ES modules into `dist/aws-sdk/ssm.js`, tree-shaken to `GetParameters`, like `ec2-sdk.ts`.
 */
export { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
export { NodeHttpHandler } from '@smithy/node-http-handler';

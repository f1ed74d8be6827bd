/**
 * The parts of the AWS SDK the AWS provider uses, in one module that is only ever imported dynamically
 * (`ec2-client.ts`' `loadEc2Sdk`). The build (`scripts/build.mjs`) bundles it from the SDK's ES modules into
 * `dist/aws-sdk/ec2.js`, tree-shaken to these three commands and their schemas (the whole client is a 2 MB CommonJS
 * file whose import costs about 200 ms; this is under 100 KB). Another AWS client goes in a module of its own
 * like this one, listed in the build's `SDK_ENTRIES`.
 */
export {
  DescribeImagesCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
export { NodeHttpHandler } from '@smithy/node-http-handler';

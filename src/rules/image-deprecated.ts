import { createRule } from './rule.js';

/** An AMI past its `DeprecationTime` still launches by ID, but is hidden from listings and due to go. */
export const imageDeprecated = createRule({
  id: 'image-deprecated',
  severity: 'warning',
  summary: 'The image passed its DeprecationTime: it still launches by ID but is on its way out.',
  curedByOtherType: false,
  aws: {
    violates: ({ image, now }) => image.deprecationTime !== undefined && Date.parse(image.deprecationTime) <= now.getTime(),
    explain({ image }) {
      return {
        message: `AMI ${image.id} was deprecated on ${image.deprecationTime}`,
        fix: "Move to the image's current release (for AWS-published images, resolve the public SSM parameter, e.g. /aws/service/ami-amazon-linux-latest/...)",
      };
    },
  },
});

import { CONFIG_SCHEMA_URL } from './schema-url.js';

/**
 * The `.imglint.yaml` that `imglint init` writes: every key, commented out at its default, so the file changes
 * nothing until a line is uncommented. The first line points YAML language servers (VS Code's YAML extension, ...)
 * at the JSON Schema shipped in the package, for completion and validation while editing.
 */
export const INIT_TEMPLATE = `# yaml-language-server: $schema=${CONFIG_SCHEMA_URL}
#
# imglint configuration (docs/configuration.md). imglint reads .imglint.yaml from the working directory or the
# nearest parent, up to the repository root. Command-line flags win over this file; this file wins over the
# defaults. Every key below is commented out at its default: uncomment what you want to change.

# Provider and region of targets that do not name their own (--provider, --region).
# provider: aws                 # aws | rackspace | openstack
# region: us-east-1

# Lowest severity that fails a target, inclusive (--fail-on): error | warning | info | never.
# failOn: error

# Exit 1 when more findings than this are warnings, even if none fails (--max-warnings).
# maxWarnings: 0

# What a target imglint cannot verify (image not visible, type unknown offline, value known only after apply)
# counts as (--on-unverifiable): error | warning | ignore.
# onUnverifiable: warning

# Files of targets checked with every run, relative to this file: Terraform plans (--plan; sourceDir: where the
# .tf files are, --source-dir) and CloudFormation templates (--cloudformation; parameters: --parameter values, which
# the command line's override; region: AWS::Region, default --region).
# plans:
#   - plan: plan.json
#     sourceDir: infra
# cloudformation:
#   - template: template.yaml
#     parameters:
#       Environment: prod
#     region: us-east-1

# Severity overrides by rule ID: off | info | warning | error. \`imglint rules\` lists the IDs.
# rules:
#   previous-generation: off

# Findings to keep in the report without counting them. \`rule\` (a rule ID, or "*" with at least one glob) and a
# \`reason\` are required; image, type, target (resource address) and file are globs that must all match (* does
# not cross /, ** does). Quote values that start with *. \`expires\` (YYYY-MM-DD, UTC) ends an ignore.
# For one resource, a comment on the line above it in the .tf file or template works too:
#   # imglint-ignore virtualization-type -- legacy fleet, moving to HVM (OPS-1234)
# ignore:
#   - rule: virtualization-type
#     image: ami-0e972d2890378139a
#     type: "t2.*"
#     reason: "legacy fleet, moving to HVM (OPS-1234)"
#     expires: 2027-01-31
`;

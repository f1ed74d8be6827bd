/**
 * Writes schema/imglint-config.schema.json, the JSON Schema of `.imglint.yaml`, from the zod schema that validates it
 * (src/config/schema.ts) with zod 4's own `toJSONSchema`. Run by `npm run generate:config-schema`; the package ships
 * the file, `imglint init` points editors at it, and a test fails when it is not what this script writes.
 *
 * zod's refinements (rule IDs, dates, "'*' needs a glob") are code, not schema: the rule IDs are added as enums,
 * the rest stays the CLI's to check.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as z from 'zod/mini';
import { CONFIG_SCHEMA_URL } from '../src/config/schema-url.js';
import { ImglintConfigFile, RuleSetting } from '../src/config/schema.js';
import { rules } from '../src/rules/index.js';

export const SCHEMA_FILE = fileURLToPath(new URL('../schema/imglint-config.schema.json', import.meta.url));

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; items?: JsonSchema };

function withoutDialect({ $schema: _dialect, ...schema }: JsonSchema): JsonSchema {
  return schema;
}

/** The schema text: zod's export, with the rule IDs as enums and a description of every key. */
export function configSchemaText(): string {
  const schema = z.toJSONSchema(ImglintConfigFile, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const ruleIds = rules.map((rule) => rule.id);
  const properties = schema.properties!;
  properties.rules = {
    type: 'object',
    description: 'Severity overrides by rule ID (`imglint rules` lists them): off, info, warning or error.',
    propertyNames: { enum: ruleIds },
    additionalProperties: withoutDialect(z.toJSONSchema(RuleSetting) as JsonSchema),
  };
  const ignore = properties.ignore!.items!;
  ignore.properties!.rule = { type: 'string', enum: ['*', ...ruleIds], description: 'A rule ID, or "*" for every rule (then at least one glob).' };
  const describe: Record<string, string> = {
    provider: 'Provider of targets that do not name one (--provider).',
    region: 'Region of targets that do not name one (--region).',
    failOn: 'Lowest severity that fails a target, inclusive (--fail-on).',
    maxWarnings: 'Exit 1 when more findings than this are warnings (--max-warnings).',
    onUnverifiable: 'What a target that cannot be verified counts as (--on-unverifiable).',
    ignore: 'Findings to keep in the report without counting them; each needs a rule and a reason.',
    plans: 'Terraform plans (terraform show -json) to check with every run (--plan), relative to this file; sourceDir: their .tf files (--source-dir).',
    cloudformation: 'CloudFormation templates to check with every run (--cloudformation), relative to this file, with parameter values (--parameter) and region.',
  };
  for (const [key, text] of Object.entries(describe)) if (properties[key]) properties[key].description = text;
  const globs: Record<string, string> = {
    image: 'Glob on the image ID.',
    type: 'Glob on the instance type or flavor.',
    target: 'Glob on the resource address (aws_instance.legacy*).',
    file: 'Glob on the file the target was read from (picomatch: * stays in one directory, ** crosses them).',
    reason: 'Why the findings are acceptable; shown with each of them.',
    expires: 'Last day (YYYY-MM-DD, UTC) or instant (ISO 8601 with a zone) the ignore applies.',
  };
  for (const [key, text] of Object.entries(globs)) if (ignore.properties![key]) ignore.properties![key].description = text;
  const ordered = { $schema: schema.$schema, $id: CONFIG_SCHEMA_URL, title: 'imglint configuration (.imglint.yaml)', ...schema };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(SCHEMA_FILE, configSchemaText());
  console.log(`wrote ${SCHEMA_FILE}`);
}

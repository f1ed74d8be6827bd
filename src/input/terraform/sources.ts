import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../../errors.js';
import { withoutInstanceKeys, type PlanIndex } from './plan-index.js';

/**
 * Where a resource block is written in the configuration: the `.tf` file and line of `resource "<type>" "<name>"`,
 * so findings land on the lines people edit (code-scanning alerts, annotations in the pull request's diff). Module
 * resources are found through the module calls' local `source` paths (`./modules/app`, `../shared`); a registry or
 * Git module has no local source, and its resources keep the plan's line.
 */

/** The `.tf` location of a resource, by module path and `<type>.<name>`. */
export type TerraformSources = (modulePath: string, resource: string) => { file: string; line: number } | undefined;

/**
 * The directory Terraform ran in, when given: `--source-dir`, else the plan's own directory if it holds `.tf` files.
 * @throws UsageError when `--source-dir` is not a directory that holds Terraform configuration (`.tf` or `.tf.json`
 *   files): a typo there would otherwise leave every finding on the plan's lines without a word.
 */
export function sourceDirectory(planPath: string, explicit: string | undefined): string | undefined {
  if (explicit === undefined) {
    const dir = dirname(planPath);
    return tfFiles(dir).length > 0 ? dir : undefined;
  }
  const hint = 'give the directory of the Terraform configuration the plan was made from (where `terraform plan` ran), or drop --source-dir';
  let names: string[];
  try {
    if (!statSync(explicit).isDirectory()) throw new UsageError(`--source-dir ${explicit}: not a directory`, { hint });
    names = readdirSync(explicit);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`--source-dir ${explicit}: ${code === 'ENOENT' ? 'no such directory' : `cannot be read (${code ?? (error as Error).message})`}`, { hint, cause: error });
  }
  if (!names.some((name) => name.endsWith('.tf') || name.endsWith('.tf.json'))) {
    throw new UsageError(`--source-dir ${explicit}: holds no Terraform configuration (no .tf or .tf.json file)`, { hint });
  }
  return explicit;
}

function tfFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith('.tf') && statSync(join(dir, name)).isFile())
      .sort();
  } catch {
    return [];
  }
}

const RESOURCE_BLOCK = /^[ \t]*resource[ \t]+"([^"]+)"[ \t]+"([^"]+)"[ \t]*\{/gm;

/**
 * Reads the `.tf` files of the root module in `root` and of each local module the plan calls, on first use.
 * `@throws` nothing: an unreadable directory or file only means no `.tf` location.
 */
export function terraformSources(root: string, index: PlanIndex): TerraformSources {
  const modules = new Map<string, Map<string, { file: string; line: number }> | undefined>();
  const directoryOf = (modulePath: string): string | undefined => {
    if (modulePath === '') return root;
    const parent = modulePath.slice(0, Math.max(0, modulePath.lastIndexOf('.module.')));
    const source = index.moduleCall(modulePath)?.source;
    if (source === undefined || !(source.startsWith('./') || source.startsWith('../'))) return undefined;
    const parentDir = directoryOf(parent);
    return parentDir === undefined ? undefined : join(parentDir, source);
  };
  const blocksOf = (modulePath: string) => {
    if (!modules.has(modulePath)) {
      const dir = directoryOf(modulePath);
      modules.set(modulePath, dir === undefined ? undefined : resourceBlocks(dir));
    }
    return modules.get(modulePath);
  };
  return (modulePath, resource) => blocksOf(withoutInstanceKeys(modulePath))?.get(resource);
}

function resourceBlocks(dir: string): Map<string, { file: string; line: number }> {
  const found = new Map<string, { file: string; line: number }>();
  for (const name of tfFiles(dir)) {
    let text: string;
    try {
      text = readFileSync(join(dir, name), 'utf8');
    } catch {
      continue;
    }
    let line = 1;
    let counted = 0;
    for (const match of text.matchAll(RESOURCE_BLOCK)) {
      for (let at = counted; at < match.index; at++) if (text.charCodeAt(at) === 10) line++;
      counted = match.index;
      const key = `${match[1]}.${match[2]}`;
      if (!found.has(key)) found.set(key, { file: join(dir, name), line });
    }
  }
  return found;
}

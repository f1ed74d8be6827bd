import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../cli/run-cli.js';

/**
 * Writes the tsconfig.json of a project that consumes imglint's declarations the way a user's TypeScript project
 * does (strict, NodeNext, Node's types from this checkout's @types/node), for `files`; `options` add to or override
 * the compiler options.
 */
export function writeConsumerTsconfig(project: string, files: readonly string[], options: Record<string, unknown> = {}): void {
  const compilerOptions = {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2023'],
    types: ['node'],
    typeRoots: [join(repoRoot, 'node_modules', '@types')],
    strict: true,
    noEmit: true,
    ...options,
  };
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions, files }));
}

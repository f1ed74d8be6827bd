// Builds dist/: an ESM bundle for the library (index.js) and the CLI (cli.js) sharing lazy chunks, plus
// declarations. The AWS SDK stays external and is loaded only on the live AWS path.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { analyzeMetafile, build } from 'esbuild';

rmSync('dist', { recursive: true, force: true });
const result = await build({
  entryPoints: { index: 'src/index.ts', cli: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  minify: true,
  sourcemap: 'linked',
  external: ['@aws-sdk/client-ec2'],
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  metafile: true,
  // commander is CommonJS and requires node builtins; give the ESM bundle a real require for them.
  banner: { js: "import { createRequire as __imglintCreateRequire } from 'node:module'; const require = __imglintCreateRequire(import.meta.url);" },
});
if (process.env.IMGLINT_BUILD_ANALYZE) console.log(await analyzeMetafile(result.metafile));
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });

// Builds dist/: ESM bundles for the library (index.js) and the CLI (cli.js), plus declarations. The AWS SDK stays
// external and is loaded only on the live AWS path.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { analyzeMetafile, build } from 'esbuild';

/**
 * Embedded catalogs become `JSON.parse("...")` modules: V8 parses a JSON string about ten times faster than the
 * same data as a JavaScript object literal, and these load on the offline start-up path.
 */
const catalogAsJsonParse = {
  name: 'catalog-json-parse',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]src[\\/]catalog[\\/].*\.json$/ }, (args) => ({
      contents: `export default JSON.parse(${JSON.stringify(readFileSync(args.path, 'utf8'))});`,
      loader: 'js',
    }));
  },
};

rmSync('dist', { recursive: true, force: true });
// Code behind a dynamic import() goes to its own chunk, so an offline check never parses OpenStack, plan, manifest,
// CI-format or cache code (measured: slightly faster than one file per entry point, despite the extra modules).
const result = await build({
  entryPoints: { index: 'src/index.ts', cli: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  platform: 'node',
  // jsonc-parser's `main` is a UMD bundle whose inner requires esbuild cannot follow; its `module` build bundles.
  mainFields: ['module', 'main'],
  target: 'node20.19',
  minify: true,
  sourcemap: 'linked',
  external: ['@aws-sdk/client-ec2'],
  logLevel: 'warning',
  metafile: true,
  plugins: [catalogAsJsonParse],
  // commander is CommonJS and requires node builtins; give the ESM bundle a real require for them.
  banner: { js: "import { createRequire as __imglintCreateRequire } from 'node:module'; const require = __imglintCreateRequire(import.meta.url);" },
});
if (process.env.IMGLINT_BUILD_ANALYZE) console.log(await analyzeMetafile(result.metafile));
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });

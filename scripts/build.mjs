// Builds dist/: ESM bundles for the library (index.js) and the CLI (cli.js), the AWS SDK clients they load lazily
// (aws-sdk/*.js), and declarations. No source maps are shipped: the bundles are minified but keep their function
// and class names (keepNames), so a --debug stack still says where it failed.
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

/**
 * The AWS SDK clients, each bundled from the SDK's ES modules into `dist/aws-sdk/<name>.js` and loaded only by a
 * dynamic import on the live path. A module here re-exports just the client and commands imglint sends
 * (`providers/aws/ec2-sdk.ts`); esbuild keeps only what those reach. Measured for EC2 on this machine: the SDK's
 * CommonJS bundle (2.1 MB) loads in ~240 ms, this entry (~40 KB plus ~200 KB of shared @smithy code) in ~35 ms.
 * Another client is one more `*-sdk.ts` module here, imported dynamically (SSM's `GetParameters` is one).
 */
const SDK_ENTRIES = { 'aws-sdk/ec2': 'providers/aws/ec2-sdk.ts', 'aws-sdk/ssm': 'providers/aws/ssm-sdk.ts' };

/**
 * The SDK's generated schema modules (`dist-es/schemas/schemas_0.js`: every shape of the service, 1.3 MB for EC2)
 * write their XML trait keys as computed keys of string constants (`{ [_xN]: _x }`), which esbuild must assume may
 * have side effects, so it keeps all 3,400 schemas. Inlining the constants (`{ "xmlName": _x }`) makes each schema a
 * pure literal, and the schemas no command reaches are dropped (535 KB -> 4 KB for EC2). The build fails if the
 * SDK's code stops matching, rather than silently shipping the whole service.
 */
const pureSdkSchemas = {
  name: 'pure-sdk-schemas',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]@aws-sdk[\\/]client-[\w-]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const constants = new Map();
      for (const [, name, value] of source.matchAll(/^const (_\w+) = ("(?:[^"\\]|\\.)*");$/gm)) constants.set(name, value);
      let inlined = 0;
      const contents = source.replace(/\[(_\w+)\]:/g, (key, name) => {
        if (!constants.has(name)) return key;
        inlined += 1;
        return `${constants.get(name)}:`;
      });
      if (inlined === 0) throw new Error(`${args.path}: no computed schema keys to inline; update pureSdkSchemas for this SDK version`);
      return { contents, loader: 'js' };
    });
  },
};

rmSync('dist', { recursive: true, force: true });
// Code behind a dynamic import() goes to its own chunk, so an offline check never parses OpenStack, plan, manifest,
// CI-format or cache code (measured: slightly faster than one file per entry point, despite the extra modules).
const result = await build({
  entryPoints: { index: 'src/index.ts', cli: 'src/cli/main.ts', ...SDK_ENTRIES },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  minify: true,
  keepNames: true,
  sourcemap: false,
  // The SDK's packages ship ES modules under `module`, whose CommonJS `main` esbuild cannot tree-shake; jsonc-parser's
  // `main` is a UMD bundle whose inner requires esbuild cannot follow.
  mainFields: ['module', 'main'],
  logLevel: 'warning',
  metafile: true,
  plugins: [catalogAsJsonParse, pureSdkSchemas],
  // commander is CommonJS and requires node builtins; give the ESM bundle a real require for them.
  banner: { js: "import { createRequire as __imglintCreateRequire } from 'node:module'; const require = __imglintCreateRequire(import.meta.url);" },
});
if (process.env.IMGLINT_BUILD_ANALYZE) console.log(await analyzeMetafile(result.metafile));
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });

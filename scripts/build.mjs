// Builds dist/: ESM bundles for the library (index.js) and the CLI (cli.js), the AWS SDK clients they load lazily
// (aws-sdk/*.js), and declarations. No source maps are shipped: the bundles are minified but keep their identifiers,
// so a --debug stack and a class name read as in the sources.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeMetafile, build, transform } from 'esbuild';

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

/**
 * marked-terminal (for `imglint explain`) imports cli-highlight, which brings highlight.js and parse5 (1.2 MB), to
 * colour code blocks, and node-emoji (200 KB) for `:emoji:` shortcodes. The rule pages need neither: both resolve to
 * the small modules in scripts/build-stubs/ that return the text as it is.
 */
const stubs = {
  name: 'stubs',
  setup(builder) {
    builder.onResolve({ filter: /^(cli-highlight|node-emoji)$/ }, (args) => ({ path: fileURLToPath(new URL(`build-stubs/${args.path}.js`, import.meta.url)) }));
  },
};

/**
 * jsonc-parser (for the line and column of a JSON syntax error) declares no `sideEffects`, so esbuild keeps its
 * formatter's module-level tables (300 KB of strings built at start-up) although imglint uses only its scanner.
 * Its modules have no side effects; saying so lets esbuild drop what `visit` does not reach.
 */
const jsoncParserPure = {
  name: 'jsonc-parser-pure',
  setup(builder) {
    builder.onResolve({ filter: /^\.\/(impl\/)?(format|edit|string-intern|scanner|parser)$/ }, (args) => {
      if (!/[\\/]jsonc-parser[\\/]lib[\\/]esm[\\/]/.test(args.importer)) return undefined;
      return { path: path.join(path.dirname(args.importer), `${args.path}.js`), sideEffects: false };
    });
  },
};

/**
 * commander requires `node:child_process` when it loads, for executable subcommands imglint does not have; that
 * module brings net, dgram and streams (several milliseconds of a one-pair check). It is required when first used.
 * The build fails if commander stops matching, rather than silently keeping the eager require.
 */
const commanderLazyChildProcess = {
  name: 'commander-lazy-child-process',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const eager = "const childProcess = require('node:child_process');";
      if (!source.includes(eager)) throw new Error(`${args.path}: no "${eager}"; update commanderLazyChildProcess`);
      const lazy = "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };";
      return { contents: source.replace(eager, lazy), loader: 'js' };
    });
  },
};

/**
 * supports-color (imglint's copy, for `colorFromEnvironment`) computes its default export, the colour levels of fds 1 and 2, when it
 * loads, with `tty.isatty`: that loads `node:tty` and `node:net` (several milliseconds of a one-pair check whose
 * output is a file or a pipe). imglint calls only `createSupportsColor` with its own stream; the default export and
 * the `node:tty` import are left out. The build fails if supports-color stops matching (or something imports the
 * default export), rather than silently loading tty again.
 */
const supportsColorWithoutDefault = {
  name: 'supports-color-without-default',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]supports-color[\\/]index\.js$/ }, (args) => {
      // Only imglint's own copy: marked-terminal's (for `explain`) is another major version, loaded on that path only.
      if (args.path !== path.resolve('node_modules/supports-color/index.js')) return undefined;
      const source = readFileSync(args.path, 'utf8');
      const eager = /^const supportsColor = \{\n\tstdout: createSupportsColor\(\{isTTY: tty\.isatty\(1\)\}\),\n\tstderr: createSupportsColor\(\{isTTY: tty\.isatty\(2\)\}\),\n\};\n\nexport default supportsColor;\n/m;
      const ttyImport = "import tty from 'node:tty';\n";
      if (!eager.test(source) || !source.includes(ttyImport)) throw new Error(`${args.path}: no default export from tty.isatty; update supportsColorWithoutDefault`);
      const contents = source.replace(eager, '').replace(ttyImport, '');
      if (/\btty\./.test(contents)) throw new Error(`${args.path}: still uses tty; update supportsColorWithoutDefault`);
      return { contents, loader: 'js' };
    });
  },
};

/**
 * picocolors computes `isColorSupported` when it loads, reading `process.stdout.isTTY`: that getter builds Node's
 * stdout stream, which loads the stream modules (and `net` for a pipe), several milliseconds of a one-pair check
 * whose output imglint writes to the descriptor (src/cli/standard-output.ts). imglint only calls
 * `createColors(enabled)` with its own decision (src/cli/io.ts), so the default's terminal test is left out. The
 * build fails if picocolors stops matching.
 */
const picocolorsWithoutStdout = {
  name: 'picocolors-without-stdout',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]picocolors[\\/]picocolors\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const eager = '((p.stdout || {}).isTTY && env.TERM !== "dumb") || ';
      if (!source.includes(eager)) throw new Error(`${args.path}: no "${eager}"; update picocolorsWithoutStdout`);
      const contents = source.replace(eager, '');
      if (/\bp\.stdout\b/.test(contents)) throw new Error(`${args.path}: still reads p.stdout; update picocolorsWithoutStdout`);
      return { contents, loader: 'js' };
    });
  },
};

/** What the library and the CLI builds share: split ES modules, minified but for identifiers. */
const common = {
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // Whitespace and syntax only: identifiers keep their names, so class names (`error.constructor.name`) and stack
  // frames read as in the sources, at no start-up cost (esbuild's keepNames would add a call per function).
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: false,
  // The SDK's packages ship ES modules under `module`, whose CommonJS `main` esbuild cannot tree-shake; jsonc-parser's
  // `main` is a UMD bundle whose inner requires esbuild cannot follow.
  mainFields: ['module', 'main'],
  logLevel: 'warning',
  metafile: true,
  plugins: [catalogAsJsonParse, pureSdkSchemas, stubs, jsoncParserPure, commanderLazyChildProcess, supportsColorWithoutDefault, picocolorsWithoutStdout],
};

/**
 * The CLI's ES modules as CommonJS scripts for dist/cli/loader.cjs, which compiles them with V8's code cache (Node
 * 20 caches no compiled ES modules). Each output file of the split build becomes the script `<name>.cjs`, one
 * function of {@link SCRIPT_PARAMETERS}: `import()` of a chunk or a `node:` builtin becomes the loader's
 * `__imglintImport()` (code compiled by `vm.Script` has no `import()` of its own), `import.meta.url` its
 * `__importMetaUrl`, static imports `require()` calls esbuild writes. The split stays as it was: a run compiles only
 * the chunks it loads. The scripts of {@link START_PACK_ENTRIES} go into one file, {@link START_PACK}; every other
 * script is a file of its own, one function expression.
 */
/** What every script of dist/cli/ is a function of; the loader (src/cli/startup/loader.ts) calls it with these. */
const SCRIPT_PARAMETERS = ['exports', 'require', 'module', '__filename', '__dirname', '__importMetaUrl', '__imglintImport'];

/** The file of dist/cli/ that holds the start pack (src/cli/startup/loader.ts reads it first). */
const START_PACK = 'start.cjs';

/**
 * The modules whose chunks, with every chunk they import statically, make the start pack: what an offline AWS check
 * runs (the commonest run, and the one whose start-up the bench measures). One file compiled as one script costs a
 * one-pair check one read and one code-cache lookup instead of some 45 (≈ 5 ms). A live or OpenStack run reads the
 * pack too, and compiles only what it calls. The build fails if one of them no longer has a chunk of its own.
 */
const START_PACK_ENTRIES = [
  'src/cli/main.ts',
  'src/cli/check-command.ts',
  'providers/aws/image-file.ts',
  'providers/aws/configured-region.ts',
  'src/catalog/aws-embedded.ts',
  'src/catalog/aws/instance-types.json',
  'src/catalog/aws/offerings.json',
  'src/input/json-file.ts',
  'src/config/inline-ignores.ts',
];

/** The output files (paths as the metafile names them) of the start pack: its entries' chunks and their static imports. */
function startPackOutputs(metafile) {
  const outputs = Object.entries(metafile.outputs);
  const members = new Set();
  const pending = START_PACK_ENTRIES.map((entry) => {
    const found = outputs.find(([, output]) => output.entryPoint === entry);
    if (found === undefined) throw new Error(`${entry}: no chunk of its own in the CLI build; update START_PACK_ENTRIES`);
    return found[0];
  });
  while (pending.length > 0) {
    const output = pending.pop();
    if (members.has(output)) continue;
    members.add(output);
    for (const imported of metafile.outputs[output].imports) if (!imported.external && imported.kind !== 'dynamic-import') pending.push(imported.path);
  }
  return members;
}

async function commonJsScripts(outputFiles, metafile, outdir) {
  const packed = startPackOutputs(metafile);
  const pack = [];
  for (const file of outputFiles) {
    const relative = path.relative(outdir, file.path);
    const dynamicImports = file.text
      .replace(/\bimport\("(\.\.?\/[^"]+)\.js"\)/g, '__imglintImport("$1.cjs")')
      .replace(/\bimport\(("node:[^"]+")\)/g, '__imglintImport($1)');
    // What is left is a method named `import` (`import(node) {`, `builder.import(node)`), or a call the loader misses.
    if (/(?<![.\w$])import\(\s*[^\s)]/.test(dynamicImports.replace(/(?<![.\w$])import\([A-Za-z_$][\w$]*\)\s*\{/g, ''))) {
      throw new Error(`${relative}: an import() the loader cannot serve (only chunks and node: builtins are rewritten)`);
    }
    const { code } = await transform(dynamicImports, {
      format: 'cjs',
      loader: 'js',
      minifyWhitespace: true,
      minifySyntax: true,
      target: 'node20.19',
      define: { 'import.meta.url': '__importMetaUrl' },
    });
    const name = relative.replace(/\.js$/, '.cjs').replaceAll(path.sep, '/');
    // Written as the function the loader compiles, so it compiles the file's text as it is read: wrapping it at run
    // time copied every script's source once more (~450 KB of strings for a one-pair check, one scavenge more).
    const body = code.replace(/\brequire\("(\.\.?\/[^"]+)\.js"\)/g, 'require("$1.cjs")');
    const script = `function (${SCRIPT_PARAMETERS.join(', ')}) {${body}\n}`;
    if (packed.has(path.relative(process.cwd(), file.path).replaceAll(path.sep, '/'))) {
      // The loader passes a packed script no import.meta.url (it would cost every run a URL per script).
      if (body.includes('__importMetaUrl')) throw new Error(`${name}: reads import.meta.url; keep it out of START_PACK_ENTRIES`);
      pack.push(`${JSON.stringify(name)}: ${script}`);
      continue;
    }
    const target = path.join(outdir, name);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, `(${script})`);
  }
  if (pack.length !== packed.size) throw new Error(`start pack: ${pack.length} scripts for ${packed.size} chunks`);
  // An object literal of functions, not parenthesized one by one: V8 compiles each when it is first called.
  writeFileSync(path.join(outdir, START_PACK), `({\n${pack.join(',\n')}\n})`);
}

rmSync('dist', { recursive: true, force: true });
// Code behind a dynamic import() goes to its own chunk, so an offline check never parses OpenStack, plan, manifest,
// CI-format or cache code.
const library = await build({
  ...common,
  entryPoints: { index: 'src/index.ts', ...SDK_ENTRIES },
  outdir: 'dist',
  // commander is CommonJS and requires node builtins; give the ESM bundle a real require for them.
  banner: { js: "import { createRequire as __imglintCreateRequire } from 'node:module'; const require = __imglintCreateRequire(import.meta.url);" },
});
// The CLI scripts are compiled as functions of `require` (see src/cli/startup/loader.ts): no banner.
const cli = await build({ ...common, entryPoints: { main: 'src/cli/main.ts', ...SDK_ENTRIES }, outdir: 'dist/cli', write: false });
await commonJsScripts(cli.outputFiles, cli.metafile, path.resolve('dist/cli'));
await build({
  entryPoints: { loader: 'src/cli/startup/loader.ts' },
  outdir: 'dist/cli',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
if (process.env.IMGLINT_BUILD_ANALYZE) {
  console.log(await analyzeMetafile(library.metafile));
  console.log(await analyzeMetafile(cli.metafile));
}
// Which sources each CLI script holds, for working on start-up (`IMGLINT_BUILD_METAFILE=<file> npm run build`).
if (process.env.IMGLINT_BUILD_METAFILE) writeFileSync(process.env.IMGLINT_BUILD_METAFILE, JSON.stringify(cli.metafile));
// This checkout's TypeScript, not `npx tsc`: under `npm install --global .` (the README's install from a clone) npx
// looks in the global prefix, and offline fails, online fetches the unrelated `tsc` package from the registry.
execFileSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });

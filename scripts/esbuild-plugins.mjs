// What every bundle the project makes shares (the agent's and the CLI's, made by the build): the
// esbuild options for Node ES modules, and plugins, each working around one dependency that
// assumes it runs from node_modules.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** esbuild options for minified Node ES modules split at every dynamic import, chunks beside the entry. */
export const nodeEsmBundle = {
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: 'chunk-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  // Prefer ESM builds: UMD ones (jsonc-parser's) require() their parts at run time, out of esbuild's sight.
  mainFields: ['module', 'main'],
  // ws's optional native speed-ups: it falls back to JS when they are absent.
  external: ['bufferutil', 'utf-8-validate'],
  // CommonJS dependencies inside an ESM bundle still call require() and read __dirname.
  banner: {
    js: "import { createRequire as __ksRequire } from 'node:module'; import { fileURLToPath as __ksPath } from 'node:url'; import { dirname as __ksDirname } from 'node:path'; const require = __ksRequire(import.meta.url); const __filename = __ksPath(import.meta.url); const __dirname = __ksDirname(__filename);",
  },
  logLevel: 'warning',
  legalComments: 'none',
  minify: true,
  keepNames: true,
};

// grpc-health-check reads health.proto from its package directory when it loads; a single file has
// no such directory, so the parsed definition is inlined and handed to proto-loader's fromJSON.
export const inlineHealthProto = {
  name: 'inline-health-proto',
  setup(b) {
    b.onLoad({ filter: /[\\/]grpc-health-check[\\/]build[\\/]src[\\/]health\.js$/ }, async (args) => {
      const protobuf = (await import('protobufjs')).default;
      const json = protobuf.loadSync(join(dirname(args.path), '../../proto/health/v1/health.proto')).toJSON();
      const text = readFileSync(args.path, 'utf8');
      const call = "(0, proto_loader_1.loadSync)('health/v1/health.proto', {";
      if (!text.includes(call)) throw new Error(`${args.path}: health.proto is loaded differently now; update scripts/package.mjs`);
      return { contents: text.replace(call, `(0, proto_loader_1.fromJSON)(${JSON.stringify(json)}, {`), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

// ink imports react-devtools-core only when DEV=true; an ESM bundle links every static import up
// front, so it gets an empty stand-in rather than a dangling external.
export const noDevtools = {
  name: 'no-devtools',
  setup(b) {
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default { connectToDevTools() {} };', loader: 'js' }));
  },
};

// oclif require()s typescript (10 MB) only to read a tsconfig when it runs commands from TypeScript
// sources in development; bundled, that require() would put typescript's whole source into the start
// path, parsed on every start. Left external, it resolves as it would without a bundle (or fails,
// which oclif takes as "use the compiled commands").
export const noTypescript = {
  name: 'no-typescript',
  setup(b) {
    b.onResolve({ filter: /^typescript$/ }, () => ({ path: 'typescript', external: true }));
  },
};

// oclif does work on every start that a bundled CLI with a manifest does not need, each piece a
// few milliseconds of `--help`; patched in the bundle only, each patch failing the build when the
// text it replaces changes:
// - it requires modules used only off the ordinary path: minimatch (plugin patterns),
//   node:perf_hooks (OCLIF_PERFORMANCE), node:readline (flags read from stdin, which no command of
//   ours takes), node:child_process (asking Windows for its shell; loading it loads net and dgram
//   too): required on first use;
// - tinyglobby (finding commands without a manifest) and lilconfig (oclif rc files; our pjson is
//   given) are required by async functions: imported there, so they leave the start chunk;
// - cli-spinners' 31 KB of frames: only the two spinners oclif uses by default (we never name one);
// - it tells WSL from Linux by importing wsl-utils, which imports node:child_process; wsl-utils'
//   isWsl is is-wsl's default export, imported directly;
// - it sorts the commands with localeCompare, whose first call builds an ICU collator (~10 ms);
//   command ids are ASCII, so code-unit order is the same.
/** For each file under @oclif/core/lib: its [find, replace] edits, in order. */
const OCLIF_PATCHES = {
  'config/plugin.js': [
    ['const tinyglobby_1 = require("tinyglobby");', ''],
    ['await (0, tinyglobby_1.glob)(', 'await (await import("tinyglobby")).glob('],
    ['.sort((a, b) => a.id.localeCompare(b.id));', '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));'],
  ],
  'util/read-pjson.js': [
    ['const lilconfig_1 = require("lilconfig");', ''],
    ['const explorer = (0, lilconfig_1.lilconfig)(', 'const explorer = (await import("lilconfig")).lilconfig('],
  ],
  'config/plugin-loader.js': [
    ['const minimatch_1 = require("minimatch");', 'const minimatch_1 = { get minimatch() { return require("minimatch").minimatch; } };'],
  ],
  'ux/action/spinner.js': [
    ['const cli_spinners_1 = __importDefault(require("cli-spinners"));', (path) => `const cli_spinners_1 = { default: ${JSON.stringify(defaultSpinners(path))} };`],
  ],
  'performance.js': [
    [
      'const node_perf_hooks_1 = require("node:perf_hooks");',
      'const node_perf_hooks_1 = { get performance() { return require("node:perf_hooks").performance; }, get PerformanceObserver() { return require("node:perf_hooks").PerformanceObserver; } };',
    ],
  ],
  'parser/parse.js': [
    ['const node_readline_1 = require("node:readline");', 'const node_readline_1 = { get createInterface() { return require("node:readline").createInterface; } };'],
  ],
  'util/os.js': [
    ['const node_child_process_1 = require("node:child_process");', 'const node_child_process_1 = { get execSync() { return require("node:child_process").execSync; } };'],
    ["(await import('wsl-utils')).isWsl", "(await import('is-wsl')).default"],
  ],
};

/** The two spinners oclif uses when a command names none (none of ours names one). */
function defaultSpinners(importer) {
  const all = JSON.parse(readFileSync(join(dirname(createRequire(importer).resolve('cli-spinners')), 'spinners.json'), 'utf8'));
  return { line: all.line, dots2: all.dots2 };
}

export const oclifStartPatches = {
  name: 'oclif-start-patches',
  setup(b) {
    for (const [file, edits] of Object.entries(OCLIF_PATCHES)) {
      const parts = ['@oclif', 'core', 'lib', ...file.split('/')].map((part) => part.replaceAll('.', String.raw`\.`));
      b.onLoad({ filter: new RegExp(`${parts.map((part) => String.raw`[\\/]${part}`).join('')}$`) }, (args) => {
        let text = readFileSync(args.path, 'utf8');
        for (const [find, replace] of edits) {
          if (!text.includes(find)) throw new Error(`${args.path}: no longer has \`${find}\`; update OCLIF_PATCHES in scripts/esbuild-plugins.mjs`);
          text = text.replace(find, typeof replace === 'function' ? replace(args.path) : replace);
        }
        return { contents: text, loader: 'js', resolveDir: dirname(args.path) };
      });
    }
  },
};

// Large JSON data (the syscall tables): each large member of the object as JSON.parse of a string,
// run on the member's first read. V8 scans a string literal and parses JSON far faster than it
// compiles and runs an object literal of the same size (v8.dev/blog/cost-of-javascript-2019#json),
// and a table nobody reads is never parsed: `lint` reads the few arches a profile names, the agent
// its node's.
const LAZY_MEMBER_BYTES = 1024;

function lazyMembers(value) {
  const members = Object.entries(value).map(([key, member]) => {
    const text = JSON.stringify(member);
    const name = JSON.stringify(key);
    if (text.length < LAZY_MEMBER_BYTES) return `${name}: ${text}`;
    return `get ${name}() { const v = JSON.parse(${JSON.stringify(text)}); Object.defineProperty(this, ${name}, { value: v, enumerable: true }); return v; }`;
  });
  return `export default {\n${members.join(',\n')}\n};\n`;
}

export const jsonAsParse = {
  name: 'json-as-parse',
  setup(b) {
    b.onLoad({ filter: /[\\/]profiles[\\/]data[\\/]syscalls[\\/][^\\/]+\.json$/ }, (args) => {
      const value = JSON.parse(readFileSync(args.path, 'utf8'));
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${args.path}: expected a JSON object`);
      return { contents: lazyMembers(value), loader: 'js' };
    });
  },
};

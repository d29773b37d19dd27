// What every bundle the project makes shares (the agent's and the CLI's, made by the build): the
// esbuild options for Node ES modules, and plugins, each working around one dependency that
// assumes it runs from node_modules.
import { readFileSync } from 'node:fs';

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

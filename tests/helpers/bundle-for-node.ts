// Bundles a TypeScript entry into one .mjs file a plain `node` child process can run, so tests can prove
// behaviour across processes (file locks, a missing keychain) with the real source code.
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const require = createRequire(import.meta.url);

// Native modules cannot be bundled: the child imports them from this project's node_modules.
const nativeModules: Plugin = {
  name: 'native-modules',
  setup(builder) {
    builder.onResolve({ filter: /^(keytar|pkcs11js)$/ }, (args) => ({ path: pathToFileURL(require.resolve(args.path)).href, external: true }));
  },
};

export async function bundleForNode(entry: string, outDir: string): Promise<string> {
  const outfile = join(outDir, basename(entry).replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    plugins: [nativeModules],
    // CommonJS dependencies (proper-lockfile) call require(), which an ES module has to create.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  return outfile;
}

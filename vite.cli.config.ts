import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The command line: one ES module for Node in dist-cli/, its dependencies bundled in. Left as imports, Node's
 * module loader resolved and read some hundred files of them on every start (the admin client alone is dozens):
 * 170 ms of a 270 ms `--help`.
 */
// biome-ignore lint/style/noDefaultExport: Vite reads its configuration from the default export.
export default defineConfig({
  publicDir: false,
  logLevel: 'warn',
  ssr: { noExternal: true },
  build: {
    ssr: 'src/cli/main.ts',
    outDir: 'dist-cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
  },
  plugins: [
    {
      // npx and npm link run the bin file directly (through its #! line), so it must be executable.
      name: 'executable-entry',
      writeBundle(options, bundle) {
        for (const output of Object.values(bundle)) {
          if (output.type === 'chunk' && output.isEntry)
            chmodSync(join(options.dir ?? 'dist-cli', output.fileName), 0o755);
        }
      },
    },
  ],
});

import path from 'node:path'

/**
 * Compiles a TypeScript entry (and the project code it imports) into one ES module inside the
 * project, so that it runs on plain Node: no TypeScript loader thread, which on Node 20 now and
 * then hangs while loading a large module graph. Dependencies stay in node_modules.
 */
export const bundleEntry = async (entry, outfile, root = process.cwd(), { splitting = false } = {}) => {
  const esbuild = await import('esbuild')
  await esbuild.build({
    absWorkingDir: root,
    ...(splitting
      ? {
          entryPoints: { [path.basename(outfile, path.extname(outfile))]: entry },
          splitting: true,
          outdir: path.dirname(outfile),
          outExtension: { '.js': path.extname(outfile) },
          chunkNames: 'chunks/[name]-[hash]',
        }
      : { entryPoints: [entry], outfile }),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  })
  return path.resolve(root, outfile)
}

/**
 * How every compiled entry (server, CLI, seed, bench children) is run: source maps for readable
 * stack traces, and Lexical loaded first (see scripts/preload-lexical.mjs).
 */
export const RUNTIME_NODE_ARGS = ['--enable-source-maps', '--import', './scripts/preload-lexical.mjs']

/** Scratch bundles for scripts live here: inside the project, so their imports resolve. */
export const SCRATCH_DIR = path.join('node_modules', '.cache', 'greenroom')

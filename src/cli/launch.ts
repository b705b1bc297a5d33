// The installed bins (`netcheck`, `kubectl-netcheck`) start here: check the Node version before anything modern
// loads, turn on the compile cache, then load the CLI. Bundled by scripts/build.ts into dist/cli/.
import { MIN_NODE, nodeSupported } from './version.ts';

export async function launch(program: string): Promise<void> {
  if (!nodeSupported(process.versions.node)) {
    process.stderr.write(
      `${program}: needs Node >= ${MIN_NODE.join('.')} (this is ${process.version}); install a newer Node and retry.\n`,
    );
    process.exitCode = 2;
    return;
  }
  // Most of a short run is module loading: cache the compiled code on disk (the OS temp dir unless NODE_COMPILE_CACHE
  // says otherwise) so the second run skips it.
  const { enableCompileCache } = await import('node:module');
  enableCompileCache?.();
  const { internalError, main } = await import('./main.ts');
  // Node's own answer to an escaped error is exit 1, which CI would read as a critical finding.
  const crash = (error: unknown) => {
    process.stderr.write(internalError(error, program, process.env));
    process.exit(2);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  process.exitCode = await main(process.argv.slice(2), undefined, { program });
}

#!/usr/bin/env node
// The development entry (`npm run netcheck --`): runs the TypeScript sources directly, which needs Node's type
// stripping (npm scripts use the node@24 devDependency). The installed package runs dist/cli/ instead (npm run build).
import { readFileSync } from 'node:fs';

const engines = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).engines.node;
const need = (/>=\s*([\d.]+)/.exec(engines)?.[1] ?? '0').split('.').map(Number);
const have = process.versions.node.split('.').map(Number);
const older = need.findIndex((n, i) => (have[i] ?? 0) !== n);
if (older >= 0 && (have[older] ?? 0) < need[older]) {
  process.stderr.write(
    `netcheck needs Node ${engines} (this is ${process.version}); run it through npm (npm run netcheck -- ...) to use the bundled Node 24.\n`,
  );
  process.exit(2);
}
// Module loading dominates a short CLI run (type stripping plus the engine): cache the compiled code on disk (in the
// OS temp dir unless NODE_COMPILE_CACHE says otherwise) so later runs skip most of it.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
const { internalError, main } = await import('../src/cli/main.ts');
// Node's own answer to an escaped error is exit 1, which CI would read as a critical finding.
const crash = (error) => {
  process.stderr.write(internalError(error, 'netcheck', process.env));
  process.exit(2);
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);
process.exitCode = await main(process.argv.slice(2));

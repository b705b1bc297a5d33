#!/usr/bin/env node
// Runs the TypeScript sources directly: Node >= 22.18 strips types natively (npm scripts use the node@24 devDependency).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `netcheck needs Node >= 22.18 (this is ${process.version}); run it through npm (npm run netcheck -- ...) to use the bundled Node 24.\n`,
  );
  process.exit(2);
}
// Module loading dominates a short CLI run (type stripping plus hundreds of client-node files): cache the compiled
// code on disk (in the OS temp dir unless NODE_COMPILE_CACHE says otherwise) so later runs skip most of it.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

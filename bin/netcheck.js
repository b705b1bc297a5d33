#!/usr/bin/env node
// Runs the TypeScript sources directly: Node >= 22.18 strips types natively (npm scripts use the node@24 devDependency).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `netcheck needs Node >= 22.18 (this is ${process.version}); run it through npm (npm run netcheck -- ...) to use the bundled Node 24.\n`,
  );
  process.exit(2);
}
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

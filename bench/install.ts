// The package as users get it, for the benchmark: `npm pack` (prepack builds dist/cli) and `npm install --global`
// into a throwaway prefix, offline (the package has no dependencies). Returns the installed bins.
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Installed {
  prefix: string;
  netcheck: string;
  /** PATH with the Node that runs the bench (node@24) first, then the installed bins, then kubectl. */
  path: string;
}

export async function installPackage(root: string, dir: string): Promise<Installed> {
  mkdirSync(dir, { recursive: true });
  const path = [dirname(process.execPath), join(dir, 'prefix', 'bin'), process.env.PATH].join(':');
  const env = { ...process.env, PATH: path };
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], {
    cwd: root,
    env,
    maxBuffer: 16 * 1024 * 1024,
  });
  const [{ filename }] = JSON.parse(stdout.slice(stdout.lastIndexOf('\n[') + 1)) as [{ filename: string }];
  const prefix = join(dir, 'prefix');
  await run(
    'npm',
    ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', join(dir, filename)],
    {
      env,
    },
  );
  return { prefix, netcheck: join(prefix, 'bin', 'netcheck'), path };
}

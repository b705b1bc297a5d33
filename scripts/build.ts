// Bundles the two Lambda functions with esbuild into dist/<function>/handler.mjs, which serverless.yml packages.
// Run: `npm run build` (node scripts/build.ts [outdir]).
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';

export const FUNCTIONS = {
  slack: 'src/handlers/slack/lambda.ts',
  worker: 'src/handlers/worker/lambda.ts',
  remediator: 'src/handlers/remediator/lambda.ts',
} as const;
export type FunctionName = keyof typeof FUNCTIONS;

/** Modules each bundle must never contain: the ack function has 3 s and must not load the Kubernetes client. */
const FORBIDDEN: Record<FunctionName, string[]> = {
  slack: ['node_modules/@kubernetes/client-node/'],
  worker: [],
  remediator: [],
};

/**
 * Bolt's index loads every receiver, so a bundle would carry Express and raw-body (with iconv-lite) and the Socket
 * Mode client (with undici) that AwsLambdaReceiver never uses: ~1 MB of code parsed at every cold start, inside the
 * 3 s Slack budget. Likewise @slack/oauth (~15 ms to load), which only those receivers' OAuth installers use: our
 * App gets a bot token. Imports of these packages *from Bolt only* get a stub that throws if anything ever calls it.
 */
const UNUSED_BY_BOLT_ON_LAMBDA = ['express', 'raw-body', '@slack/socket-mode', '@slack/oauth'];

const stubUnusedBoltDependencies: Plugin = {
  name: 'stub-unused-bolt-dependencies',
  setup(b) {
    const filter = new RegExp(`^(${UNUSED_BY_BOLT_ON_LAMBDA.map((m) => m.replace('/', '\\/')).join('|')})$`);
    b.onResolve({ filter }, (args) =>
      args.importer.includes('node_modules/@slack/bolt/') ? { path: args.path, namespace: 'netcheck-stub' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'netcheck-stub' }, (args) => ({
      loader: 'js',
      contents: `const unavailable = () => { throw new Error(${JSON.stringify(`${args.path} is not bundled into this Lambda function (scripts/build.ts)`)}); };
module.exports = new Proxy(function () {}, {
  get: (_, key) => (key === '__esModule' ? undefined : unavailable),
  apply: unavailable,
  construct: unavailable,
});`,
    }));
  },
};

/**
 * An ESM `import` of a Node builtin builds a facade that reads every export, and `node:http`'s lazy `WebSocket`,
 * `MessageEvent` and `CloseEvent` getters then load Node's bundled undici: ~30 ms of a cold start spent on code the
 * AWS SDK never uses. Through `require` the getters stay lazy.
 */
const LAZY_BUILTINS = /^(node:)?https?$/;
const requireLazyBuiltins: Plugin = {
  name: 'require-lazy-builtins',
  setup(b) {
    b.onResolve({ filter: LAZY_BUILTINS }, (args) =>
      args.kind === 'import-statement' || args.kind === 'dynamic-import'
        ? { path: args.path.replace(/^(node:)?/, 'node:'), namespace: 'netcheck-builtin' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'netcheck-builtin' }, (args) => ({
      loader: 'js',
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      resolveDir: '/',
    }));
  },
};

// ESM output still contains CommonJS dependencies (Bolt, parts of the AWS SDK) that call require();
// esbuild's ESM shim cannot do that without a real `require`.
const BANNER = [
  "import { createRequire as __netcheckCreateRequire } from 'node:module';",
  'const require = __netcheckCreateRequire(import.meta.url);',
].join('\n');

export interface BundleReport {
  name: FunctionName;
  file: string;
  bytes: number;
  /** The largest packages in the bundle, by bytes of output. */
  topPackages: { name: string; bytes: number }[];
  metafile: Metafile;
}

function packageOf(input: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return m ? m[1]! : '(netcheck)';
}

export async function buildBundles(
  options: { root?: string; outdir?: string; minify?: boolean; entries?: Partial<Record<FunctionName, string>> } = {},
): Promise<BundleReport[]> {
  const root = resolve(options.root ?? fileURLToPath(new URL('..', import.meta.url)));
  const outdir = resolve(root, options.outdir ?? 'dist');
  const reports: BundleReport[] = [];
  for (const [name, entry] of Object.entries(FUNCTIONS) as [FunctionName, string][]) {
    const dir = join(outdir, name);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'handler.mjs');
    const result = await build({
      absWorkingDir: root,
      entryPoints: [options.entries?.[name] ?? entry],
      outfile: file,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      // Prefer the ES builds (AWS SDK dist-es): smaller after tree shaking.
      mainFields: ['module', 'main'],
      minify: options.minify ?? true,
      metafile: true,
      legalComments: 'none',
      banner: { js: BANNER },
      // Optional native speed-ups of `ws`; absent on Lambda and not needed.
      external: ['bufferutil', 'utf-8-validate'],
      plugins: [stubUnusedBoltDependencies, requireLazyBuiltins],
      logLevel: 'warning',
    });
    const inputs = Object.keys(result.metafile.inputs);
    for (const forbidden of FORBIDDEN[name]) {
      const hits = inputs.filter((i) => i.includes(forbidden));
      if (hits.length) {
        const importer = inputs.find((i) =>
          result.metafile.inputs[i]!.imports.some((imp) => imp.path.includes(forbidden) && !i.includes(forbidden)),
        );
        throw new Error(`${name} bundle must not include ${forbidden} (imported by ${importer ?? hits[0]})`);
      }
    }
    // Kept beside, not inside, the function directory: serverless.yml packages dist/<name>/** only.
    await writeFile(join(outdir, `${name}.meta.json`), JSON.stringify(result.metafile));
    const output = Object.values(result.metafile.outputs)[0]!;
    const byPackage = new Map<string, number>();
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      byPackage.set(packageOf(input), (byPackage.get(packageOf(input)) ?? 0) + bytesInOutput);
    }
    reports.push({
      name,
      file,
      bytes: (await stat(file)).size,
      topPackages: [...byPackage]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 8)
        .map(([pkg, bytes]) => ({ name: pkg, bytes })),
      metafile: result.metafile,
    });
  }
  return reports;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const reports = await buildBundles({ outdir: process.argv[2] });
  for (const r of reports) {
    const top = r.topPackages.map((p) => `${p.name} ${(p.bytes / 1024).toFixed(0)}K`).join(', ');
    console.log(`${r.name}: ${(r.bytes / 1024).toFixed(0)} KiB (${top})`);
  }
  console.log(`built in ${Math.round(performance.now() - started)} ms`);
}

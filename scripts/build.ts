// Bundles the two Lambda functions with esbuild into dist/<function>/handler.mjs, which serverless.yml packages, and
// the installable CLI into dist/cli/ (what `npm pack` ships: see package.json "bin" and "files").
// Run: `npm run build` (node scripts/build.ts [outdir]); `node scripts/build.ts --cli` builds the CLI only (prepack).
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';

export const FUNCTIONS = {
  slack: 'src/handlers/slack/lambda.ts',
  worker: 'src/handlers/worker/lambda.ts',
  remediator: 'src/handlers/remediator/lambda.ts',
} as const;
export type FunctionName = keyof typeof FUNCTIONS;

/**
 * Functions built as ESM chunks: the entry holds what a cold start runs; code only ever imported lazily (the
 * remediation catalogue with yaml, on the first Fix… click; the AWS SDK's SSO/STS credential providers) sits in
 * chunks beside it that Node reads only when first used. The ack function has 3 s; parsing them at every cold start
 * cost it about a quarter of its import time.
 */
const SPLIT: Record<FunctionName, boolean> = { slack: true, worker: false, remediator: false };

/** Modules each bundle must never contain: the ack function has 3 s and must not load the Kubernetes client. */
const FORBIDDEN: Record<FunctionName, string[]> = {
  slack: ['node_modules/@kubernetes/client-node/'],
  worker: ['node_modules/@kubernetes/client-node/'],
  remediator: ['node_modules/@kubernetes/client-node/'],
};

/**
 * The functions connect with token secrets, EKS tokens and plain kubeconfigs, all of which the lite kubeconfig
 * reads; client-node is only the fallback for exec plugins and auth providers, which have nothing to run on Lambda
 * (no aws/gcloud binaries). Leaving it out halves the worker bundle and its cold start; such a kubeconfig secret
 * gets one clear sentence instead. YAML errors are still reported in the parser's words.
 */
const clientNodeOffLambda: Plugin = {
  name: 'client-node-off-lambda',
  setup(b) {
    b.onResolve({ filter: /\/client-node-kubeconfig\.ts$/ }, (args) => ({
      path: args.path,
      namespace: 'netcheck-no-client-node',
    }));
    b.onLoad({ filter: /.*/, namespace: 'netcheck-no-client-node' }, () => ({
      loader: 'js',
      resolveDir: fileURLToPath(new URL('..', import.meta.url)),
      contents: `import { parse } from 'yaml';
export class KubeConfig {
  loadFromString(text) {
    parse(text);
    throw new Error('it needs exec-plugin or auth-provider credentials (or a proxy), which the Lambda functions do not run: store a token secret or use eks auth');
  }
}`,
    }));
  },
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

/**
 * An ESM import of the CommonJS `yaml` package initialises it when the importing chunk loads; a require() call
 * inside a function initialises it on first call. The engine reads kubeadm's ConfigMaps and kubeconfigs with its
 * block subset, so a CLI run on such a cluster never needs `yaml` (its module init was ~15 ms of `netcheck all`).
 */
const yamlOnFirstUse: Plugin = {
  name: 'yaml-on-first-use',
  setup(b) {
    const module = fileURLToPath(new URL('../src/engine/objects/full-yaml.ts', import.meta.url));
    b.onResolve({ filter: /\/full-yaml\.ts$/ }, (args) =>
      resolve(args.resolveDir, args.path) === module ? { path: module, namespace: 'netcheck-full-yaml' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'netcheck-full-yaml' }, () => ({
      loader: 'js',
      resolveDir: fileURLToPath(new URL('..', import.meta.url)),
      contents: "export function parseFullYaml(text) { return require('yaml').parse(text); }",
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
      ...(SPLIT[name]
        ? { outdir: dir, splitting: true, entryNames: 'handler', outExtension: { '.js': '.mjs' } }
        : { outfile: file }),
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
      plugins: [stubUnusedBoltDependencies, requireLazyBuiltins, ...(name === 'slack' ? [] : [clientNodeOffLambda])],
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
    const output = Object.entries(result.metafile.outputs).find(([out]) => out.endsWith('handler.mjs'))![1];
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

/** The installed bins: one launcher each, sharing the lazily loaded CLI chunks. */
export const CLI_BINS = { netcheck: 'netcheck', 'kubectl-netcheck': 'kubectl netcheck' } as const;

export interface CliBuildReport {
  dir: string;
  /** Every emitted file and its size; the launchers are `<bin>.mjs`. */
  files: { name: string; bytes: number }[];
  metafile: Metafile;
}

/** In the installed CLI, `netcheck dev` (the Slack bot on this machine) would drag in Bolt and the AWS SDK. */
const devCommandFromCheckoutOnly: Plugin = {
  name: 'dev-command-from-checkout-only',
  setup(b) {
    b.onResolve({ filter: /\/dev-command\.ts$/ }, (args) => ({ path: args.path, namespace: 'netcheck-dev-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'netcheck-dev-stub' }, () => ({
      loader: 'js',
      contents: `export async function devCommand(_argv, io) {
  io.stderr.write('netcheck dev runs the Slack bot from a git checkout of netcheck: npm run netcheck -- dev --scenario NAME\\n');
  return 2;
}`,
    }));
  },
};

/**
 * The CLI as an ESM bundle for the Node versions in package.json "engines": small launchers that check the Node
 * version and enable the compile cache, then code-split chunks, so `netcheck dns` never parses the sandbox, the
 * demo or @kubernetes/client-node (needed only for exec/auth-provider kubeconfigs). Self-contained: the package has
 * no runtime dependencies. The sandbox scenarios are copied beside the chunks, where src/sandbox/scenarios.ts looks.
 */
export async function buildCli(
  options: { root?: string; outdir?: string; minify?: boolean } = {},
): Promise<CliBuildReport> {
  const root = resolve(options.root ?? fileURLToPath(new URL('..', import.meta.url)));
  const dir = join(resolve(root, options.outdir ?? 'dist'), 'cli');
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
  const minNode = /([\d]+)(?:\.(\d+))?/.exec(pkg.engines.node);
  if (!minNode) throw new Error(`package.json engines.node "${pkg.engines.node}" names no version`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const entries: Plugin = {
    name: 'netcheck-bin-entries',
    setup(b) {
      b.onResolve({ filter: /^netcheck-bin:/ }, (args) => ({ path: args.path, namespace: 'netcheck-bin' }));
      b.onLoad({ filter: /.*/, namespace: 'netcheck-bin' }, (args) => ({
        loader: 'js',
        resolveDir: join(root, 'src/cli'),
        contents: `#!/usr/bin/env node\nimport { launch } from './launch.ts';\nawait launch(${JSON.stringify(CLI_BINS[args.path.slice('netcheck-bin:'.length) as keyof typeof CLI_BINS])});\n`,
      }));
    },
  };
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.keys(CLI_BINS).map((bin) => ({ in: `netcheck-bin:${bin}`, out: bin })),
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: `node${minNode[1]}${minNode[2] ? `.${minNode[2]}` : ''}`,
    mainFields: ['module', 'main'],
    minify: options.minify ?? true,
    metafile: true,
    legalComments: 'none',
    banner: { js: BANNER },
    external: ['bufferutil', 'utf-8-validate'],
    plugins: [entries, devCommandFromCheckoutOnly, requireLazyBuiltins, yamlOnFirstUse],
    logLevel: 'warning',
  });
  await cp(join(root, 'src/sandbox/scenarios'), join(dir, 'scenarios'), { recursive: true });
  const files = [];
  for (const name of (await readdir(dir)).sort()) {
    if (name.endsWith('.mjs')) files.push({ name, bytes: (await stat(join(dir, name))).size });
  }
  await writeFile(join(resolve(root, options.outdir ?? 'dist'), 'cli.meta.json'), JSON.stringify(result.metafile));
  return { dir, files, metafile: result.metafile };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const args = process.argv.slice(2);
  const cliOnly = args.includes('--cli');
  const outdir = args.find((a) => !a.startsWith('--'));
  const cli = await buildCli({ outdir });
  const total = cli.files.reduce((sum, f) => sum + f.bytes, 0);
  console.log(`cli: ${cli.files.length} files, ${(total / 1024).toFixed(0)} KiB in ${cli.dir}`);
  const reports = cliOnly ? [] : await buildBundles({ outdir });
  for (const r of reports) {
    const top = r.topPackages.map((p) => `${p.name} ${(p.bytes / 1024).toFixed(0)}K`).join(', ');
    console.log(`${r.name}: ${(r.bytes / 1024).toFixed(0)} KiB (${top})`);
  }
  console.log(`built in ${Math.round(performance.now() - started)} ms`);
}

// `npm run bench` (`-- --quick` for a short run): measures what the issues set targets for and writes
// bench/RESULTS.md. Loopback only; every child process is bounded by a timeout.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliBench, cliBundleSizes, cliTables, targetLines } from './cli.ts';
import { faultsBench } from './faults.ts';
import { remediationBench } from './remediation.ts';
import { samplingBench } from './sampling.ts';
import { slackBench } from './slack.ts';

// Loopback only: no AWS credential chain may fall through to the instance metadata endpoint.
process.env.AWS_EC2_METADATA_DISABLED = 'true';
const root = new URL('..', import.meta.url).pathname;
const quick = process.argv.includes('--quick');
const sizes = quick ? [10, 1000] : [10, 1000, 5000];
const latencies = [0, 20];
const repeats = quick ? 2 : 3;
const tmp = mkdtempSync(join(tmpdir(), 'netcheck-bench-'));

const sections: string[] = [];
try {
  const cli = await cliBench(root, tmp, { sizes, latencies, repeats });
  const sizesKiB = cliBundleSizes(root);
  sections.push(
    '## `netcheck all`, installed, against the kubectl runbook',
    '',
    'The package is packed and installed with npm into an empty prefix; each run is a whole `netcheck all` process',
    '(text output) on Node 24, timed from spawn to exit, with a fresh compile cache ("cold") or a filled one ("warm").',
    "The kubectl runbook runs the troubleshooting guide's commands one after another against the same sandbox;",
    `the three alternate, ${repeats} rounds each, medians shown. Generated kubeadm + Calico clusters with CoreDNS in a`,
    'forwarding loop, 20 pods per node. Requests and round trips are what the sandbox saw from the bot identity in one',
    'warm run: a round trip starts when a request arrives with nothing outstanding (so 12 sockets carrying 23 requests',
    'can show as two), continuation pages are counted apart; at 0 ms latency requests do not overlap and the count means',
    'nothing, so it is shown only at 20 ms. The engine itself reads in 2 dependent waves (objects, then logs; 3 when a CNI',
    'lives in its own namespace). Past one page of 500 pods the DaemonSet pod list continues as Table rows (5,000 a page)',
    'and ends with one round of full gets (failing pods, one pod per template); nodes, DaemonSets and Deployments come',
    "from the watch cache in one answer (resourceVersion=0). Peak RSS is the netcheck process's (GNU time).",
    'Critical-path target: (round trips + requests in the pod list chain − 1) × latency + 100 ms. Every run has',
    '`--timeout 60`, so a loaded machine measures a slow run rather than a partial report.',
    '',
    ...cliTables(cli),
    '',
    '### Targets',
    '',
    ...targetLines(cli.rows, cli.startup, cli.phases),
    '',
    `Installed CLI: ${sizesKiB.files} files, ${sizesKiB.totalKiB} KiB; \`netcheck all\` loads ${sizesKiB.diagnosisKiB} KiB of them (the sandbox, the demo, completion, zod and @kubernetes/client-node are chunks it never reads).`,
    '',
  );
  sections.push(...(await slackBench(tmp, quick)));
  sections.push(...(await faultsBench(quick)));
  sections.push(...(await remediationBench(quick)));
  sections.push(...(await samplingBench(quick)));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const load = loadavg()
  .map((l) => l.toFixed(1))
  .join(' / ');
const header = `# Benchmark results\n\nWritten by \`npm run bench\`${quick ? ' (--quick)' : ''} on ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores, load average at the end ${load} (1/5/15 min). Loopback only.\n\n`;
writeFileSync(join(root, 'bench/RESULTS.md'), header + sections.join('\n'));
console.log(`\n${sections.join('\n')}`);

// Lambda-shape guarantees of the two deployed handlers: what nodejs24.x accepts and what the ack function loads.
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('the deployed handlers', () => {
  it('take exactly (event, context): nodejs24.x refuses callback-style handlers at init', async () => {
    const slack = await import('../src/handlers/slack/lambda.ts');
    const worker = await import('../src/handlers/worker/lambda.ts');
    expect(slack.handler.length).toBe(2);
    expect(worker.handler.length).toBe(2);
  });

  it('keep the Kubernetes client out of the Slack ack function (only the worker talks to clusters)', async () => {
    const bundle = async (entry: string) => {
      const result = await build({
        entryPoints: [entry],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node24',
        write: false,
        metafile: true,
        logLevel: 'silent',
        external: ['bufferutil', 'utf-8-validate'],
      });
      return Object.keys(result.metafile.inputs);
    };
    const inputs = await bundle('src/handlers/slack/lambda.ts');
    expect(inputs.filter((p) => p.includes('@kubernetes/client-node'))).toEqual([]);
    // Not vacuous: the bundle did follow the handler into node_modules.
    expect(inputs.some((p) => p.includes('node_modules/@slack/bolt/'))).toBe(true);
    expect(inputs).toContain('src/handlers/slack/app.ts');
  });
});

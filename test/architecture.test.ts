// The engine is the heart and depends on nothing around it; the fronts depend on it, never the other way round.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

/** Shipped code only: tests may reach for the sandbox and fixtures. */
function production(dir: string): string[] {
  return sources(dir).filter((f) => !/(\.test|\/fixtures|\/testing|\/fake-reader)\.ts$/.test(f));
}

/** Every module specifier a file imports, statically or dynamically. */
function imports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]!);
}

describe('dependency direction', () => {
  it('the engine imports only itself, zod and a YAML parser: no Slack, AWS, HTTP or Kubernetes client', () => {
    const offenders = production('src/engine').flatMap((file) =>
      imports(file)
        .filter((spec) => {
          if (spec.startsWith('.')) return !join(file, '..', spec).startsWith('src/engine');
          return !['zod', 'yaml'].includes(spec);
        })
        .map((spec) => `${file} → ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('Slack rendering is pure too: it knows the report, not the cluster or AWS', () => {
    const offenders = production('src/slack').flatMap((file) =>
      imports(file)
        .filter(
          (spec) =>
            /client-node|@aws-sdk|node:https?$|src\/(cluster|aws|handlers)/.test(spec) ||
            spec.includes('/cluster/') ||
            spec.includes('/aws/') ||
            spec.includes('/handlers/'),
        )
        .map((spec) => `${relative(root, join(root, file))} → ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('nothing in src imports from test/ or from ../shared', () => {
    const offenders = [
      'src/engine',
      'src/cluster',
      'src/slack',
      'src/aws',
      'src/handlers',
      'src/cli',
      'src/sandbox',
      'src/config',
    ]
      .flatMap(sources)
      .filter((file) => !file.endsWith('.test.ts'))
      .flatMap((file) =>
        imports(file)
          .filter((s) => s.includes('/test/') || s.includes('shared/'))
          .map((s) => `${file} → ${s}`),
      );
    expect(offenders).toEqual([]);
  });

  it('the sandbox imports nothing from the engine: it is a faithful Kubernetes, not a mirror of what the engine reads', () => {
    const offenders = sources('src/sandbox')
      .filter((file) => !file.endsWith('.test.ts'))
      .flatMap((file) =>
        imports(file)
          .filter((spec) => /(^|\/)engine(\/|$)/.test(spec) || join(file, '..', spec).startsWith('src/engine'))
          .map((spec) => `${file} → ${spec}`),
      );
    expect(offenders).toEqual([]);
  });
});

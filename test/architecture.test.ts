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

/** Shipped code only: co-located tests may reach for the sandbox and for test/ support. */
function production(dir: string): string[] {
  return sources(dir).filter((f) => !f.endsWith('.test.ts'));
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

  it('nothing in src imports from test/ (by path or through #test/*) or from ../shared', () => {
    const offenders = production('src').flatMap((file) =>
      imports(file)
        .filter((s) => s.includes('/test/') || s.startsWith('#test/') || s.includes('shared/'))
        .map((s) => `${file} → ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('no file under src imports vitest: test support lives in test/', () => {
    const offenders = production('src').flatMap((file) =>
      imports(file)
        .filter((s) => s === 'vitest' || s.startsWith('vitest/'))
        .map((s) => `${file} → ${s}`),
    );
    expect(offenders).toEqual([]);
  });
});

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

  it('the deployed edges and adapters never load the sandbox or the dev wing (src/dev is `netcheck dev` only)', () => {
    const checked = ['src/handlers', 'src/slack', 'src/aws', 'src/cluster'].flatMap(production);
    const offenders = checked.flatMap((file) =>
      imports(file)
        .filter((spec) => spec.startsWith('.') && /^src\/(sandbox|dev)(\/|$)/.test(join(file, '..', spec)))
        .map((spec) => `${file} → ${spec}`),
    );
    // Not vacuous: the folders were read and their imports resolved.
    expect(checked).toContain('src/handlers/slack/app.ts');
    expect(offenders).toEqual([]);
  });

  it('incidents are pure decisions: src/incidents imports only itself, zod, yaml and the engine', () => {
    const files = production('src/incidents');
    const offenders = files.flatMap((file) =>
      imports(file)
        .filter((spec) => {
          if (spec.startsWith('.')) return !/^src\/(incidents|engine)(\/|$)/.test(join(file, '..', spec));
          return !['zod', 'zod/mini', 'yaml'].includes(spec);
        })
        .map((spec) => `${file} → ${spec}`),
    );
    expect(files).toContain('src/incidents/alert.ts');
    expect(offenders).toEqual([]);
  });

  it('adapters point inward: src/aws and src/cluster import no edge (handlers, cli, dev)', () => {
    const offenders = ['src/aws', 'src/cluster'].flatMap(production).flatMap((file) =>
      imports(file)
        .filter((spec) => spec.startsWith('.') && /^src\/(handlers|cli|dev)(\/|$)/.test(join(file, '..', spec)))
        .map((spec) => `${file} → ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the job contract between the two functions depends on nothing but itself and zod/mini', () => {
    const files = production('src/jobs');
    const offenders = files.flatMap((file) =>
      imports(file)
        .filter((spec) =>
          spec.startsWith('.') ? !join(file, '..', spec).startsWith('src/jobs/') : !spec.startsWith('zod/'),
        )
        .map((spec) => `${file} → ${spec}`),
    );
    expect(files).toContain('src/jobs/job.ts');
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

  it('the preview page is self-contained browser code: its scripts import only each other, nothing from a CDN or npm', () => {
    const scripts = readdirSync(join(root, 'src/dev/preview')).filter((f) => f.endsWith('.js'));
    const offenders = scripts.flatMap((file) =>
      imports(join('src/dev/preview', file))
        .filter((spec) => !/^\.\/[\w-]+\.js$/.test(spec))
        .map((spec) => `src/dev/preview/${file} → ${spec}`),
    );
    expect(scripts).toContain('app.js');
    expect(offenders).toEqual([]);
  });

  it('the remediation catalogue is pure like the engine: it imports only itself, the engine, zod and yaml', () => {
    const files = production('src/remediate');
    const offenders = files.flatMap((file) =>
      imports(file)
        .filter((spec) => {
          if (!spec.startsWith('.')) return !['zod', 'yaml'].includes(spec);
          const to = join(file, '..', spec);
          return !to.startsWith('src/remediate/') && !to.startsWith('src/engine/');
        })
        .map((spec) => `${file} → ${spec}`),
    );
    expect(files).toContain('src/remediate/registry.ts');
    expect(offenders).toEqual([]);
  });
});

// docs/checks.md is generated from the check registry: the committed file must be exactly what the script writes,
// so the docs cannot drift from the checks the engine runs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECKS_DOC, catalogueOf, generateChecksDoc, renderChecksDoc } from '../scripts/gen-checks-doc.ts';
import type { RegisteredCheck } from '../src/engine/check.ts';
import { allChecks } from '../src/engine/registry.ts';

describe('docs/checks.md', () => {
  it('is what `npm run docs` generates from the registry (run it and commit the result when this fails)', () => {
    expect(readFileSync(CHECKS_DOC, 'utf8')).toBe(generateChecksDoc());
  });

  it('lists every finding id of every registered check exactly once, under the component that emits it', () => {
    const doc = readFileSync(CHECKS_DOC, 'utf8');
    const ids = [...new Set(allChecks.flatMap((c) => c.emits))];
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(doc.split(`| \`${id}\` |`).length - 1, id).toBe(1);
  });

  it('takes severity, meaning, fix and remediations from a check that describes its findings', () => {
    const check = {
      name: 'demo-check',
      component: 'dns',
      emits: ['dns.demo'],
      run: () => [],
      describe: {
        'dns.demo': {
          severities: ['warning'],
          summary: 'The demo | is broken.',
          fix: 'Repair it.',
          safety: 'auto-safe',
        },
      },
      remediations: ['dns.demo-fix'],
    } as unknown as RegisteredCheck;
    const [entry] = catalogueOf(
      [check],
      [{ name: 'demo', expect: { critical: ['dns.demo'], warning: [] } }],
      [{ id: 'dns.demo-fix', answers: ['dns.demo'] }],
    );
    expect(entry).toEqual({
      id: 'dns.demo',
      component: 'dns',
      check: 'demo-check',
      severities: ['warning'],
      summary: 'The demo | is broken.',
      fix: 'Repair it.',
      remediations: ['dns.demo-fix'],
      safety: 'auto-safe',
      scenarios: ['demo'],
    });
    expect(renderChecksDoc([entry!])).toContain(
      '| `dns.demo` | `demo-check` | warning | The demo \\| is broken. | Repair it. | `dns.demo-fix` (auto-safe) | `demo` |',
    );
  });

  it('without a description, takes severity from the scenarios that reproduce the finding and marks the rest unknown', () => {
    const check: RegisteredCheck = {
      name: 'plain',
      component: 'cni',
      emits: ['cni.plain'],
      run: () => [],
      describe: {},
      remediations: [],
    };
    const [entry] = catalogueOf(
      [check],
      [
        { name: 'a', expect: { critical: [], warning: ['cni.plain'] } },
        { name: 'b', expect: { critical: ['cni.plain'], warning: [] } },
        { name: 'healthy', expect: { critical: [], warning: [] } },
      ],
    );
    expect(entry).toEqual({
      id: 'cni.plain',
      component: 'cni',
      check: 'plain',
      severities: ['critical', 'warning'],
      remediations: [],
      scenarios: ['a', 'b'],
    });
    expect(renderChecksDoc([entry!])).toContain(
      '| `cni.plain` | `plain` | critical / warning | — | — | no | `a`, `b` |',
    );
  });

  it('lists a fix only under the finding ids it answers, and marks offered ids that have no implementation', () => {
    const check = {
      name: 'two-ids',
      component: 'dns',
      emits: ['dns.a', 'dns.b'],
      run: () => [],
      describe: {},
      remediations: ['dns.fix-a', 'dns.fix-b', 'dns.fix-later'],
    } as unknown as RegisteredCheck;
    const [a, b] = catalogueOf(
      [check],
      [],
      [
        { id: 'dns.fix-a', answers: ['dns.a'] },
        { id: 'dns.fix-b', answers: ['dns.b'] },
      ],
    );
    expect(a?.remediations).toEqual(['dns.fix-a']);
    expect(b?.remediations).toEqual(['dns.fix-b']);
    expect(a?.unimplemented).toEqual(['dns.fix-later']);
    expect(renderChecksDoc([a!])).toContain('| `dns.fix-a`, `dns.fix-later` (not implemented) |');
  });
});

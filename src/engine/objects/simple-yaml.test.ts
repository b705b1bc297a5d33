// The block-YAML subset must agree with the `yaml` package on everything it accepts, and decline the rest.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseSimpleYaml } from './simple-yaml.ts';

const KUBECTL_STYLE = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM1ekNDQWMrZ0F3SUJBZ0lCQURBTkJna3Foa2lHOXcwQkFRc0ZBREFWTVJNd0VRWURWUVFERXdwcmRXSmwKY201bGRHVnpNQjRYRFRJek1EWXhOVEUyTkRjMU4xb1hEVE16TURZeE1qRTJORGMxTjFvd0ZURVRNQkVHQTFVRQo=
    server: https://127.0.0.1:6443
  name: kind-kind
contexts:
- context:
    cluster: kind-kind
    namespace: kube-system # where most of us look first
    user: kind-kind
  name: kind-kind
current-context: kind-kind
kind: Config
preferences: {}
users:
- name: kind-kind
  user:
    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t
    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ==
`;

const INDENTED_STYLE = `---
# written by a tool that indents sequences
apiVersion: v1
kind: Config
clusters:
  - name: "prod eu"
    cluster:
      server: 'https://api.prod:443'
      insecure-skip-tls-verify: false
      tls-server-name: api.internal
users:
  - name: bot
    user:
      token: "abc\\"def"
      tokenFile:
contexts:
  - name: prod
    context: { cluster: "prod eu", user: bot }
current-context: prod
`;

describe('kubeconfig YAML subset', () => {
  it('reads what kubectl writes exactly as the yaml package does', () => {
    expect(parseSimpleYaml(KUBECTL_STYLE)).toEqual(parse(KUBECTL_STYLE));
  });

  it('reads indented sequences, quoted scalars, comments, booleans and empty values as the yaml package does', () => {
    const simple = INDENTED_STYLE.replace(
      'context: { cluster: "prod eu", user: bot }',
      'context:\n      cluster: "prod eu"\n      user: bot',
    );
    expect(parseSimpleYaml(simple)).toEqual(parse(simple));
    expect((parseSimpleYaml(simple) as { users: { user: { token: string } }[] }).users[0]!.user.token).toBe('abc"def');
  });

  it.each([
    ['a flow mapping', INDENTED_STYLE],
    ['a hex-looking token', 'users:\n- name: u\n  user:\n    token: 0x1F\n'],
    ['a block scalar', 'users:\n- name: u\n  user:\n    token: |\n      abc\n'],
    ['an anchor', 'users:\n- &u name: u\n'],
    ['a multi-line plain scalar', 'users:\n- name: u\n  user:\n    token: abc\n      def\n'],
    ['a duplicate key', 'kind: Config\nkind: Other\n'],
    ['a tab in the indentation', 'users:\n\t- name: u\n'],
    ['a YES that YAML 1.1 would read as true', 'preferences:\n  colors: YES\n'],
  ])('declines %s (the yaml package decides)', (_what, text) => {
    expect(parseSimpleYaml(text)).toBeUndefined();
  });

  it('never disagrees with the yaml package on the kubeconfigs it accepts, line by line cut short', () => {
    // Every prefix of a real kubeconfig: each is either declined or read exactly as the yaml package reads it.
    const lines = KUBECTL_STYLE.split('\n');
    let accepted = 0;
    for (let n = 1; n <= lines.length; n++) {
      const text = lines.slice(0, n).join('\n');
      const mine = parseSimpleYaml(text);
      if (mine === undefined) continue;
      accepted++;
      expect(mine).toEqual(parse(text));
    }
    expect(accepted).toBeGreaterThan(lines.length / 2);
  });
});

const SCENARIOS = fileURLToPath(new URL('../../sandbox/scenarios/', import.meta.url));

/** Every ConfigMap data value in the sandbox scenarios (and their bases) that the yaml package reads as a mapping. */
function scenarioDocuments(): { where: string; text: string }[] {
  const files = [
    ...readdirSync(SCENARIOS).filter((f) => f.endsWith('.yaml')),
    ...readdirSync(join(SCENARIOS, 'bases')).map((f) => join('bases', f)),
  ];
  const docs: { where: string; text: string }[] = [];
  const strings = (node: unknown, where: string): void => {
    if (typeof node === 'string') {
      let value: unknown;
      try {
        value = parse(node);
      } catch {
        return;
      }
      if (value && typeof value === 'object' && !Array.isArray(value)) docs.push({ where, text: node });
    } else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) strings(v, `${where}.${k}`);
    }
  };
  const walk = (node: unknown, where: string): void => {
    if (!node || typeof node !== 'object') return;
    const obj = node as Record<string, unknown>;
    if (obj['kind'] === 'ConfigMap') {
      for (const [k, v] of Object.entries(obj)) {
        if (k === 'data') strings(v, `${where}.data`);
        else if (v && typeof v === 'object' && 'data' in v)
          strings((v as { data: unknown }).data, `${where}.${k}.data`);
      }
    }
    for (const [k, v] of Object.entries(obj)) walk(v, `${where}.${k}`);
  };
  for (const file of files) walk(parse(readFileSync(join(SCENARIOS, file), 'utf8')), file);
  return docs;
}

describe('the subset on the ConfigMaps of the sandbox scenarios', () => {
  const docs = scenarioDocuments();

  it('finds the KubeProxyConfiguration, KubeletConfiguration and ClusterConfiguration documents', () => {
    for (const kind of ['KubeProxyConfiguration', 'KubeletConfiguration', 'ClusterConfiguration']) {
      expect(docs.some((d) => d.text.includes(`kind: ${kind}`))).toBe(true);
    }
  });

  it('reads every document, and every line-by-line prefix of it, exactly as the yaml package does or declines it', () => {
    let compared = 0;
    for (const { where, text } of docs) {
      const lines = text.split('\n');
      for (let n = 1; n <= lines.length; n++) {
        const prefix = lines.slice(0, n).join('\n');
        const mine = parseSimpleYaml(prefix);
        if (mine === undefined) continue;
        compared++;
        expect({ where, n, value: mine }).toEqual({ where, n, value: parse(prefix) });
      }
    }
    expect(compared).toBeGreaterThan(docs.length);
  });

  it('reads the kube-proxy, kubelet and kubeadm documents as kubeadm writes them without the yaml package', () => {
    const kubeadmWritten = docs.filter((d) =>
      /^kind: (KubeProxyConfiguration|KubeletConfiguration|ClusterConfiguration)$/m.test(d.text),
    );
    expect(kubeadmWritten.length).toBeGreaterThan(0);
    const declined = kubeadmWritten.filter((d) => parseSimpleYaml(d.text) === undefined).map((d) => d.where);
    expect(declined).toEqual([]);
  });
});

describe('YAML 1.2 core-schema scalars', () => {
  it.each([
    ['decimal ints', 'a: 0\nb: 110\nc: -999\n'],
    ['floats', 'a: 0.5\nb: -1.25\n'],
    ['the core spellings of null and booleans', 'a: null\nb: Null\nc: NULL\nd: ~\ne:\nf: True\ng: FALSE\n'],
    ['durations, addresses and CIDRs as strings', 'a: 15m0s\nb: 10.96.0.10\nc: 0.0.0.0:10249\nd: 10.244.0.0/16\n'],
    ['quoted numbers as strings', 'a: "0"\nb: \'1.5\'\n'],
  ])('reads %s as the yaml package does', (_what, text) => {
    expect(parseSimpleYaml(text)).toEqual(parse(text));
  });

  it.each([
    ['an octal int', 'a: 0o17\n'],
    ['a leading-zero int', 'a: 017\n'],
    ['a signed int', 'a: +5\n'],
    ['an exponent', 'a: 1e3\n'],
    ['a float without digits after the point', 'a: 1.\n'],
    ['infinity', 'a: .inf\n'],
    ['not a number', 'a: .NaN\n'],
    ['a timestamp', 'a: 2001-12-14\n'],
    ['a sexagesimal', 'a: 1:20\n'],
    ['a non-core spelling of true', 'a: tRUE\n'],
    ['a numeric key', '1.0: a\n'],
    ['a multi-line double-quoted scalar', 'a: "one\n  two"\n'],
  ])('declines %s (the yaml package decides)', (_what, text) => {
    expect(parseSimpleYaml(text)).toBeUndefined();
  });
});

// The kubeconfig YAML subset must agree with the `yaml` package on everything it accepts, and decline the rest.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseSimpleYaml } from './kubeconfig-yaml.ts';

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
    ['a numeric-looking token', 'users:\n- name: u\n  user:\n    token: 12345\n'],
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

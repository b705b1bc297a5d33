import { describe, expect, it } from 'vitest';
import { editDistance } from '../engine/suggest.ts';
import { parseCommand } from './command.ts';

describe('parseCommand accepts what people type', () => {
  it.each([
    ['dns', { kind: 'check', scope: 'dns', details: false }],
    ['  DNS   ', { kind: 'check', scope: 'dns', details: false }],
    ['cni --cluster prod-eu', { kind: 'check', scope: 'cni', cluster: 'prod-eu', details: false }],
    ['proxy --cluster=prod-eu', { kind: 'check', scope: 'proxy', cluster: 'prod-eu', details: false }],
    ['kube-proxy', { kind: 'check', scope: 'proxy', details: false }],
    ['coredns', { kind: 'check', scope: 'dns', details: false }],
    ['all --details --lang ko', { kind: 'check', scope: 'all', lang: 'ko', details: true }],
    ['All --LANG=EN', { kind: 'check', scope: 'all', lang: 'en', details: false }],
    ['--cluster staging dns', { kind: 'check', scope: 'dns', cluster: 'staging', details: false }],
    ['dns prod-eu', { kind: 'check', scope: 'dns', cluster: 'prod-eu', details: false }],
    ['dns prod-eu --cluster prod-eu', { kind: 'check', scope: 'dns', cluster: 'prod-eu', details: false }],
    // Slack clients turn `--` into an em dash and auto-link host-like names.
    ['dns —cluster prod-eu', { kind: 'check', scope: 'dns', cluster: 'prod-eu', details: false }],
    ['dns –details', { kind: 'check', scope: 'dns', details: true }],
    [
      'dns --cluster <http://prod.example.com|prod.example.com>',
      { kind: 'check', scope: 'dns', cluster: 'prod.example.com', details: false },
    ],
    ['dns\u00a0--cluster\tprod-eu', { kind: 'check', scope: 'dns', cluster: 'prod-eu', details: false }],
    ['dns --cluster "prod-eu"', { kind: 'check', scope: 'dns', cluster: 'prod-eu', details: false }],
  ])('%j', (text, command) => {
    expect(parseCommand(text)).toEqual({ ok: true, command });
  });

  it.each(['', '   ', 'help', 'HELP', '--help', '-h', 'help dns'])('%j asks for help', (text) => {
    expect(parseCommand(text)).toEqual({ ok: true, command: { kind: 'help' } });
  });
});

describe('parseCommand explains mistakes in one sentence', () => {
  it.each([
    ['dsn', 'Unknown check "dsn". Did you mean "dns"?'],
    ['cin', 'Unknown check "cin". Did you mean "cni"?'],
    ['proxi', 'Unknown check "proxi". Did you mean "proxy"?'],
    ['kube-prxy', 'Unknown check "kube-prxy". Did you mean "proxy"?'],
    ['al', 'Unknown check "al". Did you mean "all"?'],
    ['pods', 'Unknown check "pods". Use one of: dns, cni, proxy, all, help.'],
    ['dns --cluster', '--cluster needs a name'],
    ['dns --cluster=', '--cluster needs a name'],
    ['dns --cluster --details', '--cluster needs a name'],
    ['dns --lang', '--lang needs a language: en or ko'],
    ['dns --lang fr', '--lang must be en or ko, not "fr"'],
    ['dns --clutser prod', 'Unknown option "--clutser". Did you mean "--cluster"?'],
    ['dns --detail', 'Unknown option "--detail". Did you mean "--details"?'],
    ['dns --force', 'Unknown option "--force". Options are --cluster, --lang, --details.'],
    ['dns --details=yes', '--details takes no value'],
    ['dns --cluster a --cluster b', '--cluster is given twice ("a" and "b")'],
    ['dns prod-eu --cluster staging', 'Unexpected "prod-eu": the cluster is already "staging"'],
    ['dns prod-eu staging', 'Unexpected "staging": name one check and at most one cluster'],
    ['--details', 'Name a check first: dns, cni, proxy, all, help'],
    ['dns --cluster ../../etc', '"../../etc" is not a valid cluster name'],
    ['dns --cluster prod&amp;eu', '"prod&eu" is not a valid cluster name'],
  ])('%j → %s', (text, error) => {
    expect(parseCommand(text)).toEqual({ ok: false, error });
  });
});

describe('editDistance', () => {
  it('counts a swapped pair as one edit', () => {
    expect(editDistance('dsn', 'dns')).toBe(1);
    expect(editDistance('proxy', 'proxy')).toBe(0);
    expect(editDistance('', 'all')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

// coredns.loop-detected: forward to resolvers a human names instead of the node's resolv.conf (which loops back).
import { corefileRemediation } from './corefile-edit.ts';

const FORWARD = /^(\s*)forward\s+\.\s+[^{\n]*?(\s*\{)?$/m;

export const forwardUpstream = corefileRemediation({
  id: 'coredns.forward-upstream',
  answers: ['coredns.loop-detected'],
  safety: 'auto-guarded',
  inputs: [{ name: 'upstreams', label: 'Upstream DNS resolvers (IP addresses)', kind: 'ip-list' }],
  edit: (corefile, ctx) => {
    const upstreams = ctx.inputs?.upstreams ?? [];
    if (upstreams.length === 0) return { reason: 'Name at least one upstream resolver IP address.' };
    if (upstreams.some((ip) => ip.startsWith('127.') || ip === '::1')) {
      return { reason: 'A loopback resolver would loop again; name the real upstream resolvers.' };
    }
    if (!FORWARD.test(corefile)) return { reason: 'The Corefile has no `forward .` line to point elsewhere.' };
    return {
      corefile: corefile.replace(FORWARD, (_m, indent: string, brace?: string) => {
        return `${indent}forward . ${upstreams.join(' ')}${brace ?? ''}`;
      }),
    };
  },
  title: (ctx) =>
    `Forward the Corefile to ${(ctx.inputs?.upstreams ?? []).join(', ') || 'upstream resolvers'} and restart CoreDNS`,
  risk: 'External names resolve through the resolvers you named; if they are unreachable, external lookups fail.',
  clears: ['coredns.loop-detected'],
});

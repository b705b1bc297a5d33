// coredns.corefile-removed-plugin: `proxy` was removed in CoreDNS 1.5.0; `forward` takes the same arguments.
import { corefileRemediation } from './corefile-edit.ts';

const PROXY = /^(\s*)proxy(\s+)/gm;

export const replaceProxyWithForward = corefileRemediation({
  id: 'coredns.replace-proxy-with-forward',
  answers: ['coredns.corefile-removed-plugin'],
  safety: 'auto-guarded',
  edit: (corefile) =>
    /^\s*proxy\s/m.test(corefile)
      ? { corefile: corefile.replace(PROXY, '$1forward$2') }
      : { reason: 'The Corefile has no `proxy` line any more.' },
  title: () => 'Replace `proxy` with `forward` in the Corefile and restart CoreDNS',
  risk: 'CoreDNS pods restart one by one; a wrong forward target would break external lookups.',
  clears: ['coredns.corefile-removed-plugin'],
});

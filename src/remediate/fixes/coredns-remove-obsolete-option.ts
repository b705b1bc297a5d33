// coredns.corefile-removed-option: `upstream` and `resyncperiod` were removed from the kubernetes plugin in 1.7.0.
import { param } from '../objects.ts';
import { corefileRemediation } from './corefile-edit.ts';

/** Only options CoreDNS removed outright; `max_concurrent` is too new for the image, not obsolete (MANUAL). */
const OBSOLETE = ['upstream', 'resyncperiod'] as const;

export const removeObsoleteOption = corefileRemediation({
  id: 'coredns.remove-obsolete-option',
  answers: ['coredns.corefile-removed-option'],
  safety: 'auto-guarded',
  edit: (corefile, ctx) => {
    const option = param(ctx.finding, 'option');
    if (!option || !(OBSOLETE as readonly string[]).includes(option)) {
      return { reason: `Only ${OBSOLETE.join(' and ')} can be removed automatically; align the image instead.` };
    }
    const line = new RegExp(`^[ \\t]*${option}(?:[ \\t][^\\n]*)?\\n`, 'gm');
    return new RegExp(line.source, 'm').test(corefile)
      ? { corefile: corefile.replace(line, '') }
      : { reason: `The Corefile has no \`${option}\` line any more.` };
  },
  title: (ctx) =>
    `Delete the \`${param(ctx.finding, 'option') ?? 'obsolete'}\` line from the Corefile and restart CoreDNS`,
  risk: 'CoreDNS pods restart one by one; the removed option had no effect in this CoreDNS version.',
  clears: ['coredns.corefile-removed-option'],
});

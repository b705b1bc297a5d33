// `/netcheck audit [--cluster NAME]`: the last remediation actions on a cluster. Parsed apart from the check
// commands (src/slack/command.ts) so the check grammar stays as it is.
import { ClusterName } from './actions.ts';

export type AuditParse = { ok: true; cluster?: string } | { ok: false; error: string };

/** undefined when the text is not an audit command at all. */
export function parseAuditCommand(text: string): AuditParse | undefined {
  const tokens = text
    .replace(/[\u2013\u2014]/g, '--')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  if (tokens[0]?.toLowerCase() !== 'audit') return undefined;
  let cluster: string | undefined;
  for (let i = 1; i < tokens.length; i++) {
    const token = tokens[i]!;
    const [name, inline] = token.includes('=')
      ? [token.slice(0, token.indexOf('=')), token.slice(token.indexOf('=') + 1)]
      : [token, undefined];
    if (name?.toLowerCase() !== '--cluster')
      return { ok: false, error: `audit takes only --cluster NAME, not "${token.slice(0, 40)}"` };
    const value = inline ?? tokens[++i];
    if (!value || !ClusterName.safeParse(value).success) return { ok: false, error: '--cluster needs a cluster name' };
    cluster = value;
  }
  return { ok: true, ...(cluster ? { cluster } : {}) };
}

// `/netcheck <dns|cni|proxy|all|audit|help> [--cluster NAME] [--lang en|ko] [--details]`, parsed tolerantly: people type
// this on phones, Slack escapes `&<>`, auto-links names that look like hosts, and some clients turn `--` into `—`.
// zod/mini: this module is in the Slack function's bundle (src/jobs/vocabulary.ts).
import * as z from 'zod/mini';
import type { Lang as LangName, Scope as ScopeName } from '../engine/report.ts';
import { editDistance } from '../engine/suggest.ts';
import { Lang, Scope } from '../jobs/vocabulary.ts';
import { ClusterName } from './actions.ts';
import { unescapeSlack } from './mrkdwn.ts';

export { renderAck } from './progress-blocks.ts';
export { renderUsage } from './usage-blocks.ts';

export type NetcheckCommand =
  | { kind: 'check'; scope: ScopeName; cluster?: string; lang?: LangName; details: boolean }
  | { kind: 'help' };

export type ParseResult = { ok: true; command: NetcheckCommand } | { ok: false; error: string };

const SUBCOMMANDS = ['dns', 'cni', 'proxy', 'all', 'help'] as const;
/** Names people use for the same thing. */
const ALIASES: Record<string, (typeof SUBCOMMANDS)[number]> = {
  'kube-proxy': 'proxy',
  kubeproxy: 'proxy',
  coredns: 'dns',
  'kube-dns': 'dns',
  network: 'cni',
  '--help': 'help',
  '-h': 'help',
};
const OPTIONS = ['--cluster', '--lang', '--details'] as const;

const CheckCommand = z.object({
  kind: z.literal('check'),
  scope: Scope,
  cluster: z.optional(ClusterName),
  lang: z.optional(Lang),
  details: z.boolean(),
});

export function parseCommand(text: string): ParseResult {
  const tokens = tokenize(text);
  const first = tokens[0];
  if (first === undefined) return { ok: true, command: { kind: 'help' } };
  // `/netcheck --cluster prod dns` works too: the subcommand is the first word that is not an option or its value.
  let subcommand: string | undefined;
  let cluster: string | undefined;
  let lang: string | undefined;
  let details = false;
  const positional: string[] = [];

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!token.startsWith('-') || ALIASES[token.toLowerCase()] === 'help') {
      positional.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const name = (eq === -1 ? token : token.slice(0, eq)).toLowerCase();
    const inline = eq === -1 ? undefined : token.slice(eq + 1);
    const option = OPTIONS.find((o) => o === name);
    if (!option) {
      const suggestion = closest(name, OPTIONS);
      return fail(
        `Unknown option "${token}".${suggestion ? ` Did you mean "${suggestion}"?` : ` Options are ${OPTIONS.join(', ')}.`}`,
      );
    }
    if (option === '--details') {
      if (inline !== undefined) return fail('--details takes no value');
      details = true;
      continue;
    }
    let value = inline;
    if (value === undefined && tokens[i + 1] !== undefined && !tokens[i + 1]!.startsWith('-')) value = tokens[++i];
    if (!value) return fail(option === '--cluster' ? '--cluster needs a name' : '--lang needs a language: en or ko');
    if (option === '--cluster') {
      if (cluster !== undefined && cluster !== value)
        return fail(`--cluster is given twice ("${cluster}" and "${value}")`);
      cluster = value;
    } else {
      lang = value.toLowerCase();
      if (!Lang.options.includes(lang as LangName)) return fail(`--lang must be en or ko, not "${value}"`);
    }
  }

  const [word, extra, ...rest] = positional;
  if (word !== undefined) {
    const lower = word.toLowerCase();
    subcommand = (SUBCOMMANDS as readonly string[]).includes(lower) ? lower : ALIASES[lower];
    if (!subcommand) {
      const suggestion = closest(lower, [...SUBCOMMANDS, ...Object.keys(ALIASES).filter((a) => !a.startsWith('-'))]);
      const target = suggestion ? (ALIASES[suggestion] ?? suggestion) : undefined;
      return fail(
        `Unknown check "${word}".${target ? ` Did you mean "${target}"?` : ` Use one of: ${SUBCOMMANDS.join(', ')}.`}`,
      );
    }
  }
  if (subcommand === 'help') return { ok: true, command: { kind: 'help' } };
  if (subcommand === undefined) return fail(`Name a check first: ${SUBCOMMANDS.join(', ')}`);
  // `/netcheck dns prod-eu`: a bare word after the check is the cluster.
  if (extra !== undefined) {
    if (cluster !== undefined && cluster !== extra)
      return fail(`Unexpected "${extra}": the cluster is already "${cluster}"`);
    cluster = extra;
  }
  if (rest.length > 0) return fail(`Unexpected "${rest.join(' ')}": name one check and at most one cluster`);

  const parsed = CheckCommand.safeParse({
    kind: 'check',
    scope: subcommand,
    details,
    ...(cluster !== undefined ? { cluster } : {}),
    ...(lang !== undefined ? { lang } : {}),
  });
  if (!parsed.success) {
    return fail(
      cluster !== undefined && !ClusterName.safeParse(cluster).success
        ? `"${cluster}" is not a valid cluster name`
        : 'Could not read the command',
    );
  }
  return { ok: true, command: parsed.data };
}

function fail(error: string): ParseResult {
  return { ok: false, error };
}

function tokenize(text: string): string[] {
  return (
    unescapeSlack(text ?? '')
      // Slack auto-links host-like words: <http://prod.example.com|prod.example.com> → prod.example.com
      .replace(/<[^<>|]*\|([^<>]*)>/g, '$1')
      .replace(/<(?:https?|mailto):\/*([^<>]*)>/g, '$1')
      // Smart punctuation from Slack clients: —cluster / –cluster mean --cluster; curly quotes are just quotes.
      .replace(/(^|\s)[\u2014\u2013]/g, '$1--')
      .replace(/[\u201c\u201d\u2018\u2019"']/g, '')
      .replace(/[\u00a0\u200b]/g, ' ')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
  );
}

/** The candidate within edit distance 2 (1 for short words), if one is clearly closest. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = editDistance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const allowed = word.length <= 3 ? 1 : 2;
  return bestDistance <= allowed ? best : undefined;
}

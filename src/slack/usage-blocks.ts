// The ephemeral help a `/netcheck` command gets when asked for it or when it could not be understood.
import type { Lang } from '../engine/report.ts';
import { context, type KnownBlock, section } from './blocks.ts';
import { labels } from './i18n.ts';
import { LIMITS } from './limits.ts';
import { clip, escapeMrkdwn, safe } from './mrkdwn.ts';

const USAGE = '/netcheck <dns|cni|proxy|all|audit|help> [--cluster NAME] [--lang en|ko] [--details]';

export function renderUsage(options: { clusters: string[]; error?: string; lang?: Lang }): {
  response_type: 'ephemeral';
  text: string;
  blocks: KnownBlock[];
} {
  const L = labels(options.lang);
  const blocks: KnownBlock[] = [];
  if (options.error) blocks.push(section(`:warning: ${safe(options.error, 1000)}`));
  const subcommands = (['dns', 'cni', 'proxy', 'all', 'audit', 'help'] as const).map(
    (s) => `• \`${s}\` — ${L.subcommands[s]}`,
  );
  blocks.push(section([`*${L.usageTitle}*`, `\`${escapeMrkdwn(USAGE)}\``, ...subcommands].join('\n')));
  blocks.push(section(L.options.map((o) => `• ${o}`).join('\n')));
  if (options.clusters.length === 0) blocks.push(section(L.noClusters));
  else {
    const prefix = `*${L.clustersYouMayCheck}:* `;
    const names: string[] = [];
    let length = prefix.length;
    for (const [index, cluster] of options.clusters.entries()) {
      const item = `\`${safe(cluster, 100)}\``;
      const rest = options.clusters.length - index;
      if (length + item.length + 2 + 20 > LIMITS.sectionText && rest > 0) {
        names.push(L.andMore(rest));
        break;
      }
      names.push(item);
      length += item.length + 2;
    }
    blocks.push(section(prefix + names.join(', ')));
  }
  blocks.push(context([L.examples]));
  const text = options.error ? `${escapeMrkdwn(options.error)} — ${escapeMrkdwn(USAGE)}` : escapeMrkdwn(USAGE);
  return { response_type: 'ephemeral', text: clip(text, 1000), blocks };
}

// The message a job posts while it runs, and the ephemeral acknowledgement a slash command gets within 3 s.
import type { Lang, Scope } from '../engine/report.ts';
import { context, type KnownBlock, PROGRESS_EMOJI, section } from './blocks.ts';
import { labels } from './i18n.ts';
import type { SlackMessage } from './limits.ts';
import { escapeMrkdwn, safe } from './mrkdwn.ts';

export interface JobRef {
  cluster: string;
  scope: Scope;
  lang?: Lang;
}

/** A step from the engine (`{ phase, message }`) or any text; known phases are translated. */
export type ProgressStep = string | { phase?: string; message: string };

export function renderProgress(job: JobRef, step?: ProgressStep): SlackMessage {
  const L = labels(job.lang);
  const text = L.checking(L.scope[job.scope], job.cluster);
  const blocks: KnownBlock[] = [
    section(`${PROGRESS_EMOJI} ${L.checking(`*${L.scope[job.scope]}*`, `*${safe(job.cluster, 200)}*`)}`),
  ];
  if (step !== undefined) {
    const stepText = typeof step === 'string' ? step : ((step.phase && L.phase[step.phase]) ?? step.message);
    if (stepText) blocks.push(context([`${safe(stepText, 500)}…`.replace(/……$/, '…')]));
  }
  return { text: escapeMrkdwn(text), blocks };
}

export function renderAck(job: JobRef): { response_type: 'ephemeral'; text: string } {
  const L = labels(job.lang);
  return {
    response_type: 'ephemeral',
    text: `${PROGRESS_EMOJI} ${escapeMrkdwn(L.checking(L.scope[job.scope], job.cluster))} ${L.ackSuffix}`,
  };
}

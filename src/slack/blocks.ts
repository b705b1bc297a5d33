// Block Kit building blocks every message kind shares: sections packed to Slack's limits, context lines, plain
// text, and the emoji that stand for a status or a severity.
import type { types } from '@slack/bolt';
import type { ComponentName, Severity, Status } from '../engine/report.ts';
import type { Labels } from './i18n.ts';
import { LIMITS } from './limits.ts';
import { clip, pack } from './mrkdwn.ts';

export type KnownBlock = types.KnownBlock;
export type SectionBlock = types.SectionBlock;
export type Button = types.Button;

/** Not a Slack limit: a message longer than this is no longer read, and Slack folds it anyway. */
export const MESSAGE_CHAR_BUDGET = 12_000;

export const STATUS_EMOJI: Record<Status, string> = {
  ok: ':white_check_mark:',
  warning: ':warning:',
  critical: ':red_circle:',
  unknown: ':grey_question:',
};
export const HEADER_EMOJI: Record<Status, string> = { ...STATUS_EMOJI, critical: ':rotating_light:' };
export const SEVERITY_EMOJI: Record<Severity, string> = {
  critical: ':red_circle:',
  warning: ':warning:',
  info: ':information_source:',
};
export const PROGRESS_EMOJI = ':hourglass_flowing_sand:';

export function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

export function sections(pieces: string[]): SectionBlock[] {
  return pack(pieces, LIMITS.sectionText).map(section);
}

export function context(elements: string[]): KnownBlock {
  return {
    type: 'context',
    elements: elements
      .slice(0, LIMITS.contextElements)
      .map((text) => ({ type: 'mrkdwn', text: clip(text, LIMITS.contextText) })),
  };
}

export function plain(text: string, max: number): { type: 'plain_text'; text: string; emoji: true } {
  return { type: 'plain_text', text: clip(text, max), emoji: true };
}

export function componentName(L: Labels, name: ComponentName): string {
  return L.component[name] ?? name;
}

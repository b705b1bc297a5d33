// Slack's Block Kit limits (docs.slack.dev/reference/block-kit). A message that breaks one is rejected with
// `invalid_blocks`, so the renderer trims to these numbers and tests check every rendered message against them.
import type { types } from '@slack/bolt';

export const LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  /** chat.postMessage truncates `text` beyond this. */
  messageText: 40_000,
} as const;

export interface SlackMessage {
  text: string;
  blocks: types.KnownBlock[];
}

interface TextObject {
  type?: string;
  text?: string;
}

// biome-ignore lint/suspicious/noExplicitAny: limits are checked on whatever shape arrives, including bad ones.
type Loose = any;

/** The limits the message breaks, one sentence each; empty when Slack would accept it. */
export function checkLimits(message: { text?: string; blocks?: unknown[] }): string[] {
  const problems: string[] = [];
  const text = message.text ?? '';
  if (text.trim() === '') problems.push('text: the notification fallback is empty');
  if (text.length > LIMITS.messageText) problems.push(`text: ${text.length} chars (limit ${LIMITS.messageText})`);
  const blocks = (message.blocks ?? []) as Loose[];
  if (blocks.length > LIMITS.blocks) problems.push(`blocks: ${blocks.length} blocks (limit ${LIMITS.blocks})`);
  const blockIds = new Set<string>();
  blocks.forEach((block, index) => {
    const where = `block ${index} (${block?.type ?? '?'})`;
    const over = (what: string, value: string | undefined, limit: number) => {
      if (value !== undefined && value.length > limit)
        problems.push(`${where}: ${what} is ${value.length} chars (limit ${limit})`);
    };
    if (typeof block?.block_id === 'string') {
      over('block_id', block.block_id, LIMITS.blockId);
      if (blockIds.has(block.block_id)) problems.push(`${where}: block_id "${block.block_id}" is not unique`);
      blockIds.add(block.block_id);
    }
    switch (block?.type) {
      case 'header':
        over('header text', (block.text as TextObject | undefined)?.text, LIMITS.headerText);
        if (block.text?.type !== 'plain_text') problems.push(`${where}: header text must be plain_text`);
        break;
      case 'section': {
        const sectionText = (block.text as TextObject | undefined)?.text;
        over('section text', sectionText, LIMITS.sectionText);
        const fields = (block.fields ?? []) as TextObject[];
        if (fields.length > LIMITS.sectionFields)
          problems.push(`${where}: ${fields.length} fields (limit ${LIMITS.sectionFields})`);
        for (const [i, field] of fields.entries()) over(`field ${i}`, field.text, LIMITS.fieldText);
        if (!sectionText && fields.length === 0) problems.push(`${where}: a section needs text or fields`);
        if (block.accessory) checkElement(block.accessory, `${where} accessory`, problems);
        break;
      }
      case 'context': {
        const elements = (block.elements ?? []) as TextObject[];
        if (elements.length > LIMITS.contextElements)
          problems.push(`${where}: ${elements.length} elements (limit ${LIMITS.contextElements})`);
        for (const [i, element] of elements.entries()) over(`element ${i} text`, element.text, LIMITS.contextText);
        break;
      }
      case 'actions': {
        const elements = (block.elements ?? []) as Loose[];
        if (elements.length > LIMITS.actionsElements)
          problems.push(`${where}: ${elements.length} elements (limit ${LIMITS.actionsElements})`);
        const actionIds = new Set<string>();
        elements.forEach((element, i) => {
          checkElement(element, `${where} element ${i}`, problems);
          if (typeof element?.action_id === 'string') {
            if (actionIds.has(element.action_id))
              problems.push(`${where}: action_id "${element.action_id}" is used twice in one block`);
            actionIds.add(element.action_id);
          }
        });
        break;
      }
      default:
        break;
    }
  });
  return problems;
}

function checkElement(element: Loose, where: string, problems: string[]): void {
  const over = (what: string, value: unknown, limit: number) => {
    if (typeof value === 'string' && value.length > limit)
      problems.push(`${where}: ${what} is ${value.length} chars (limit ${limit})`);
  };
  if (element?.type !== 'button') return;
  over('button text', element.text?.text, LIMITS.buttonText);
  over('button value', element.value, LIMITS.buttonValue);
  over('action_id', element.action_id, LIMITS.actionId);
  if (element.confirm) {
    over('confirm title', element.confirm.title?.text, LIMITS.confirmTitle);
    over('confirm text', element.confirm.text?.text, LIMITS.confirmText);
    over('confirm button', element.confirm.confirm?.text, LIMITS.confirmButton);
    over('deny button', element.confirm.deny?.text, LIMITS.confirmButton);
  }
}

import { describe, expect, it } from 'vitest';
import { checkLimits } from './limits.ts';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (over: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id: 'netcheck_rerun',
  text: { type: 'plain_text', text: 'Re-run' },
  value: '{}',
  ...over,
});
const ok = { text: 'prod-eu DNS: OK', blocks: [section('fine')] };

describe('checkLimits', () => {
  it('accepts a small valid message', () => {
    expect(checkLimits(ok)).toEqual([]);
  });

  it.each([
    ['an empty notification text', { text: ' ', blocks: [section('x')] }, 'text: the notification fallback is empty'],
    [
      'more than 50 blocks',
      { text: 't', blocks: Array.from({ length: 51 }, () => section('x')) },
      'blocks: 51 blocks (limit 50)',
    ],
    [
      'a header over 150 chars',
      { text: 't', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] },
      'block 0 (header): header text is 151 chars (limit 150)',
    ],
    [
      'a mrkdwn header',
      { text: 't', blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }] },
      'block 0 (header): header text must be plain_text',
    ],
    [
      'a section over 3000 chars',
      { text: 't', blocks: [section('s'.repeat(3001))] },
      'block 0 (section): section text is 3001 chars (limit 3000)',
    ],
    [
      'an empty section',
      { text: 't', blocks: [{ type: 'section' }] },
      'block 0 (section): a section needs text or fields',
    ],
    [
      'more than 10 context elements',
      {
        text: 't',
        blocks: [{ type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) }],
      },
      'block 0 (context): 11 elements (limit 10)',
    ],
    [
      'more than 25 actions',
      {
        text: 't',
        blocks: [{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button({ action_id: `a${i}` })) }],
      },
      'block 0 (actions): 26 elements (limit 25)',
    ],
    [
      'a button text over 75 chars',
      {
        text: 't',
        blocks: [{ type: 'actions', elements: [button({ text: { type: 'plain_text', text: 'b'.repeat(76) } })] }],
      },
      'block 0 (actions) element 0: button text is 76 chars (limit 75)',
    ],
    [
      'a button value over 2000 chars',
      { text: 't', blocks: [{ type: 'actions', elements: [button({ value: 'v'.repeat(2001) })] }] },
      'block 0 (actions) element 0: button value is 2001 chars (limit 2000)',
    ],
    [
      'two buttons with one action_id in a block',
      { text: 't', blocks: [{ type: 'actions', elements: [button(), button()] }] },
      'block 0 (actions): action_id "netcheck_rerun" is used twice in one block',
    ],
    [
      'a confirm dialog text over 300 chars',
      {
        text: 't',
        blocks: [
          {
            type: 'actions',
            elements: [
              button({
                confirm: {
                  title: { type: 'plain_text', text: 'Sure?' },
                  text: { type: 'plain_text', text: 'c'.repeat(301) },
                  confirm: { type: 'plain_text', text: 'Yes' },
                  deny: { type: 'plain_text', text: 'No' },
                },
              }),
            ],
          },
        ],
      },
      'block 0 (actions) element 0: confirm text is 301 chars (limit 300)',
    ],
    [
      'a section accessory button over its value limit',
      { text: 't', blocks: [{ ...section('x'), accessory: button({ value: 'v'.repeat(2001) }) }] },
      'block 0 (section) accessory: button value is 2001 chars (limit 2000)',
    ],
    [
      'a repeated block_id',
      {
        text: 't',
        blocks: [
          { ...section('a'), block_id: 'b' },
          { ...section('b'), block_id: 'b' },
        ],
      },
      'block 1 (section): block_id "b" is not unique',
    ],
  ])('catches %s', (_what, message, problem) => {
    expect(checkLimits(message)).toEqual([problem]);
  });

  it('reports every problem of a message at once', () => {
    const bad = {
      text: '',
      blocks: [section('s'.repeat(3001)), { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }],
    };
    expect(checkLimits(bad)).toHaveLength(3);
  });
});

// The workspace the built-in Slack Web API keeps for the preview page, driven by the real WebClient over HTTP:
// messages and threads as Slack stores them, edits in place, ephemerals, response URLs, private channels, modals.
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_BOT, type SlackApiFake, startSlackApiFake } from './slack-api.ts';

let slack: SlackApiFake;
let client: InstanceType<typeof webApi.WebClient>;
let changes = 0;

beforeAll(async () => {
  slack = await startSlackApiFake({
    users: { UALICE0001: { name: 'alice', realName: 'Alice' }, UBOB000001: { name: 'bob', realName: 'Bob' } },
    channels: {
      COPS000001: { name: 'ops' },
      GSECRET001: { name: 'secret-incidents', isPrivate: true, members: ['UALICE0001'] },
    },
    userGroups: { SAPPROVERS: ['UBOB000001'] },
  });
  slack.onChange(() => {
    changes++;
  });
  client = new webApi.WebClient('xoxb-dev', { slackApiUrl: slack.url, retryConfig: { retries: 0 }, timeout: 2000 });
});
afterAll(() => slack.close());

const inChannel = (channel: string) => slack.state().messages.filter((m) => m.channel === channel);

describe('the built-in Slack Web API workspace', () => {
  it('stores a post, its thread reply and an edit in place, and tells listeners', async () => {
    const before = changes;
    const top = await client.chat.postMessage({ channel: 'COPS000001', text: 'checking…' });
    const reply = await client.chat.postMessage({ channel: 'COPS000001', text: 'details', thread_ts: top.ts! });
    await client.chat.update({ channel: 'COPS000001', ts: top.ts!, text: 'report', blocks: [{ type: 'divider' }] });
    const stored = slack.message('COPS000001', top.ts!);
    expect(stored).toMatchObject({ text: 'report', blocks: [{ type: 'divider' }], user: FAKE_BOT.userId });
    expect(stored?.editedTs).toBeDefined();
    expect(slack.message('COPS000001', reply.ts!)?.threadTs).toBe(top.ts);
    expect(changes - before).toBe(3);

    const history = await client.conversations.history({ channel: 'COPS000001' });
    expect(history.messages?.map((m) => m.text)).toEqual(['report']);
    const thread = await client.conversations.replies({ channel: 'COPS000001', ts: top.ts! });
    expect(thread.messages?.map((m) => m.text)).toEqual(['report', 'details']);
  });

  it('keeps an ephemeral for its user only, out of history', async () => {
    await client.chat.postEphemeral({ channel: 'COPS000001', user: 'UALICE0001', text: 'only Alice' });
    const whisper = inChannel('COPS000001').find((m) => m.text === 'only Alice');
    expect(whisper?.ephemeralTo).toBe('UALICE0001');
    const history = await client.conversations.history({ channel: 'COPS000001' });
    expect(history.messages?.some((m) => m.text === 'only Alice')).toBe(false);
  });

  it('lands response_url posts where Slack shows them: ephemeral, in channel, or replacing the clicked message', async () => {
    const card = await client.chat.postMessage({ channel: 'COPS000001', text: 'approve?' });
    const url = slack.responseUrl('click-1', { channel: 'COPS000001', user: 'UBOB000001', messageTs: card.ts! });
    const post = (body: Record<string, unknown>) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    await post({ text: 'not yours to approve' });
    expect(inChannel('COPS000001').at(-1)).toMatchObject({ text: 'not yours to approve', ephemeralTo: 'UBOB000001' });
    await post({ response_type: 'in_channel', text: 'Bob approved' });
    expect(inChannel('COPS000001').at(-1)).toMatchObject({ text: 'Bob approved' });
    expect(inChannel('COPS000001').at(-1)?.ephemeralTo).toBeUndefined();
    await post({ replace_original: true, text: 'approved by Bob' });
    expect(slack.message('COPS000001', card.ts!)).toMatchObject({ text: 'approved by Bob' });
    await post({ delete_original: true });
    expect(slack.message('COPS000001', card.ts!)).toBeUndefined();
    expect(slack.calls.filter((c) => c.responseId === 'click-1')).toHaveLength(4);
  });

  it('refuses posts to a private channel the bot was not invited to, and will not join it', async () => {
    await expect(client.chat.postMessage({ channel: 'GSECRET001', text: 'x' })).rejects.toMatchObject({
      data: { error: 'not_in_channel' },
    });
    await expect(client.conversations.join({ channel: 'GSECRET001' })).rejects.toMatchObject({
      data: { error: 'method_not_supported_for_channel_type' },
    });
    expect((await client.conversations.info({ channel: 'GSECRET001' })).channel).toMatchObject({
      is_private: true,
      is_member: false,
    });
    expect(inChannel('GSECRET001')).toEqual([]);
  });

  it('creates channels as a person would, and the bot joins public ones', async () => {
    const channel = slack.createChannel('inc-7-dns', { creator: 'UALICE0001' });
    expect((await client.conversations.info({ channel: channel.id })).channel).toMatchObject({
      name: 'inc-7-dns',
      is_member: false,
      creator: 'UALICE0001',
    });
    await client.conversations.join({ channel: channel.id });
    expect((await client.conversations.members({ channel: channel.id })).members).toEqual([
      'UALICE0001',
      FAKE_BOT.userId,
    ]);
    await expect(client.conversations.create({ name: 'inc-7-dns' })).rejects.toMatchObject({
      data: { error: 'name_taken' },
    });
  });

  it('answers user groups and modals', async () => {
    expect((await client.usergroups.users.list({ usergroup: 'SAPPROVERS' })).users).toEqual(['UBOB000001']);
    await expect(client.usergroups.users.list({ usergroup: 'SNOPE' })).rejects.toMatchObject({
      data: { error: 'no_such_subteam' },
    });
    const opened = await client.views.open({
      trigger_id: '123.456',
      view: { type: 'modal', title: { type: 'plain_text', text: 'Approve' }, blocks: [] },
    });
    expect(opened.view?.id).toMatch(/^V/);
    expect(slack.state().views.at(-1)?.view).toMatchObject({ type: 'modal' });
    await expect(
      client.views.open({
        trigger_id: '',
        view: { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] },
      }),
    ).rejects.toMatchObject({ data: { error: 'invalid_trigger_id' } });
  });
});

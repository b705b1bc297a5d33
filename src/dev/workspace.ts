// The people and channels of the `netcheck dev` workspace: enough to play on-call, approver and a Korean user.
import { FAKE_BOT, type SlackApiOptions } from './slack-api.ts';

export const DEV_USERS = {
  alice: 'UDEVALICE1',
  bob: 'UDEVBOB001',
  minji: 'UDEVMINJI1',
} as const;

/** Bob approves changes (the approval flow reads this group once it is enabled). */
export const DEV_APPROVERS_GROUP = 'S0DEVAPPROV';
export const DEV_OPS_CHANNEL = 'C0DEVOPS01';
/** The bot that posts Alertmanager notifications, as Slack's incoming webhooks appear. */
export const DEV_ALERT_BOT = { botId: 'B0ALERTMGR', username: 'Alertmanager' };
/** Incident channels are the ones the dev config answers in by itself. */
export const DEV_INCIDENT_PATTERN = '^inc-';

export const DEV_WORKSPACE: SlackApiOptions = {
  users: {
    [DEV_USERS.alice]: { name: 'alice', realName: 'Alice', title: 'on-call engineer' },
    [DEV_USERS.bob]: { name: 'bob', realName: 'Bob', title: 'approver' },
    [DEV_USERS.minji]: { name: 'minji', realName: 'Minji', locale: 'ko-KR', title: '온콜 엔지니어' },
  },
  channels: {
    [DEV_OPS_CHANNEL]: { name: 'ops', members: [...Object.values(DEV_USERS), FAKE_BOT.userId] },
  },
  userGroups: { [DEV_APPROVERS_GROUP]: [DEV_USERS.bob] },
};

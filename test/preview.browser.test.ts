// The Slack preview page of `netcheck dev`, in a real headless Chromium: what a person sees and clicks, with every
// action going through the dev server's signed requests to the real handlers and the built-in Slack Web API.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webApi } from '@slack/bolt';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../src/dev/dev-server.ts';
import { FAKE_BOT } from '../src/dev/slack-api.ts';
import { DEV_OPS_CHANNEL, DEV_USERS } from '../src/dev/workspace.ts';
import { createLog } from '../src/handlers/log.ts';

// Screenshots are test artefacts for people to look at, never committed (.gitignore has .artifacts/).
const ARTIFACTS = join(import.meta.dirname, '..', '.artifacts', 'preview');
const CHROMIUM = '/usr/bin/chromium';
const WAIT = { timeout: 20_000 };

let dev: DevServer;
let context: BrowserContext;
let page: Page;
let profile: string;
/** Every URL the page asked for. */
const requested: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's browser (apt-get install chromium), as .ci/run does`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  dev = await startDevServer({ scenario: 'coredns-loop', port: 0, env: {}, log: createLog({ write: () => {} }) });
  profile = mkdtempSync(join(tmpdir(), 'netcheck-chromium-'));
  // A fresh profile, and nothing that phones home: the page and the dev server are all it talks to.
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1400, height: 1000 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('request', (request) => requested.push(request.url()));
  await page.goto(dev.pageUrl!);
  await page.getByText('● live').waitFor(WAIT);
}, 60_000);

afterAll(async () => {
  await context?.close();
  await dev?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

const messages = () => page.locator('#messages > [data-testid=message]');
const fromBot = () => messages().filter({ has: page.locator('.sk-author', { hasText: FAKE_BOT.name }) });
/** The bot's reports ("netcheck — sandbox: CRITICAL"), not its other messages. */
const reports = () => fromBot().filter({ has: page.locator('.sk-header', { hasText: 'netcheck —' }) });
/** Scrolls the message list so the message's first line is at the top (for the eye and the screenshot). */
async function showTop(message: Locator) {
  const ts = await message.getAttribute('data-ts');
  await page.evaluate(`document.querySelector('#messages [data-ts="${ts}"]').scrollIntoView()`);
}
const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

async function actAs(userId: string) {
  await page.getByTestId('as-user').selectOption(userId);
}

async function type(text: string) {
  await page.getByTestId('composer').fill(text);
  await page.getByTestId('composer').press('Enter');
}

async function openChannel(name: string) {
  await page.locator('.sk-channel', { hasText: name }).click();
  await expect.poll(() => page.locator('#channel-name').textContent(), WAIT).toContain(name);
}

/** Waits until the report in `message` is final: no progress line, buttons drawn. */
async function finalReport(message: Locator) {
  await message.locator('.sk-button', { hasText: 'Re-run' }).waitFor(WAIT);
  return message;
}

describe('the Slack preview page', () => {
  it('renders mrkdwn as Slack does: bold, italic, code, code blocks, mentions, links, and escapes the rest', async () => {
    const html = (await page.evaluate(`import('/preview/mrkdwn.js').then(({ mrkdwn }) => mrkdwn(
      '*bold* _italic_ ~gone~ \`kubectl get pods\` <@${DEV_USERS.alice}> <https://example.invalid/runbook|the runbook> a &lt;b&gt; &amp; c\\n\`\`\`line 1\\n-&gt; line 2\`\`\`',
      { userName: (id) => (id === '${DEV_USERS.alice}' ? 'Alice' : id), channelName: (id) => id },
    ))`)) as string;
    expect(html).toContain('<b>bold</b>');
    expect(html).toContain('<i>italic</i>');
    expect(html).toContain('<s>gone</s>');
    expect(html).toContain('<code class="sk-code">kubectl get pods</code>');
    expect(html).toContain('@Alice</span>');
    expect(html).toContain(
      '<a href="https://example.invalid/runbook" target="_blank" rel="noopener noreferrer">the runbook</a>',
    );
    // Slack's escapes shown as the characters they stand for, and never as markup.
    expect(html).toContain('a &lt;b&gt; &amp; c');
    expect(html).toContain('<pre class="sk-pre">line 1\n-&gt; line 2</pre>');
  });

  it('a /netcheck typed as Alice answers at once, then posts the report with the root cause first', async () => {
    await actAs(DEV_USERS.alice);
    await openChannel('ops');
    await type('/netcheck dns');
    // The ack: an ephemeral only Alice sees.
    await page.locator('.is-ephemeral', { hasText: 'Checking DNS on sandbox' }).first().waitFor(WAIT);
    const report = await finalReport(reports().first());
    await expect.poll(() => report.locator('.sk-header').textContent(), WAIT).toContain('sandbox: CRITICAL');
    // The root cause, in bold, with its id in code, before the findings it caused.
    const cause = report.locator('.sk-section b', { hasText: 'Root cause: CoreDNS detected a forwarding loop' });
    await showTop(report);
    expect(await cause.first().isVisible()).toBe(true);
    expect(await report.locator('.sk-code', { hasText: 'coredns.loop-detected' }).count()).toBeGreaterThan(0);
    const words = ((await report.textContent()) ?? '').replace(/\s+/g, ' ');
    expect(words.indexOf('Root cause: CoreDNS detected a forwarding loop')).toBeGreaterThan(-1);
    // What it caused comes after it (its findings are listed in the thread).
    expect(words.indexOf('Root cause: CoreDNS detected a forwarding loop')).toBeLessThan(
      words.indexOf('what it caused'),
    );
    // Evidence is a code block; the requester is a mention; buttons keep Slack's styles.
    // The first screen keeps the key evidence: the crash-looping pod, or the loop line itself.
    expect(await report.locator('.sk-pre', { hasText: /plugin\/loop: Loop|CrashLoopBackOff/ }).count()).toBeGreaterThan(
      0,
    );
    expect(await report.locator('.sk-mention', { hasText: '@Alice' }).count()).toBe(1);
    expect(await reports().count()).toBe(1);
    await shot('1-command-report');
    // What the first screen left out is already in the report's thread: no --details needed.
    await report.locator('.sk-replies').click();
    await page.getByTestId('thread').getByText('Further findings on sandbox').first().waitFor(WAIT);
    await page.locator('#thread-close').click();
  });

  it('the ack is Alice’s alone: as Bob the channel shows the report but not her ephemeral', async () => {
    await actAs(DEV_USERS.bob);
    await expect.poll(() => page.locator('.is-ephemeral').count(), WAIT).toBe(0);
    expect(await reports().count()).toBe(1);
    await actAs(DEV_USERS.alice);
    expect(await page.locator('.is-ephemeral').count()).toBeGreaterThan(0);
  });

  it('draws any Block Kit the bot posts, and a button with a confirm dialog asks before the click goes out', async () => {
    // What the approval flow will post; the page knows no action ids, so any button works the same way.
    const bot = new webApi.WebClient('xoxb-netcheck-dev', {
      slackApiUrl: dev.slackApi!.url,
      retryConfig: { retries: 0 },
    });
    const posted = await bot.chat.postMessage({
      channel: DEV_OPS_CHANNEL,
      text: 'Fix proposed',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: ':wrench: Fix proposed for sandbox' } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '*Forward to the upstream resolvers* for `coredns.loop-detected`' },
          fields: [
            { type: 'mrkdwn', text: '*Cluster*\nsandbox' },
            { type: 'mrkdwn', text: `*Asked by*\n<@${DEV_USERS.alice}>` },
          ],
        },
        { type: 'divider' },
        {
          type: 'actions',
          block_id: 'approval',
          elements: [
            {
              type: 'button',
              action_id: 'netcheck_fix',
              style: 'primary',
              text: { type: 'plain_text', text: 'Approve' },
              value: JSON.stringify({ cluster: 'sandbox', scope: 'dns', remediation: 'coredns.forward-upstream' }),
              confirm: {
                title: { type: 'plain_text', text: 'Apply the fix?' },
                text: { type: 'plain_text', text: 'netcheck will change the Corefile on sandbox.' },
                confirm: { type: 'plain_text', text: 'Apply' },
                deny: { type: 'plain_text', text: 'Cancel' },
              },
            },
            {
              type: 'button',
              action_id: 'netcheck_reject',
              style: 'danger',
              text: { type: 'plain_text', text: 'Reject' },
            },
          ],
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Approver: <@UDEVBOB001>' }] },
      ],
    });
    const card = page.locator(`#messages [data-ts="${posted.ts}"]`);
    await card.first().waitFor(WAIT);
    expect(await card.locator('.sk-header').textContent()).toContain('Fix proposed for sandbox');
    expect(await card.locator('.sk-field').count()).toBe(2);
    expect(await card.locator('.sk-divider').count()).toBe(1);
    expect(await card.locator('.sk-button.sk-primary').textContent()).toBe('Approve');
    expect(await card.locator('.sk-button.sk-danger').textContent()).toBe('Reject');
    expect(await card.locator('.sk-context .sk-mention').textContent()).toBe('@Bob');

    await actAs(DEV_USERS.bob);
    const before = dev.slackApi!.calls.length;
    await card.locator('.sk-button', { hasText: 'Approve' }).click();
    const dialog = page.locator('.sk-modal-box');
    await dialog.getByText('Apply the fix?').waitFor(WAIT);
    await shot('2-confirm-dialog');
    await dialog.locator('.sk-button', { hasText: 'Cancel' }).click();
    expect(await page.locator('#modal').isHidden()).toBe(true);

    await card.locator('.sk-button', { hasText: 'Approve' }).click();
    await dialog.locator('.sk-button', { hasText: 'Apply' }).click();
    // The real fix listener answered Bob through the click's response_url, as an ephemeral only he sees: this
    // hand-made button carries no recorded offer id, so it requests nothing.
    await page.locator('.is-ephemeral', { hasText: 'not known here or has expired' }).first().waitFor(WAIT);
    const answers = dev.slackApi!.calls.slice(before).filter((c) => c.method === 'response_url');
    expect(answers).toHaveLength(1);
    expect(answers[0]!.body.response_type).toBe('ephemeral');
    await actAs(DEV_USERS.alice);
    expect(await page.locator('.is-ephemeral', { hasText: 'not known here or has expired' }).count()).toBe(0);
  });

  it('Re-run re-checks the cluster as the clicker', async () => {
    await actAs(DEV_USERS.alice);
    const first = await finalReport(reports().first());
    const ts = await first.getAttribute('data-ts');
    await first.locator('.sk-button', { hasText: 'Re-run' }).click();
    // A Re-run updates the report it belongs to, in place, and says when it was re-checked.
    await expect.poll(() => reports().first().getByTestId('edited').count(), WAIT).toBe(1);
    await expect.poll(() => reports().first().textContent(), WAIT).toMatch(/re-checked/i);
    expect(await reports().count()).toBe(1);
    expect(await reports().first().getAttribute('data-ts')).toBe(ts);
    await showTop(reports().first());
    expect(await reports().first().locator('.sk-header').textContent()).toContain('sandbox: CRITICAL');
    await shot('3-rerun');
  });

  it('an incident channel with two alerts: one report, and the alerts answered in its one thread', async () => {
    await actAs(DEV_USERS.alice);
    await page.getByTestId('channel-name').fill('inc-4242-dns');
    await page.getByTestId('channel-name').press('Enter');
    await expect.poll(() => page.locator('#channel-name').textContent(), WAIT).toContain('inc-4242-dns');
    // Opening the channel is the first trigger: the bot joins and posts the report.
    await finalReport(reports().first());

    const alerts = page.getByTestId('alert-form');
    await alerts.locator('select[name=alertname]').selectOption('CoreDNSDown');
    await alerts.getByRole('button', { name: 'Post firing' }).click();
    await page.locator('.sk-author', { hasText: 'Alertmanager' }).first().waitFor(WAIT);
    await page.locator('#messages .sk-replies').first().waitFor(WAIT);
    await alerts.getByRole('button', { name: 'Post firing' }).click();
    await expect.poll(() => page.locator('.sk-author', { hasText: 'Alertmanager' }).count(), WAIT).toBe(2);

    // One incident, one place: the channel's one report, and the alerts answered in its one thread.
    await expect.poll(() => page.locator('#messages .sk-replies').count(), WAIT).toBe(1);
    expect(await reports().count()).toBe(1);
    const alert = messages().filter({ has: page.locator('.sk-author', { hasText: 'Alertmanager' }) });
    expect(await alert.first().locator('.sk-att-title').textContent()).toBe('[FIRING:1] CoreDNSDown');
    expect(await alert.locator('.sk-replies').count()).toBe(0);
    await reports().first().locator('.sk-replies').click();
    const thread = page.getByTestId('thread');
    await thread
      .getByText(/New alert/)
      .first()
      .waitFor(WAIT);
    await shot('4-incident-thread');

    // The resolution arrives as Alertmanager sends it: its own message, green, titled [RESOLVED].
    await alerts.getByRole('button', { name: 'Post [RESOLVED]' }).click();
    const resolved = alert.filter({ has: page.locator('.sk-att-title', { hasText: '[RESOLVED] CoreDNSDown' }) });
    await resolved.first().waitFor(WAIT);
    expect(await resolved.locator('.sk-attachment').getAttribute('style')).toContain('#2eb67d');
  });

  it('a private incident channel stays quiet until the bot is invited, then gets its report', async () => {
    await actAs(DEV_USERS.alice);
    await page.getByTestId('channel-private').check();
    await page.getByTestId('channel-name').fill('inc-4343-private');
    await page.getByTestId('channel-name').press('Enter');
    await expect.poll(() => page.locator('#channel-name').textContent(), WAIT).toContain('🔒 inc-4343-private');
    // Slack tells the bot nothing about a private channel it is not in: no report, an invite button instead.
    const invite = page.getByTestId('invite-bot');
    await invite.waitFor(WAIT);
    expect(await fromBot().count()).toBe(0);
    await invite.click();
    const report = await finalReport(reports().first());
    expect(await report.textContent()).toContain('coredns.loop-detected');
    expect(await invite.isHidden()).toBe(true);
    expect(await reports().count()).toBe(1);
    await shot('5-private-incident');
  });

  it('asked nothing of any host but the dev server the whole time', () => {
    const origin = new URL(dev.pageUrl!).origin;
    expect(requested.length).toBeGreaterThan(3);
    expect(requested.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
  });
});

// Pure facts about Slack deliveries: which deliveries are retries of each other, what a mention asks for.
// No I/O, so they are unit-tested directly.

/**
 * The key under which a delivery is claimed exactly once. Slack retries reuse it: the trigger_id of a
 * command, the event_id of an event, action_ts + trigger_id of a button click.
 */
// biome-ignore lint/suspicious/noExplicitAny: Slack bodies are open-ended; we read a few known fields.
export function dedupeKey(body: any): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  if (typeof body.command === 'string' && body.trigger_id) return `command:${body.trigger_id}`;
  if (body.type === 'event_callback' && body.event_id) return `event:${body.event_id}`;
  if (body.type === 'block_actions') {
    const actionTs = body.actions?.[0]?.action_ts;
    if (actionTs && body.trigger_id) return `action:${actionTs}:${body.trigger_id}`;
  }
  return undefined;
}

/** Removes `<@U123>` mentions so "@netcheck dns prod-eu" parses like "/netcheck dns prod-eu". */
export function mentionText(text: string): string {
  return text
    .replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

// The key an incident check is claimed under, so one incident is checked once: a Slack redelivery carries the
// same event id (the delivery key); without one, the channel (new incident channel) or the alert message stands in.

export type IncidentTrigger = { kind: 'channel-created'; channelId: string } | { kind: 'alert'; messageTs: string };

export function incidentKey(deliveryKey: string | undefined, trigger: IncidentTrigger): string {
  if (deliveryKey) return deliveryKey;
  return trigger.kind === 'channel-created'
    ? `event:channel_created:${trigger.channelId}`
    : `event:message:${trigger.messageTs}`;
}

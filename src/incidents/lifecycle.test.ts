import { describe, expect, it } from 'vitest';
import {
  alertmanagerPreformatted,
  grafanaRichText,
  opsgenieHeader,
  pagerDutySections,
  unrelatedRichText,
} from '#test/fixtures/alert-bots.ts';
import { readAlert } from './lifecycle.ts';

describe('reading an alert bot message', () => {
  it('reads an Alertmanager firing group: name, count, labels and scope', () => {
    const alert = readAlert({
      text: '[FIRING:2] KubeProxyDown (prod-eu)',
      attachments: [{ text: '*Labels:*\n - alertname: KubeProxyDown\n - cluster: prod-eu\n - severity: critical' }],
    });
    expect(alert).toMatchObject({
      status: 'firing',
      name: 'KubeProxyDown',
      count: 2,
      scope: 'proxy',
      labels: { alertname: 'KubeProxyDown', cluster: 'prod-eu', severity: 'critical' },
      fingerprint: 'KubeProxyDown|cluster=prod-eu',
    });
  });

  it('tells [RESOLVED] from [FIRING], and keeps the fingerprint so it matches the alert it resolves', () => {
    const firing = readAlert({ text: '[FIRING:1] CoreDNSErrorsHigh cluster="prod-eu" SERVFAIL rate 38%' });
    const resolved = readAlert({ text: '[RESOLVED] CoreDNSErrorsHigh cluster="prod-eu" SERVFAIL rate 0%' });
    expect(firing?.status).toBe('firing');
    expect(resolved?.status).toBe('resolved');
    expect(resolved?.fingerprint).toBe(firing?.fingerprint);
  });

  it('reads a PagerDuty-style attachment: a status-prefixed title and fields', () => {
    const alert = readAlert({
      attachments: [
        {
          title: 'Triggered: #4211 CoreDNS SERVFAIL rate high',
          fields: [
            { title: 'Cluster', value: 'staging' },
            { title: 'Service', value: 'platform-dns' },
          ],
        },
      ],
    });
    expect(alert).toMatchObject({
      status: 'firing',
      scope: 'dns',
      labels: { cluster: 'staging', service: 'platform-dns' },
    });
    const resolved = readAlert({ attachments: [{ title: 'Resolved: #4211 CoreDNS SERVFAIL rate high' }] });
    expect(resolved?.status).toBe('resolved');
  });

  it('reads an Opsgenie-style Block Kit message: a header and section fields', () => {
    const alert = readAlert({
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'calico-node not ready' } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Status:*\nClosed' },
            { type: 'mrkdwn', text: '*k8s_cluster:*\nprod-eu' },
          ],
        },
      ],
    });
    expect(alert).toMatchObject({ status: 'resolved', scope: 'cni', labels: { k8s_cluster: 'prod-eu' } });
  });

  it('ignores acknowledgements and alerts about something else', () => {
    expect(readAlert({ attachments: [{ title: 'Acknowledged: #4211 CoreDNS SERVFAIL rate high' }] })).toBeUndefined();
    expect(readAlert({ text: '[FIRING:1] DiskFull db-3 91%' })).toBeUndefined();
  });
});

describe('alert bots that write Block Kit blocks', () => {
  it('reads a Grafana rich_text message: status and name from the bold line, labels from the bullet list', () => {
    const alert = readAlert(grafanaRichText('firing'));
    expect(alert).toMatchObject({
      status: 'firing',
      name: 'CoreDNSDown',
      count: 1,
      scope: 'dns',
      labels: { alertname: 'CoreDNSDown', cluster: 'staging', namespace: 'kube-system', severity: 'critical' },
      fingerprint: 'CoreDNSDown|cluster=staging|namespace=kube-system',
    });
    // The emoji is not part of the title; the link reads as its text, the mention as its id.
    expect(alert?.title).toBe('CoreDNSDown (prod-eu kube-system)');
  });

  it('tells a resolved Grafana rich_text message from the firing one, with the same fingerprint', () => {
    const firing = readAlert(grafanaRichText('firing'));
    const resolved = readAlert(grafanaRichText('resolved'));
    expect(resolved?.status).toBe('resolved');
    expect(resolved?.fingerprint).toBe(firing?.fingerprint);
  });

  it('reads labels from a preformatted Prometheus selector and the group size from the bold status', () => {
    expect(readAlert(alertmanagerPreformatted())).toMatchObject({
      status: 'firing',
      name: 'KubeProxyDown',
      count: 3,
      scope: 'proxy',
      labels: { cluster: 'prod-eu', job: 'kube-proxy', namespace: 'kube-system' },
    });
  });

  it('reads a PagerDuty-style section: the linked title, the status and the cluster from two-line fields', () => {
    const triggered = readAlert(pagerDutySections('Triggered'));
    expect(triggered).toMatchObject({
      status: 'firing',
      scope: 'dns',
      title: 'CoreDNS SERVFAIL rate high',
      labels: { status: 'Triggered', urgency: 'High', service: 'kube-dns', k8s_cluster: 'staging' },
    });
    const resolved = readAlert(pagerDutySections('Resolved'));
    expect(resolved?.status).toBe('resolved');
    expect(resolved?.fingerprint).toBe(triggered?.fingerprint);
  });

  it('reads an Opsgenie-style header and one-line "*Key:* value" fields', () => {
    expect(readAlert(opsgenieHeader())).toMatchObject({
      status: 'firing',
      name: 'CalicoNodeNotReady',
      scope: 'cni',
      labels: { cluster: 'prod-eu', priority: 'P1' },
    });
  });

  it('ignores a rich_text alert that is not about cluster networking', () => {
    expect(readAlert(unrelatedRichText())).toBeUndefined();
  });
});

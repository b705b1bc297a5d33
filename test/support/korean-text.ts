// The Korean a reader sees, with what is not prose taken out: commands, code, quoted evidence and finding ids.
import type { SlackMessage } from '../../src/slack/limits.ts';

/** Korean particles written both ways instead of picking one: 이(가), 을(를), 은(는), 와(과), (으)로 … */
export const FALLBACK_PARTICLE =
  /이\(가\)|가\(이\)|을\(를\)|를\(을\)|은\(는\)|는\(은\)|와\(과\)|과\(와\)|\(으\)로|\(이\)라|\(이\)나/;

/** The Kubernetes kinds and the one Korean term for each (docs/korean-glossary.md). */
export const KIND_TERMS: Record<string, string> = {
  Pod: '파드',
  Deployment: '디플로이먼트',
  DaemonSet: '데몬셋',
  ReplicaSet: '레플리카셋',
  Service: '서비스',
  ServiceAccount: '서비스 어카운트',
  ConfigMap: '컨피그맵',
  Namespace: '네임스페이스',
  Node: '노드',
  Endpoints: '엔드포인트',
  EndpointSlice: '엔드포인트슬라이스',
  ClusterRole: '클러스터롤',
  ClusterRoleBinding: '클러스터롤바인딩',
  NetworkPolicy: '네트워크폴리시',
};

/** Korean spellings the Korean Kubernetes docs do not use, each with the term to write instead. */
export const NON_GLOSSARY: [RegExp, string][] = [
  [/포드/, '파드'],
  [/컨피그 맵/, '컨피그맵'],
  [/데몬 ?세트|데몬 셋/, '데몬셋'],
  [/레플리카 ?세트|레플리카 셋/, '레플리카셋'],
  [/서비스 ?계정|서비스어카운트/, '서비스 어카운트'],
  [/네임 스페이스/, '네임스페이스'],
  [/엔드 포인트/, '엔드포인트'],
  [/디플로이먼트 ?오브젝트|배포 오브젝트/, '디플로이먼트'],
];

/** English kind names used as words in Korean prose (inside code and commands they are fine). */
export const ENGLISH_KIND = new RegExp(`(^|[^A-Za-z/.-])(${Object.keys(KIND_TERMS).join('|')})s?(?![A-Za-z/.-])`);

/** Prose of a text report: command lines, quoted evidence, `code` and [ids] removed. */
export function proseOfText(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => !/^\s+(\$ |│)/.test(l) && !/^\s{8,}\S/.test(l))
    .map((l) => stripCode(l).replace(/\[[a-z0-9.-]+\]/g, ''));
}

/** Prose of Slack messages: every text a block shows, code blocks, `code` and ids removed. */
export function proseOfSlack(messages: SlackMessage[]): string[] {
  const out: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.text === 'string' && (o.type === 'mrkdwn' || o.type === 'plain_text')) out.push(o.text);
      for (const [k, v] of Object.entries(o)) if (k !== 'value' && k !== 'action_id') visit(v);
    }
  };
  for (const m of messages) visit(m.blocks);
  return out.flatMap((t) => stripCode(t.replace(/```[\s\S]*?```/g, '')).split('\n'));
}

function stripCode(text: string): string {
  return text.replace(/`[^`\n]*`/g, '');
}

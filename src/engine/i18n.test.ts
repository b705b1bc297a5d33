import { describe, expect, it } from 'vitest';
import { finalSound, josa, placeLabel } from './i18n.ts';

describe('josa: the particle follows the final sound of the word', () => {
  it('reads the final consonant of a Hangul syllable, with ㄹ apart for 으로/로', () => {
    expect(josa('컨피그맵', '이/가')).toBe('컨피그맵이');
    expect(josa('파드', '이/가')).toBe('파드가');
    expect(josa('서비스', '을/를')).toBe('서비스를');
    expect(josa('노드', '은/는')).toBe('노드는');
    expect(josa('데몬셋', '과/와')).toBe('데몬셋과');
    expect(josa('파일', '으로/로')).toBe('파일로');
    expect(josa('네임스페이스', '으로/로')).toBe('네임스페이스로');
    expect(josa('엔드포인트', '이에요/예요')).toBe('엔드포인트예요');
  });

  it('reads digits as Korean numbers and Latin words as engineers say them', () => {
    expect(josa('10.96.0.10', '으로/로')).toBe('10.96.0.10으로');
    expect(josa('8.8.8.8', '으로/로')).toBe('8.8.8.8로');
    expect(josa('port 53', '이/가')).toBe('port 53이');
    expect(josa('`proxy`', '을/를')).toBe('`proxy`를');
    expect(josa('upstream', '을/를')).toBe('upstream을');
    expect(josa('Corefile', '이/가')).toBe('Corefile이');
    expect(josa('kubelet', '은/는')).toBe('kubelet은');
    expect(josa('DNS', '이/가')).toBe('DNS가');
    expect(finalSound('kubectl')).toBe('rieul');
  });

  it('skips trailing quotes and brackets', () => {
    expect(josa('"calico"', '과/와')).toBe('"calico"와');
    expect(josa("'coredns'", '이/가')).toBe("'coredns'가");
  });
});

describe('where a command runs', () => {
  it('says it in the reader’s language and marks changes', () => {
    expect(placeLabel({ where: 'node', changes: true }, 'en')).toBe('on each node (ssh) · makes a change');
    expect(placeLabel({ where: 'kubectl', changes: false }, 'ko')).toBe('읽기 전용 kubectl로 실행');
    expect(placeLabel({}, 'en')).toBe('');
  });
});

// Safe mrkdwn: Slack treats `&`, `<` and `>` as control characters (links, mentions, `<!channel>`), so every text
// that comes from a cluster is escaped; and every cut happens before a code fence is added, never inside one.

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Undoes Slack's escaping of user input (slash-command text arrives with `&amp;`, `&lt;`, `&gt;`). */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Cuts text to at most `max` UTF-16 units (Slack's counting is never stricter), ending in `…`.
 * Never splits a surrogate pair or an `&amp;`-style entity.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let out = '';
  for (const char of text) {
    if (out.length + char.length > max - 1) break;
    out += char;
  }
  out = out.replace(/&[a-z]{0,4}$/, '').trimEnd();
  return `${out}…`;
}

/** Titles and one-line summaries: a newline inside `*bold*` would end the bold and break the line layout. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Escapes, then cuts: the result is at most `max` long and shows exactly what the reader gets. */
export function safe(text: string, max: number): string {
  return clip(escapeMrkdwn(text), max);
}

const FENCE = '```';

/** A code block whose lines are escaped and cut; a fence inside the content cannot close the block early. */
export function codeBlock(lines: string[], options: { maxLineLength: number; maxLength: number }): string {
  const budget = options.maxLength - FENCE.length * 2 - 1;
  const body: string[] = [];
  let used = 0;
  for (const [index, raw] of lines.entries()) {
    const line = safe(raw.replace(/`{3,}/g, "'''"), options.maxLineLength);
    const cost = line.length + (body.length > 0 ? 1 : 0);
    if (used + cost > budget) {
      const note = `… (+${lines.length - index})`;
      if (used + note.length + 1 <= budget || body.length === 0) body.push(note);
      else body[body.length - 1] = note;
      break;
    }
    body.push(line);
    used += cost;
  }
  return `${FENCE}${body.join('\n')}${FENCE}`;
}

/** A shell command: inline code when it is one short line, otherwise a code block. */
export function command(text: string, maxLength: number): string {
  const oneLine = !text.includes('\n') && !text.includes('`') && text.length <= 120;
  if (oneLine) return `\`${escapeMrkdwn(text)}\``;
  return codeBlock(text.split('\n'), { maxLineLength: 600, maxLength });
}

/**
 * Joins pieces into as few texts as possible, each at most `max` long, cutting only between pieces.
 * A piece longer than `max` on its own is cut (callers build pieces that fit, so this is a last resort).
 */
export function pack(pieces: string[], max: number, separator = '\n'): string[] {
  const texts: string[] = [];
  let current = '';
  for (const raw of pieces) {
    const piece = raw.length > max ? clipFenced(raw, max) : raw;
    if (!current) current = piece;
    else if (current.length + separator.length + piece.length <= max) current += separator + piece;
    else {
      texts.push(current);
      current = piece;
    }
  }
  if (current) texts.push(current);
  return texts;
}

/** Like clip, but closes a code block the cut left open. */
function clipFenced(text: string, max: number): string {
  const cut = clip(text, max - FENCE.length);
  return (cut.split(FENCE).length - 1) % 2 === 1 ? `${cut}${FENCE}` : cut;
}

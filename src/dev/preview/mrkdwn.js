// Slack's mrkdwn as Slack draws it: ```code blocks```, `code`, *bold*, _italic_, ~strike~, > quotes,
// <@U…> mentions, <#C…|name> channels, <!here>, <url|links>, :emoji: the bot uses. Slack escapes &, < and > in
// text, so a literal "<" only ever starts a link or mention; everything else is HTML-escaped before styling.

const EMOJI = {
  aws: '☁️',
  grey_question: '❔',
  hourglass_flowing_sand: '⏳',
  information_source: 'ℹ️',
  no_entry: '⛔',
  red_circle: '🔴',
  large_green_circle: '🟢',
  large_yellow_circle: '🟡',
  repeat: '🔁',
  rotating_light: '🚨',
  scissors: '✂️',
  thread: '🧵',
  warning: '⚠️',
  white_check_mark: '✅',
  wrench: '🔧',
  x: '❌',
  mag: '🔍',
};

export function esc(text) {
  return String(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Slack's own escaping undone: the text as the person meant it. */
function decode(text) {
  return String(text).replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

export function emoji(html) {
  return html.replace(/:([a-z0-9_+-]+):/g, (whole, name) => EMOJI[name] ?? whole);
}

/** plain_text objects: no formatting, but emoji codes render when `emoji` is not false. */
export function plain(object) {
  if (!object) return '';
  const html = esc(object.text ?? '');
  return object.emoji === false ? html : emoji(html);
}

function entity(inner, ctx) {
  const [target, label] = inner.split('|', 2);
  if (target.startsWith('@')) {
    const id = target.slice(1);
    const name = label ?? ctx.userName(id);
    return `<span class="sk-mention" data-user="${esc(id)}">@${esc(name)}</span>`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    return `<span class="sk-mention">#${esc(label ?? ctx.channelName(id))}</span>`;
  }
  if (target.startsWith('!')) {
    const special = target.slice(1).split('^')[0];
    if (special === 'subteam') return `<span class="sk-mention">${esc(label ?? '@group')}</span>`;
    if (special === 'date') return esc(label ?? '');
    return `<span class="sk-mention">@${esc(special)}</span>`;
  }
  if (/^(https?:|mailto:)/i.test(target)) {
    return `<a href="${esc(target)}" target="_blank" rel="noopener noreferrer">${esc(decode(label ?? target))}</a>`;
  }
  return esc(decode(`<${inner}>`));
}

/** mrkdwn → HTML. ctx names users and channels: { userName(id), channelName(id) }. */
export function mrkdwn(text, ctx) {
  const held = [];
  const hold = (html) => `\uE000${held.push(html) - 1}\uE000`;
  let s = String(text ?? '');
  s = s.replace(/```\n?([\s\S]*?)\n?```/g, (_, code) => hold(`<pre class="sk-pre">${esc(decode(code))}</pre>`));
  s = s.replace(/`([^`\n]+)`/g, (_, code) => hold(`<code class="sk-code">${esc(decode(code))}</code>`));
  s = s.replace(/<([^<>\n]+)>/g, (_, inner) => hold(entity(inner, ctx)));
  s = esc(decode(s));
  const around = (mark) =>
    new RegExp(`(^|[^\\w${mark}])\\${mark}(?=\\S)([^${mark}\\n]*?\\S)\\${mark}(?=$|[^\\w${mark}])`, 'g');
  s = s.replace(around('*'), '$1<b>$2</b>');
  s = s.replace(around('_'), '$1<i>$2</i>');
  s = s.replace(around('~'), '$1<s>$2</s>');
  s = emoji(s);
  const lines = s.split('\n');
  const out = [];
  for (const line of lines) {
    const quote = /^&gt;\s?(.*)$/.exec(line);
    out.push(quote ? `<span class="sk-quote">${quote[1]}</span>` : line);
  }
  s = out.join('<br>').replace(/<\/span><br><span class="sk-quote">/g, '<br>');
  // A code block is a block: the line break after it would leave an empty line.
  return s.replace(/\uE000(\d+)\uE000/g, (_, i) => held[Number(i)]).replaceAll('</pre><br>', '</pre>');
}

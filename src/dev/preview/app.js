// The preview page: draws the dev workspace as Slack lays it out and turns what you do into the requests Slack
// would send (the dev server signs them and calls the real handler). State arrives over Server-Sent Events.
import { esc, mrkdwn, plain } from './mrkdwn.js';

const $ = (selector) => document.querySelector(selector);
const ui = {
  state: undefined,
  user: localStorage.getItem('netcheck-preview-user') ?? '',
  channel: localStorage.getItem('netcheck-preview-channel') ?? '',
  thread: undefined,
  first: true,
  /** Ephemerals the user dismissed. */
  dismissed: new Set(),
};

const ctx = {
  userName: (id) => {
    if (id === ui.state?.bot.userId) return ui.state.bot.name;
    return ui.state?.users.find((u) => u.id === id)?.realName ?? id;
  },
  channelName: (id) => ui.state?.channels.find((c) => c.id === id)?.name ?? id,
};

async function send(path, body) {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = await res.json().catch(() => ({}));
  if (!res.ok) toast(answer.error ?? `${path} answered ${res.status}`);
  else if (answer.status && answer.status !== 200) toast(`the handler answered HTTP ${answer.status}`);
  return answer;
}

function toast(text) {
  const node = $('#toast');
  node.textContent = text;
  node.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => {
    node.hidden = true;
  }, 6000);
}

// ---------- Block Kit ----------

function text(object) {
  if (!object) return '';
  return object.type === 'mrkdwn' ? mrkdwn(object.text, ctx) : plain(object);
}

function button(element) {
  const style = element.style === 'primary' || element.style === 'danger' ? ` sk-${element.style}` : '';
  const data = {
    'action-id': element.action_id ?? '',
    value: element.value ?? '',
    confirm: element.confirm ? JSON.stringify(element.confirm) : '',
    url: element.url ?? '',
  };
  const attrs = Object.entries(data)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => ` data-${k}="${esc(v)}"`)
    .join('');
  return `<button type="button" class="sk-button${style}"${attrs}>${plain(element.text)}</button>`;
}

function element(el) {
  switch (el.type) {
    case 'button':
      return button(el);
    case 'image':
      return `<img class="sk-image-el" src="${esc(el.image_url)}" alt="${esc(el.alt_text ?? '')}">`;
    case 'mrkdwn':
    case 'plain_text':
      return `<span>${text(el)}</span>`;
    case 'overflow':
    case 'static_select':
      return `<span class="sk-select">${plain(el.placeholder) || '⋯'}</span>`;
    default:
      return '';
  }
}

function block(b) {
  const id = b.block_id ? ` data-block-id="${esc(b.block_id)}"` : '';
  switch (b.type) {
    case 'header':
      return `<div class="sk-header"${id}>${plain(b.text)}</div>`;
    case 'divider':
      return `<hr class="sk-divider"${id}>`;
    case 'section': {
      const fields = b.fields?.length
        ? `<div class="sk-fields">${b.fields.map((f) => `<div class="sk-field">${text(f)}</div>`).join('')}</div>`
        : '';
      const accessory = b.accessory ? `<div class="sk-accessory">${element(b.accessory)}</div>` : '';
      return `<div class="sk-section"${id}><div class="sk-section-body">${b.text ? `<div class="sk-text">${text(b.text)}</div>` : ''}${fields}</div>${accessory}</div>`;
    }
    case 'context':
      return `<div class="sk-context"${id}>${(b.elements ?? []).map(element).join('')}</div>`;
    case 'actions':
      return `<div class="sk-actions"${id}>${(b.elements ?? []).map(element).join('')}</div>`;
    case 'image':
      return `<div class="sk-image"${id}><img src="${esc(b.image_url)}" alt="${esc(b.alt_text ?? '')}"></div>`;
    case 'rich_text':
      return `<div class="sk-text"${id}>${esc(richText(b))}</div>`;
    default:
      return `<div class="sk-unknown"${id}>[${esc(b.type)} block]</div>`;
  }
}

function richText(b) {
  const walk = (node) => (node.text ?? '') + (node.elements ?? []).map(walk).join('');
  return walk(b);
}

const COLORS = { good: '#2eb67d', warning: '#ecb22e', danger: '#e01e5a' };

function attachment(a) {
  const color = COLORS[a.color] ?? (a.color ? `#${String(a.color).replace(/^#/, '')}` : '#dddddd');
  const title = a.title
    ? `<div class="sk-att-title">${a.title_link ? `<a href="${esc(a.title_link)}" target="_blank" rel="noopener noreferrer">${esc(a.title)}</a>` : esc(a.title)}</div>`
    : '';
  const fields = a.fields?.length
    ? `<div class="sk-fields">${a.fields.map((f) => `<div class="sk-field"><b>${esc(f.title ?? '')}</b><br>${mrkdwn(f.value ?? '', ctx)}</div>`).join('')}</div>`
    : '';
  const blocks = a.blocks?.length ? a.blocks.map(block).join('') : '';
  return `<div class="sk-attachment" style="border-left-color:${esc(color)}">${title}${a.text ? `<div class="sk-text">${mrkdwn(a.text, ctx)}</div>` : ''}${fields}${blocks}</div>`;
}

// ---------- Messages ----------

function author(m) {
  if (m.botId && m.botId === ui.state.bot.botId) return { name: ui.state.bot.name, app: true, initial: 'n' };
  if (m.username) return { name: m.username, app: true, initial: m.username[0] };
  const user = ui.state.users.find((u) => u.id === m.user);
  return { name: user?.realName ?? m.user ?? 'unknown', app: false, initial: (user?.realName ?? '?')[0] };
}

function time(ts) {
  const d = new Date(Number(ts.split('.')[0]) * 1000);
  return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function visible(m) {
  return !m.ephemeralTo || (m.ephemeralTo === ui.user && !ui.dismissed.has(m.ts));
}

function replies(m) {
  return ui.state.messages.filter((r) => r.channel === m.channel && r.threadTs === m.ts && r.ts !== m.ts && visible(r));
}

function message(m, { inThread = false } = {}) {
  const who = author(m);
  const body = m.blocks?.length ? m.blocks.map(block).join('') : `<div class="sk-text">${mrkdwn(m.text, ctx)}</div>`;
  const atts = (m.attachments ?? []).map(attachment).join('');
  const thread = inThread ? [] : replies(m);
  const threadLink = thread.length
    ? `<button type="button" class="sk-replies" data-thread="${esc(m.ts)}">${thread.length} ${thread.length === 1 ? 'reply' : 'replies'}</button>`
    : '';
  const ephemeral = m.ephemeralTo
    ? `<div class="sk-ephemeral">👁 Only visible to you · <button type="button" class="sk-dismiss" data-dismiss="${esc(m.ts)}">Dismiss</button></div>`
    : '';
  const hue = [...who.name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 7);
  return `<article class="sk-message${m.ephemeralTo ? ' is-ephemeral' : ''}" data-testid="message" data-ts="${esc(m.ts)}" data-channel="${esc(m.channel)}"${m.threadTs && m.threadTs !== m.ts ? ` data-thread-ts="${esc(m.threadTs)}"` : ''}>
    <div class="sk-avatar" style="background:hsl(${hue} 45% 42%)">${esc(who.initial.toUpperCase())}</div>
    <div class="sk-content">
      ${ephemeral}
      <div class="sk-meta"><span class="sk-author">${esc(who.name)}</span>${who.app ? '<span class="sk-app">APP</span>' : ''}<span class="sk-time" title="${esc(m.ts)}">${time(m.ts)}</span>${m.editedTs ? '<span class="sk-edited" data-testid="edited">(edited)</span>' : ''}</div>
      <div class="sk-body">${body}${atts}</div>
      ${threadLink}
    </div>
  </article>`;
}

// ---------- Layout ----------

function render() {
  const { state } = ui;
  if (!state) return;
  if (!state.users.some((u) => u.id === ui.user)) ui.user = state.users[0]?.id ?? '';
  // A channel just created may be ahead of the feed; only a stale choice (another run's) falls back.
  if (!ui.channel || (ui.first && !state.channels.some((c) => c.id === ui.channel)))
    ui.channel = state.channels[0]?.id ?? '';
  ui.first = false;
  const channel = state.channels.find((c) => c.id === ui.channel);

  $('#workspace').textContent = state.team.name;
  const picker = $('#as-user');
  const options = state.users
    .map(
      (u) =>
        `<option value="${esc(u.id)}"${u.id === ui.user ? ' selected' : ''}>${esc(u.realName)}${u.title ? ` — ${esc(u.title)}` : ''}</option>`,
    )
    .join('');
  if (picker.innerHTML !== options) picker.innerHTML = options;
  picker.value = ui.user;

  $('#channels').innerHTML = state.channels
    .map((c) => {
      const count = state.messages.filter((m) => m.channel === c.id && visible(m)).length;
      return `<li><button type="button" class="sk-channel${c.id === ui.channel ? ' is-active' : ''}" data-channel="${esc(c.id)}">${c.isPrivate ? '🔒' : '#'} ${esc(c.name)}${count ? `<span class="sk-count">${count}</span>` : ''}</button></li>`;
    })
    .join('');

  $('#channel-name').textContent = channel ? `${channel.isPrivate ? '🔒' : '#'} ${channel.name}` : '';
  // A private channel the bot is not in: Slack shows it nothing until someone invites it.
  $('#invite-bot').hidden = !channel?.isPrivate || channel.members.includes(state.bot.userId);
  $('#composer').placeholder = channel ? `Message #${channel.name} — try /netcheck dns or @netcheck help` : '';

  const top = state.messages.filter(
    (m) => m.channel === ui.channel && (!m.threadTs || m.threadTs === m.ts) && visible(m),
  );
  const list = $('#messages');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.innerHTML = top.length
    ? top.map((m) => message(m)).join('')
    : '<p class="sk-empty">Nothing here yet. Type <code>/netcheck dns</code> below, or post an alert.</p>';
  if (atBottom) list.scrollTop = list.scrollHeight;

  const pane = $('#thread');
  const parent = ui.thread && state.messages.find((m) => m.channel === ui.channel && m.ts === ui.thread);
  pane.hidden = !parent;
  if (parent) {
    $('#thread-messages').innerHTML =
      message(parent, { inThread: true }) +
      `<div class="sk-thread-sep">${replies(parent).length === 1 ? '1 reply' : `${replies(parent).length} replies`}</div>` +
      replies(parent)
        .map((m) => message(m, { inThread: true }))
        .join('');
  }

  const view = state.views.at(-1);
  const modal = $('#modal');
  if (view && !ui.dismissed.has(view.id)) {
    modal.hidden = false;
    modal.dataset.view = view.id;
    $('#modal-title').innerHTML = plain(view.view.title);
    $('#modal-body').innerHTML = (view.view.blocks ?? []).map(block).join('');
  } else if (modal.dataset.view !== 'confirm') modal.hidden = true;
}

function confirmDialog(confirm) {
  return new Promise((resolve) => {
    const modal = $('#modal');
    modal.hidden = false;
    modal.dataset.view = 'confirm';
    $('#modal-title').innerHTML = plain(confirm.title) || 'Are you sure?';
    $('#modal-body').innerHTML =
      `<div class="sk-text">${text(confirm.text)}</div><div class="sk-modal-actions"><button type="button" class="sk-button" data-confirm-answer="no">${plain(confirm.deny) || 'Cancel'}</button><button type="button" class="sk-button ${confirm.style === 'danger' ? 'sk-danger' : 'sk-primary'}" data-confirm-answer="yes">${plain(confirm.confirm) || 'Yes'}</button></div>`;
    const done = (answer) => {
      modal.hidden = true;
      delete modal.dataset.view;
      resolve(answer);
      render();
    };
    confirmDialog.answer = done;
  });
}

// ---------- What you do ----------

document.addEventListener('click', async (event) => {
  const target = event.target.closest('button');
  if (!target) return;
  if (target.dataset.confirmAnswer) return confirmDialog.answer?.(target.dataset.confirmAnswer === 'yes');
  if (target.dataset.channel && target.classList.contains('sk-channel')) {
    ui.channel = target.dataset.channel;
    ui.thread = undefined;
    localStorage.setItem('netcheck-preview-channel', ui.channel);
    return render();
  }
  if (target.dataset.thread) {
    ui.thread = target.dataset.thread;
    return render();
  }
  if (target.dataset.dismiss) {
    ui.dismissed.add(target.dataset.dismiss);
    return render();
  }
  if (target.id === 'invite-bot') {
    target.hidden = true;
    return send('/preview/invite', { user: ui.user, channel: ui.channel });
  }
  if (target.id === 'thread-close') {
    ui.thread = undefined;
    return render();
  }
  if (target.id === 'modal-close') {
    const id = $('#modal').dataset.view;
    if (id === 'confirm') return confirmDialog.answer?.(false);
    ui.dismissed.add(id);
    return render();
  }
  if (target.dataset.actionId !== undefined && target.classList.contains('sk-button')) {
    const article = target.closest('[data-testid=message]');
    if (!article) return;
    if (target.dataset.url) window.open(target.dataset.url, '_blank', 'noopener');
    if (target.dataset.confirm && !(await confirmDialog(JSON.parse(target.dataset.confirm)))) return;
    target.disabled = true;
    await send('/preview/click', {
      user: ui.user,
      channel: article.dataset.channel,
      ts: article.dataset.ts,
      actionId: target.dataset.actionId,
      blockId: target.closest('[data-block-id]')?.dataset.blockId,
      value: target.dataset.value,
      text: target.textContent,
    });
    target.disabled = false;
  }
});

$('#as-user').addEventListener('change', (event) => {
  ui.user = event.target.value;
  localStorage.setItem('netcheck-preview-user', ui.user);
  render();
});

$('#compose').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = $('#composer');
  const said = input.value.trim();
  if (!said) return;
  input.value = '';
  await send('/preview/command', { user: ui.user, channel: ui.channel, text: said });
});

$('#thread-compose').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = $('#thread-composer');
  const said = input.value.trim();
  if (!said || !ui.thread) return;
  input.value = '';
  await send('/preview/command', { user: ui.user, channel: ui.channel, text: said, threadTs: ui.thread });
});

$('#new-channel').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = $('#channel-input');
  const name = input.value.trim();
  if (!name) return;
  const answer = await send('/preview/channel', { user: ui.user, name, private: $('#channel-private').checked });
  if (answer.channel) {
    input.value = '';
    $('#channel-private').checked = false;
    ui.channel = answer.channel;
    ui.thread = undefined;
    render();
  }
});

$('#alert').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  const cluster = form.elements.cluster.value.trim();
  await send('/preview/alert', {
    channel: ui.channel,
    alertname: form.elements.alertname.value,
    status: event.submitter?.value === 'resolved' ? 'resolved' : 'firing',
    ...(cluster ? { labels: { cluster } } : {}),
  });
});

const feed = new EventSource('/preview/events');
feed.addEventListener('state', (event) => {
  ui.state = JSON.parse(event.data);
  document.body.dataset.messages = String(ui.state.messages.length);
  render();
});
feed.addEventListener('open', () => {
  $('#live').textContent = '● live';
  $('#live').classList.remove('is-down');
});
feed.addEventListener('error', () => {
  $('#live').textContent = '○ reconnecting';
  $('#live').classList.add('is-down');
});

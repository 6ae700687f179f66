// The simulator chat page's behaviour, served from our origin: the page's CSP allows no inline script.
/* global document, localStorage, fetch, URLSearchParams, setInterval */
(() => {
  const $ = (id) => document.getElementById(id);
  const log = $('log');
  const channel = $('channel');
  const user = $('user');
  const newUser = () => 'sim-' + Math.random().toString(36).slice(2, 10);
  user.value = localStorage.getItem('sim-user') || newUser();
  channel.value = localStorage.getItem('sim-channel') || 'zalo';
  const applyLook = () => { document.body.className = channel.value; };
  applyLook();
  const remember = () => { localStorage.setItem('sim-user', user.value); localStorage.setItem('sim-channel', channel.value); };
  remember();
  channel.addEventListener('change', () => { applyLook(); remember(); note('Đã chuyển kênh: ' + channel.options[channel.selectedIndex].text); });
  user.addEventListener('change', remember);
  $('reset').addEventListener('click', () => { user.value = newUser(); remember(); log.textContent = ''; note('Người dùng mới: ' + user.value); });

  function note(text) { const d = document.createElement('div'); d.className = 'note'; d.textContent = text; log.append(d); scroll(); }
  function scroll() { log.scrollTop = log.scrollHeight; }
  function bubble(cls) { const d = document.createElement('div'); d.className = 'msg ' + cls; log.append(d); return d; }

  function render(m) {
    const d = bubble('bot');
    d.dataset.type = m.type;
    if (m.type === 'text') d.textContent = m.text;
    else if (m.type === 'buttons') {
      const p = document.createElement('div'); p.textContent = m.text; d.append(p);
      const row = document.createElement('div'); row.className = 'buttons';
      for (const b of m.buttons) {
        const btn = document.createElement('button');
        btn.type = 'button'; btn.textContent = b.title; btn.dataset.payload = b.payload;
        btn.addEventListener('click', () => send({ payload: b.payload }, b.title));
        row.append(btn);
      }
      d.append(row);
    } else if (m.type === 'image') {
      const img = document.createElement('img'); img.src = m.url; img.alt = m.caption || ''; d.append(img);
      if (m.caption) { const c = document.createElement('div'); c.textContent = m.caption; d.append(c); }
    } else if (m.type === 'link') {
      if (m.text) { const t = document.createElement('div'); t.textContent = m.text; d.append(t); }
      const a = document.createElement('a'); a.href = m.url; a.target = '_blank'; a.rel = 'noopener'; a.textContent = m.title; d.append(a);
    }
  }

  let sending = 0;
  async function send(body, shown) {
    sending++;
    bubble('me').textContent = shown;
    scroll();
    try {
      const res = await fetch('/api/simulator/messages', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ user: user.value, channel: channel.value, ...body }),
      });
      const data = await res.json();
      if (!res.ok && res.status !== 202) { note('Lỗi: ' + (data.error && data.error.message || res.status)); return; }
      data.replies.forEach(render);
      if (BigInt(data.lastId || '0') > BigInt(lastId)) lastId = data.lastId;
      if (data.pending) note('Hệ thống đang bận, tin trả lời sẽ hiện ra khi có.');
    } catch {
      note('Không kết nối được máy chủ.');
    } finally {
      sending--;
    }
    scroll();
  }

  // Replies that arrive later (a busy server, broadcasts, reminders) are fetched every few seconds.
  let lastId = '0';
  let polling = false;
  async function poll() {
    // While a message is on its way its replies come with the answer; polling now would show them twice.
    if (polling || sending > 0 || document.hidden) return;
    polling = true;
    try {
      const q = new URLSearchParams({ user: user.value, channel: channel.value, after: lastId });
      const res = await fetch('/api/simulator/messages?' + q);
      if (res.ok) {
        const data = await res.json();
        data.replies.forEach(render);
        lastId = data.lastId;
        if (data.replies.length) scroll();
      }
    } catch { /* offline: try again next time */ }
    polling = false;
  }
  setInterval(poll, 3000);
  channel.addEventListener('change', () => { lastId = '0'; });
  $('reset').addEventListener('click', () => { lastId = '0'; });

  $('composer').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('text').value.trim();
    if (!text) return;
    $('text').value = '';
    send({ text }, text);
  });
  note('Gõ “xin chào” để bắt đầu.');
})();

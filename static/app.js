// app.js: the site's only hand-written script. The pages are rendered on
// the server and updated by htmx; what is left here is behaviour that the
// Content-Security-Policy keeps out of HTML attributes, and the few things
// only the browser knows: its time zone, the reader's scroll position, and
// the messages typed but not yet stored.
(function () {
  'use strict';

  var PENDING_PREFIX = 'pending:';

  function $(id) { return document.getElementById(id); }

  // ---- What the scripts say, in the page's language: the page carries
  // the messages (#strings, from the server's catalogue); say(id, vars)
  // picks the plural form by vars.Count and fills in {{.Name}} and the
  // like.
  var strings = null;
  function say(id, vars) {
    if (!strings) {
      try { strings = JSON.parse($('strings').textContent); } catch (e) { strings = {}; }
    }
    var m = strings[id];
    vars = vars || {};
    if (m && typeof m === 'object') m = (vars.Count === 1 && m.one) || m.other || '';
    if (typeof m !== 'string') return id;
    return m.replace(/\{\{\.(\w+)\}\}/g, function (_, k) { return k in vars ? String(vars[k]) : ''; });
  }
  window.say = say;

  // ---- Times are rendered on the server as the reader's clock shows
  // them: in their time zone, on the 12- or 24-hour clock of their locale.
  function keepCookie(name, value) {
    if (document.cookie.indexOf(name + '=' + value) < 0) {
      document.cookie = name + '=' + value + '; path=/; max-age=31536000; samesite=lax';
    }
  }
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) keepCookie('tz', encodeURIComponent(zone));
    keepCookie('clock', Intl.DateTimeFormat(undefined, { hour: 'numeric' }).resolvedOptions().hour12 ? '12' : '24');
  } catch (e) { /* no Intl: times stay in UTC, on a 24-hour clock */ }

  // ---- Title: "(3) Chat" counts what waits for the person, unread
  // messages and friend requests, from the badges the server pushes.
  function badgeCount(id) {
    var badge = $(id);
    return badge ? parseInt(badge.dataset.count, 10) || 0 : 0;
  }
  function syncTitle() {
    var base = document.body.dataset.title || document.title;
    var n = badgeCount('nav-unread') + badgeCount('nav-requests');
    document.title = n > 0 ? '(' + n + ') ' + base : base;
  }

  // ---- Being told. When a message comes and the browser does not show
  // this tab, the title alternates with who wrote, the favicon carries a
  // dot, a short sound plays (unless sounds are off), and, once the person
  // allowed it, a desktop notification shows who wrote and what; clicking
  // it opens the chat. A muted chat still counts unread but alerts none of
  // this. The server marks what to alert: #new-message.
  var lastAlerted = 0;
  var titleTimer = null;

  function alertNewMessage() {
    var a = $('new-message');
    var id = a ? Number(a.dataset.id) || 0 : 0;
    if (id <= lastAlerted) return;
    lastAlerted = id;
    if (!document.hidden || 'muted' in a.dataset) return;
    alternateTitle(say('new_message_from', { Name: a.dataset.from }));
    setFavicon(true);
    // Sound and notification once per message, whichever tab is first.
    try {
      if (Number(localStorage.getItem('alerted') || 0) >= id) return;
      localStorage.setItem('alerted', String(id));
    } catch (e) { /* no storage: every tab alerts */ }
    playSound();
    notify(a.dataset.from, a.dataset.preview, a.dataset.href);
  }

  function alternateTitle(text) {
    clearInterval(titleTimer);
    var showText = true;
    titleTimer = setInterval(function () {
      if (showText) document.title = text;
      else syncTitle();
      showText = !showText;
    }, 1500);
    document.title = text;
  }

  function stopAlerting() {
    clearInterval(titleTimer);
    titleTimer = null;
    syncTitle();
    setFavicon(false);
  }

  function setFavicon(dot) {
    var icon = $('favicon');
    var url = dot ? document.body.dataset.iconUnread : document.body.dataset.icon;
    if (icon && url && icon.getAttribute('href') !== url) icon.setAttribute('href', url);
  }

  // Sound is the person's setting (the top bar's Sound button, and
  // Settings), the same in every browser of theirs.
  function soundOn() {
    var button = document.querySelector('#sound button');
    return !button || button.getAttribute('aria-pressed') === 'true';
  }

  function playSound() {
    if (!soundOn()) return;
    var sound = new Audio(document.body.dataset.sound);
    var playing = sound.play();
    if (playing && playing.catch) playing.catch(function () { /* the browser would not play it now */ });
  }

  function notify(from, preview, href) {
    if (!('Notification' in window) || Notification.permission !== 'granted') return;
    var n = new Notification(from, { body: preview, tag: href });
    n.onclick = function () {
      window.focus();
      if (location.pathname !== href) location.assign(href);
      n.close();
    };
  }

  // Enable notifications is offered, above the chat list, until the
  // person has answered the browser's question, either way, or said Not
  // now (remembered in this browser). Settings say the state and offer it
  // again.
  var laterKey = 'notify-later';
  function notifyState() {
    return 'Notification' in window ? Notification.permission : 'unsupported';
  }
  function offerNotifications() {
    var state = notifyState(), later = false;
    try { later = localStorage.getItem(laterKey) === '1'; } catch (e) { /* no storage: offer it */ }
    var offer = $('notify-offer');
    if (offer) offer.hidden = state !== 'default' || later;
    document.querySelectorAll('[data-notify-state]').forEach(function (el) {
      el.hidden = el.dataset.notifyState !== state;
    });
  }
  document.addEventListener('click', function (e) {
    if (!e.target.closest) return;
    if (e.target.closest('#notify-later')) {
      try { localStorage.setItem(laterKey, '1'); } catch (err) { /* no storage: hidden until the next page */ }
      $('notify-offer').hidden = true;
      return;
    }
    if (!e.target.closest('[data-enable-notifications]')) return;
    var asked = Notification.requestPermission(offerNotifications);
    if (asked && asked.then) asked.then(offerNotifications);
  });

  document.addEventListener('visibilitychange', function () {
    if (!document.hidden) stopAlerting();
  });

  // A file field shown as a button says beside it which file was chosen.
  document.addEventListener('change', function (e) {
    if (!e.target.classList || !e.target.classList.contains('file-pick-input')) return;
    var name = e.target.closest('.file-pick').querySelector('.file-pick-name');
    var file = e.target.files && e.target.files[0];
    name.textContent = file ? file.name : name.dataset.none;
  });

  // ---- The open chat is marked in the chat list.
  function markCurrentChat() {
    var rows = document.querySelectorAll('#chat-list .chat-row');
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getAttribute('href') === location.pathname) {
        rows[i].setAttribute('aria-current', 'page');
      } else {
        rows[i].removeAttribute('aria-current');
      }
    }
  }

  // ---- Reconnects: each (re)connect tells the server the change the
  // conversation is current to, so it sends exactly what is missing: the
  // number the page or its last catch-up was current to, or the newest
  // message shown if that came later (a message's id is its number).
  function currentTo() {
    var mark = $('conversation-seq');
    var n = mark ? Number(mark.dataset.seq) || 0 : 0;
    var shown = document.querySelectorAll('#messages .msg[data-id]');
    for (var i = 0; i < shown.length; i++) n = Math.max(n, Number(shown[i].dataset.id) || 0);
    return n;
  }

  htmx.createWebSocket = function (url) {
    if ($('messages')) {
      url += (url.indexOf('?') < 0 ? '?' : '&') + 'after=' + currentTo();
    }
    // A message is read only where it is seen: the server is told whether
    // the browser shows this page, now and whenever that changes.
    url += (url.indexOf('?') < 0 ? '?' : '&') + 'visible=' + (document.hidden ? '0' : '1');
    // One socket at a time: a try started here (Retry now) may still be
    // under way when the extension's own timer starts another.
    if (liveSocket && liveSocket.readyState <= WebSocket.OPEN) liveSocket.close();
    var socket = new WebSocket(url);
    socket.binaryType = htmx.config.wsBinaryType;
    liveSocket = socket;
    return socket;
  };

  // ---- The live connection. After a drop the first try comes within a
  // second and later ones back off to at most 10 s, with jitter, so that
  // the pages of a restarted server do not all come back at once. The
  // browser coming back online, the tab being shown again, and Retry now
  // try at once. Cut off, the page says so, and shows friends' presence as
  // unknown rather than as it last was.
  var liveSocket = null;  // the socket the extension uses now
  // conversation.js sends typing on it.
  window.liveSocket = function () { return liveSocket; };
  var liveWrapper = null; // the extension's handle on it, to reconnect
  var leaving = false;    // the browser is going to another page
  window.addEventListener('beforeunload', function () { leaving = true; });
  window.addEventListener('pageshow', function () { leaving = false; });
  var ownRetries = 0;     // tries after closes the extension leaves closed

  function reconnectDelay(n) {
    var ceiling = Math.min(10000, 900 * Math.pow(1.6, n));
    var delay = ceiling / 2 + Math.random() * ceiling / 2;
    document.body.dataset.reconnectDelay = String(Math.round(delay));
    return delay;
  }
  htmx.config.wsReconnectDelay = reconnectDelay;

  function retryNow() {
    if (document.body.dataset.socket !== 'closed' || !liveWrapper) return;
    // Not while a try is under way: two sockets would both deliver.
    if (liveSocket && liveSocket.readyState !== WebSocket.CLOSED) return;
    liveWrapper.reconnect();
  }
  window.addEventListener('online', retryNow);
  document.addEventListener('visibilitychange', function () {
    if (liveSocket && liveSocket.readyState === WebSocket.OPEN) {
      liveSocket.send(JSON.stringify({ visible: !document.hidden }));
    }
    if (!document.hidden) retryNow();
  });
  document.addEventListener('click', function (e) {
    if (e.target.closest && e.target.closest('#retry-now')) retryNow();
  });

  function showConnection(state, text) {
    document.body.dataset.socket = state;
    var banner = $('connection');
    if (!banner) return;
    banner.hidden = state === 'open';
    $('connection-text').textContent = text || say('reconnecting');
    $('retry-now').hidden = !!text;
    if (state !== 'open') presenceUnknown();
  }

  // presenceUnknown shows every presence as unknown; the catch-up of the
  // next connection shows it as it is.
  function presenceUnknown() {
    var dots = document.querySelectorAll('.presence');
    for (var i = 0; i < dots.length; i++) {
      dots[i].classList.remove('online', 'offline');
      dots[i].classList.add('unknown');
      dots[i].title = say('unknown');
      var said = dots[i].querySelector('.visually-hidden');
      if (said) said.textContent = say('unknown');
    }
    var label = document.querySelector('#peer-presence > span[aria-hidden]');
    if (label) label.textContent = say('unknown');
  }

  // ---- Scrolling the history: start at the newest message, follow new
  // ones when the reader is at the bottom, and keep the reader's place
  // when older messages load above.
  function history() { return $('history'); }

  function atBottom() {
    var h = history();
    return !h || h.scrollHeight - h.scrollTop - h.clientHeight < 80;
  }

  function toBottom() {
    var h = history();
    if (h) h.scrollTop = h.scrollHeight;
  }

  var followNew = true;
  var keepFromBottom = null;

  // A conversation with unread messages opens at the first of them, under
  // its divider.
  function toFirstUnread() {
    var h = history();
    var divider = $('unread-divider');
    if (!h || !divider) return false;
    h.scrollTop += divider.getBoundingClientRect().top - h.getBoundingClientRect().top - 8;
    return true;
  }

  // ---- Jump to newest: while the reader is away from the newest
  // messages, new ones do not move the view; a button says how many
  // arrived and takes the reader down.
  var arrivedBelow = 0;

  function showJump() {
    var jump = $('jump-newest');
    if (!jump) return;
    var away = !atBottom();
    if (!away) arrivedBelow = 0;
    jump.hidden = !away;
    var count = $('jump-count');
    count.hidden = arrivedBelow === 0;
    count.textContent = String(arrivedBelow);
    $('jump-count-text').textContent = arrivedBelow === 0 ? '' :
      say('new_messages', { Count: arrivedBelow });
  }

  document.addEventListener('click', function (e) {
    if (!e.target.closest || !e.target.closest('#jump-newest')) return;
    arrivedBelow = 0;
    toBottom();
    showJump();
  });

  document.addEventListener('htmx:beforeSwap', function (e) {
    var h = history();
    if (h && e.detail.target && e.detail.target.id === 'older') {
      keepFromBottom = h.scrollHeight - h.scrollTop;
    }
  });
  // Add friend, Accept or Decline above the composer replaces the
  // buttons with the outcome, from the answer or from the live update
  // that may come first: the cursor goes on to what comes next there (the
  // message field once they are friends) instead of being lost.
  var answeredStatus = null;
  document.addEventListener('htmx:beforeRequest', function (e) {
    var inStatus = e.detail.elt && e.detail.elt.closest && e.detail.elt.closest('#composer-status');
    answeredStatus = inStatus ? $('composer-status') : null;
  });
  function focusAfterStatus() {
    var status = $('composer-status');
    if (!answeredStatus || !status || status === answeredStatus) return;
    answeredStatus = null;
    var next = 'friend' in status.dataset ? $('message') : status.querySelector('button');
    if (next) next.focus();
    else { status.tabIndex = -1; status.focus(); }
  }

  document.addEventListener('htmx:afterSettle', function () {
    // An answer to a friends action carries the request badge too.
    if (!titleTimer) syncTitle();
    focusAfterStatus();
    placeMessages();
    var h = history();
    if (h && keepFromBottom !== null) {
      h.scrollTop = h.scrollHeight - keepFromBottom;
      keepFromBottom = null;
    }
  });

  // ---- Messages typed but not yet stored. Each send gets a client id; the
  // message stays here, shown as "Sending…", until the server's copy with
  // that id appears. Kept in sessionStorage so a reload loses nothing; sent
  // again on every reconnect (the server stores one per client id).
  function pendingKey() { return PENDING_PREFIX + location.pathname; }

  function loadPending() {
    try { return JSON.parse(sessionStorage.getItem(pendingKey())) || []; } catch (e) { return []; }
  }

  function savePending(list) {
    try {
      if (list.length) sessionStorage.setItem(pendingKey(), JSON.stringify(list));
      else sessionStorage.removeItem(pendingKey());
    } catch (e) { /* storage full or off: the in-page list still works */ }
  }

  function newClientID() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    var hex = '';
    for (var i = 0; i < bytes.length; i++) hex += (bytes[i] + 256).toString(16).slice(1);
    return hex;
  }

  function renderPending() {
    var ol = $('pending');
    if (!ol) return;
    ol.textContent = '';
    loadPending().forEach(function (p) {
      var li = document.createElement('li');
      li.className = 'msg mine pending-msg';
      li.dataset.clientId = p.client_id;
      var bubble = document.createElement('p');
      bubble.className = 'bubble';
      bubble.textContent = p.message;
      var state = document.createElement('span');
      state.className = 'state';
      state.textContent = say('sending');
      li.appendChild(bubble);
      li.appendChild(state);
      ol.appendChild(li);
    });
  }

  // settlePending drops the messages the page now shows as stored, and
  // gives back to the input the text of one the server refused (or only
  // drops it, when the server says it was sent before).
  function settlePending() {
    var list = loadPending();
    if (!list.length) return false;
    var err = $('send-error');
    var answered = err && err.dataset.clientId;
    var input = $('message');
    var confirmed = false;
    var left = list.filter(function (p) {
      if (document.querySelector('#messages [data-client-id="' + p.client_id + '"]')) {
        confirmed = true;
        return false;
      }
      if (p.client_id === answered) {
        if (!('settled' in err.dataset) && input && input.value === '') {
          input.value = p.message;
          saveDraft(p.message);
        }
        delete err.dataset.clientId;
        return false;
      }
      return true;
    });
    if (left.length !== list.length) {
      savePending(left);
      renderPending();
    }
    if (confirmed && err && !err.dataset.clientId) err.textContent = '';
    return confirmed;
  }

  function resendPending(socketWrapper) {
    var queued = (socketWrapper.queue || []).map(function (q) { return q.message; }).join('\n');
    loadPending().forEach(function (p) {
      if (queued.indexOf(p.client_id) < 0) {
        socketWrapper.send(JSON.stringify({ to: p.to, message: p.message, reply_to: p.reply_to || '', client_id: p.client_id }));
      }
    });
  }

  document.addEventListener('htmx:wsConfigSend', function (e) {
    var form = e.detail.elt || e.target;
    // Cancelled: the composer is editing a message (conversation.js).
    if (!form || form.id !== 'composer' || e.defaultPrevented) return;
    var params = e.detail.parameters;
    params.client_id = newClientID();
    var list = loadPending();
    list.push({ client_id: params.client_id, to: params.to, message: params.message || '', reply_to: params.reply_to || '' });
    savePending(list);
    renderPending();
    var input = $('message');
    if (input) {
      input.value = '';
      input.focus();
    }
    saveDraft('');
    countCharacters();
    var err = $('send-error');
    if (err) {
      err.textContent = '';
      delete err.dataset.clientId;
    }
    toBottom();
    form.dispatchEvent(new CustomEvent('composer:sent', { bubbles: true }));
  });

  // ---- Drafts: what is typed in a chat's composer is kept, per chat,
  // in the browser until it is sent: switching chats or reloading loses
  // nothing. Logging out clears them, for whoever uses the browser next.
  var DRAFT_PREFIX = 'draft:';
  function draftKey() { return DRAFT_PREFIX + location.pathname; }

  function saveDraft(text) {
    try {
      if (text) localStorage.setItem(draftKey(), text);
      else localStorage.removeItem(draftKey());
    } catch (e) { /* storage full or off: the text stays in the page */ }
  }

  function restoreDraft() {
    var input = $('message');
    if (!input || input.value !== '') return;
    try { input.value = localStorage.getItem(draftKey()) || ''; } catch (e) { /* no storage */ }
  }

  document.addEventListener('input', function (e) {
    if (e.target.id !== 'message') return;
    saveDraft(e.target.value);
    countCharacters();
  });

  // ---- Near the limit, a counter says how much room is left.
  var MAX_CHARS = 4000;
  function countCharacters() {
    var input = $('message');
    var counter = $('message-count');
    if (!input || !counter) return;
    // As the server counts: characters, spaces around the text aside.
    var n = Array.from(input.value.replace(/\r\n/g, '\n').trim()).length;
    counter.hidden = n < MAX_CHARS - 500;
    counter.classList.toggle('over', n > MAX_CHARS);
    counter.textContent = n > MAX_CHARS ? say('chars_too_many', { Count: n - MAX_CHARS }) : say('chars_left', { Count: MAX_CHARS - n });
  }

  document.addEventListener('submit', function (e) {
    if (!e.target.matches('form[action="/logout"]')) return;
    try {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var k = localStorage.key(i);
        if (k && k.indexOf(DRAFT_PREFIX) === 0) localStorage.removeItem(k);
      }
    } catch (err) { /* no storage */ }
  });

  // Enter sends, Shift+Enter starts a new line (not while an input method
  // is composing: there Enter picks the characters). On a touch screen
  // Enter makes a new line, as phone keyboards promise, and Send sends.
  function touchScreen() { return window.matchMedia('(pointer: coarse)').matches; }
  document.addEventListener('keydown', function (e) {
    if (e.target.id !== 'message' || e.key !== 'Enter' || e.shiftKey || e.isComposing || e.keyCode === 229) return;
    if (touchScreen()) return;
    e.preventDefault();
    e.target.form.requestSubmit();
  });

  // ---- Each message once, in order. A resend the server had stored is
  // answered with the stored message, which may be older than the newest
  // one shown, or shown already; an older page of history may bring one
  // again. Keep the first of each, and put one that came out of order
  // before the first message newer than it.
  function placeMessages() {
    var list = $('messages');
    if (!list) return;
    var shown = list.querySelectorAll('.msg[data-id]');
    var seen = {};
    var newest = 0;
    for (var i = 0; i < shown.length; i++) {
      var m = shown[i];
      var id = Number(m.dataset.id);
      if (seen[id]) {
        m.remove();
        continue;
      }
      seen[id] = true;
      if (id > newest) {
        newest = id;
        continue;
      }
      for (var j = 0; j < i; j++) {
        if (Number(shown[j].dataset.id) > id && shown[j].isConnected) {
          list.insertBefore(m, shown[j]);
          break;
        }
      }
    }
  }

  // ---- Live updates.

  // Two swaps for lists whose elements are known by id (the "keyed"
  // extension, on the page's live region):
  // hx-swap-oob="top:#chat-list" puts each element at the top, taking the
  // place of its old copy, so a chat moves up instead of appearing twice;
  // hx-swap-oob="patch:#messages" (or #chat-list) brings up to date the
  // elements the list holds and leaves out the ones it does not: a
  // changed message may be on a page of history never loaded, a typing
  // chat may have no row. An element marked data-gone is removed.
  htmx.defineExtension('keyed', {
    handleSwap: function (style, target, fragment) {
      if (style !== 'patch' && style !== 'top') return false;
      var swapped = [];
      Array.prototype.slice.call(fragment.children || []).reverse().forEach(function (el) {
        var old = el.id && document.getElementById(el.id);
        if (old && !target.contains(old)) old = null;
        if (style === 'top') {
          if (old) old.remove();
          target.prepend(el);
        } else if (!old) {
          return;
        } else if (el.hasAttribute('data-gone')) {
          old.remove();
          return;
        } else {
          old.replaceWith(el);
        }
        swapped.push(el);
      });
      return swapped;
    }
  });

  var theirsBefore = 0;
  function countTheirs() { return document.querySelectorAll('#messages .msg.theirs').length; }

  document.addEventListener('htmx:wsBeforeMessage', function () {
    followNew = atBottom();
    theirsBefore = countTheirs();
  });

  document.addEventListener('htmx:wsAfterMessage', function () {
    if (!titleTimer) syncTitle();
    focusAfterStatus();
    alertNewMessage();
    markCurrentChat();
    var confirmed = settlePending();
    placeMessages();
    if (followNew || confirmed) {
      toBottom();
    } else {
      arrivedBelow += Math.max(0, countTheirs() - theirsBefore);
    }
    showJump();
  });

  // Friend lists changed: search results refresh so their buttons match.
  // Not while they or one of their buttons wait for an answer: replacing
  // the results would cut that request off, or be overwritten by an older
  // answer. The refresh waits for it.
  var friendsChangeQueued = false;
  var refreshAfterRequest = false;
  function refreshSearch() {
    var results = $('search-results');
    if (!results) return;
    if (results.classList.contains('htmx-request') || results.querySelector('.htmx-request')) {
      refreshAfterRequest = true;
      return;
    }
    htmx.trigger(document.body, 'friends:changed');
  }
  document.addEventListener('htmx:oobAfterSwap', function (e) {
    var id = e.target && e.target.id;
    if ((id === 'friend-list' || id === 'incoming' || id === 'outgoing') && !friendsChangeQueued) {
      friendsChangeQueued = true;
      setTimeout(function () {
        friendsChangeQueued = false;
        refreshSearch();
      }, 0);
    }
  });
  // The request waited for may end on an element its own answer replaced
  // (detached, so its events do not reach the document): new content
  // arriving is the other sign that it ended.
  function refreshIfWaiting() {
    if (refreshAfterRequest) {
      refreshAfterRequest = false;
      setTimeout(refreshSearch, 0);
    }
  }
  document.addEventListener('htmx:afterRequest', refreshIfWaiting);
  document.addEventListener('htmx:load', refreshIfWaiting);

  document.addEventListener('htmx:wsOpen', function (e) {
    ownRetries = 0;
    showConnection('open');
    resendPending(e.detail.socketWrapper);
  });

  document.addEventListener('htmx:wsClose', function (e) {
    if (e.detail.event && e.detail.event.target !== liveSocket) return; // replaced by a newer one
    liveWrapper = e.detail.socketWrapper;
    var code = e.detail.event && e.detail.event.code;
    if (code === 4001) {
      // Logged out, here or in another tab; unless this page is being
      // left already (the form that ended the login brings its answer).
      if (!leaving) location.assign('/login');
      return;
    }
    if (code === 4002) {
      // Too many tabs of this person are open: the newer ones stay live.
      showConnection('closed', say('too_many_tabs'));
      return;
    }
    if (code === 1009) {
      // The last message was too large to even read; the extension does
      // not reconnect after this code, so do it here.
      var err = $('send-error');
      if (err) err.textContent = say('far_too_long');
      var list = loadPending();
      var last = list.pop();
      savePending(list);
      renderPending();
      var input = $('message');
      if (last && input && input.value === '') {
        input.value = last.message;
        saveDraft(last.message);
      }
      e.detail.socketWrapper.reconnect();
      return;
    }
    showConnection('closed');
    if ([1006, 1011, 1012, 1013].indexOf(code) < 0) {
      // The extension tries again only after these; after any other close
      // (the server's own after a long silence, say) the page does.
      setTimeout(retryNow, reconnectDelay(ownRetries++));
    }
  });

  document.addEventListener('DOMContentLoaded', function () {
    // A form sent back with mistakes: the cursor goes to the first.
    var invalid = document.querySelector('[aria-invalid="true"]');
    if (invalid) invalid.focus();
    restoreDraft();
    countCharacters();
    syncTitle();
    offerNotifications();
    markCurrentChat();
    settlePending();
    renderPending();
    // Opened at a message (a search result, ?at=<id>): conversation.js
    // goes there.
    var at = /[?&]at=(\d+)/.exec(location.search);
    var asked = at && $('m-' + at[1]);
    if (!asked && !toFirstUnread()) toBottom();
    var h = history();
    if (h) h.addEventListener('scroll', showJump, { passive: true });
    showJump();
    var input = $('message');
    if (input && window.matchMedia('(min-width: 768px)').matches) input.focus();
  });
})();

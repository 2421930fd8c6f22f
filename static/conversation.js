// conversation.js: what a conversation page does with its messages in
// the browser. The server renders every message and every change to one;
// this file opens the actions menu (Reply, Edit, Delete, React) and sends
// what is chosen with htmx, keeps the ticks in step with the receipts the
// server pushes, says when the person is typing, and follows a reply's
// quote to the message it answers.
(function () {
  'use strict';

  function $(id) { return document.getElementById(id); }
  function peer() {
    var to = document.querySelector('#composer input[name="to"]');
    return to ? to.value : '';
  }
  function friends() {
    var status = $('composer-status');
    return !!status && 'friend' in status.dataset;
  }
  function messageOf(el) { return el && el.closest ? el.closest('#messages .msg[data-id]') : null; }

  var EDIT_WINDOW = 15 * 60 * 1000;
  var DELETE_WINDOW = 60 * 60 * 1000;

  // ---- Ticks: each of my messages reads Sent, Delivered or Read as far
  // as the peer's receipts (#receipts) say.
  var TICKS = { sent: ['✓', 'ticks_sent'], delivered: ['✓✓', 'ticks_delivered'], read: ['✓✓', 'ticks_read'] };
  function applyReceipts() {
    var mark = $('receipts');
    if (!mark) return;
    var delivered = Number(mark.dataset.delivered) || 0;
    var read = Number(mark.dataset.read) || 0;
    var ticks = document.querySelectorAll('#messages .msg.mine[data-id] .ticks');
    for (var i = 0; i < ticks.length; i++) {
      var id = Number(messageOf(ticks[i]).dataset.id);
      var state = id <= read ? 'read' : id <= delivered ? 'delivered' : 'sent';
      if (ticks[i].dataset.state === state) continue;
      ticks[i].dataset.state = state;
      ticks[i].firstChild.textContent = TICKS[state][0];
      ticks[i].lastChild.textContent = window.say(TICKS[state][1]);
    }
  }

  // ---- Typing. While the person types, the page says so at most every
  // few seconds; the peer's page shows "typing…" until a few seconds
  // after the last word of it, or until the message comes.
  var TYPING_EVERY = 2500;
  var TYPING_SHOWN = 5000;
  var lastTyping = 0;
  function socket() {
    var s = window.liveSocket && window.liveSocket();
    return s && s.readyState === WebSocket.OPEN ? s : null;
  }
  document.addEventListener('input', function (e) {
    if (e.target.id !== 'message' || editing || !e.target.value.trim()) return;
    var now = Date.now();
    var s = socket();
    if (!s || now - lastTyping < TYPING_EVERY) return;
    lastTyping = now;
    s.send(JSON.stringify({ typing: true }));
  });
  document.addEventListener('composer:sent', function () { lastTyping = 0; });

  var typingSweep = null;
  function watchTyping() {
    var shown = document.querySelectorAll('.typing:not([hidden]), .chat-typing:not([hidden])');
    var now = Date.now();
    for (var i = 0; i < shown.length; i++) {
      var at = Number(shown[i].dataset.shownAt);
      if (!at) shown[i].dataset.shownAt = String(now);
      else if (now - at > TYPING_SHOWN) shown[i].hidden = true;
    }
    if (shown.length && !typingSweep) {
      typingSweep = setInterval(function () {
        watchTyping();
        if (!document.querySelector('.typing:not([hidden]), .chat-typing:not([hidden])')) {
          clearInterval(typingSweep);
          typingSweep = null;
        }
      }, 1000);
    }
  }
  var theirsBefore = 0;
  document.addEventListener('htmx:wsBeforeMessage', function () {
    theirsBefore = document.querySelectorAll('#messages .msg.theirs').length;
  });
  document.addEventListener('htmx:wsAfterMessage', function () {
    // Their message came: they are no longer typing it.
    var typing = $('peer-typing');
    if (typing && document.querySelectorAll('#messages .msg.theirs').length > theirsBefore) typing.hidden = true;
    watchTyping();
    applyReceipts();
  });
  document.addEventListener('htmx:afterSettle', applyReceipts);

  // ---- The actions menu: one for the page, opened on a message by its
  // button, a right click, or a long press; arrow keys move in it, Escape
  // closes it and goes back to the message.
  var menu = null;
  var opener = null;
  var current = null;

  function items() {
    return Array.prototype.filter.call(menu.querySelectorAll('[role="menuitem"]'), function (b) {
      return !b.hidden && !(b.parentNode.hidden);
    });
  }

  // React shows the six reactions, the cursor on the first.
  function showReactions(open) {
    var picker = $('reaction-picker');
    var react = menu.querySelector('[data-action="react"]');
    picker.hidden = !open;
    react.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (open) picker.querySelector('button').focus();
  }

  function openMenu(msg, anchor) {
    menu = $('message-menu');
    if (!menu || !msg) return;
    closeMenu(false);
    current = msg;
    opener = msg.querySelector('.msg-actions');
    var mine = msg.classList.contains('mine');
    var deleted = msg.hasAttribute('data-deleted');
    var age = Date.now() - Number(msg.dataset.at);
    var can = {
      react: !deleted && friends(),
      reaction: !deleted && friends(),
      reply: !deleted && friends(),
      edit: mine && !deleted && friends() && age < EDIT_WINDOW,
      'delete-everyone': mine && !deleted && age < DELETE_WINDOW,
      'delete-me': true
    };
    Array.prototype.forEach.call(menu.querySelectorAll('[data-action]'), function (b) { b.hidden = !can[b.dataset.action]; });
    menu.hidden = false;
    showReactions(false);
    place(anchor || opener || msg);
    if (opener) opener.setAttribute('aria-expanded', 'true');
    var first = items()[0];
    if (first) first.focus();
  }

  // place puts the menu next to what opened it, inside the conversation.
  function place(anchor) {
    var box = menu.offsetParent || document.body;
    var area = box.getBoundingClientRect();
    var a = anchor.getBoundingClientRect();
    var top = a.bottom - area.top + 4;
    if (top + menu.offsetHeight > area.height) top = Math.max(0, a.top - area.top - menu.offsetHeight - 4);
    var left = Math.min(Math.max(0, a.left - area.left), Math.max(0, area.width - menu.offsetWidth - 8));
    menu.style.top = top + 'px';
    menu.style.left = left + 'px';
  }

  function closeMenu(refocus) {
    if (!menu || menu.hidden) return;
    menu.hidden = true;
    if (opener) {
      opener.setAttribute('aria-expanded', 'false');
      if (refocus && opener.isConnected) opener.focus();
    }
  }

  document.addEventListener('click', function (e) {
    if (!e.target.closest) return;
    var button = e.target.closest('.msg-actions');
    if (button) {
      if (menu && !menu.hidden && opener === button) closeMenu(true);
      else openMenu(messageOf(button), button);
      return;
    }
    var item = e.target.closest('#message-menu [data-action]');
    if (item && item.dataset.action === 'react') {
      showReactions($('reaction-picker').hidden);
      return;
    }
    if (item) {
      var msg = current;
      closeMenu(false);
      act(item.dataset.action, msg, item.dataset.emoji);
      return;
    }
    if (menu && !menu.hidden && !e.target.closest('#message-menu')) closeMenu(false);
  });

  document.addEventListener('contextmenu', function (e) {
    var msg = messageOf(e.target);
    if (!msg || (e.target.closest && e.target.closest('a'))) return;
    e.preventDefault();
    openMenu(msg, msg.querySelector('.bubble'));
  });

  // A long press opens the menu on touch screens; the tap that ends it
  // is not also a click (on a quote, or outside the menu).
  var press = null;
  var pressed = false;
  document.addEventListener('pointerdown', function (e) {
    pressed = false; // no click followed the last long press
    var msg = e.pointerType === 'touch' && messageOf(e.target);
    if (!msg) return;
    var x = e.clientX, y = e.clientY;
    press = {
      x: x, y: y, timer: setTimeout(function () {
        press = null;
        pressed = true;
        openMenu(msg, msg.querySelector('.bubble'));
      }, 500)
    };
  });
  document.addEventListener('click', function (e) {
    if (!pressed) return;
    pressed = false;
    e.preventDefault();
    e.stopPropagation();
  }, true);
  function cancelPress(e) {
    if (!press) return;
    if (e.type === 'pointermove' && Math.abs(e.clientX - press.x) < 10 && Math.abs(e.clientY - press.y) < 10) return;
    clearTimeout(press.timer);
    press = null;
  }
  ['pointerup', 'pointercancel', 'pointermove'].forEach(function (t) { document.addEventListener(t, cancelPress); });

  document.addEventListener('keydown', function (e) {
    if (menu && !menu.hidden && e.target.closest && e.target.closest('#message-menu')) {
      var list = items();
      var i = list.indexOf(document.activeElement);
      var next = null;
      if (e.key === 'ArrowDown' || e.key === 'ArrowRight') next = list[(i + 1) % list.length];
      else if (e.key === 'ArrowUp' || e.key === 'ArrowLeft') next = list[(i - 1 + list.length) % list.length];
      else if (e.key === 'Home') next = list[0];
      else if (e.key === 'End') next = list[list.length - 1];
      else if (e.key === 'Escape') { e.preventDefault(); closeMenu(true); return; }
      else if (e.key === 'Tab') { closeMenu(false); return; }
      if (next) { e.preventDefault(); next.focus(); }
      return;
    }
    // In the history, arrow keys go from message to message; Enter or
    // the menu key opens a message's actions.
    var inHistory = e.target.id === 'history' || (e.target.classList && e.target.classList.contains('msg-actions'));
    if (!inHistory) return;
    var buttons = Array.prototype.slice.call(document.querySelectorAll('#messages .msg-actions'));
    if (!buttons.length) return;
    var at = buttons.indexOf(e.target);
    var to = null;
    if (e.key === 'ArrowDown') to = at < 0 ? buttons[buttons.length - 1] : buttons[Math.min(at + 1, buttons.length - 1)];
    else if (e.key === 'ArrowUp') to = at < 0 ? buttons[buttons.length - 1] : buttons[Math.max(at - 1, 0)];
    else if (e.key === 'Home' && at >= 0) to = buttons[0];
    else if (e.key === 'End' && at >= 0) to = buttons[buttons.length - 1];
    else if (e.key === 'Escape' && at >= 0) { e.preventDefault(); $('history').focus(); return; }
    else if ((e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) && at >= 0) {
      e.preventDefault();
      openMenu(messageOf(e.target), e.target);
      return;
    }
    if (to) {
      e.preventDefault();
      to.focus();
      to.scrollIntoView({ block: 'nearest' });
    }
  });

  // ---- What the menu does.
  function actionURL(msg, action) {
    return '/chats/' + encodeURIComponent(peer()) + '/messages/' + msg.dataset.id + '/' + action;
  }
  function post(msg, action, values) {
    return htmx.ajax('POST', actionURL(msg, action), { source: msg, target: '#send-error', swap: 'none', values: values || {} });
  }
  function textOf(msg) {
    var t = msg.querySelector('.bubble .text');
    return t ? t.textContent : '';
  }
  // summaryOf is what a reply bar says of msg: its text, or for a file
  // without text, what it is.
  function summaryOf(msg) {
    var text = textOf(msg);
    if (text) return text;
    if (msg.querySelector('.attachment-image')) return window.say('photo');
    var file = msg.querySelector('.attachment-file .file-name');
    return file ? '📎 ' + file.textContent : '';
  }
  function whoOf(msg) {
    if (msg.classList.contains('mine')) return window.say('yourself');
    var name = document.getElementById('peer-name');
    return name ? name.textContent : '';
  }

  function act(action, msg, emoji) {
    if (!msg) return;
    switch (action) {
      case 'reaction': post(msg, 'react', { emoji: emoji }); break;
      case 'reply': startReply(msg); break;
      case 'edit': startEdit(msg); break;
      case 'delete-everyone':
        confirmDelete(msg, 'delete', window.say('delete_everyone_text', { Name: (document.getElementById('peer-name') || {}).textContent }), window.say('delete_everyone'));
        break;
      case 'delete-me':
        confirmDelete(msg, 'hide', window.say('delete_me_text'), window.say('delete_me'));
        break;
    }
  }

  function confirmDelete(msg, action, text, label) {
    var dialog = $('delete-message');
    $('delete-message-text').textContent = text;
    var confirm = $('delete-message-confirm');
    confirm.textContent = label;
    confirm.onclick = function () {
      dialog.close();
      post(msg, action);
    };
    dialog.showModal();
  }

  // ---- Reply and edit happen in the composer, under a line saying
  // which; Cancel (or Escape) goes back to writing a new message.
  var editing = null;     // the message being edited
  var stashed = null;     // what was typed before editing began

  function showContext(text) {
    $('composer-context-text').textContent = text;
    $('composer-context').hidden = false;
    var input = $('message');
    if (input) input.focus();
  }

  function startReply(msg) {
    endEdit(true);
    $('reply-to').value = msg.dataset.id;
    showContext(window.say('replying_to', { Who: whoOf(msg), Text: summaryOf(msg).slice(0, 80) }));
  }

  function startEdit(msg) {
    endEdit(true);
    $('reply-to').value = '';
    var input = $('message');
    editing = msg;
    stashed = input.value;
    input.value = textOf(msg);
    showContext(window.say('editing'));
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }

  function endEdit(restore) {
    var input = $('message');
    if (editing && restore && input) input.value = stashed || '';
    editing = null;
    stashed = null;
  }

  function clearContext(restore) {
    endEdit(restore);
    var reply = $('reply-to');
    if (reply) reply.value = '';
    var context = $('composer-context');
    if (context) context.hidden = true;
  }

  document.addEventListener('click', function (e) {
    if (e.target.closest && e.target.closest('#composer-context-cancel')) {
      clearContext(true);
      var input = $('message');
      if (input) input.focus();
    }
  });
  document.addEventListener('keydown', function (e) {
    if (e.target.id === 'message' && e.key === 'Escape' && !$('composer-context').hidden) {
      e.preventDefault();
      clearContext(true);
    }
  });
  document.addEventListener('composer:sent', function () { clearContext(false); });

  // Sending while editing saves the edit instead of sending a message;
  // the edit is kept in the composer if the server refuses it.
  document.addEventListener('htmx:wsConfigSend', function (e) {
    var form = e.detail.elt || e.target;
    if (!form || form.id !== 'composer' || !editing) return;
    e.preventDefault();
    var msg = editing;
    post(msg, 'edit', { message: $('message').value }).then(function () {
      var err = $('send-error');
      if (editing === msg && (!err || err.textContent === '')) clearContext(true);
    });
  }, true);

  // ---- A quote leads to the message it answers, loading earlier pages
  // of history until it is there.
  var seeking = null;
  var seekPages = 0;
  function showMessage(id) {
    var target = $('m-' + id);
    if (target) {
      seeking = null;
      target.scrollIntoView({ block: 'center' });
      target.classList.add('found');
      setTimeout(function () { target.classList.remove('found'); }, 2000);
      var button = target.querySelector('.msg-actions');
      if (button) button.focus({ preventScroll: true });
      return;
    }
    var older = $('older');
    if (older && older.hasAttribute('hx-get') && seekPages < 40) {
      seeking = id;
      seekPages++;
      htmx.trigger(older, 'seek');
    } else {
      seeking = null;
    }
  }
  document.addEventListener('click', function (e) {
    var quote = e.target.closest && e.target.closest('a.quote[data-quote]');
    if (!quote) return;
    e.preventDefault();
    seekPages = 0;
    showMessage(quote.dataset.quote);
  });
  // An earlier page came (it begins with the next loader, or the start of
  // the history): look again.
  document.addEventListener('htmx:afterSettle', function (e) {
    if (seeking && e.target.id === 'older') showMessage(seeking);
  });

  document.addEventListener('DOMContentLoaded', function () {
    applyReceipts();
    watchTyping();
    // Opened from a search result (/chats/bob?at=42): go to that message.
    var at = /[?&]at=(\d+)/.exec(location.search);
    if (at && $('messages')) {
      seekPages = 0;
      showMessage(at[1]);
    }
  });
})();

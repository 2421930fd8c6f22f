// attach.js: files in the conversation. A file is chosen with Attach,
// pasted, or dropped on the conversation; the composer shows it until
// Send, which uploads it with the text typed (a progress bar in the
// history while it goes); the message then arrives like any other. Images
// open whole over the page.
(function () {
  'use strict';

  var MAX_BYTES = 20 * 1024 * 1024;

  function $(id) { return document.getElementById(id); }

  var chosen = null;     // the file the next message carries
  var previewURL = null; // its picture, while shown above the composer

  function sayError(text) {
    var err = $('send-error');
    if (!err) return;
    err.textContent = text;
    delete err.dataset.clientId;
  }

  function choose(file) {
    if (!file || !$('composer')) return;
    if (file.size > MAX_BYTES) {
      sayError(window.say('file_too_large', { Name: file.name }));
      return;
    }
    if (file.size === 0) {
      sayError(window.say('file_empty', { Name: file.name }));
      return;
    }
    sayError('');
    chosen = file;
    showChosen();
    var input = $('message');
    if (input) input.focus();
  }

  function showChosen() {
    var box = $('attachment-chosen');
    if (!box) return;
    if (previewURL) URL.revokeObjectURL(previewURL);
    previewURL = null;
    box.hidden = !chosen;
    if (!chosen) return;
    var image = /^image\/(jpeg|png|gif|webp)$/.test(chosen.type);
    var preview = $('attachment-preview');
    if (image) {
      previewURL = URL.createObjectURL(chosen);
      preview.src = previewURL;
    } else {
      preview.removeAttribute('src');
    }
    preview.hidden = !image;
    $('attachment-icon').hidden = image;
    $('attachment-name').textContent = chosen.name + ' · ' + sizeText(chosen.size);
  }

  function unchoose() {
    chosen = null;
    var input = $('attach');
    if (input) input.value = '';
    showChosen();
  }

  function sizeText(n) {
    if (n < 1000) return window.say('bytes', { Count: n });
    if (n < 1e6) return window.say('kb', { Count: Math.round(n / 1000) });
    if (n < 1e7) return window.say('mb', { Count: (n / 1e6).toFixed(1) });
    return window.say('mb', { Count: Math.round(n / 1e6) });
  }

  document.addEventListener('change', function (e) {
    if (e.target.id === 'attach' && e.target.files.length) choose(e.target.files[0]);
  });
  document.addEventListener('click', function (e) {
    if (!e.target.closest) return;
    if (e.target.closest('#attachment-remove')) {
      unchoose();
      var input = $('message');
      if (input) input.focus();
    }
  });

  // Pasting a picture (or a copied file) into the message attaches it.
  document.addEventListener('paste', function (e) {
    if (e.target.id !== 'message' || !e.clipboardData || !e.clipboardData.files.length) return;
    e.preventDefault();
    choose(e.clipboardData.files[0]);
  });

  // Dropping a file anywhere on the conversation attaches it.
  function carriesFiles(e) {
    return e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types || [], 'Files') >= 0;
  }
  function conversationOf(e) {
    return e.target.closest && e.target.closest('.conversation');
  }
  document.addEventListener('dragover', function (e) {
    var conv = conversationOf(e);
    if (!conv || !carriesFiles(e) || !$('composer')) return;
    e.preventDefault();
    conv.classList.add('dropping');
  });
  document.addEventListener('dragleave', function (e) {
    var conv = conversationOf(e);
    if (conv && !conv.contains(e.relatedTarget)) conv.classList.remove('dropping');
  });
  document.addEventListener('drop', function (e) {
    var conv = conversationOf(e);
    if (!conv || !carriesFiles(e)) return;
    e.preventDefault();
    conv.classList.remove('dropping');
    if (e.dataTransfer.files.length) choose(e.dataTransfer.files[0]);
  });

  // ---- Sending: with a file chosen, Send uploads it, with the text and
  // the reply, instead of sending the text on the socket.
  function newClientID() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    var hex = '';
    for (var i = 0; i < bytes.length; i++) hex += (bytes[i] + 256).toString(16).slice(1);
    return hex;
  }

  var uploading = 0;

  document.addEventListener('htmx:wsConfigSend', function (e) {
    var form = e.detail.elt || e.target;
    // Taken already: the composer is editing a message.
    if (!form || form.id !== 'composer' || e.defaultPrevented || !chosen) return;
    e.preventDefault();
    var input = $('message');
    var reply = $('reply-to');
    upload(form, chosen, input ? input.value : '', reply ? reply.value : '');
    unchoose();
    if (input) {
      input.value = '';
      input.dispatchEvent(new Event('input', { bubbles: true })); // the draft and the counter
    }
    form.dispatchEvent(new CustomEvent('composer:sent', { bubbles: true }));
  }, true);

  function upload(form, file, text, replyTo) {
    var clientID = newClientID();
    var data = new FormData();
    data.append('client_id', clientID);
    data.append('message', text);
    data.append('reply_to', replyTo);
    data.append('file', file, file.name);

    var item = pendingItem(file, clientID);
    var bar = item.querySelector('progress');
    var xhr = new XMLHttpRequest();
    item.querySelector('button').addEventListener('click', function () { xhr.abort(); });
    xhr.upload.addEventListener('progress', function (e) {
      if (e.lengthComputable) bar.value = Math.round(100 * e.loaded / e.total);
    });
    function failed(say) {
      item.remove();
      // What was typed comes back, and the file, unless another was
      // chosen meanwhile.
      var input = $('message');
      if (input && input.value === '' && text) {
        input.value = text;
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }
      if (!chosen) {
        chosen = file;
        showChosen();
      }
      if (say) sayError(say);
    }
    xhr.addEventListener('load', function () {
      uploading--;
      if (xhr.status === 200) {
        // Sent: the message comes on the socket, and replaces this item.
        bar.value = 100;
        item.querySelector('.state').textContent = 'Sending…';
        item.querySelector('button').hidden = true;
        settle();
        return;
      }
      // The answer says why, next to the composer.
      var answer = new DOMParser().parseFromString(xhr.responseText, 'text/html').getElementById('send-error');
      failed(answer ? answer.textContent : window.say('upload_failed'));
    });
    xhr.addEventListener('error', function () {
      uploading--;
      failed(window.say('upload_lost'));
    });
    xhr.addEventListener('abort', function () {
      uploading--;
      failed('');
    });
    xhr.open('POST', form.dataset.upload);
    xhr.send(data);
    uploading++;
  }

  // pendingItem shows the upload in the history, below the messages.
  function pendingItem(file, clientID) {
    var li = document.createElement('li');
    li.className = 'msg mine pending-msg uploading';
    li.dataset.uploadId = clientID;
    var bubble = document.createElement('div');
    bubble.className = 'bubble';
    var name = document.createElement('p');
    name.className = 'text';
    name.textContent = file.name + ' · ' + sizeText(file.size);
    var bar = document.createElement('progress');
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute('aria-label', window.say('uploading_name', { Name: file.name }));
    bubble.appendChild(name);
    bubble.appendChild(bar);
    var state = document.createElement('span');
    state.className = 'state';
    state.textContent = window.say('uploading');
    var cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.textContent = window.say('cancel_upload');
    li.appendChild(bubble);
    li.appendChild(state);
    li.appendChild(cancel);
    $('uploads').appendChild(li);
    var h = $('history');
    if (h) h.scrollTop = h.scrollHeight;
    return li;
  }

  // settle drops the uploads whose messages the page now shows.
  function settle() {
    var items = document.querySelectorAll('#uploads [data-upload-id]');
    for (var i = 0; i < items.length; i++) {
      if (document.querySelector('#messages [data-client-id="' + items[i].dataset.uploadId + '"]')) items[i].remove();
    }
  }
  document.addEventListener('htmx:wsAfterMessage', settle);

  // Leaving the page would cut an upload off: the browser asks first.
  window.addEventListener('beforeunload', function (e) {
    if (uploading > 0) e.preventDefault();
  });

  // ---- An image opens whole, over the page.
  document.addEventListener('click', function (e) {
    var link = e.target.closest && e.target.closest('.attachment-image');
    var viewer = $('image-viewer');
    if (!link || !viewer || e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault();
    var img = $('image-viewer-img');
    img.src = link.getAttribute('href');
    img.alt = link.dataset.name;
    $('image-viewer-name').textContent = link.dataset.name;
    $('image-viewer-download').href = link.getAttribute('href') + '?download=1';
    viewer.showModal();
  });
  document.addEventListener('close', function (e) {
    if (e.target.id === 'image-viewer') $('image-viewer-img').removeAttribute('src');
  }, true);
})();

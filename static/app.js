// app.js: the site's only hand-written script. Behaviour that the
// Content-Security-Policy keeps out of HTML attributes lives here.
(function () {
  'use strict';

  // The document title carries the unread total, e.g. "(3) Chat". The
  // server renders it into the page and pushes #nav-unread when it changes.
  function syncTitle() {
    var badge = document.getElementById('nav-unread');
    var base = document.body.dataset.title || document.title;
    var n = badge ? parseInt(badge.dataset.count, 10) || 0 : 0;
    document.title = n > 0 ? '(' + n + ') ' + base : base;
  }

  document.addEventListener('DOMContentLoaded', syncTitle);
  document.addEventListener('htmx:wsAfterMessage', syncTitle);
})();

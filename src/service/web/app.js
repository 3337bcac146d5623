// app.js - the web pages' only script (served at /static/app.js): a page
// whose <body> names a poll URL reloads itself when the state that URL
// answers changes (the queue, a submission still scanning). Pages work
// without it; a <noscript> refresh stands in.
(function () {
  'use strict';
  var body = document.body;
  var url = body.getAttribute('data-poll');
  var state = body.getAttribute('data-state');
  if (!url) return;
  function tick() {
    fetch(url, { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) { return r.ok ? r.text() : state; })
      .then(function (t) {
        if (t !== state) { window.location.reload(); return; }
        window.setTimeout(tick, 1500);
      })
      .catch(function () { window.setTimeout(tick, 5000); });
  }
  window.setTimeout(tick, 1500);
}());

// The console's only script of its own. htmx requests carry this session's CSRF token as a header (forms carry it
// as a hidden field too); the token is in the page's <meta name="csrf-token">.
document.addEventListener('htmx:configRequest', function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta && meta.content) event.detail.headers['X-CSRF-Token'] = meta.content;
});

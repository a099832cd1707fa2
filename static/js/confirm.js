// Asks before a form with data-confirm is submitted (no inline handlers: the pages run under a
// Content-Security-Policy without 'unsafe-inline').
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

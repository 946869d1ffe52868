// Irreversible or public actions ask before they are sent (issue 15): a form, its submit button or its
// checked radio button carries data-confirm, the sentence to ask (counts and consequences, written by the
// page); the nearest one wins: the button, then the checked radio, then the form. Cancel sends nothing.
// A form that was sent once is not sent again by a second click while the page is loading.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || form.getAttribute("method") !== "post") return;
  if (form.dataset.sending === "1") {
    event.preventDefault();
    return;
  }
  var button = event.submitter;
  var checked = form.querySelector("input[type=radio][data-confirm]:checked");
  var message = (button && button.dataset.confirm) || (checked && checked.dataset.confirm) || form.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
    return;
  }
  // HTMX forms (auto-save, uploads) send again on purpose; only full-page posts are held.
  if (!form.hasAttribute("hx-post") && !form.hasAttribute("data-hx-post")) form.dataset.sending = "1";
});
// Back to a page from the browser's cache: its forms may be sent again.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[data-sending]").forEach(function (form) {
    delete form.dataset.sending;
  });
});

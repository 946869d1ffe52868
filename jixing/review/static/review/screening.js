// The screening page after a refused save: the first row the refusal is about is brought into view,
// clear of the sticky save bar (scroll-margin in screening.css), and its order field focused.
document.addEventListener("DOMContentLoaded", function () {
  var row = document.querySelector("tr.in-error");
  if (!row) return;
  row.scrollIntoView({ block: "center" });
  var field = row.querySelector("input[name^=order-], input[name^=reason-]");
  if (field) field.focus({ preventScroll: true });
});

// 名单核对: a header checkbox ticks every row of its table.
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-check-all]");
  if (!all) return;
  all.closest("table").querySelectorAll("tbody input[name=ids]").forEach((box) => { box.checked = all.checked; });
});

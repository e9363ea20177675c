// The target list's "select all on this page" box, for the bulk steps. Without scripts the
// rows can still be ticked one by one.
(function () {
  var all = document.getElementById("select-all");
  if (!all) return;
  var boxes = document.querySelectorAll("input[name=ids]");
  all.hidden = false;
  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
  });
})();

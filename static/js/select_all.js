// "Select all on this page": a header checkbox ticks or clears every checkbox of the same name in its form.
document.querySelectorAll("[data-select-all]").forEach(function (master) {
  master.addEventListener("change", function () {
    var name = master.getAttribute("data-select-all");
    master.form.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
      box.checked = master.checked;
    });
  });
});

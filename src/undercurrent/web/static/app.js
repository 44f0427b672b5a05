// The little JavaScript of the workbench: report highlights, the edit form's modes. Pages work without it.
(function () {
  "use strict";

  function reportPage() {
    var text = document.getElementById("report-text");
    if (!text) return;
    var selection = document.getElementById("selection");

    function select(refs) {
      document.querySelectorAll(".record.selected, .hl.selected").forEach(function (el) { el.classList.remove("selected"); });
      selection.innerHTML = "";
      refs.forEach(function (ref) {
        document.querySelectorAll('.hl[data-refs~="' + ref + '"]').forEach(function (el) { el.classList.add("selected"); });
        var card = document.querySelector('.record[data-ref="' + ref + '"]');
        if (card) {
          card.classList.add("selected");
          var copy = card.cloneNode(true);
          copy.removeAttribute("id");
          copy.classList.add("selected-copy");
          selection.appendChild(copy);
        }
      });
      if (!selection.children.length) selection.innerHTML = '<p class="muted">No record here.</p>';
    }

    text.addEventListener("click", function (event) {
      var span = event.target.closest(".hl");
      if (span) select(span.dataset.refs.split(" "));
    });
    text.addEventListener("keydown", function (event) {
      var span = event.target.closest(".hl");
      if (span && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); select(span.dataset.refs.split(" ")); }
    });
    document.querySelectorAll("#legend input[data-kind]").forEach(function (box) {
      box.addEventListener("change", function () { text.classList.toggle("hide-" + box.dataset.kind, !box.checked); });
    });
    var hash = window.location.hash.replace(/^#/, "");
    var match = hash.match(/^(event|observation|source)-(.+)$/);
    if (match) select([match[1] + ":" + match[2]]);
  }

  function editForm() {
    var type = document.getElementById("edit-type");
    var mode = document.getElementById("edit-mode");
    if (!type || !mode) return;
    function sync() {
      mode.querySelectorAll("optgroup").forEach(function (group) {
        var allowed = group.dataset.type === type.value;
        group.hidden = !allowed;
        group.querySelectorAll("option").forEach(function (o) { o.disabled = !allowed; });
      });
      var chosen = mode.options[mode.selectedIndex];
      if (chosen && chosen.disabled) mode.value = "";
    }
    type.addEventListener("change", sync);
    sync();
  }

  document.addEventListener("DOMContentLoaded", function () { reportPage(); editForm(); });
})();

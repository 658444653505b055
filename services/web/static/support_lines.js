// Progressive enhancement for the register and correct forms: "one more line" adds a planned-support line
// in the page. Without script the same button sends the form back with one more line (nothing is saved).
(function () {
  var button = document.querySelector("button[name=more_support]");
  var body = document.querySelector("table.support tbody");
  if (!button || !body) { return; }
  button.type = "button";
  button.addEventListener("click", function () {
    var rows = body.querySelectorAll("tr");
    var last = rows[rows.length - 1];
    var index = 0;
    body.querySelectorAll("select[name$='.type']").forEach(function (el) {
      var n = parseInt(el.name.split(".")[2], 10);
      if (n >= index) { index = n + 1; }
    });
    var row = last.cloneNode(true);
    var from = /planned_support\.\d+\./g, to = "planned_support." + index + ".";
    row.querySelectorAll("[name], [id], label[for]").forEach(function (el) {
      ["name", "id", "for"].forEach(function (attr) {
        if (el.hasAttribute(attr)) { el.setAttribute(attr, el.getAttribute(attr).replace(from, to)); }
      });
      if (el.tagName === "INPUT") { el.value = ""; }
      if (el.tagName === "SELECT") { el.selectedIndex = 0; }
      el.removeAttribute("aria-invalid");
    });
    row.querySelectorAll("label.sr").forEach(function (label) {
      label.textContent = label.textContent.replace(/\d+$/, String(rows.length + 1));
    });
    row.querySelectorAll(".error").forEach(function (el) { el.remove(); });
    body.appendChild(row);
    row.querySelector("select").focus();
  });
})();

// Progressive enhancement for /returnees/new: refresh the return-scheme panel while the form is filled in.
// Without script the "Show return schemes" button does the same with a reload.
(function () {
  var form = document.getElementById("register");
  if (!form || !window.fetch) { return; }
  var names = ["nationality", "country_of_return", "household.adults", "household.minors",
    "household.unaccompanied_minors", "planned_departure_date", "eligibility_questions.left_via_rean_within_5_years",
    "eligibility_questions.deported_within_5_years", "eligibility_questions.dublin_claimant"];
  var asked = 0;  // the newest question: an older answer arriving late does not replace a newer one
  function refresh() {
    var mine = ++asked;
    var query = new URLSearchParams();
    names.forEach(function (name) {
      var el = form.elements[name];
      if (el && el.type === "checkbox") { if (el.checked) { query.set(name, el.value); } }
      else if (el && el.value) { query.set(name, el.value); }
    });
    fetch(form.dataset.eligibility + "?" + query.toString(), {credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        var panel = document.getElementById("eligibility");
        if (html && panel && mine === asked) { panel.outerHTML = html; }
      });
  }
  names.forEach(function (name) { var el = form.elements[name]; if (el) { el.addEventListener("change", refresh); } });
  // values chosen before this script ran (a slow page, the browser's restored form): the panel follows them
  if (["nationality", "country_of_return"].some(function (name) {
    var el = form.elements[name]; return el && el.value; })) { refresh(); }
})();

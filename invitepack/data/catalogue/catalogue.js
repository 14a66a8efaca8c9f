/* The catalogue's filters: scenario, channel and a search box over the index's rows.
   Without JavaScript the form stays hidden and every template is listed. No network, no eval;
   it reads only the page's own data-* attributes and sets `hidden`. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) {
    return;
  }
  var scenario = document.getElementById("f-scenario");
  var channel = document.getElementById("f-channel");
  var search = document.getElementById("f-q");
  var count = document.getElementById("f-count");
  var none = document.getElementById("f-none");
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-template-id]"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("section[data-scenario]"));

  function apply() {
    var terms = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.getAttribute("data-search") || "";
      var ok = (!scenario.value || row.getAttribute("data-scenario") === scenario.value) &&
        (!channel.value || row.getAttribute("data-channel") === channel.value) &&
        terms.every(function (term) { return text.indexOf(term) !== -1; });
      row.hidden = !ok;
      if (ok) {
        shown += 1;
      }
    });
    sections.forEach(function (section) {
      section.hidden = !section.querySelector("tr[data-template-id]:not([hidden])");
    });
    var noun = rows.length === 1 ? " template" : " templates";
    count.textContent = shown === rows.length ?
      "Showing all " + rows.length + noun :
      "Showing " + shown + " of " + rows.length + noun;
    none.hidden = shown !== 0;
  }

  // Deep links: index.html?scenario=seeking-work&channel=email&q=brief
  var params = new URLSearchParams(window.location.search);
  [[scenario, "scenario"], [channel, "channel"], [search, "q"]].forEach(function (pair) {
    var value = params.get(pair[1]);
    if (value !== null && (pair[0].tagName !== "SELECT" ||
        Array.prototype.some.call(pair[0].options, function (o) { return o.value === value; }))) {
      pair[0].value = value;
    }
  });
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  document.getElementById("f-reset").addEventListener("click", function () {
    scenario.value = "";
    channel.value = "";
    search.value = "";
    apply();
  });
  form.hidden = false;
  apply();
}());

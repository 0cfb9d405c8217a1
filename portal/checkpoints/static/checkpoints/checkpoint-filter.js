/* Tracing: narrow the list of checkpoints (grouped by commune) as the user types in the search
   box. Without JavaScript the box is sent and the server narrows the list (the same folding:
   accents and case aside, so "nha van hoa thon 3" finds "Nhà văn hoá Thôn 3"). */
(function () {
  "use strict";
  function fold(s) {
    return (s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase().replace(/\s+/g, " ").trim();
  }
  document.querySelectorAll("input[data-ckp-filter-for]").forEach(function (box) {
    var select = document.getElementById(box.getAttribute("data-ckp-filter-for"));
    if (!select) return;
    var form = box.form;
    var count = document.getElementById("ckp-search-count");
    var blank = select.querySelector("option[value='']");
    var groups = Array.prototype.map.call(select.querySelectorAll("optgroup"), function (g) {
      return {
        label: g.label,
        options: Array.prototype.map.call(g.querySelectorAll("option"), function (o) {
          return { value: o.value, text: o.text, key: fold(o.text + " " + g.label) };
        }),
      };
    });
    function apply() {
      var wanted = fold(box.value), chosen = select.value, shown = 0;
      select.textContent = "";
      if (blank) select.appendChild(blank);
      groups.forEach(function (g) {
        var matches = g.options.filter(function (o) { return !wanted || o.key.indexOf(wanted) !== -1; });
        if (!matches.length) return;
        var group = document.createElement("optgroup");
        group.label = g.label;
        matches.forEach(function (o) {
          var option = new Option(o.text, o.value, false, o.value === chosen);
          group.appendChild(option);
          shown += 1;
        });
        select.appendChild(group);
      });
      if (count && wanted) {
        count.textContent = count.getAttribute("data-template").replace("{n}", shown);
      } else if (count) {
        count.textContent = "";
      }
    }
    box.addEventListener("input", apply);
    if (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault(); // the list is narrowed already: go to it
        select.focus();
      });
      var submit = form.querySelector("[data-ckp-filter-submit]");
      if (submit) submit.hidden = true;
    }
  });
})();

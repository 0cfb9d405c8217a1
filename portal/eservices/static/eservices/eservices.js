// Address lists, as progressive enhancement: choosing a province or a district fills the next list
// in place, and focus stays where it is. Without JavaScript, or when the list cannot be fetched,
// the "Update the lists" button reloads the step with the next list (the server does the same).
(function () {
  var fieldsets = document.querySelectorAll("fieldset.es-address");
  if (!fieldsets.length || !window.fetch) return;
  var updated = document.documentElement.lang === "en" ? "%s: list updated, %n choices" : "%s: đã cập nhật danh sách, %n lựa chọn";

  Array.prototype.forEach.call(fieldsets, function (fieldset) {
    var button = fieldset.querySelector("button[name=_refresh]");
    if (!button) return;
    fieldset.classList.add("es-address--live");
    button.hidden = true;
    var hint = button.previousElementSibling;
    if (hint && hint.classList.contains("form-hint")) hint.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    fieldset.appendChild(status);
  });

  function labelOf(select) {
    var label = document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.trim() : "";
  }

  function fill(select, units) {
    var empty = select.options[0];
    while (select.options.length) select.remove(0);
    select.add(empty);
    units.forEach(function (unit) { select.add(new Option(unit[1], unit[0])); });
    select.value = "";
  }

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches("select[data-cascade]")) return;
    var fieldset = select.closest("fieldset.es-address--live");
    if (!fieldset) return;
    var selects = Array.prototype.slice.call(fieldset.querySelectorAll("select[data-cascade]"));
    var below = selects.slice(selects.indexOf(select) + 1);
    if (!below.length) return;
    below.forEach(function (other) { fill(other, []); });
    if (!select.value) return;
    var asked = (fieldset.esAsked = (fieldset.esAsked || 0) + 1);
    fetch("/dia-ban/" + encodeURIComponent(select.value) + "/", { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        if (asked !== fieldset.esAsked) return; // a later choice has been made since
        fill(below[0], data.units);
        fieldset.querySelector("[role=status]").textContent = updated
          .replace("%s", labelOf(below[0]))
          .replace("%n", data.units.length);
      })
      .catch(function () {
        var button = fieldset.querySelector("button[name=_refresh]");
        if (button) button.click();
      });
  });
})();

// Address lists: reload the step when a province or district changes (the page works without this).
document.addEventListener("change", function (event) {
  var select = event.target;
  if (!select.matches || !select.matches("select[data-cascade]") || /__commune$/.test(select.name)) return;
  var fieldset = select.closest("fieldset");
  var button = fieldset && fieldset.querySelector("button[name=_refresh]");
  if (button) button.click();
});

// The form builder in the page editor: a condition names one of the fields asked before it, and
// the answer it waits for is one of that field's answers. While typing, the browser offers them
// (a datalist); the server refuses anything else when the page is saved (eservices.blocks).
(function () {
  "use strict";
  var FIELD_KEY = /^(.*-fields-\d+-value)-key$/;
  var lists = 0;

  function byName(name) {
    return document.querySelector('[name="' + name + '"]');
  }

  function deleted(name) {
    // A block removed in the editor keeps its inputs with "<its prefix>-deleted" set to 1.
    var at = name.indexOf("-value");
    while (at !== -1) {
      var marker = byName(name.slice(0, at) + "-deleted");
      if (marker && marker.value === "1") return true;
      at = name.indexOf("-value", at + 6);
    }
    return false;
  }

  function fieldKeys() {
    return Array.prototype.filter.call(document.querySelectorAll('input[name$="-key"]'), function (input) {
      return FIELD_KEY.test(input.name) && input.value.trim() && !deleted(input.name);
    });
  }

  function offer(input, options) {
    var list = input.list;
    if (!list) {
      list = document.createElement("datalist");
      list.id = "es-builder-list-" + ++lists;
      document.body.appendChild(list);
      input.setAttribute("list", list.id);
      input.setAttribute("autocomplete", "off");
    }
    list.textContent = "";
    options.forEach(function (option) {
      var item = document.createElement("option");
      item.value = option[0];
      if (option[1]) item.label = option[1];
      list.appendChild(item);
    });
  }

  function answersOf(key) {
    var found = fieldKeys().filter(function (input) { return input.value.trim() === key; })[0];
    if (!found) return [];
    var block = FIELD_KEY.exec(found.name)[1];
    var type = byName(block.replace(/-value$/, "") + "-type");
    var kind = type ? type.value : "";
    if (kind === "yesno") return [["yes", "Có"], ["no", "Không"]];
    if (kind !== "choice" && kind !== "multichoice") return [];
    return Array.prototype.filter
      .call(document.querySelectorAll('input[name^="' + block + '-choices-"][name$="-value"]'), function (choice) {
        return choice.value.trim() && !deleted(choice.name);
      })
      .map(function (choice) { return [choice.value.trim(), ""]; });
  }

  document.addEventListener("focusin", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.name) return;
    if (/-condition_field$/.test(input.name)) {
      var earlier = fieldKeys().filter(function (key) {
        return key.compareDocumentPosition(input) & Node.DOCUMENT_POSITION_FOLLOWING;
      });
      var own = input.name.replace(/-condition_field$/, "-key");
      offer(input, earlier.filter(function (key) { return key.name !== own; }).map(function (key) {
        var label = byName(key.name.replace(/-key$/, "-label"));
        return [key.value.trim(), label ? label.value : ""];
      }));
    } else if (/-condition_value$/.test(input.name)) {
      var field = byName(input.name.replace(/-condition_value$/, "-condition_field"));
      offer(input, field && field.value.trim() ? answersOf(field.value.trim()) : []);
    }
  });
})();

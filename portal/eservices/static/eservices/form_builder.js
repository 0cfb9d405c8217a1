// The form builder in the page editor. A condition names one of the fields asked before it, and
// the answer it waits for is one of that field's answers: while typing, the browser offers them
// (a datalist); the server refuses anything else when the page is saved (eservices.blocks).
// Folded steps and questions say what they hold, and all open or fold at once (below).
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

  // Steps and questions open folded (eservices.blocks). Wagtail heads a folded step with its
  // heading and a folded question with its type and question; each also shows here what an editor
  // needs without opening it: a step's number of questions, a question's key and whether it must
  // be answered, and the condition of either. Two buttons open or fold them all at once.
  var FORM = "online_form";
  var CHILD = new RegExp("^(" + FORM + "-\\d+(?:-value-fields-\\d+)?)-type$");
  var script = document.querySelector("script[data-es-builder]");
  var text = {};
  try {
    text = JSON.parse(script.getAttribute("data-es-builder"));
  } catch (error) {
    text = {};
  }

  function say(name, values) {
    return (text[name] || name).replace(/%\((\w+)\)s/g, function (_, key) {
      return values[key];
    });
  }

  function valueOf(name) {
    var input = byName(name);
    return input ? input.value.trim() : "";
  }

  function children() {
    // [prefix, the block's element, whether it is a step] of every step and question.
    return Array.prototype.reduce.call(document.querySelectorAll('input[name$="-type"]'), function (found, input) {
      var match = CHILD.exec(input.name);
      var element = match && input.closest("[data-streamfield-child]");
      if (element && !deleted(input.name)) {
        found.push([match[1], element, match[1].indexOf("-fields-") === -1]);
      }
      return found;
    }, []);
  }

  function questions(prefix) {
    var own = new RegExp("^" + prefix + "-value-fields-\\d+-type$");
    return Array.prototype.filter.call(document.querySelectorAll('input[name$="-type"]'), function (input) {
      return own.test(input.name) && !deleted(input.name);
    }).length;
  }

  function summary(prefix, isStep) {
    var parts = [];
    if (isStep) {
      var count = questions(prefix);
      parts.push(count === 1 ? say("one") : count ? say("many", { count: count }) : say("none"));
    } else {
      var key = valueOf(prefix + "-value-key");
      if (key) parts.push(key);
      var required = byName(prefix + "-value-required");
      parts.push(required && required.checked ? say("required") : say("optional"));
    }
    var field = valueOf(prefix + "-value-condition_field");
    var value = valueOf(prefix + "-value-condition_value");
    if (field) parts.push(value ? say("when", { field: field, value: value }) : say("whenAny", { field: field }));
    return "·\u00a0" + parts.join(" ·\u00a0");
  }

  function summarise() {
    children().forEach(function (child) {
      var heading = child[1].querySelector("[data-panel-heading]");
      if (!heading) return;
      heading.classList.toggle("es-builder-step", child[2]);
      var line = heading.querySelector("[data-es-summary]");
      if (!line) {
        line = document.createElement("span");
        // Wagtail's own class: shown while folded, left to screen readers while open.
        line.className = "c-sf-block__title es-builder-summary";
        line.setAttribute("data-es-summary", "");
        heading.appendChild(line);
      }
      var wanted = summary(child[0], child[2]);
      if (line.textContent !== wanted) line.textContent = wanted;
    });
  }

  function openAll(open) {
    children().forEach(function (child) {
      var toggle = child[1].querySelector("[data-panel-toggle]");
      if (toggle && (toggle.getAttribute("aria-expanded") === "true") !== open) toggle.click();
    });
  }

  function addTools() {
    var count = byName(FORM + "-count");
    if (!count || document.querySelector("[data-es-builder-tools]")) return;
    var stream = count.closest(".c-sf-container") || count.parentNode;
    var tools = document.createElement("div");
    tools.className = "es-builder-tools";
    tools.setAttribute("data-es-builder-tools", "");
    [["openAll", true], ["foldAll", false]].forEach(function (action) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button-small button-secondary";
      button.setAttribute("data-es-builder-open", action[1] ? "all" : "none");
      button.textContent = say(action[0]);
      button.addEventListener("click", function () {
        openAll(action[1]);
      });
      tools.appendChild(button);
    });
    stream.parentNode.insertBefore(tools, stream);
  }

  var pending = false;
  function refresh() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      if (!byName(FORM + "-count")) return;
      addTools();
      summarise();
    });
  }

  document.addEventListener("input", refresh);
  document.addEventListener("change", refresh);
  // Blocks are drawn, added, moved and removed by Wagtail's scripts after this one runs.
  new MutationObserver(refresh).observe(document.body, { childList: true, subtree: true });
  refresh();
})();

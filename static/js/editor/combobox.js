/* Editor: the card form's insights as a searchable combobox.

   Without this script the form lists every insight of the locality as a checkbox
   (templates/blueprints/editor/_card_form_body.html, `data-bp-combobox`). With it, the
   checkbox list is hidden and driven from a text input with role=combobox: typing filters
   a listbox of matching insights, the arrow keys move through it, Enter (or a click)
   chooses one, Escape closes it; chosen insights show as chips, each with a Remove button.
   The checkboxes stay in the form, so what is posted is the same either way.
   Plain JavaScript, no build step. */
(function () {
  "use strict";

  var MAX_SHOWN = 50;

  function make(tag, attrs, text) {
    var element = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { element.setAttribute(name, attrs[name]); });
    if (text) element.textContent = text;
    return element;
  }

  function enhance(root) {
    var boxes = Array.prototype.slice.call(root.querySelectorAll('input[type="checkbox"][name="insights"]'));
    if (!boxes.length) return;
    root.setAttribute("data-bp-combobox-ready", "");
    // Django's CheckboxSelectMultiple: <div id=...><div><label><input> text</label></div>...
    var list = boxes[0].parentNode.parentNode.parentNode;
    if (!list || !list.id || !root.contains(list)) return;
    var base = list.id;
    var options = boxes.map(function (box) {
      return { box: box, text: (box.parentNode.textContent || "").trim() };
    });

    var wrapper = make("div", { "class": "bp-combobox" });
    var chips = make("ul", { "class": "bp-chips", "aria-label": "Chosen insights" });
    var none = make("p", { "class": "bp-chips-none form-text" }, "None chosen yet.");
    var label = make("label", { "class": "form-label bp-combobox-label", "for": base + "-search" }, "Find an insight");
    var help = make("p", { "class": "form-text", "id": base + "-instructions" },
      "Type part of an insight, choose it with the arrow keys and Enter. Escape closes the list.");
    var input = make("input", {
      "type": "text",
      "id": base + "-search",
      "class": "form-control form-control-sm",
      "role": "combobox",
      "autocomplete": "off",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": base + "-listbox",
      "aria-describedby": base + "-instructions"
    });
    var listbox = make("ul", {
      "role": "listbox",
      "id": base + "-listbox",
      "class": "bp-listbox",
      "aria-label": "Matching insights"
    });
    listbox.hidden = true;
    var count = make("div", { "class": "visually-hidden", "role": "status" });
    wrapper.append(chips, none, label, input, help, listbox, count);
    list.hidden = true;
    list.parentNode.insertBefore(wrapper, list);

    var shown = [];
    var active = -1;

    function drawChips() {
      chips.textContent = "";
      options.forEach(function (option) {
        if (!option.box.checked) return;
        var chip = make("li", { "class": "bp-chip" });
        var remove = make("button", {
          "type": "button",
          "class": "bp-chip-remove",
          "aria-label": "Remove insight: " + option.text
        }, "×");
        remove.addEventListener("click", function () {
          option.box.checked = false;
          drawChips();
          input.focus();
        });
        chip.append(make("span", {}, option.text), remove);
        chips.appendChild(chip);
      });
      none.hidden = chips.children.length > 0;
      chips.hidden = chips.children.length === 0;
    }

    function setActive(index) {
      active = index;
      Array.prototype.forEach.call(listbox.children, function (item, i) {
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0 && listbox.children[index]) {
        input.setAttribute("aria-activedescendant", listbox.children[index].id);
        listbox.children[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function open() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      shown = options.filter(function (option) {
        if (option.box.checked) return false;
        var text = option.text.toLowerCase();
        return words.every(function (word) { return text.indexOf(word) !== -1; });
      }).slice(0, MAX_SHOWN);
      listbox.textContent = "";
      shown.forEach(function (option, i) {
        var item = make("li", {
          "role": "option",
          "id": base + "-option-" + i,
          "class": "bp-option",
          "aria-selected": "false"
        }, option.text);
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });
        item.addEventListener("click", function () { choose(i); });
        listbox.appendChild(item);
      });
      listbox.hidden = shown.length === 0;
      input.setAttribute("aria-expanded", shown.length ? "true" : "false");
      count.textContent = shown.length === 1 ? "1 insight matches." :
        (shown.length ? shown.length + " insights match." : "No insight matches.");
      setActive(-1);
    }

    function choose(index) {
      var option = shown[index];
      if (!option) return;
      option.box.checked = true;
      drawChips();
      input.value = "";
      close();
      count.textContent = "Chosen: " + option.text + ".";
      input.focus();
    }

    input.addEventListener("input", open);
    input.addEventListener("keydown", function (event) {
      var expanded = !listbox.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!expanded) { open(); if (shown.length) setActive(0); return; }
        setActive(Math.min(active + 1, shown.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (!expanded) { open(); if (shown.length) setActive(shown.length - 1); return; }
        setActive(Math.max(active - 1, 0));
      } else if (event.key === "Enter") {
        if (expanded && active >= 0) {
          event.preventDefault();
          choose(active);
        }
      } else if (event.key === "Escape") {
        if (expanded) {
          event.preventDefault();
          event.stopPropagation();
          close();
        } else if (input.value) {
          event.preventDefault();
          event.stopPropagation();
          input.value = "";
        }
      }
    });
    input.addEventListener("blur", close);
    drawChips();
  }

  function enhanceAll(scope) {
    var roots = [];
    if (scope.matches && scope.matches("[data-bp-combobox]")) roots.push(scope);
    if (scope.querySelectorAll) {
      roots = roots.concat(Array.prototype.slice.call(scope.querySelectorAll("[data-bp-combobox]")));
    }
    roots.forEach(function (root) {
      if (!root.hasAttribute("data-bp-combobox-ready")) enhance(root);
    });
  }

  enhanceAll(document);
  document.addEventListener("htmx:load", function (event) { enhanceAll(event.detail.elt); });
})();

/* duban import preview: ties the item list to the marked-up source text.
 *
 * Click an item (or one of its numbers) and its characters in the source pane are emphasised
 * and scrolled into view; click a mark in the source and its item is selected in the list.
 * Ticking "排除" greys out the item and everything under it. On submit, inputs the person did
 * not change are left out of the request: the server keeps their values as they were. Plain
 * JavaScript, no dependencies; the page works without it, minus the highlighting.
 */
(function () {
  "use strict";

  var list = document.getElementById("draft-items");
  var source = document.getElementById("source-text");
  if (!list || !source) {
    return;
  }
  var form = document.getElementById("draft-form");
  var emphasised = [];

  function byData(root, name, value) {
    return root.querySelectorAll("[data-" + name + '="' + CSS.escape(value) + '"]');
  }

  function clearEmphasis() {
    emphasised.forEach(function (el) {
      el.classList.remove("is-selected", "is-focus");
    });
    emphasised = [];
  }

  function emphasise(el, cls) {
    el.classList.add(cls);
    emphasised.push(el);
  }

  function isVisibleIn(el, container) {
    var box = el.getBoundingClientRect();
    var area = container.getBoundingClientRect();
    return box.top >= area.top && box.bottom <= area.bottom;
  }

  // Scroll the source pane (not the whole page) so the mark sits in its upper third; fall back
  // to the page when the panes are stacked on a narrow screen.
  function revealInSource(mark) {
    var box = mark.getBoundingClientRect();
    var area = source.getBoundingClientRect();
    source.scrollTop += box.top - area.top - source.clientHeight / 3;
    box = mark.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) {
      mark.scrollIntoView({ block: "center" });
    }
  }

  function revealInList(entry) {
    if (!isVisibleIn(entry, document.documentElement)) {
      entry.scrollIntoView({ block: "center" });
    }
  }

  // Select an item: emphasise its entry and every mark of its characters and numbers.
  // `focusInd` names one number to emphasise more strongly and scroll to.
  function select(itemId, options) {
    options = options || {};
    clearEmphasis();
    var entry = document.getElementById("item-" + itemId);
    if (entry) {
      emphasise(entry, "is-selected");
    }
    var marks = byData(source, "item", itemId);
    marks.forEach(function (mark) {
      emphasise(mark, "is-selected");
    });
    var target = null;
    if (options.focusInd) {
      target = document.getElementById("src-" + options.focusInd);
      if (target) {
        emphasise(target, "is-focus");
      }
    }
    target = target || document.getElementById("src-" + itemId) || marks[0];
    if (options.scrollSource && target) {
      revealInSource(target);
    }
    if (options.scrollList && entry) {
      revealInList(entry);
    }
  }

  list.addEventListener("click", function (event) {
    // Typing in a correction or ticking a box does not move the source pane.
    if (event.target.closest("details.entry-edit, label.exclude, a")) {
      return;
    }
    var entry = event.target.closest("li.entry");
    if (!entry) {
      return;
    }
    var number = event.target.closest("[data-ind]");
    select(entry.dataset.item, {
      scrollSource: true,
      focusInd: number ? number.dataset.ind : null,
    });
  });

  source.addEventListener("click", function (event) {
    var mark = event.target.closest("mark[data-item]");
    if (!mark) {
      return;
    }
    select(mark.dataset.item, { scrollList: true, focusInd: mark.dataset.ind || null });
  });

  // Leaving out an item leaves out everything under it: grey the entries and their marks.
  function refreshExcluded() {
    var excluded = {};
    list.querySelectorAll("li.entry").forEach(function (entry) {
      var box = entry.querySelector('input[name="exclude"]');
      var own = box ? box.checked : entry.classList.contains("excluded");
      var out = own || excluded[entry.dataset.parent] === true;
      excluded[entry.dataset.item] = out;
      entry.classList.toggle("excluded", out);
    });
    source.querySelectorAll("mark[data-item]").forEach(function (mark) {
      mark.classList.toggle("excluded", excluded[mark.dataset.item] === true);
    });
  }

  list.addEventListener("change", function (event) {
    if (event.target.name === "exclude") {
      refreshExcluded();
    }
  });

  if (form) {
    // Send only the corrections that were made: a long document has more inputs than the
    // server accepts in one request, and an unchanged value is kept as it was.
    form.addEventListener("formdata", function (event) {
      form.querySelectorAll("details.entry-edit input, details.entry-edit textarea").forEach(
        function (input) {
          if (input.value === input.defaultValue) {
            event.formData.delete(input.name);
          }
        }
      );
      form.querySelectorAll("select.entry-match").forEach(function (select) {
        var chosen = select.options[select.selectedIndex];
        if (chosen && chosen.defaultSelected) {
          event.formData.delete(select.name);
        }
      });
    });
  }

  document.querySelectorAll("[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.dataset.confirm)) {
        event.preventDefault();
      }
    });
  });
})();

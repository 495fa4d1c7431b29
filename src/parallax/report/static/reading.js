// The reading view's one script: light up a statement's matches in the other columns.
// It only adds listeners and classes; the page is whole without it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var view = document.getElementById("reading");
  if (!view) {
    return;
  }
  var items = Array.prototype.slice.call(view.querySelectorAll("[data-claim], [data-quote]"));
  var lit = [];

  function groups(el) {
    var text = (el.getAttribute("data-claim") || "") + " " + (el.getAttribute("data-quote") || "");
    return text.split(/\s+/).filter(Boolean);
  }

  function matches(el) {
    var mine = groups(el);
    return items.filter(function (other) {
      return groups(other).some(function (g) {
        return mine.indexOf(g) !== -1;
      });
    });
  }

  function clear() {
    lit.forEach(function (el) {
      el.classList.remove("active", "origin");
    });
    lit = [];
  }

  function show(el) {
    clear();
    lit = matches(el);
    lit.forEach(function (m) {
      m.classList.add("active");
    });
    el.classList.add("origin");
    // Scroll each other column (not the page) so its first match sits a third of the way down.
    var home = el.closest(".column-text");
    var done = [];
    lit.forEach(function (m) {
      var col = m.closest(".column-text");
      if (!col || col === home || done.indexOf(col) !== -1) {
        return;
      }
      done.push(col);
      if (col.scrollHeight > col.clientHeight) {
        col.scrollTo({ top: Math.max(0, m.offsetTop - col.clientHeight / 3), behavior: "smooth" });
      }
    });
  }

  function next(el) {
    var all = matches(el);
    var to = all[(all.indexOf(el) + 1) % all.length];
    if (to === el) {
      show(el);
    } else {
      to.focus();
    }
  }

  items.forEach(function (el) {
    el.addEventListener("mouseenter", function () {
      show(el);
    });
    el.addEventListener("focus", function () {
      show(el);
    });
    el.addEventListener("click", function () {
      show(el);
    });
    el.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") {
        ev.preventDefault();
        next(el);
      } else if (ev.key === "Escape") {
        clear();
        el.blur();
      }
    });
  });
})();

// Type-ahead for choosing a related record among thousands (unionportal.records.TypeaheadWidget).
// The visible box searches the record_lookup JSON endpoint; the hidden input carries the id.
// No inline scripts: the portal's Content-Security-Policy allows only our own files.
(function () {
  "use strict";

  function setup(box) {
    var url = box.getAttribute("data-typeahead-url");
    var hidden = box.querySelector("[data-typeahead-value]");
    var input = box.querySelector("[data-typeahead-input]");
    var list = box.querySelector("ul");
    var timer = null;
    var active = -1;

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
    }

    function choose(item) {
      hidden.value = item.getAttribute("data-id");
      input.value = item.textContent;
      close();
    }

    function show(results) {
      list.innerHTML = "";
      active = -1;
      if (!results.length) {
        var none = document.createElement("li");
        none.className = "list-group-item text-body-secondary small";
        none.textContent = list.getAttribute("data-none") || "没有找到匹配的记录";
        list.appendChild(none);
      }
      results.forEach(function (r) {
        var li = document.createElement("li");
        li.className = "list-group-item list-group-item-action";
        li.setAttribute("role", "option");
        li.setAttribute("data-id", r.id);
        li.textContent = r.label;
        li.addEventListener("mousedown", function (e) {
          e.preventDefault();
          choose(li);
        });
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      // A name typed out in full is as good as picking it: keep it instead of asking again.
      var typed = input.value.trim();
      var exact = results.filter(function (r) { return r.label === typed; });
      if (exact.length === 1) hidden.value = exact[0].id;
    }

    function search() {
      var q = input.value.trim();
      if (!q) {
        close();
        return;
      }
      var sep = url.indexOf("?") === -1 ? "?" : "&";
      fetch(url + sep + "q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { show(data.results || []); })
        .catch(close);
    }

    input.addEventListener("input", function () {
      hidden.value = "";
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (e) {
      var items = list.querySelectorAll("[data-id]");
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (!items.length) return;
        e.preventDefault();
        active = (active + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
        items.forEach(function (it, i) { it.classList.toggle("active", i === active); });
      } else if (e.key === "Enter" && active >= 0 && items[active]) {
        e.preventDefault();
        choose(items[active]);
      } else if (e.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function init(root) {
    (root || document).querySelectorAll(".typeahead[data-typeahead-url]").forEach(function (box) {
      if (!box.hasAttribute("data-typeahead-ready")) {
        box.setAttribute("data-typeahead-ready", "");
        setup(box);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  // Rows added later (e.g. a campaign's households) get the behaviour too.
  document.addEventListener("htmx:afterSwap", function (e) { init(e.target); });
  window.portalTypeahead = { init: init };
})();

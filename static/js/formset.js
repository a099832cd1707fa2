// Rows of a Django formset added in the browser ("添加一户"): the empty form in a <template>
// is cloned with __prefix__ replaced by the next index, and TOTAL_FORMS counts it.
// No inline scripts: the portal's Content-Security-Policy allows only our own files.
(function () {
  "use strict";

  function addRow(prefix) {
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-empty-row");
    var body = document.querySelector('[data-formset-body="' + prefix + '"]');
    if (!total || !template || !body) {
      return;
    }
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    body.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var rows = body.querySelectorAll("[data-formset-row]");
    var row = rows[rows.length - 1];
    var number = row.querySelector("[data-formset-number]");
    if (number) {
      // The row's name in the page's language, from the template ("第{n}户", "Household {n}").
      var label = body.getAttribute("data-row-label") || "第{n}户";
      number.textContent = label.replace("{n}", String(rows.length));
    }
    var first = row.querySelector("input");
    if (first) {
      first.focus();
    }
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-formset-add]");
    if (add) {
      addRow(add.getAttribute("data-formset-add"));
      return;
    }
    var clear = event.target.closest("[data-formset-clear]");
    if (clear) {
      // A blank row is not saved, so clearing a row removes it from what is submitted.
      var row = clear.closest("[data-formset-row]");
      row.querySelectorAll("input").forEach(function (input) {
        input.value = "";
      });
    }
  });
})();

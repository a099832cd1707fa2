// The summary editor (templates/reports/summary_page.html, county_summary_page.html): drafts are
// saved a few seconds after the chair stops typing (form[data-autosave]), a warning comes before
// leaving the page with text not yet saved, and a drafted line (存在不足 / 下一步打算) is added
// to its box with one click. A static file, no inline script: the pages run under a strict CSP.
(function () {
  "use strict";
  var AUTOSAVE_DELAY = 3000;
  var form = document.querySelector("form[data-narrative]");
  if (!form) {
    return;
  }
  var status = form.querySelector(".autosave-status");
  var url = form.getAttribute("data-autosave");
  var dirty = false;
  var timer = null;

  // The messages in the page's language, from the form's data-text-* attributes.
  function text(name, fallback) {
    return form.getAttribute("data-text-" + name) || fallback;
  }

  function show(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function save() {
    timer = null;
    if (!url || !dirty) {
      return;
    }
    var sent = new FormData(form);
    dirty = false;
    fetch(url, {
      method: "POST",
      body: sent,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) {
            throw new Error(body.error || text("error", "保存失败"));
          }
          show(text("saved", "已自动保存") + " " + body.saved);
        });
      })
      .catch(function (error) {
        dirty = true;
        show(text("failed", "自动保存未成功（{error}），请点“保存草稿”。").replace("{error}", error.message));
      });
  }

  function changed() {
    dirty = true;
    if (url) {
      show(text("unsaved", "有未保存的修改…"));
      if (timer) {
        clearTimeout(timer);
      }
      timer = setTimeout(save, AUTOSAVE_DELAY);
    }
  }

  form.addEventListener("input", changed);
  form.addEventListener("submit", function () {
    dirty = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".draft-insert");
    if (!button) {
      return;
    }
    var box = document.getElementById(button.getAttribute("data-target"));
    var line = button.getAttribute("data-line");
    if (!box || !line) {
      return;
    }
    var text = box.value.replace(/\s+$/, "");
    if (text.split("\n").indexOf(line) === -1) {
      box.value = text ? text + "\n" + line : line;
      box.dispatchEvent(new Event("input", { bubbles: true }));
    }
    button.disabled = true;
    var drafts = button.closest("[data-text-added]");
    button.textContent = (drafts && drafts.getAttribute("data-text-added")) || "已加入";
  });
})();

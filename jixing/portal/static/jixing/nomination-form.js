/* The nomination form: live character count, a copy of what is typed in this browser (localStorage)
   until the server has it, autosave status, upload size check and progress. Works without it too. */
(function () {
  "use strict";

  function store(action, key, value) {
    try {
      if (action === "get") return window.localStorage.getItem(key);
      if (action === "set") window.localStorage.setItem(key, value);
      if (action === "remove") window.localStorage.removeItem(key);
    } catch (e) { /* private mode or full: the server draft still holds the text */ }
    return null;
  }

  // A page showing a nomination that can no longer be edited (e.g. just submitted): drop any local copy.
  document.querySelectorAll("[data-clear-draft]").forEach(function (el) {
    store("remove", el.dataset.clearDraft);
  });

  // Characters as the server counts them: code points, "\r\n" counting once.
  function countCharacters(text) {
    return Array.from(text.replace(/\r\n/g, "\n")).length;
  }

  function bindCounter(area) {
    var out = document.querySelector('[data-counter-for="' + area.id + '"]');
    var limit = parseInt(area.dataset.limit, 10);
    if (!out) return;
    function update() {
      var used = countCharacters(area.value);
      out.textContent = "已输入 " + used + " / " + limit + " 字" + (used > limit ? "，超出 " + (used - limit) + " 字" : "");
      out.classList.toggle("over", used > limit);
    }
    area.addEventListener("input", update);
    update();
  }
  document.querySelectorAll("textarea[data-limit]").forEach(bindCounter);

  var form = document.getElementById("nomination-form");
  if (form) {
    var key = form.dataset.draftKey;
    var serverSavedAt = parseInt(form.dataset.savedAt || "0", 10);

    var values = function () {
      var result = {};
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "submit") return;
        result[el.name] = el.type === "checkbox" ? el.checked : el.value;
      });
      return result;
    };
    var keepLocally = function () {
      store("set", key, JSON.stringify({ at: Date.now(), values: values() }));
    };
    var setStatus = function (text, failed) {
      var status = document.getElementById("autosave-status");
      if (!status) return;
      status.textContent = text;
      status.classList.toggle("failed", !!failed);
    };

    // Restore a local copy typed after the server's last save (a dropped connection, a closed tab).
    var restore = function () {
      var raw = store("get", key);
      if (!raw) return;
      var copy = null;
      try { copy = JSON.parse(raw); } catch (e) { copy = null; }
      if (!copy || !copy.values || !(copy.at > serverSavedAt)) {
        store("remove", key);
        return;
      }
      Object.keys(copy.values).forEach(function (name) {
        var el = form.elements.namedItem(name);
        if (!el || !el.type) return;
        if (el.type === "checkbox") el.checked = !!copy.values[name];
        else el.value = copy.values[name];
        el.dispatchEvent(new Event("input", { bubbles: false }));
      });
      var notice = document.getElementById("restored-notice");
      if (notice) notice.hidden = false;
      // Send it to the server at once (the form's autosave listens to "change").
      form.dispatchEvent(new Event("change", { bubbles: true }));
    };

    form.addEventListener("input", keepLocally);
    form.addEventListener("change", keepLocally);
    form.addEventListener("submit", keepLocally);
    document.body.addEventListener("jixing:draft-saved", function (event) {
      store("remove", key);
      if (event.detail && event.detail.at) serverSavedAt = event.detail.at;
    });
    form.addEventListener("htmx:sendError", function () {
      setStatus("网络中断，内容已暂存在本机，恢复后自动保存", true);
    });
    form.addEventListener("htmx:responseError", function (event) {
      var code = event.detail.xhr ? event.detail.xhr.status : 0;
      setStatus(code === 403 ? "此申报已不可编辑，未保存" : "自动保存失败，内容已暂存在本机", true);
    });
    // The checklist and the send button come back with every autosave, upload and deletion, each computed
    // when the server answered it. Requests that overlap may answer out of order: an autosave computed before
    // an upload was stored, answering after it, would leave the button saying 还差 1 项 with everything in.
    // So when requests overlapped, ask once more after the last one ends: that answer sees every change.
    var inFlight = new Set();
    var overlapped = false;
    var carriesState = function (event) {
      // The element that sent it (the detail's requestConfig; an answered upload's form may be gone).
      var config = event.detail && event.detail.requestConfig;
      var elt = (config && config.elt) || event.target;
      return !!(elt && elt.closest && elt.closest("#nomination-form, #attachments"));
    };
    document.body.addEventListener("htmx:beforeSend", function (event) {
      if (!carriesState(event)) return;
      inFlight.add(event.detail.xhr);
      if (inFlight.size > 1) overlapped = true;
    });
    document.body.addEventListener("htmx:afterRequest", function (event) {
      if (!carriesState(event) || !inFlight.delete(event.detail.xhr)) return;
      if (inFlight.size === 0 && overlapped) {
        overlapped = false;
        window.htmx.trigger(form, "jixing:recheck");
      }
    });

    // After htmx has bound the form's autosave (it does so once the document is ready).
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () { window.setTimeout(restore, 0); });
    } else {
      window.setTimeout(restore, 0);
    }
  }

  // Uploads: refuse an oversized file before sending it; show progress for large ones.
  document.body.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) return;
    var max = parseInt(input.dataset.maxBytes, 10);
    var tooBig = Array.prototype.filter.call(input.files, function (f) { return f.size > max; });
    if (tooBig.length) {
      event.stopPropagation();
      window.alert("“" + tooBig[0].name + "”超过 " + Math.round(max / 1048576) + " MB，未上传。");
      input.value = "";
    }
  }, true);
  document.body.addEventListener("htmx:xhr:progress", function (event) {
    var progress = event.target.querySelector && event.target.querySelector(".upload-progress");
    if (!progress || !event.detail.lengthComputable) return;
    progress.hidden = false;
    progress.value = Math.round((event.detail.loaded / event.detail.total) * 100);
  });
})();

/* The self-inspection checklist on a phone, online and offline.
   - Every change is kept in IndexedDB ("drafts", photos as Blobs), so a reload without network restores it;
   - "Submit" moves the draft to the "outbox" (with its Idempotency-Key) and sends it to the sync endpoint when
     the browser is online (at once, on the "online" event, on load, or with "Sync now");
   - a retry reuses the same key: the server answers the first run, nothing is created twice;
   - 409: the conflicts are shown (what the server has); the inspector keeps or discards each answer, then it is
     sent again with those choices; a closed self-inspection can only be discarded;
   - 400: the entry comes back as the draft with the server's errors.
   The service worker (/hazards/sw.js) keeps the page and its assets. Strings come from the json_script element. */
(function () {
  "use strict";

  var cfgEl = document.getElementById("fill-offline");
  var form = document.getElementById("fill-form");
  if (!cfgEl || !form) { return; }
  var cfg = JSON.parse(cfgEl.textContent);
  var T = cfg.text;
  var $ = function (id) { return document.getElementById(id); };

  function fmt(s, vals) {
    return String(s).replace(/%\((\w+)\)s/g, function (m, k) { return vals[k] === undefined || vals[k] === null ? "" : String(vals[k]); });
  }

  /* Location (was an inline script). */
  $("geo-button").addEventListener("click", function () {
    var status = $("geo-status");
    if (!navigator.geolocation) { status.textContent = T.geo_none; return; }
    status.textContent = "…";
    navigator.geolocation.getCurrentPosition(function (pos) {
      $("id_lat").value = pos.coords.latitude.toFixed(6);
      $("id_lon").value = pos.coords.longitude.toFixed(6);
      status.textContent = pos.coords.latitude.toFixed(5) + ", " + pos.coords.longitude.toFixed(5);
      saveDraftFromForm();
    }, function () { status.textContent = T.geo_refused; });
  });

  if (!window.indexedDB || !window.Promise || !window.fetch || !window.FormData) {
    $("sync-message").textContent = T.no_offline;
    $("sync-message").hidden = false;
    return; /* the plain form post still works */
  }

  /* ---- IndexedDB ---- */
  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var req = indexedDB.open("inspectorate-hazards", 1);
        req.onupgradeneeded = function () {
          var d = req.result;
          if (!d.objectStoreNames.contains("drafts")) { d.createObjectStore("drafts", { keyPath: "id" }); }
          if (!d.objectStoreNames.contains("outbox")) { d.createObjectStore("outbox", { keyPath: "key" }); }
          if (!d.objectStoreNames.contains("meta")) { d.createObjectStore("meta", { keyPath: "id" }); }
        };
        req.onsuccess = function () { resolve(req.result); };
        req.onerror = function () { reject(req.error); };
      });
    }
    return dbPromise;
  }
  function op(store, mode, fn) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction(store, mode);
        var req = fn(t.objectStore(store));
        t.oncomplete = function () { resolve(req ? req.result : undefined); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
      });
    });
  }
  var get = function (store, key) { return op(store, "readonly", function (s) { return s.get(key); }); };
  var put = function (store, value) { return op(store, "readwrite", function (s) { return s.put(value); }); };
  var del = function (store, key) { return op(store, "readwrite", function (s) { return s.delete(key); }); };
  var all = function (store) { return op(store, "readonly", function (s) { return s.getAll(); }); };

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "k" + Date.now().toString(16) + Math.random().toString(16).slice(2);
  }

  var draftId = cfg.inspection + ":" + cfg.user;
  var metaId = "sync:" + cfg.inspection + ":" + cfg.user;
  var draft = null;
  var lastMessage = "";

  function freshDraft() {
    var keyInput = form.querySelector("input[name=idempotency_key]");
    return { id: draftId, key: (keyInput && keyInput.value) || newKey(), base: cfg.base, unit: "", lat: "", lon: "", answers: {} };
  }

  /* ---- the form <-> the draft ---- */
  function readForm() {
    draft.unit = $("id_unit").value;
    draft.lat = $("id_lat").value;
    draft.lon = $("id_lon").value;
    cfg.items.forEach(function (it) {
      var checked = form.querySelector("input[name='result_" + it.id + "']:checked");
      var prev = draft.answers[it.id] || {};
      var file = $("photo-" + it.id).files[0];
      draft.answers[it.id] = {
        result: checked ? checked.value : "",
        note: $("note-" + it.id).value,
        major: form.querySelector("input[name='major_" + it.id + "']").checked,
        photo: file || prev.photo || null,
        photo_name: file ? file.name : (prev.photo_name || "")
      };
    });
  }

  function writeForm() {
    if (draft.unit && form.querySelector("#id_unit option[value='" + draft.unit + "']")) { $("id_unit").value = draft.unit; }
    $("id_lat").value = draft.lat || "";
    $("id_lon").value = draft.lon || "";
    cfg.items.forEach(function (it) {
      var a = draft.answers[it.id] || {};
      form.querySelectorAll("input[name='result_" + it.id + "']").forEach(function (r) { r.checked = r.value === a.result; });
      $("note-" + it.id).value = a.note || "";
      form.querySelector("input[name='major_" + it.id + "']").checked = !!a.major;
      $("photo-" + it.id).value = "";
      showPhoto(it.id, a);
    });
  }

  function showPhoto(itemId, a) {
    var kept = $("photo-kept-" + itemId);
    if (a && a.photo) {
      kept.textContent = fmt(T.photo_kept, { name: a.photo_name || "photo" });
      kept.hidden = false;
    } else {
      kept.textContent = "";
      kept.hidden = true;
    }
  }

  function saveDraftFromForm() {
    if (!draft) { return Promise.resolve(); }
    readForm();
    cfg.items.forEach(function (it) { showPhoto(it.id, draft.answers[it.id]); });
    return put("drafts", draft).then(render);
  }

  function answeredCount(answers) {
    return Object.keys(answers).filter(function (k) { return answers[k] && answers[k].result; }).length;
  }

  /* ---- status ---- */
  function mine(entries) {
    return entries.filter(function (e) { return e.inspection === cfg.inspection && e.user === cfg.user; });
  }

  function render() {
    return Promise.all([all("outbox"), get("meta", metaId)]).then(function (res) {
      var entries = mine(res[0]);
      var meta = res[1];
      var online = navigator.onLine;
      var net = $("sync-net");
      net.textContent = online ? T.online : T.offline;
      net.dataset.state = online ? "online" : "offline";
      var n = draft ? answeredCount(draft.answers) : 0;
      $("sync-draft").textContent = n ? fmt(T.draft, { n: n, total: cfg.items.length }) : "";
      var waiting = entries.reduce(function (sum, e) { return sum + e.answers.length; }, 0);
      var w = $("sync-waiting");
      w.dataset.count = String(waiting);
      w.textContent = waiting ? fmt(T.waiting, { n: waiting }) : "";
      var conflicts = entries.reduce(function (sum, e) { return sum + (e.conflicts || []).length; }, 0);
      var c = $("sync-conflict-count");
      c.dataset.count = String(conflicts);
      c.textContent = conflicts ? fmt(T.conflicts, { n: conflicts }) : "";
      $("sync-last").textContent = meta && meta.at ? fmt(T.last_sync, { when: new Date(meta.at).toLocaleString(document.documentElement.lang || undefined) }) : T.never;
      $("sync-now").hidden = !online || !entries.some(function (e) { return e.status === "queued"; });
      renderConflicts(entries);
    });
  }

  function message(text) {
    lastMessage = text;
    var m = $("sync-message");
    m.textContent = text;
    m.hidden = !text;
  }

  function showErrors(list) {
    var ul = $("fill-errors");
    ul.textContent = "";
    list.forEach(function (e) { var li = document.createElement("li"); li.textContent = e; ul.appendChild(li); });
    ul.hidden = !list.length;
    if (list.length) { ul.scrollIntoView({ block: "nearest" }); }
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function button(text, data) {
    var b = el("button", "", text);
    b.type = "button";
    Object.keys(data).forEach(function (k) { b.dataset[k] = data[k]; });
    return b;
  }

  function renderConflicts(entries) {
    var list = $("sync-conflict-list");
    list.textContent = "";
    var any = false;
    entries.forEach(function (e) {
      (e.conflicts || []).forEach(function (c) {
        any = true;
        var box = el("div", "conflict");
        box.dataset.kind = c.kind;
        if (c.kind === "closed") {
          box.appendChild(el("p", "", c.detail));
          box.appendChild(button(T.discard_all, { action: "discard-all", key: e.key }));
        } else {
          box.dataset.item = c.item;
          box.appendChild(el("h3", "", c.position + ". " + c.requirement));
          box.appendChild(el("p", "", c.detail));
          var ul = el("ul", "server");
          (c.server || []).forEach(function (s) {
            var text = fmt(T.server_has, { result: s.result_label, by: s.by, at: new Date(s.at).toLocaleString(document.documentElement.lang || undefined) });
            if (s.note) { text += " — " + s.note; }
            if (s.hidden_danger) { text += " (" + fmt(T.hidden_danger, { number: s.hidden_danger }) + ")"; }
            ul.appendChild(el("li", "", text));
          });
          box.appendChild(ul);
          var yours = fmt(T.yours, { result: cfg.results[c.mine.result] || c.mine.result });
          box.appendChild(el("p", "yours", yours + (c.mine.note ? " — " + c.mine.note : "")));
          var row = el("p", "choices");
          row.appendChild(button(T.keep_mine, { action: "resolve", choice: "mine", key: e.key, item: c.item }));
          row.appendChild(button(T.discard_mine, { action: "resolve", choice: "discard", key: e.key, item: c.item }));
          box.appendChild(row);
        }
        list.appendChild(box);
      });
    });
    $("sync-conflicts").hidden = !any;
  }

  $("sync-conflict-list").addEventListener("click", function (ev) {
    var b = ev.target.closest("button[data-action]");
    if (!b) { return; }
    get("outbox", b.dataset.key).then(function (entry) {
      if (!entry) { return render(); }
      if (b.dataset.action === "discard-all") {
        return del("outbox", entry.key).then(function () { message(""); return render(); });
      }
      entry.resolutions[b.dataset.item] = b.dataset.choice;
      entry.conflicts = (entry.conflicts || []).filter(function (c) { return c.item !== b.dataset.item; });
      var left = entry.answers.filter(function (a) { return entry.resolutions[a.item] !== "discard"; });
      if (!left.length) { return del("outbox", entry.key).then(render); }
      if (!entry.conflicts.length) { entry.status = "queued"; }
      return put("outbox", entry).then(render).then(function () { if (entry.status === "queued") { return syncAll(); } });
    });
  });

  /* ---- checks while offline (the server makes the same ones, in the same words) ---- */
  function check(entry) {
    var errors = [];
    var byItem = {};
    entry.answers.forEach(function (a) { byItem[a.item] = a; });
    var missing = cfg.items.filter(function (it) { return !byItem[it.id]; }).map(function (it) { return it.position; });
    if (missing.length) { errors.push(fmt(T.missing, { items: missing.join(", ") })); }
    cfg.items.forEach(function (it) {
      var a = byItem[it.id];
      if (!a) { return; }
      if (!a.photo && a.result === "fail") { errors.push(fmt(T.fail_photo, { n: it.position })); }
      if (!a.photo && a.result === "pass" && it.photo_required) { errors.push(fmt(T.photo_required, { n: it.position })); }
      if (a.result === "fail" && !a.note.trim()) { errors.push(fmt(T.fail_note, { n: it.position })); }
    });
    return errors;
  }

  function entryFromDraft() {
    var answers = [];
    cfg.items.forEach(function (it) {
      var a = draft.answers[it.id];
      if (a && a.result) {
        answers.push({ item: it.id, result: a.result, note: a.note || "", major: !!a.major, photo: a.photo || null, photo_name: a.photo_name || "" });
      }
    });
    return {
      key: draft.key, inspection: cfg.inspection, user: cfg.user, base: draft.base, unit: draft.unit,
      lat: draft.lat, lon: draft.lon, answers: answers, resolutions: {}, conflicts: [], status: "queued", created: Date.now()
    };
  }

  function draftFromEntry(entry) {
    var d = { id: draftId, key: entry.key, base: entry.base, unit: entry.unit, lat: entry.lat, lon: entry.lon, answers: {} };
    entry.answers.forEach(function (a) { d.answers[a.item] = { result: a.result, note: a.note, major: a.major, photo: a.photo, photo_name: a.photo_name }; });
    return d;
  }

  form.addEventListener("change", saveDraftFromForm);
  form.addEventListener("input", function (ev) { if (ev.target.tagName === "TEXTAREA") { saveDraftFromForm(); } });

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    readForm();
    var entry = entryFromDraft();
    var offline = !navigator.onLine;
    var errors = offline ? check(entry) : [];
    showErrors(errors);
    if (errors.length) { put("drafts", draft).then(render); return; }
    put("outbox", entry)
      .then(function () { return del("drafts", draftId); })
      .then(function () {
        draft = freshDraft();
        draft.key = newKey();
        draft.unit = entry.unit;
        writeForm();
        message(offline ? T.queued : "");
        return render();
      })
      .then(function () { if (!offline) { return syncAll(entry.key); } });
  });

  $("sync-now").addEventListener("click", function () { syncAll(); });

  /* ---- sync ---- */
  var syncing = null;

  function flatten(value, out) {
    if (typeof value === "string") { out.push(value); } else if (Array.isArray(value)) { value.forEach(function (v) { flatten(v, out); }); } else if (value && typeof value === "object") { Object.keys(value).forEach(function (k) { flatten(value[k], out); }); }
    return out;
  }

  function send(entry) {
    var body = new FormData();
    body.append("unit", entry.unit);
    body.append("base", entry.base);
    body.append("resolutions", JSON.stringify(entry.resolutions || {}));
    if (entry.lat && entry.lon) { body.append("lat", entry.lat); body.append("lon", entry.lon); }
    body.append("answers", JSON.stringify(entry.answers.map(function (a) {
      return { item: a.item, result: a.result, note: a.note, major: a.major };
    })));
    entry.answers.forEach(function (a) { if (a.photo) { body.append("photo_" + a.item, a.photo, a.photo_name || "photo.jpg"); } });
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    return fetch(cfg.sync_url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "Idempotency-Key": entry.key, "X-CSRFToken": token ? token.value : "" }
    });
  }

  function syncOne(entry, justSubmitted) {
    return send(entry).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.status === 200 || response.status === 201) {
          return del("outbox", entry.key).then(function () {
            return put("meta", { id: metaId, at: new Date().toISOString(), run: data.id });
          }).then(function () {
            message(fmt(T.synced, { failed: (data.hidden_dangers || []).length }));
            if (justSubmitted) { window.location.assign(cfg.done_url); }
            return "done";
          });
        }
        if (response.status === 409) {
          entry.status = "conflict";
          entry.conflicts = data.conflicts || [];
          message(data.detail || "");
          return put("outbox", entry).then(function () { return "conflict"; });
        }
        if (response.status === 400) {
          return del("outbox", entry.key).then(function () {
            draft = draftFromEntry(entry);
            return put("drafts", draft);
          }).then(function () {
            writeForm();
            message("");
            showErrors(flatten(data, []));
            return "invalid";
          });
        }
        if (response.status === 422) {
          entry.key = newKey(); /* the key went with other answers: this is a new checklist */
          return del("outbox", data.idempotency_key || "").then(function () { return put("outbox", entry); }).then(function () {
            message(fmt(T.server_error, { status: response.status }));
            return "retry";
          });
        }
        message(fmt(T.server_error, { status: response.status }));
        return "retry";
      });
    }, function () {
      message(T.network_error);
      return "offline";
    });
  }

  function syncAll(justSubmitted) {
    if (syncing) { return syncing; }
    if (!navigator.onLine) { return render(); }
    message(T.syncing);
    syncing = all("outbox").then(function (entries) {
      var queue = mine(entries).filter(function (e) { return e.status === "queued"; });
      queue.sort(function (a, b) { return a.created - b.created; });
      return queue.reduce(function (p, e) {
        return p.then(function (stop) {
          if (stop) { return stop; }
          return syncOne(e, justSubmitted === e.key).then(function (r) { return r === "offline" ? r : null; });
        });
      }, Promise.resolve(null));
    }).then(function () {
      if (lastMessage === T.syncing) { message(""); }
    }).then(render, render).then(function () { syncing = null; }, function () { syncing = null; });
    return syncing;
  }

  window.addEventListener("online", function () { render().then(function () { return syncAll(); }); });
  window.addEventListener("offline", render);

  /* ---- start: the draft back into the form, the worker, then anything waiting ---- */
  get("drafts", draftId).then(function (saved) {
    var serverErrors = !$("fill-errors").hidden;
    draft = saved || freshDraft();
    if (saved && !serverErrors) { writeForm(); } else { readForm(); }
    return put("drafts", draft);
  }).then(render).then(function () { return syncAll(); });

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", function (ev) {
      if (ev.data && ev.data.type === "cached") { $("sync-status").dataset.ready = "1"; }
    });
    navigator.serviceWorker.register(cfg.sw_url, { scope: cfg.sw_scope }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (reg) {
      var urls = [window.location.href];
      document.querySelectorAll("link[rel=stylesheet][href], script[src]").forEach(function (n) { urls.push(n.href || n.src); });
      if (reg.active) { reg.active.postMessage({ type: "cache", urls: urls }); }
    }).catch(function () { message(T.no_offline); });
  }
})();

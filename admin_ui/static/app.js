// Small progressive enhancements; every page works without JavaScript.
// No inline script anywhere (the Content-Security-Policy forbids it):
// buttons with data-show reveal a hidden panel, forms with data-confirm ask.
document.querySelectorAll("[data-show]").forEach(function (btn) {
  btn.addEventListener("click", function () {
    var panel = document.getElementById(btn.dataset.show);
    if (panel) panel.hidden = false;
  });
});
document.querySelectorAll("form[data-confirm]").forEach(function (form) {
  form.addEventListener("submit", function (e) {
    if (!window.confirm(form.dataset.confirm)) e.preventDefault();
  });
});
document.querySelectorAll("select.autosubmit").forEach(function (sel) {
  sel.addEventListener("change", function () { sel.form.submit(); });
});
// While an Abgleich is queued or running, poll its progress and reload the
// page when it has finished.
(function () {
  var box = document.getElementById("run");
  if (!box || box.dataset.active !== "true") return;
  var timer = setInterval(function () {
    fetch(box.dataset.progressUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var run = data.run;
        if (!run) return;
        var counts = document.querySelectorAll("#run-counts strong");
        [run.fetched, run.created, run.updated, run.unchanged, run.failed].forEach(function (v, i) {
          if (counts[i]) counts[i].textContent = v;
        });
        if (run.state === "done" || run.state === "failed") {
          clearInterval(timer);
          window.location.reload();
        }
      })
      .catch(function () {});
  }, 1500);
})();
// Tell the server the browser's time zone (used for times on the pages
// unless the user chose a zone under their personal settings).
(function () {
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone) return;
    var script = document.querySelector("script[src$='/static/app.js']");
    var path = script ? script.getAttribute("src").replace(/\/static\/app\.js$/, "") || "/" : "/";
    if (!/^[A-Za-z0-9_\/+-]+$/.test(zone)) return;
    var cookie = "sendcloud_tz=" + zone;
    if (document.cookie.split("; ").indexOf(cookie) === -1) {
      document.cookie = cookie + "; path=" + path + "; max-age=31536000; SameSite=Lax";
    }
  } catch (e) {}
})();

// Lieferungen: the header checkbox selects every delivery of the page.
document.querySelectorAll("input.select-all").forEach(function (all) {
  all.addEventListener("change", function () {
    document.querySelectorAll("input.select-one").forEach(function (one) {
      one.checked = all.checked;
    });
  });
});

// Small progressive enhancements; every page works without JavaScript.
// No inline script anywhere (the Content-Security-Policy forbids it):
// links with data-show open their panel (a <details>) in place instead of
// loading the page with it open, forms with data-confirm ask.
document.querySelectorAll("[data-show]").forEach(function (btn) {
  btn.addEventListener("click", function (e) {
    var panel = document.getElementById(btn.dataset.show);
    if (!panel) return;
    e.preventDefault();
    if ("open" in panel) panel.open = true; else panel.hidden = false;
    panel.scrollIntoView({ block: "nearest" });
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
// While an Abgleich or an order push is queued or running, poll
// /admin/progress and swap in the Abgleich panel it renders (the same
// template the page uses); stop when nothing runs any more. Without
// JavaScript the page reloads itself (<noscript> refresh) instead.
(function () {
  var box = document.getElementById("run");
  if (!box || box.dataset.active !== "true") return;
  var url = box.dataset.progressUrl;
  var timer = setInterval(function () {
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var current = document.getElementById("run");
        if (current && typeof data.html === "string") {
          current.outerHTML = data.html;
        }
        if (!data.live) {
          clearInterval(timer);
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

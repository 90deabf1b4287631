// sitegen preview: reload this tab when the site is rebuilt, keeping the scroll position.
// Served only by `sitegen serve`; never part of a built site.
(function () {
  "use strict";
  var key = "sitegen-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.scrollTo(0, parseInt(saved, 10) || 0);
  }
  var build = document.documentElement.getAttribute("data-sitegen-build");
  function wait() {
    fetch("/_sitegen/wait?build=" + encodeURIComponent(build), { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (String(status.build) !== build) {
          sessionStorage.setItem(key, String(window.scrollY));
          location.reload();
        } else {
          wait();
        }
      })
      .catch(function () { setTimeout(wait, 1000); });
  }
  wait();
})();

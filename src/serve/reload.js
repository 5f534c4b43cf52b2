// hub serve: reload the page when a rebuild is done; swap stylesheets when only CSS changed.
(function () {
  "use strict";
  var source = new EventSource("/__hub/events");
  source.addEventListener("reload", function () {
    window.location.reload();
  });
  source.addEventListener("css", function () {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var url = new URL(links[i].href);
      url.searchParams.set("hub-reload", String(Date.now()));
      links[i].href = url.toString();
    }
  });
})();

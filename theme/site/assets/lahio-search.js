// The search page's box (Pagefind's interface over this language's index). Loaded only by the
// search page; without JavaScript the page lists every area and proposal instead.
window.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("lahio-search");
  if (!box || typeof PagefindUI === "undefined") return;
  new PagefindUI({element: "#lahio-search", showImages: false, showSubResults: true,
                  resetStyles: false});
});

/* Handout and deck index: fit every slide figure once fonts are in, and again on resize/print. */
(() => {
  "use strict";
  const P = window.podium;
  const fitAll = () => P.fitAll(document);
  fitAll();
  P.onLayoutChange(fitAll);
  window.addEventListener("beforeprint", fitAll);
  P.view = document.body.classList.contains("view-handout") ? "handout" : "index";
})();

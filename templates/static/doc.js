/* Handout and deck index: fit every slide figure once fonts are in, and again on resize/print. */
(() => {
  "use strict";
  const P = window.podium;
  const fitAll = () => P.fitAll(document);
  fitAll();
  if (document.fonts) document.fonts.ready.then(fitAll);
  let timer = 0;
  window.addEventListener("resize", () => {
    clearTimeout(timer);
    timer = setTimeout(fitAll, 150);
  });
  window.addEventListener("beforeprint", fitAll);
  P.view = document.body.classList.contains("view-handout") ? "handout" : "index";
})();

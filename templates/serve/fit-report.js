/* Podium fit report: every slide of an audience page as it was fitted (podium.fit in
 * podium.js), for the tools that measure a deck: `podium serve` (live.js loads this file from
 * /__podium/fit-report.js) and `podium check --layout` (runs it in headless Chromium). Never
 * part of a built page. Adds podium.fitFacts(slide) and podium.fitReport() (docs/views.md).
 */
(() => {
  "use strict";
  const P = window.podium;
  if (!P || P.fitReport) return;

  const sourceLines = (pre) =>
    pre.classList.contains("wrap")
      ? Array.from(pre.querySelectorAll(".line"), (line) => line.textContent)
      : pre.textContent.replace(/\n$/, "").split("\n");

  /* A fitted slide: its scale, the scale its content would need (below the floor), what it
     holds, and its code blocks that shrank or wrap. */
  P.fitFacts = (slide) => {
    const count = (sel) => slide.querySelectorAll(sel).length;
    const code = [];
    let codeLines = 0;
    for (const pre of slide.querySelectorAll("pre")) {
      const lines = sourceLines(pre);
      codeLines += lines.length;
      const scale = +(pre.style.getPropertyValue("--code-fit") || 1);
      if (scale < 1) {
        const chars = Math.max(0, ...lines.map((l) => l.length));
        code.push({ chars, scale, wraps: pre.classList.contains("wrap") });
      }
    }
    return {
      index: +slide.dataset.index,
      fit: +slide.dataset.fit,
      needed: +(slide.dataset.fitNeeded || slide.dataset.fit),
      floor: P.FIT_FLOOR,
      bullets: count("li"),
      paragraphs: count("p"),
      code_lines: codeLines,
      table_rows: count("tr"),
      images: count("img:not(.background)"),
      code,
    };
  };

  const settled = (img) =>
    img.complete
      ? null
      : new Promise((done) => {
          img.addEventListener("load", done, { once: true });
          img.addEventListener("error", done, { once: true });
        });

  /* Every slide's facts, each measured at full size with all its steps shown, a few slides
     per idle moment (a big deck never blocks the page), once its images are in (an image
     still loading has no size: a few seconds at most). A promise of the list. */
  P.fitReport = () => {
    const slides = Array.from(document.querySelectorAll("#podium-deck > .slide"));
    const loading = slides.flatMap((s) => Array.from(s.querySelectorAll("img"), settled)).filter(Boolean);
    const late = new Promise((done) => setTimeout(done, 3000));
    const idle = window.requestIdleCallback || ((fn) => setTimeout(fn, 0));
    return Promise.race([Promise.all(loading), late]).then(
      () =>
        new Promise((resolve) => {
          const facts = [];
          let i = 0;
          const chunk = () => {
            const until = performance.now() + 30;
            for (; i < slides.length && performance.now() < until; i++) {
              const s = slides[i];
              const shown = s.classList.contains("current");
              if (!shown) s.classList.add("measuring");
              P.applySteps(s, Infinity);
              P.capImages(s);
              P.fit(s);
              facts.push(P.fitFacts(s));
              if (shown) P.applySteps(s, P.state.step);
              else s.classList.remove("measuring");
            }
            if (i < slides.length) idle(chunk);
            else resolve(facts);
          };
          chunk();
        }),
    );
  };
})();

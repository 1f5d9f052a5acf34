/* Audience view: one slide at a time, shrunk to fit, with a progress bar; clicks and swipes;
 * the cursor and controls hide when idle. The position, keys, overview, black screen and the
 * presenter link are the shared controller's (podium.js, P.control). */
(() => {
  "use strict";
  const P = window.podium;
  const deck = document.getElementById("podium-deck");
  const slides = Array.from(deck.querySelectorAll(":scope > .slide"));
  const $ = (sel) => document.querySelector(sel);
  const bar = $(".progress > span");
  const number = $(".slide-number");
  const blackoutEl = $(".blackout");
  const stage = $(".stage");
  let current = null;

  const isDark = (el) =>
    el.matches(".layout-section, .layout-big, .dark") || !!el.querySelector("img.background");

  /* Fit a slide that is not shown (for a thumbnail, or ahead of time) at full size, hidden. */
  const measure = (s) => {
    s.classList.add("measuring");
    P.capImages(s);
    P.fit(s);
    s.classList.remove("measuring");
  };

  function render(state, blackout) {
    blackoutEl.hidden = !blackout;
    const el = slides[state.slide - 1];
    if (!el) return;
    if (current !== el) {
      if (current) current.classList.remove("current");
      el.classList.add("current");
      current = el;
      P.capImages(el);
    }
    P.applySteps(el, state.step);
    if (!el.dataset.fit) P.fit(el);
    schedulePrefit();
    const n = ctl.data.count;
    bar.style.width = n > 1 ? ((state.slide - 1) / (n - 1)) * 100 + "%" : "100%";
    number.textContent = state.slide + " / " + n;
    document.body.dataset.tone = isDark(el) ? "dark" : "light";
  }

  /* Fitting a dense slide takes a few layouts: do it for the neighbours while the presenter
     talks, so the next key press only switches slides (a 1000-slide deck stays instant). */
  let prefitPending = false;
  function schedulePrefit() {
    if (prefitPending) return;
    prefitPending = true;
    const idle = window.requestIdleCallback || ((fn) => setTimeout(fn, 50));
    idle(() => {
      prefitPending = false;
      const i = ctl.state.slide;
      for (const s of [slides[i], slides[i - 2]]) if (s && !s.dataset.fit) measure(s);
    });
  }

  const ctl = P.control({
    role: "audience",
    peer: { role: "presenter", page: "presenter.html", height: 800 },
    pushHistory: true,
    source: (i) => slides[i - 1],
    render,
    /* A slide's fit, measured on demand (hidden) when it was never shown: for its thumbnail. */
    fitOf: (i) => {
      const s = slides[i - 1];
      if (!s.dataset.fit) measure(s);
      return s.dataset.fit;
    },
    announcer: $("#podium-announcer"),
    background: stage,
    focus: deck,
    buttons: $(".controls"),
    escape: () => (ctl.blackout ? ctl.setBlackout(false) : false),
    replaced(index, info, el) {
      if (info.steps !== undefined) el.dataset.steps = String(info.steps);
      delete el.dataset.fit;
      if (index === ctl.state.slide) {
        P.applySteps(el, ctl.state.step);
        P.capImages(el);
        P.fit(el);
      }
    },
    api: { slideElement: (i) => slides[i - 1] || null },
  });

  /* Click and swipe. */
  let touch = null;
  stage.addEventListener("pointerdown", (e) => {
    if (e.pointerType !== "mouse") touch = { x: e.clientX, y: e.clientY };
  });
  stage.addEventListener("pointerup", (e) => {
    if (!touch) return;
    const dx = e.clientX - touch.x;
    const dy = e.clientY - touch.y;
    touch = null;
    if (Math.abs(dx) > 50 && Math.abs(dx) > Math.abs(dy)) {
      stage.dataset.swiped = "1";
      if (dx < 0) ctl.next();
      else ctl.prev();
    }
  });
  stage.addEventListener("click", (e) => {
    if (stage.dataset.swiped) {
      delete stage.dataset.swiped;
      return;
    }
    if (e.button !== 0 || e.target.closest("a, button, video, audio, input, select, textarea, summary, iframe")) return;
    if (String(window.getSelection())) return;
    ctl.next();
  });
  blackoutEl.addEventListener("click", () => ctl.setBlackout(false));

  /* Controls and cursor: shown on mouse movement, hidden when idle. */
  let idleTimer = 0;
  document.addEventListener("mousemove", (e) => {
    if (!e.movementX && !e.movementY) return;
    document.body.classList.add("show-controls");
    document.body.classList.remove("idle");
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      document.body.classList.remove("show-controls");
      document.body.classList.add("idle");
    }, 2500);
  });

  /* Refit when fonts arrive, the window changes size, or an image loads. */
  P.onLayoutChange(() => {
    for (const s of slides) delete s.dataset.fit;
    if (current) P.fit(current);
  }, 120);
  deck.addEventListener("load", (e) => {
    if (current && current.contains(e.target)) P.fit(current);
  }, true);
  /* Print shows every slide in its final state (every step, the code walkthroughs' lines
     all marked): fit them all first. Copies of slides at a step (export pdf --steps) are
     not among these and keep theirs. After printing, the current slide is back at its step. */
  window.addEventListener("beforeprint", () => {
    for (const s of slides) {
      P.applySteps(s, Infinity);
      if (s.dataset.fit) continue;
      s.classList.add("current");
      P.fit(s);
      if (s !== current) s.classList.remove("current");
    }
  });
  window.addEventListener("afterprint", () => current && P.applySteps(current, ctl.state.step));

  deck.tabIndex = -1;
  deck.classList.add("ready");
  ctl.start();
})();
